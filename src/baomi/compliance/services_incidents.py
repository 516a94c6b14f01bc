"""Handling of a leak incident (泄密事件, rules I1, I2): whoever discovers a leak or a suspected
leak reports it; the 保密办 of the incident's unit, cleared for its level (rule L5), reports it
to the 保密局 or the superior within 24 hours, records the remedial measures taken, the four
items of 四不放过 and closes it once all are recorded.

State changes go through `INCIDENT_FLOW` with a compare-and-set: of two concurrent closes
exactly one wins. The other writes lock the incident row, so that nothing is added to an
incident while it is being closed; a closed incident refuses every change (code `closed`).
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baomi.accounts.models import Unit, User
from baomi.accounts.roles import Role
from baomi.audit.services import record_event
from baomi.core.access import clearance, unit_perimeter
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Scheme
from baomi.core.transitions import table
from baomi.core.validation import clean_text

from .choices import IncidentState
from .models import Incident, IncidentMeasure
from .services import DESCRIPTION_MAX, checked_incident_fields, create_incident

REPORTED_TO_MAX = 200
MEASURE_MAX = 2000
ITEM_MAX = 4000
# rule I2 (四不放过): the four items, each a text field with its `<name>_on` date.
FOUR_ITEMS = {
    "cause": gettext_lazy("cause established"),
    "responsibility": gettext_lazy("persons responsible dealt with"),
    "rectification": gettext_lazy("rectification carried out"),
    "education": gettext_lazy("persons concerned educated"),
}

INCIDENT_FLOW = table("state", [
    (IncidentState.OPEN, IncidentState.INVESTIGATING, None),  # rule I1: reported
    (IncidentState.INVESTIGATING, IncidentState.CLOSED, None),  # rule I2: checked first
])


# Moments before this are typing errors (and years near 1 overflow on conversion to UTC).
EARLIEST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)


def _now_or_before(value: Any, field: str) -> dt.datetime:
    """An aware moment not in the future (a report or a measure already happened)."""
    if not isinstance(value, dt.datetime) or timezone.is_naive(value) or value < EARLIEST:
        message = _("Enter a date and time.")
        raise InvalidInput(message, fields={field: message})
    if value > timezone.now():
        message = _("The moment cannot be in the future.")
        raise InvalidInput(message, code="in_future", fields={field: message})
    return value


def report_incident(actor: Any, *, unit: Unit, kind: str, level: int, title: str,
                    discovered_at: dt.datetime, description: str = "") -> Incident:
    """rule I1: any business user of `unit` reports a leak or suspected leak they discovered;
    the 保密办 sees it at once. A reporter labels it up to their own clearance (rule L5)."""
    fields = checked_incident_fields(unit=unit, kind=kind, scheme=Scheme.STATE, level=level,
                                     title=title, description=description)
    discovered_at = _now_or_before(discovered_at, "discovered_at")
    if not isinstance(actor, User) or unit.pk not in unit_perimeter(actor):
        raise AccessDenied(_("Only a member of the unit can report a leak of it."),
                           code="not_in_unit")
    if fields["level"] > clearance(actor):  # rule L5
        message = _("You are not cleared for this level.")
        raise AccessDenied(message, code="not_cleared", fields={"level": message})
    return create_incident(
        actor, "INCIDENT_REPORTED", created_by=actor,
        discovered_on=timezone.localtime(discovered_at).date(), discovered_at=discovered_at,
        created_on=timezone.localdate(), **fields)


def can_handle(actor: Any, incident: Incident) -> bool:
    """The 保密办 of the incident's unit, cleared for its level (rule L5)."""
    if not isinstance(actor, User):
        return False
    if incident.unit_id not in unit_perimeter(actor, {Role.SECRECY_OFFICE}):
        return False
    return incident.scheme != Scheme.STATE or incident.level <= clearance(actor)


def _locked_for_change(actor: Any, incident: Any) -> Incident:
    """The incident row, locked for this transaction, once the actor may handle it and it is
    not closed."""
    if not isinstance(incident, Incident) or incident.pk is None:
        raise NotFound()
    fresh = Incident.objects.select_for_update().filter(pk=incident.pk).first()
    if fresh is None:
        raise NotFound()
    if not can_handle(actor, fresh):
        raise AccessDenied(_("Only the secrecy office of the unit, cleared for the level of "
                             "the incident, can do this."), code="not_secrecy_office")
    if fresh.state == IncidentState.CLOSED:
        raise Conflict(_("The incident is closed; nothing can be changed any more."),
                       code="closed")
    return fresh


def record_bureau_report(actor: Any, incident: Incident, *, reported_at: dt.datetime,
                         reported_to: str) -> Incident:
    """rule I1: the 保密办 reported the incident to the 保密局 or the superior; it is now under
    investigation. A report later than 24 hours after discovery is recorded and flagged
    (`Incident.reported_late`)."""
    reported_at = _now_or_before(reported_at, "reported_at")
    reported_to = clean_text(reported_to, "reported_to", REPORTED_TO_MAX)
    with transaction.atomic():
        fresh = _locked_for_change(actor, incident)
        if fresh.discovered_at and reported_at < fresh.discovered_at:
            message = _("The report cannot come before the discovery.")
            raise InvalidInput(message, code="before_discovery",
                               fields={"reported_at": message})
        INCIDENT_FLOW.apply(fresh, IncidentState.INVESTIGATING, reported_at=reported_at,
                            reported_to=reported_to, reported_by=actor)
        record_event(actor, "INCIDENT_BUREAU_REPORTED", fresh, after={
            "reported_at": reported_at.isoformat(), "reported_to": reported_to,
            "late": fresh.reported_late})  # rule I1
    return fresh


def add_measure(actor: Any, incident: Incident, *, taken_at: dt.datetime,
                measure: str) -> IncidentMeasure:
    """rule I1: a remedial measure taken on the incident (any state but closed)."""
    taken_at = _now_or_before(taken_at, "taken_at")
    measure = clean_text(measure, "measure", MEASURE_MAX)
    with transaction.atomic():
        fresh = _locked_for_change(actor, incident)
        added = IncidentMeasure.objects.create(incident=fresh, taken_at=taken_at,
                                               measure=measure, taken_by=actor)
        record_event(actor, "INCIDENT_MEASURE_ADDED", fresh, after={
            "measure_id": added.pk, "taken_at": taken_at.isoformat(), "measure": measure})
    return added


def record_investigation(actor: Any, incident: Incident, *, cause: str | None = None,
                         responsibility: str | None = None, rectification: str | None = None,
                         education: str | None = None, on: dt.date | None = None) -> Incident:
    """rule I2: record any of the four items of 四不放过 (each given one needs its text), dated
    `on` (default today). An item recorded again is replaced."""
    given = {name: value for name, value in (
        ("cause", cause), ("responsibility", responsibility),
        ("rectification", rectification), ("education", education)) if value is not None}
    if not given:
        message = _("Record at least one of the four items.")
        raise InvalidInput(message, code="nothing_given", fields={"cause": message})
    texts = {name: clean_text(value, name, ITEM_MAX) for name, value in given.items()}
    day = _recorded_on(on)
    with transaction.atomic():
        fresh = _locked_for_change(actor, incident)
        before = {name: getattr(fresh, name) for name in texts}
        for name, text in texts.items():
            setattr(fresh, name, text)
            setattr(fresh, f"{name}_on", day)
        fresh.save(update_fields=[*texts, *(f"{name}_on" for name in texts)])
        record_event(actor, "INCIDENT_INVESTIGATION_RECORDED", fresh, before=before,
                     after={**texts, "on": day.isoformat()})
    return fresh


def _recorded_on(on: Any) -> dt.date:
    if on is None:
        return timezone.localdate()
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime) or on > timezone.localdate():
        message = _("Enter a date not in the future.")
        raise InvalidInput(message, fields={"on": message})
    return on


def missing_items(incident: Incident) -> list[str]:
    """rule I2: the items of 四不放过 not yet recorded, by their names."""
    return [str(label) for name, label in FOUR_ITEMS.items() if not getattr(incident, name)]


def close_refusal(incident: Incident) -> RuleViolation | Conflict | None:
    """Why the incident cannot be closed now, or None (rules I1, I2)."""
    if incident.state == IncidentState.CLOSED:
        return Conflict(_("The incident is closed; nothing can be changed any more."),
                        code="closed")
    if incident.reported_at is None:  # rule I1
        return RuleViolation(_("Report the incident to the secrecy bureau first."),
                             code="not_reported")
    missing = missing_items(incident)
    if missing:  # rule I2: 四不放过
        return RuleViolation(_("Not yet recorded: %(items)s.") % {"items": "、".join(missing)},
                             code="four_not_done")
    if not incident.measures.exists():  # rule I1: remedial measures
        return RuleViolation(_("Record at least one remedial measure first."),
                             code="no_measure")
    return None


def close_incident(actor: Any, incident: Incident) -> Incident:
    """rule I2: close the incident once it was reported, the four items of 四不放过 are
    recorded and a remedial measure was taken."""
    with transaction.atomic():
        fresh = _locked_for_change(actor, incident)
        refusal = close_refusal(fresh)
        if refusal is not None:
            raise refusal
        INCIDENT_FLOW.apply(fresh, IncidentState.CLOSED, closed_on=timezone.localdate(),
                            closed_by=actor)
        record_event(actor, "INCIDENT_CLOSED", fresh,
                     before={"state": IncidentState.INVESTIGATING},
                     after={"state": IncidentState.CLOSED})
    return fresh


__all__ = ["DESCRIPTION_MAX", "FOUR_ITEMS", "INCIDENT_FLOW", "add_measure", "can_handle",
           "close_incident", "close_refusal", "missing_items", "record_bureau_report",
           "record_investigation", "report_incident"]
