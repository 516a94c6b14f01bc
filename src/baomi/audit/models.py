"""The hash-chained, append-only audit trail (DESIGN.md 'Audit trail', rule T4)."""

from django.conf import settings
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class SequenceField(models.BigIntegerField):
    """A 64-bit key that SQLite keeps as the table's rowid: one B-tree less to write per event.

    SQLite makes a column the rowid only when declared exactly `integer primary key`.
    """

    def db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


class AuditEvent(models.Model):
    """One thing that happened. `hash = sha256(prev_hash ‖ canonical JSON of the row)`.

    Rows are never updated or deleted: database triggers refuse it (migration 0002).
    `before` and `after` hold canonical JSON text, hashed verbatim. `seq` is the primary key:
    1, 2, 3 … without gaps, so a deleted row shows as a missing number.
    """

    seq = SequenceField(_("sequence"), primary_key=True)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+",
                              db_constraint=False)
    actor_label = models.CharField(_("actor name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    unit_id = models.BigIntegerField(_("unit"), null=True, blank=True)
    before = models.TextField(_("before"), blank=True)
    after = models.TextField(_("after"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["actor", "seq"]),
            models.Index(fields=["action", "seq"]),
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditCheckpoint(models.Model):
    """A signed statement of the chain's head at one moment, printed and countersigned off-line.

    The Ed25519 signature (hex) covers `baomi-audit-checkpoint|seq|head_hash|signed_at`; the
    public key (hex) is the one whose fingerprint the printed copy shows. Append-only like the
    events (migration 0003).
    """

    seq = models.BigIntegerField(_("sequence"))
    head_hash = models.CharField(_("head hash"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    public_key = models.CharField(_("public key"), max_length=64)
    signature = models.CharField(_("signature"), max_length=128)
    signer_label = models.CharField(_("signed by"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.head_hash[:12]}"
