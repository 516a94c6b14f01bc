"""Periodic checks of classified devices (rule D11) with the network attestation renewed at
each (rule D3), the sign-offs of checker, user and department head, and the rectification
items (整改) the findings become. A check that finds a D3 violation records a leak incident
(`compliance.Incident`, source `devices.devicecheck`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Person

from ..choices import CheckRole, FindingState
from .ledger import Device


class DeviceCheck(models.Model):
    """One check of one device (rule D11): date, the approved tool and its version, the
    checker, the result of each item and the network attestation — no internet or public
    network, no wireless hardware, ports sealed (rule D3). `report` keeps what the secrecy
    check tool (`baomi scan`) uploaded, when it did."""

    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.PROTECT,
                               related_name="checks")
    checked_on = models.DateField(_("checked on"))
    tool = models.CharField(_("check tool"), max_length=100)
    tool_version = models.CharField(_("tool version"), max_length=50)
    checker = models.ForeignKey(Person, verbose_name=_("checker"), on_delete=models.PROTECT,
                                related_name="device_checks")
    no_internet = models.BooleanField(_("never connected to the internet or a public network"))
    no_wireless = models.BooleanField(_("no wireless hardware"))
    ports_sealed = models.BooleanField(_("ports sealed"))
    items = models.JSONField(_("result items"), default=list, blank=True,
                             help_text=_('A list of {"item", "ok", "note"}.'))
    passed = models.BooleanField(_("passed"))
    note = models.TextField(_("note"), blank=True)
    report = models.JSONField(_("check tool report"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("device check")
        verbose_name_plural = _("device checks")
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["device", "checked_on"])]

    def __str__(self) -> str:
        return f"{self.device.number} · {self.checked_on}"

    @property
    def audit_unit_id(self) -> int:
        return int(self.device.unit_id)

    @property
    def attested(self) -> bool:
        """rule D3: the network attestation holds."""
        return self.no_internet and self.no_wireless and self.ports_sealed


class CheckSignOff(models.Model):
    """A signature on a check record (rule D11), recorded as who signed in which role and
    when."""

    check_record = models.ForeignKey(DeviceCheck, verbose_name=_("check"),
                                     on_delete=models.CASCADE, related_name="sign_offs")
    role = models.CharField(_("signs as"), max_length=8, choices=CheckRole.choices)
    person = models.ForeignKey(Person, verbose_name=_("signed by"), on_delete=models.PROTECT,
                               related_name="+")
    signed_on = models.DateField(_("signed on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("check sign-off")
        verbose_name_plural = _("check sign-offs")
        constraints = [models.UniqueConstraint(fields=["check_record", "role"],
                                               name="check_sign_off_one_per_role")]

    def __str__(self) -> str:
        return f"{self.check_record} · {self.get_role_display()} · {self.person}"

    @property
    def audit_unit_id(self) -> int:
        return int(self.check_record.device.unit_id)


class CheckFinding(models.Model):
    """A rectification item (整改) from a check: what is wrong, who puts it right by when, what
    was done and the 保密办's re-check."""

    check_record = models.ForeignKey(DeviceCheck, verbose_name=_("check"),
                                     on_delete=models.PROTECT, related_name="findings")
    description = models.CharField(_("finding"), max_length=500)
    owner = models.ForeignKey(Person, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="device_findings")
    due_on = models.DateField(_("to be rectified by"))
    state = models.CharField(_("state"), max_length=10, choices=FindingState.choices,
                             default=FindingState.OPEN)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    rectification = models.CharField(_("what was done"), max_length=500, blank=True)
    verified_on = models.DateField(_("re-checked on"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("re-checked by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["state", "due_on"])]

    def __str__(self) -> str:
        return self.description

    @property
    def audit_unit_id(self) -> int:
        return int(self.check_record.device.unit_id)
