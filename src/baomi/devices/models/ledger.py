"""The device ledgers (rules D1, D2, D9): classified computers, servers, 中间机, office
equipment and security products, and the removable-media ledger (rule D4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Department, Person, Unit
from baomi.core.labels import Level

from ..choices import FAMILY, DeviceKind, DeviceState, MediumKind, MediumState


class Device(models.Model):
    """One registered device (逐台备案, rule D1) with its level — the highest level it is
    approved to process (rule D2) — and the columns of the users' ledgers: 保密编号, type,
    model, serial, asset number, hard-disk serial, MAC, operating system and its install date,
    department, responsible person, location, in-use date, state. A multifunction device
    handling secrets is never on a phone line (rule D9)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="devices")
    department = models.ForeignKey(Department, verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="devices")
    number = models.CharField(_("secrecy number"), max_length=50)
    kind = models.CharField(_("kind"), max_length=14, choices=DeviceKind.choices)
    level = models.IntegerField(_("level"), choices=Level.choices)
    model = models.CharField(_("brand and model"), max_length=100, blank=True)
    serial_no = models.CharField(_("serial number"), max_length=100, blank=True)
    asset_no = models.CharField(_("asset number"), max_length=50, blank=True)
    disk_serial = models.CharField(_("hard-disk serial number"), max_length=200, blank=True)
    mac = models.CharField(_("MAC address"), max_length=100, blank=True)
    os = models.CharField(_("operating system"), max_length=100, blank=True)
    os_installed_on = models.DateField(_("operating system installed on"), null=True,
                                       blank=True)
    responsible = models.ForeignKey(Person, verbose_name=_("responsible person"),
                                    on_delete=models.PROTECT, related_name="devices_held")
    location = models.CharField(_("location"), max_length=200)
    room = models.ForeignKey(
        "compliance.SecureRoom", verbose_name=_("secure room"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="devices",
        help_text=_("A 机密 or 绝密 server stands in a secure room meeting Q7."))
    in_use_on = models.DateField(_("in use since"))
    phone_line = models.BooleanField(_("connected to a phone line"), default=False)
    password_changed_on = models.DateField(
        _("password last changed on"), null=True, blank=True,
        help_text=_("Rule D6: only the date is kept, never the password."))
    state = models.CharField(_("state"), max_length=10, choices=DeviceState.choices,
                             default=DeviceState.IN_USE)
    users = models.ManyToManyField(Person, verbose_name=_("users"), through="DeviceUser",
                                   related_name="devices_used")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"),
                                      on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("classified device")
        verbose_name_plural = _("classified devices")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="device_number_unique"),
        ]
        indexes = [
            models.Index(fields=["unit", "kind", "state", "level", "id"]),
            models.Index(fields=["unit", "department", "id"]),
            models.Index(fields=["responsible", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.number}（{self.get_kind_display()}）"

    @property
    def family(self) -> str:
        return str(FAMILY[DeviceKind(self.kind)])


class DeviceUser(models.Model):
    """A person allowed to use a device, cleared for its level (rule D2)."""

    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.CASCADE,
                               related_name="user_entries")
    person = models.ForeignKey(Person, verbose_name=_("user"), on_delete=models.PROTECT,
                               related_name="device_entries")
    added_on = models.DateField(_("added on"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"),
                                 on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("device user")
        verbose_name_plural = _("device users")
        constraints = [models.UniqueConstraint(fields=["device", "person"],
                                               name="device_user_unique")]

    def __str__(self) -> str:
        return f"{self.device} · {self.person}"

    @property
    def audit_unit_id(self) -> int:
        return int(self.device.unit_id)


class Medium(models.Model):
    """A registered removable medium (U盘, 移动硬盘, 光盘, 存储卡) with its level label (rule
    D4), the person responsible, and whether it is in store or checked out."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="media")
    department = models.ForeignKey(Department, verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="media")
    number = models.CharField(_("secrecy number"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=MediumKind.choices)
    level = models.IntegerField(_("level"), choices=Level.choices)
    model = models.CharField(_("brand and model"), max_length=100, blank=True)
    serial_no = models.CharField(_("serial number"), max_length=100, blank=True)
    capacity = models.CharField(_("capacity"), max_length=50, blank=True)
    responsible = models.ForeignKey(Person, verbose_name=_("responsible person"),
                                    on_delete=models.PROTECT, related_name="media_held")
    location = models.CharField(_("location"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=MediumState.choices,
                             default=MediumState.IN_STORE)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"),
                                      on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("removable medium")
        verbose_name_plural = _("removable media")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="medium_number_unique"),
        ]
        indexes = [models.Index(fields=["unit", "state", "level", "id"]),
                   models.Index(fields=["responsible", "state"])]

    def __str__(self) -> str:
        return f"{self.number}（{self.get_kind_display()}）"
