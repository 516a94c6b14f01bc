"""The unit's keyword lists (报警关键字) and check profiles, and the register of the reports the
secrecy check tool (`baomi scan`) uploads (rule D11). Reports are kept as uploaded: no service
edits or deletes one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Unit
from baomi.compliance.models import Rectification
from baomi.devices.models import Device, DeviceCheck

from .choices import ProfileBase


class KeywordList(models.Model):
    """A list of alarm keywords (报警关键字) of a unit, one term per line."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="keyword_lists")
    name = models.CharField(_("name"), max_length=100)
    terms = models.TextField(_("terms"), blank=True, help_text=_("One term per line."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"),
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("keyword list")
        verbose_name_plural = _("keyword lists")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"],
                                               name="scans_keyword_list_name_per_unit")]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_unit_id(self) -> int:
        return int(self.unit_id)

    @property
    def term_list(self) -> list[str]:
        return [line for line in self.terms.split("\n") if line]


class ScanProfile(models.Model):
    """What `baomi scan --profile NAME` checks: the base profile, the keyword list, limits."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="scan_profiles")
    name = models.CharField(_("name"), max_length=50)
    base = models.CharField(_("base profile"), max_length=12, choices=ProfileBase.choices)
    keyword_list = models.ForeignKey(KeywordList, verbose_name=_("keyword list"), null=True,
                                     blank=True, on_delete=models.PROTECT,
                                     related_name="profiles")
    limits = models.JSONField(_("limits"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("check profile")
        verbose_name_plural = _("check profiles")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"],
                                               name="scans_profile_name_per_unit")]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_unit_id(self) -> int:
        return int(self.unit_id)


class ScanReport(models.Model):
    """One report of the check tool as uploaded (rule D11), with its summary in columns. The
    device is empty when its 保密编号 is not on the ledger (most 非涉密 computers);
    `device_number` keeps the number as given. `check` is the device's check of the same day
    the report was attached to."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="scan_reports")
    device = models.ForeignKey(Device, verbose_name=_("device"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="scan_reports")
    device_number = models.CharField(_("secrecy number as given"), max_length=50, blank=True)
    host = models.CharField(_("host name"), max_length=255, blank=True)
    profile = models.CharField(_("profile"), max_length=50, blank=True)
    tool_version = models.CharField(_("tool version"), max_length=50, blank=True)
    engine = models.CharField(_("engine"), max_length=50, blank=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    files_scanned = models.PositiveIntegerField(_("files scanned"))
    files_skipped = models.PositiveIntegerField(_("files skipped"))
    files_with_findings = models.PositiveIntegerField(_("files with findings"))
    marks = models.PositiveIntegerField(_("classification marks"))
    keyword_hits = models.PositiveIntegerField(_("keyword hits"))
    violations = models.PositiveIntegerField(_("violations"))
    highest_level = models.PositiveSmallIntegerField(_("highest level found"))
    is_clean = models.BooleanField(_("clean"))
    report = models.JSONField(_("report"))
    sha256 = models.CharField(_("SHA-256 of the report"), max_length=64)
    check_record = models.ForeignKey(DeviceCheck, verbose_name=_("device check"), null=True,
                                     blank=True, on_delete=models.PROTECT,
                                     related_name="scan_reports")
    rectifications = models.ManyToManyField(Rectification, verbose_name=_("rectifications"),
                                            blank=True, related_name="scan_reports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("check tool report")
        verbose_name_plural = _("check tool reports")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "sha256"],
                                               name="scans_report_once_per_unit")]
        indexes = [models.Index(fields=["unit", "started_at"]),
                   models.Index(fields=["device", "started_at"])]

    def __str__(self) -> str:
        return f"{self.host or self.device_number} · {self.started_at:%Y-%m-%d}"

    @property
    def audit_unit_id(self) -> int:
        return int(self.unit_id)
