"""Reads of leak incidents beyond `selectors.incidents_visible_to` (rules I1, I2, L5): the list
filtered by state, whether an incident is overdue, its measures, and the yearly figures the
annual report and the dashboard use."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from baomi.accounts.models import Unit
from baomi.core.policy import policy_of

from .choices import IncidentKind, IncidentState
from .models import Incident, IncidentMeasure
from .rules_incidents import CLOSE_DAYS_KEY, close_due_on
from .selectors import incidents_visible_to


def incidents_in_state(user: Any, state: str | None) -> QuerySet[Incident]:
    """The visible incidents, in `state` when it is one (anything else: all of them)."""
    incidents = incidents_visible_to(user)
    if state in IncidentState.values:
        incidents = incidents.filter(state=state)
    return incidents


def report_overdue(incident: Incident, now: dt.datetime | None = None) -> bool:
    """rule I1: not yet reported and the 24 hours after the discovery are over."""
    due = incident.report_due_at
    return (incident.state == IncidentState.OPEN and due is not None
            and (now or timezone.now()) > due)


def close_due(incident: Incident) -> dt.date | None:
    """rule I2: the day a reported incident is to be closed by (policy days after the report)."""
    if incident.reported_at is None or incident.state == IncidentState.CLOSED:
        return None
    return close_due_on(incident.reported_at, int(policy_of(incident.unit)[CLOSE_DAYS_KEY]))


def close_overdue(incident: Incident, today: dt.date | None = None) -> bool:
    due = close_due(incident)
    return due is not None and (today or timezone.localdate()) > due


def measures_of(incident: Incident) -> QuerySet[IncidentMeasure]:
    """The remedial measures of an incident the caller already sees, in the order taken."""
    return incident.measures.select_related("taken_by", "taken_by__person").order_by(
        "taken_at", "id")


@dataclass(frozen=True)
class IncidentSummary:
    """The figures of one unit's incidents discovered in one year (rules I1, I2)."""

    year: int
    total: int
    leaks: int
    suspected: int
    open: int
    investigating: int
    closed: int
    reported: int
    reported_late: int
    by_level: dict[int, int]


def incidents_summary(unit: Unit, year: int) -> IncidentSummary:
    """The incidents of `unit` discovered in `year`, counted for the annual report and the
    dashboard: by kind, by state, reported to the 保密局 and reported after the 24 hours (rule
    I1), by level. The caller decides who sees the figures (the 保密办, the leaders)."""
    incidents = Incident.objects.filter(unit=unit, discovered_on__year=year)
    figures = incidents.aggregate(
        total=Count("id"),
        leaks=Count("id", filter=Q(kind=IncidentKind.LEAK)),
        suspected=Count("id", filter=Q(kind=IncidentKind.SUSPECTED_LEAK)),
        open=Count("id", filter=Q(state=IncidentState.OPEN)),
        investigating=Count("id", filter=Q(state=IncidentState.INVESTIGATING)),
        closed=Count("id", filter=Q(state=IncidentState.CLOSED)),
        reported=Count("id", filter=Q(reported_at__isnull=False)),
        reported_late=Count("id", filter=Q(  # rule I1: exactly 24 hours is in time
            reported_at__gt=F("report_due_at"))))
    by_level = dict(incidents.values_list("level").annotate(n=Count("id")).order_by("level"))
    return IncidentSummary(year=year,
                           by_level={int(k): int(v) for k, v in by_level.items()}, **figures)
