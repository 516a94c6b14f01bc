"""Maintenance (rule D7) and retirement (rule D8) of classified devices and media.

Both are requested, decided by the approvals engine (request types `device_maintenance` and
`device_retirement`) and then carried out by the 保密办, who records each step: the disk
removed before a device leaves, the 信息清除 and the hand-over to the designated destruction
body with its certificate. One open maintenance or retirement per device (or medium) at a time.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Person

from ..choices import ClearingMethod, MaintenanceMode, MaintenanceState, RetirementState
from .ledger import Device, Medium

OPEN_MAINTENANCE = ["requested", "approved", "away"]
OPEN_RETIREMENT = ["requested", "approved", "cleared"]


class Maintenance(models.Model):
    """A repair of one device (rule D7): in the unit, on site under a named supervisor, or sent
    out — and then its disk is recorded as removed before it leaves."""

    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.PROTECT,
                               related_name="maintenances")
    mode = models.CharField(_("how it is repaired"), max_length=10,
                            choices=MaintenanceMode.choices)
    fault = models.CharField(_("fault"), max_length=500)
    repairer = models.CharField(_("repaired by (company or person)"), max_length=200)
    supervisor = models.ForeignKey(Person, verbose_name=_("supervisor"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   help_text=_("Who watches the repair (rule D7)."))
    request = models.OneToOneField("approvals.Request", verbose_name=_("approval request"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="device_maintenance")
    state = models.CharField(_("state"), max_length=10, choices=MaintenanceState.choices,
                             default=MaintenanceState.REQUESTED)
    disk_removed_on = models.DateField(_("disk removed on"), null=True, blank=True)
    disk_removed_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                        verbose_name=_("disk removal recorded by"),
                                        null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    disk_kept_at = models.CharField(_("removed disk kept at"), max_length=200, blank=True)
    left_on = models.DateField(_("left the unit on"), null=True, blank=True)
    back_on = models.DateField(_("back on"), null=True, blank=True)
    done_on = models.DateField(_("repaired on"), null=True, blank=True)
    result = models.CharField(_("what was done"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("device maintenance")
        verbose_name_plural = _("device maintenances")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["device"],
                                    condition=models.Q(state__in=OPEN_MAINTENANCE),
                                    name="maintenance_one_open"),
        ]
        indexes = [models.Index(fields=["state", "id"])]

    def __str__(self) -> str:
        return f"{self.device.number} · {self.get_mode_display()}"

    @property
    def audit_unit_id(self) -> int:
        return int(self.device.unit_id)


class Retirement(models.Model):
    """The retirement of one device or one medium (rule D8): approved, its information cleared
    (method, by whom), handed over to the designated destruction body against a certificate.
    Once approved the device or medium is locked; it is never sold."""

    device = models.ForeignKey(Device, verbose_name=_("device"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="retirements")
    medium = models.ForeignKey(Medium, verbose_name=_("medium"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="retirements")
    reason = models.CharField(_("reason"), max_length=500)
    request = models.OneToOneField("approvals.Request", verbose_name=_("approval request"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="device_retirement")
    state = models.CharField(_("state"), max_length=10, choices=RetirementState.choices,
                             default=RetirementState.REQUESTED)
    cleared_on = models.DateField(_("information cleared on"), null=True, blank=True)
    clearing_method = models.CharField(_("clearing method"), max_length=10,
                                       choices=ClearingMethod.choices, blank=True)
    cleared_by = models.CharField(_("cleared by"), max_length=200, blank=True)
    destruction_body = models.CharField(_("destruction body"), max_length=200, blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("steps recorded by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("retirement")
        verbose_name_plural = _("retirements")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(device__isnull=False, medium__isnull=True)
                           | models.Q(device__isnull=True, medium__isnull=False)),
                name="retirement_device_or_medium"),
            models.UniqueConstraint(fields=["device"],
                                    condition=models.Q(state__in=OPEN_RETIREMENT),
                                    name="retirement_one_open_device"),
            models.UniqueConstraint(fields=["medium"],
                                    condition=models.Q(state__in=OPEN_RETIREMENT),
                                    name="retirement_one_open_medium"),
        ]
        indexes = [models.Index(fields=["state", "id"])]

    def __str__(self) -> str:
        subject = self.device if self.device_id else self.medium
        return f"{subject} · {self.get_state_display()}"

    @property
    def audit_unit_id(self) -> int:
        subject = self.device if self.device_id else self.medium
        assert subject is not None
        return int(subject.unit_id)
