"""Stocktakes (清查盘点, rule C1) and carriers whose whereabouts are unknown (下落不明, rule C8).

A stocktake lists, when it starts, every carrier the ledger expects in its scope (a unit, or one
department or container of it) with what the ledger says about it; each line is then checked
(a scanned label or a typed number) or marked by hand; closing it turns every line not found
into a missing carrier with a `MissingCase`, whose deadline says when it is handled as a leak
(an `compliance.Incident`, rule C8 → I1).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baomi.accounts.models import Department, Person, Unit
from baomi.core.labels import Level

from ..choices import CarrierState
from .ledger import Carrier, Container


class StocktakeState(models.TextChoices):
    OPEN = "open", _("In progress")
    CLOSED = "closed", pgettext_lazy("stocktake", "Closed")


class LineResult(models.TextChoices):
    """What the stocktake found for one carrier the ledger expects (rule C1)."""

    UNCHECKED = "unchecked", _("Not yet checked")
    FOUND = "found", pgettext_lazy("stocktake line", "Found")
    MISSING = "missing", _("Not found")


class MissingState(models.TextChoices):
    """rule C8: traced while the deadline runs; found again, or handled as a leak."""

    OPEN = "open", _("Being traced")
    FOUND = "found", _("Found again")
    INCIDENT = "incident", _("Handled as a leak")


class MissingSource(models.TextChoices):
    STOCKTAKE = "stocktake", _("Not found at a stocktake")
    REPORT = "report", _("Reported lost")


class Stocktake(models.Model):
    """A 清查盘点 of a unit's carriers, or of one department's or one container's (rule C1).

    `level` is the highest state-secret level on its list: only someone cleared for it sees
    the stocktake (rule L5), so every viewer sees every line."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="stocktakes")
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True,
                                   blank=True, on_delete=models.PROTECT,
                                   related_name="stocktakes")
    container = models.ForeignKey(Container, verbose_name=_("container"), null=True,
                                  blank=True, on_delete=models.PROTECT,
                                  related_name="stocktakes")
    level = models.IntegerField(_("highest level on the list"), choices=Level.choices,
                                default=Level.NONSECRET)
    state = models.CharField(_("state"), max_length=8, choices=StocktakeState.choices,
                             default=StocktakeState.OPEN)
    note = models.CharField(_("note"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"),
                                   on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("carrier stocktake")
        verbose_name_plural = _("carrier stocktakes")
        ordering = ["-id"]
        indexes = [models.Index(fields=["unit", "state", "id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.started_at:%Y-%m-%d}" if self.started_at else f"#{self.pk}"


class StocktakeLine(models.Model):
    """One carrier the ledger expects at a stocktake: what the ledger said when it started
    (state, custodian, container and location) and what was found (rule C1)."""

    stocktake = models.ForeignKey(Stocktake, verbose_name=_("stocktake"),
                                  on_delete=models.CASCADE, related_name="lines")
    carrier = models.ForeignKey(Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT,
                                related_name="stocktake_lines")
    ledger_state = models.CharField(_("state on the ledger"), max_length=10,
                                    choices=CarrierState.choices)
    ledger_custodian = models.ForeignKey(Person, verbose_name=_("custodian on the ledger"),
                                         on_delete=models.PROTECT, related_name="+")
    ledger_container = models.ForeignKey(Container, verbose_name=_("container on the ledger"),
                                         null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    ledger_location = models.CharField(_("location on the ledger"), max_length=200,
                                       blank=True)
    result = models.CharField(_("result"), max_length=10, choices=LineResult.choices,
                              default=LineResult.UNCHECKED)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    missing_case = models.ForeignKey("MissingCase", verbose_name=_("missing-carrier case"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("stocktake line")
        verbose_name_plural = _("stocktake lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "carrier"],
                                    name="stocktake_line_one_per_carrier"),
        ]
        indexes = [models.Index(fields=["stocktake", "result", "id"])]

    def __str__(self) -> str:
        return f"{self.stocktake_id}: {self.carrier_id} {self.result}"

    @property
    def audit_unit_id(self) -> int:
        """The unit of the stocktake (audit events are filed under it)."""
        return int(self.stocktake.unit_id)


class MissingCase(models.Model):
    """A carrier whose whereabouts are unknown (下落不明, rule C8): discovered at a stocktake or
    reported lost, traced until `deadline` (10 calendar days for 绝密, 60 for 机密 and 秘密,
    policy `carriers.missing_incident_days.*`), then handled as a leak (`incident`, rule I1)
    unless found again."""

    carrier = models.ForeignKey(Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT,
                                related_name="missing_cases")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="missing_carrier_cases")
    source = models.CharField(_("how it was discovered"), max_length=10,
                              choices=MissingSource.choices)
    stocktake = models.ForeignKey(Stocktake, verbose_name=_("stocktake"), null=True,
                                  blank=True, on_delete=models.PROTECT,
                                  related_name="missing_cases")
    discovered_on = models.DateField(_("discovered on"))
    deadline = models.DateField(_("handled as a leak after"),
                                help_text=_("The last day to trace it (rule C8)."))
    state = models.CharField(_("state"), max_length=10, choices=MissingState.choices,
                             default=MissingState.OPEN)
    note = models.CharField(_("circumstances"), max_length=500, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"),
                                    on_delete=models.PROTECT, related_name="+")
    found_on = models.DateField(_("found on"), null=True, blank=True)
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("found recorded by"),
                                 null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    found_note = models.CharField(_("where it was found"), max_length=500, blank=True)
    incident = models.OneToOneField("compliance.Incident", verbose_name=_("leak incident"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="missing_carrier_case")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("missing-carrier case")
        verbose_name_plural = _("missing-carrier cases")
        ordering = ["-id"]
        constraints = [
            # A carrier is missing once at a time: a second case waits until it is found.
            models.UniqueConstraint(fields=["carrier"],
                                    condition=models.Q(state__in=["open", "incident"]),
                                    name="missing_case_one_per_carrier"),
        ]
        indexes = [models.Index(fields=["state", "deadline"]),
                   models.Index(fields=["unit", "state", "id"])]

    def __str__(self) -> str:
        return f"{self.carrier_id} {self.discovered_on}"
