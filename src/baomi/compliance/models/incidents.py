"""Leak incidents (泄密事件, rules I1, I2).

An incident is reported by whoever discovers a leak, or recorded when a rule says an event is
handled as a leak (rule C8: a carrier still untraced 10 days (绝密) or 60 days (机密, 秘密) after
its loss was discovered; rule D3: a device check finds a violation). The 保密办 reports it to the
保密局 or the superior within 24 hours (rule I1), records the remedial measures taken
(`IncidentMeasure`), and closes it once the four items of 四不放过 are recorded (rule I2).
Its source is a generic reference (`source_type`, `source_id`, `source_label`), so that other
apps (devices, meetings …) can record incidents without this app knowing their models.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Unit
from baomi.core.labels import Level, Scheme

from ..choices import IncidentKind, IncidentState

# rule I1: a leak or suspected leak is reported within 24 hours of its discovery.
REPORT_WITHIN = dt.timedelta(hours=24)


class Incident(models.Model):
    """A leak or suspected leak (rule I1) of one unit, at the level of what leaked (rule L5):
    the source it came from, when it was discovered and when it was recorded."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="incidents")
    kind = models.CharField(_("kind"), max_length=16, choices=IncidentKind.choices)
    scheme = models.CharField(_("scheme"), max_length=12, choices=Scheme.choices,
                              default=Scheme.STATE)
    level = models.IntegerField(_("level"), choices=Level.choices)
    title = models.CharField(_("title"), max_length=300)
    discovered_on = models.DateField(_("discovered on"))
    created_on = models.DateField(_("recorded on"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text=_("Empty: a daily job."))
    source_type = models.CharField(_("kind of source"), max_length=60, blank=True,
                                   help_text=_("e.g. carriers.carrier"))
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    source_label = models.CharField(_("source"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=IncidentState.choices,
                             default=IncidentState.OPEN)
    discovered_at = models.DateTimeField(_("discovered at"), null=True, blank=True)
    # rule I1: reported to the 保密局 or the superior within 24 hours of the discovery — of the
    # leak: a carrier handled as a leak by rule C8 counts from that day, not from its loss.
    report_due_at = models.DateTimeField(_("report due by"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_to = models.CharField(_("reported to"), max_length=200, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    # rule I2 (四不放过): each item as text and the day it was recorded.
    cause = models.TextField(_("cause established"), blank=True)
    cause_on = models.DateField(_("cause established on"), null=True, blank=True)
    responsibility = models.TextField(_("persons responsible dealt with"), blank=True)
    responsibility_on = models.DateField(_("responsibility dealt with on"), null=True,
                                         blank=True)
    rectification = models.TextField(_("rectification carried out"), blank=True)
    rectification_on = models.DateField(_("rectification recorded on"), null=True, blank=True)
    education = models.TextField(_("persons concerned educated"), blank=True)
    education_on = models.DateField(_("education recorded on"), null=True, blank=True)
    closed_on = models.DateField(_("case closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("case closed by"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("leak incident")
        verbose_name_plural = _("leak incidents")
        ordering = ["-id"]
        indexes = [models.Index(fields=["unit", "state", "id"]),
                   models.Index(fields=["source_type", "source_id"])]

    def __str__(self) -> str:
        return self.title

    @property
    def reported_late(self) -> bool:
        """rule I1: reported after the 24 hours (exactly 24 hours is still in time)."""
        due = self.report_due_at
        return bool(self.reported_at and due and self.reported_at > due)


class IncidentMeasure(models.Model):
    """A remedial measure (补救措施) taken on an incident, with when and by whom (rule I1:
    remedial measures start at once)."""

    incident = models.ForeignKey(Incident, verbose_name=_("incident"),
                                 on_delete=models.CASCADE, related_name="measures")
    taken_at = models.DateTimeField(_("taken at"))
    measure = models.TextField(_("measure"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                 on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("remedial measure")
        verbose_name_plural = _("remedial measures")
        ordering = ["taken_at", "id"]

    def __str__(self) -> str:
        return self.measure[:50]
