"""Obligation rule of classified information systems (rule D10): each system is assessed
every `devices.risk_assessment_months.top_secret` months at 绝密 and every
`devices.risk_assessment_months.other` months otherwise, counted from its last assessment (or
due as soon as it is in use when never assessed). One query per group of units sharing those
intervals, the last assessment of every system taken by a subquery; Python only computes the
due day and turns rows into obligations."""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from baomi.core.calendar import add_months
from baomi.core.labels import Level
from baomi.core.policy import units_by_policy
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .models import ClassifiedSystem
from .selectors_systems import latest_assessment
from .services.systems import MONTHS_KEY_OTHER, MONTHS_KEY_TOP_SECRET, due_after

SUBJECT = "devices.system"
# Shown on the dashboard this many days before the due day (a warning), critical after it.
SOON_DAYS = 60
# add_months clamps to the month's end: the SQL bound is a few days loose, Python is exact.
SLACK_DAYS = 4
FIELDS = ("id", "name", "unit_id", "level", "in_use_on", "last_assessed_on")


def _row(system: dict[str, Any], due: date, today: date) -> ObligationRow:
    return {
        "subject_type": SUBJECT,
        "subject_id": system["id"],
        "subject_label": str(system["name"])[:200],
        "unit_id": system["unit_id"],
        "responsible_id": None,  # the 保密办 arranges the assessment
        "due_date": due,
        "severity": Severity.CRITICAL if due < today else Severity.WARNING,
        "level": int(system["level"]),  # rule L5: shown only to those cleared for it
    }


def _due_soon_q(horizon: date, top_months: int, other_months: int) -> Q:
    """Last assessed (or in use) early enough for the due day to fall by `horizon`."""
    def bound(months: int) -> date:
        return add_months(horizon, -months) + timedelta(days=SLACK_DAYS)

    return (Q(level=Level.TOP_SECRET, base__lte=bound(top_months))
            | Q(level__lt=Level.TOP_SECRET, base__lte=bound(other_months)))


@obligation_rule("devices.risk_assessment_due", "D10",
                 _("Have a classified information system risk-assessed"))
def risk_assessment_due(today: date) -> Iterator[ObligationRow]:
    """rule D10: a warning from SOON_DAYS before the due day, critical from the day after
    it (the due day itself is still in time)."""
    horizon = today + timedelta(days=SOON_DAYS)
    for (top_months, other_months), unit_ids in units_by_policy(
            MONTHS_KEY_TOP_SECRET, MONTHS_KEY_OTHER).items():
        months = {Level.TOP_SECRET: int(top_months)}
        systems = (ClassifiedSystem.objects.filter(unit_id__in=unit_ids)
                   .annotate(last_assessed_on=latest_assessment())
                   .annotate(base=Coalesce("last_assessed_on", "in_use_on"))
                   .filter(_due_soon_q(horizon, int(top_months), int(other_months))))
        for system in systems.values(*FIELDS).iterator(chunk_size=5000):
            interval = months.get(system["level"], int(other_months))
            due = due_after(system["last_assessed_on"], system["in_use_on"], interval)
            if due <= horizon:
                yield _row(system, due, today)
