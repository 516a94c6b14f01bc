"""Classified information systems and their risk assessments (rule D10)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Person, Unit
from baomi.core.labels import Level

from .ledger import Device


class ClassifiedSystem(models.Model):
    """A classified information system (涉密信息系统) of a unit, at the highest level it
    processes, with the devices it is made of; it is assessed every year at 绝密 and every two
    years otherwise (rule D10)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="classified_systems")
    name = models.CharField(_("name"), max_length=200)
    level = models.IntegerField(_("level"), choices=Level.choices)
    responsible = models.ForeignKey(Person, verbose_name=_("responsible person"),
                                    on_delete=models.PROTECT, related_name="systems_held")
    devices = models.ManyToManyField(Device, verbose_name=_("devices"), blank=True,
                                     related_name="systems")
    in_use_on = models.DateField(_("in use since"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"),
                                      on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("classified information system")
        verbose_name_plural = _("classified information systems")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"],
                                               name="system_name_unique")]

    def __str__(self) -> str:
        return self.name


class RiskAssessment(models.Model):
    """One risk assessment (风险评估) of a system: when, by whom, the report and its
    conclusion (rule D10)."""

    system = models.ForeignKey(ClassifiedSystem, verbose_name=_("system"),
                               on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.CharField(_("assessed by"), max_length=200)
    report_no = models.CharField(_("report number"), max_length=100)
    passed = models.BooleanField(_("passed"))
    findings = models.TextField(_("findings"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["system", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.system} · {self.assessed_on}"

    @property
    def audit_unit_id(self) -> int:
        return int(self.system.unit_id)
