"""Where removable media may be used and who has them (rule D4): bindings to computers and
check-outs with due dates and the check of what was written (返回信息清除情况)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Person

from ..choices import ContentCheck, MediumLoanState
from .ledger import Device, Medium


class MediumBinding(models.Model):
    """A medium may be used on this computer (rule D4: never a higher-level medium on a
    lower-level computer, never across classified and non-classified). Unbinding ends it;
    the history stays."""

    medium = models.ForeignKey(Medium, verbose_name=_("medium"), on_delete=models.PROTECT,
                               related_name="bindings")
    device = models.ForeignKey(Device, verbose_name=_("computer"), on_delete=models.PROTECT,
                               related_name="media_bindings")
    bound_on = models.DateField(_("bound on"))
    bound_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("bound by"),
                                 on_delete=models.PROTECT, related_name="+")
    unbound_on = models.DateField(_("unbound on"), null=True, blank=True)
    unbound_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("unbound by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("medium binding")
        verbose_name_plural = _("medium bindings")
        ordering = ["-id"]
        constraints = [
            # One open binding per medium and computer: of two at once, one wins.
            models.UniqueConstraint(fields=["medium", "device"],
                                    condition=models.Q(unbound_on__isnull=True),
                                    name="medium_binding_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.medium.number} → {self.device.number}"

    @property
    def audit_unit_id(self) -> int:
        return int(self.device.unit_id)


class MediumLoan(models.Model):
    """A medium checked out to a person cleared for it, due back on `due_on`; on return the
    保密办 records what was written on it and whether it was cleared (返回信息清除情况)."""

    medium = models.ForeignKey(Medium, verbose_name=_("medium"), on_delete=models.PROTECT,
                               related_name="loans")
    person = models.ForeignKey(Person, verbose_name=_("checked out to"),
                               on_delete=models.PROTECT, related_name="medium_loans")
    purpose = models.CharField(_("purpose"), max_length=500)
    out_at = models.DateTimeField(_("checked out at"))
    due_on = models.DateField(_("due back on"))
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handed out by"),
                                  on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=MediumLoanState.choices,
                             default=MediumLoanState.OUT)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    content_check = models.CharField(_("what was written"), max_length=10,
                                     choices=ContentCheck.choices, blank=True)
    content_note = models.CharField(_("information written and its clearing"),
                                    max_length=500, blank=True)

    class Meta:
        verbose_name = _("medium check-out")
        verbose_name_plural = _("medium check-outs")
        ordering = ["-id"]
        constraints = [
            # One medium is out to one person at a time.
            models.UniqueConstraint(fields=["medium"], condition=models.Q(state="out"),
                                    name="medium_loan_one_out"),
        ]
        indexes = [models.Index(fields=["state", "due_on"]),
                   models.Index(fields=["person", "state"])]

    def __str__(self) -> str:
        return f"{self.medium.number} · {self.person}"

    @property
    def audit_unit_id(self) -> int:
        return int(self.medium.unit_id)
