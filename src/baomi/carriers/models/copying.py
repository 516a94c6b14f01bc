"""Copying (复制, 摘抄, 加印; rule C4) and the print log (打印输出登记, rule C10).

A copy order asks, for one carrier, to make copies of it; the approvals chain
`approvals.chains.carrier_copy` decides (request type `carrier_copy`), a 绝密 original also
needs the consent of its originating unit, and the 保密办 makes the copies: each one a new
carrier on the ledger, with its 复制戳记 (`CopyStamp`), at the level, period and secret item of
the original (rule L5: never below the source).

The print log records each classified printout: who printed what, at which level, how many
pages and copies, on which printer, approved by whom, and who received it; a printout kept
is registered as a carrier.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baomi.accounts.models import Department, Person, Unit
from baomi.core.labels import Level, Scheme

from .ledger import Carrier


class CopyKind(models.TextChoices):
    """rule C4: what is made from the original."""

    COPY = "copy", _("Copy")
    EXTRACT = "extract", _("Extract")
    REPRINT = "reprint", _("Extra print run")


class CopyState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved, not yet made")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    MADE = "made", pgettext_lazy("copy order", "Copies made")


class CopyOrder(models.Model):
    """A request to copy, extract or reprint one carrier (rule C4): how many copies, why, the
    consent of the originating unit for a 绝密 original, the approval request, and — once the
    保密办 made them — when and by whom. The copies are `stamps` (each a new carrier)."""

    carrier = models.ForeignKey(Carrier, verbose_name=_("original carrier"),
                                on_delete=models.PROTECT, related_name="copy_orders")
    kind = models.CharField(_("kind"), max_length=10, choices=CopyKind.choices)
    copies = models.PositiveSmallIntegerField(_("number of copies"))
    purpose = models.CharField(_("purpose"), max_length=500)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    consent_unit = models.CharField(_("consenting originating unit"), max_length=200,
                                    blank=True)
    consent_reference = models.CharField(_("consent document or reference"), max_length=100,
                                         blank=True)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    request = models.OneToOneField("approvals.Request", verbose_name=_("approval request"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="carrier_copy")
    state = models.CharField(_("state"), max_length=10, choices=CopyState.choices,
                             default=CopyState.REQUESTED)
    made_on = models.DateField(_("made on"), null=True, blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("copy order")
        verbose_name_plural = _("copy orders")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(copies__gte=1), name="copy_order_copies_min"),
        ]
        indexes = [models.Index(fields=["carrier", "id"]),
                   models.Index(fields=["requested_by", "state"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.carrier.number} × {self.copies}"

    @property
    def audit_unit_id(self) -> int:
        """The unit of the original (audit events are filed under it)."""
        return int(self.carrier.unit_id)


class CopyStamp(models.Model):
    """One copy made on a copy order: the new carrier and the 复制戳记 it bears (rule C4), e.g.
    `复制件 第3份 · 复制审批第12号 · 2026年11月24日`, as it was stamped."""

    order = models.ForeignKey(CopyOrder, verbose_name=_("copy order"), on_delete=models.PROTECT,
                              related_name="stamps")
    carrier = models.OneToOneField(Carrier, verbose_name=_("copy"), on_delete=models.PROTECT,
                                   related_name="copy_stamp")
    text = models.CharField(_("copy stamp"), max_length=200)

    class Meta:
        verbose_name = _("copy stamp")
        verbose_name_plural = _("copy stamps")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def audit_unit_id(self) -> int:
        return int(self.carrier.unit_id)


class PrintRecord(models.Model):
    """One line of the print log (打印输出审批登记, rule C10): a classified document printed,
    by whom, at which level, how many pages and copies, on which printer, approved by whom,
    handed to whom; `carrier` is the ledger entry of a printout kept."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="print_records")
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    printed_by = models.ForeignKey(Person, verbose_name=_("printed by"),
                                   on_delete=models.PROTECT, related_name="print_records")
    title = models.CharField(_("title"), max_length=300)
    scheme = models.CharField(_("scheme"), max_length=12, choices=Scheme.choices,
                              default=Scheme.STATE)
    level = models.IntegerField(_("level"), choices=Level.choices)
    pages = models.PositiveIntegerField(_("pages"))
    copies = models.PositiveSmallIntegerField(_("copies"))
    device = models.CharField(_("printer or device"), max_length=100)
    approved_by = models.ForeignKey(Person, verbose_name=_("approved by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(Person, verbose_name=_("recipient"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    printed_at = models.DateTimeField(_("printed at"))
    carrier = models.OneToOneField(Carrier, verbose_name=_("registered as carrier"), null=True,
                                   blank=True, on_delete=models.PROTECT,
                                   related_name="print_record")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("print record")
        verbose_name_plural = _("print records")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(pages__gte=1) & models.Q(copies__gte=1),
                                   name="print_record_counts_min"),
        ]
        indexes = [models.Index(fields=["unit", "id"]),
                   models.Index(fields=["printed_by", "id"])]

    def __str__(self) -> str:
        return f"{self.title} × {self.copies}"
