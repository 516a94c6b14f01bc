"""Obligation rules of leak incidents (rules I1, I2), one set-based query each (per group of
units sharing the policy value):

- `compliance.incident_report_due` (rule I1): an incident not yet reported to the 保密局 or the
  superior; due the day its 24 hours end (`Incident.report_due_at`: after its discovery, or
  for a missing carrier handled as a leak after that day, rule C8) — critical.
- `compliance.incident_open` (rule I2): an incident reported but not closed under 四不放过
  `compliance.incident_close_days` days after the report (a warning, raised the day after).
"""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.labels import Scheme
from baomi.core.policy import units_by_policy
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .choices import IncidentState
from .models import Incident

CLOSE_DAYS_KEY = "compliance.incident_close_days"
FIELDS = ("id", "title", "unit_id", "scheme", "level", "discovered_on", "report_due_at",
          "reported_at")


def report_due_on(report_due_at: dt.datetime | None, discovered_on: dt.date) -> dt.date:
    """rule I1: the local day on which the 24 hours end."""
    if report_due_at is None:  # not computed: the end of the day after the discovery
        return discovered_on + dt.timedelta(days=1)
    return timezone.localtime(report_due_at).date()


def close_due_on(reported_at: dt.datetime, days: int) -> dt.date:
    """rule I2 (days a policy, the rule sets no time): the day closing is due."""
    return timezone.localtime(reported_at).date() + dt.timedelta(days=days)


def _row(incident: dict[str, Any], due: dt.date, severity: str) -> ObligationRow:
    state_level = incident["scheme"] == Scheme.STATE
    return {
        "subject_type": "compliance.incident",
        "subject_id": incident["id"],
        "subject_label": str(incident["title"])[:200],
        "unit_id": incident["unit_id"],
        "responsible_id": None,  # the 保密办 reports and investigates
        "due_date": due,
        "severity": severity,
        "level": int(incident["level"]) if state_level else 0,  # rule L5
    }


@obligation_rule("compliance.incident_report_due", "I1",
                 _("Report a leak incident to the secrecy bureau within 24 hours"))
def incident_report_due(today: dt.date) -> Iterator[ObligationRow]:
    """rule I1: every incident not yet reported, due 24 hours after its discovery."""
    incidents = Incident.objects.filter(state=IncidentState.OPEN, reported_at__isnull=True)
    for incident in incidents.values(*FIELDS).iterator(chunk_size=5000):
        due = report_due_on(incident["report_due_at"], incident["discovered_on"])
        yield _row(incident, due, Severity.CRITICAL)


@obligation_rule("compliance.incident_open", "I2",
                 _("Close a leak incident under the four-not-let-go principle"))
def incident_open(today: dt.date) -> Iterator[ObligationRow]:
    """rule I2: reported, not closed, and the close-by day passed (the day itself is in time)."""
    for (days,), unit_ids in units_by_policy(CLOSE_DAYS_KEY).items():
        # reported on a local day before `today - days` ⟺ reported before its start
        bound = timezone.make_aware(dt.datetime.combine(
            today - dt.timedelta(days=int(days)), dt.time()))
        incidents = Incident.objects.filter(unit_id__in=unit_ids,
                                            state=IncidentState.INVESTIGATING,
                                            reported_at__lt=bound)
        for incident in incidents.values(*FIELDS).iterator(chunk_size=5000):
            yield _row(incident, close_due_on(incident["reported_at"], int(days)),
                       Severity.WARNING)
