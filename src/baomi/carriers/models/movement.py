"""Carriers leaving the unit: sent out for good (外发/传递, rule C2), taken out for a while
(携带外出) or taken abroad (出境, rule C6).

A movement asks, for one carrier, to let it leave; the chain `approvals.chains.carrier_movement`
decides (request type `carrier_movement`), the 保密办 hands it over (the carrier is OUT), and it
either comes back (carry_out, abroad: IN_STORE again) or the recipient signs for it (send_out:
SENT, off the store but still on the ledger).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baomi.accounts.models import Person

from .ledger import Carrier


class MovementKind(models.TextChoices):
    SEND_OUT = "send_out", _("Sending out")
    CARRY_OUT = "carry_out", _("Taking out")
    ABROAD = "abroad", _("Taking abroad")


class MovementChannel(models.TextChoices):
    """rule C2: a carrier is sent only through 机要 channels, never ordinary post or
    courier."""

    CONFIDENTIAL_TRAFFIC = "traffic", _("Confidential traffic service")
    CONFIDENTIAL_MAIL = "mail", _("Confidential communication service")
    IN_PERSON = "in_person", _("Delivered by two named people")


class MovementState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved, not yet handed over")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    OUT = "out", _("Out of the unit")
    RETURNED = "returned", pgettext_lazy("carrier movement", "Returned")
    DELIVERED = "delivered", _("Delivered, receipt signed")


# The movements that hold the carrier: at most one per carrier.
OPEN_MOVEMENT = (MovementState.APPROVED, MovementState.OUT)


class Movement(models.Model):
    """One carrier leaving the unit (rules C2, C6): where to, why, by which 机要 channel (for
    sending), who carries it (a person of the unit, plus escorts by name), the approval
    request, when it left, when it is due back and came back, or who signed for it."""

    carrier = models.ForeignKey(Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT,
                                related_name="movements")
    kind = models.CharField(_("kind"), max_length=10, choices=MovementKind.choices)
    destination = models.CharField(_("destination or recipient unit"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=500)
    channel = models.CharField(_("channel"), max_length=10, choices=MovementChannel.choices,
                               blank=True)
    carried_by = models.ForeignKey(Person, verbose_name=_("carried by"),
                                   on_delete=models.PROTECT, related_name="carrier_movements")
    escorts = models.JSONField(_("people carrying it"), default=list, blank=True)
    request = models.OneToOneField("approvals.Request", verbose_name=_("approval request"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="carrier_movement")
    state = models.CharField(_("state"), max_length=10, choices=MovementState.choices,
                             default=MovementState.REQUESTED)
    out_at = models.DateTimeField(_("left at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handed over by"),
                                       null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    due_back_on = models.DateField(_("due back on"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    receipt_signed_by = models.CharField(_("receipt signed by"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("carrier movement")
        verbose_name_plural = _("carrier movements")
        ordering = ["-id"]
        constraints = [
            # One carrier leaves once at a time: of two approvals at once, one wins.
            models.UniqueConstraint(fields=["carrier"],
                                    condition=models.Q(state__in=["approved", "out"]),
                                    name="carrier_movement_one_open"),
        ]
        indexes = [models.Index(fields=["carrier", "id"]),
                   models.Index(fields=["carried_by", "state"]),
                   models.Index(fields=["state", "due_back_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.carrier.number} → {self.destination}"

    @property
    def audit_unit_id(self) -> int:
        """The unit of the carrier (audit events are filed under it)."""
        return int(self.carrier.unit_id)

    @property
    def comes_back(self) -> bool:
        return self.kind in (MovementKind.CARRY_OUT, MovementKind.ABROAD)
