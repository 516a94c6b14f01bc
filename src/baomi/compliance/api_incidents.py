"""The leak-incident API (/api/v1/compliance/incidents, rules I1, I2, L5).

Any business user reports a leak or suspected leak of their unit; the 保密办 and the leaders
of the unit list and read the incidents up to their clearance (reading a 机密 or 绝密 one is
audited); the 保密办 cleared for the level records the report to the 保密局, the remedial
measures, the four items of 四不放过 and closes it. Any other id is a 404. A moment without a
time zone is local time. Refusals are DomainErrors with their codes (`in_future`,
`not_cleared`, `before_discovery`, `not_reported`, `four_not_done`, `no_measure`, `closed` …).
"""

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services
from . import services_incidents as handling
from .choices import IncidentKind
from .models import Incident
from .selectors import incident_for, incidents_visible_to
from .selectors_incidents import measures_of

router = Router(tags=["compliance: leak incidents"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
ITEM_NAMES = tuple(handling.FOUR_ITEMS)


def local(moment: dt.datetime) -> dt.datetime:
    """A moment sent without a time zone is local time."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class IncidentOut(Schema):
    id: int
    unit_id: int
    kind: str
    scheme: str
    level: int
    title: str
    discovered_on: dt.date
    discovered_at: dt.datetime | None
    created_on: dt.date
    created_at: dt.datetime
    source_type: str
    source_id: int | None
    source_label: str
    description: str
    state: str
    report_due_at: dt.datetime | None = Field(
        description="rule I1: 24 hours after discovery (rule C8: after the day the missing "
                    "carrier was handled as a leak).")
    reported_at: dt.datetime | None
    reported_to: str
    reported_late: bool = Field(description="rule I1: reported more than 24 hours after.")
    cause: str
    cause_on: dt.date | None
    responsibility: str
    responsibility_on: dt.date | None
    rectification: str
    rectification_on: dt.date | None
    education: str
    education_on: dt.date | None
    closed_on: dt.date | None


class MeasureOut(Schema):
    id: int
    taken_at: dt.datetime
    measure: str
    taken_by_id: int


class IncidentDetailOut(IncidentOut):
    measures: list[MeasureOut]
    missing_items: list[str] = Field(description="rule I2: items of 四不放过 not recorded.")


class IncidentPage(Schema):
    items: list[IncidentOut]
    next_after: int | None


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class ReportIn(Schema):
    """rule I1: a leak or suspected leak of your unit, labelled up to your clearance."""

    kind: IncidentKind
    level: int = Field(ge=0, le=3)
    title: str = Field(min_length=1, max_length=services.TITLE_MAX)
    discovered_at: dt.datetime
    description: str = Field("", max_length=services.DESCRIPTION_MAX)


class BureauReportIn(Schema):
    reported_at: dt.datetime
    reported_to: str = Field(min_length=1, max_length=handling.REPORTED_TO_MAX)


class MeasureIn(Schema):
    taken_at: dt.datetime
    measure: str = Field(min_length=1, max_length=handling.MEASURE_MAX)


class InvestigationIn(Schema):
    """Any of the four items of 四不放过 (rule I2), dated `on` (default today)."""

    cause: str | None = Field(None, min_length=1, max_length=handling.ITEM_MAX)
    responsibility: str | None = Field(None, min_length=1, max_length=handling.ITEM_MAX)
    rectification: str | None = Field(None, min_length=1, max_length=handling.ITEM_MAX)
    education: str | None = Field(None, min_length=1, max_length=handling.ITEM_MAX)
    on: dt.date | None = None


def incident_out(incident: Incident) -> dict[str, Any]:
    return {name: getattr(incident, name) for name in IncidentOut.model_fields}


def detail_out(incident: Incident) -> dict[str, Any]:
    return {**incident_out(incident),
            "measures": [{"id": m.pk, "taken_at": m.taken_at, "measure": m.measure,
                          "taken_by_id": m.taken_by_id} for m in measures_of(incident)],
            "missing_items": [name for name in ITEM_NAMES if not getattr(incident, name)]}


@router.get("/incidents", response={200: IncidentPage, **ERRORS},
            summary="Leak incidents (泄密事件) of the units you handle")
def list_incidents(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    page = keyset_page(incidents_visible_to(request.user), None, size=query.limit,
                       after=query.after)
    return {"items": [incident_out(i) for i in page.items], "next_after": page.next_after}


@router.post("/incidents", response={201: IncidentOut, **ERRORS},
             summary="Report a leak or suspected leak of your unit (rule I1)")
def report_incident(request: HttpRequest, data: ReportIn) -> Status:
    """400 `in_future` for a discovery not yet happened, 403 `not_cleared` for a level above
    your clearance (rule L5). You see what you reported; the 保密办 handles it."""
    user: Any = request.user
    incident = handling.report_incident(
        user, unit=user.person.unit, kind=str(data.kind), level=data.level, title=data.title,
        discovered_at=local(data.discovered_at), description=data.description)
    return Status(201, incident_out(incident))


@router.get("/incidents/{incident_id}", response={200: IncidentDetailOut, **ERRORS},
            summary="One leak incident with its measures (reading a 机密 or 绝密 one is audited)")
def get_incident(request: HttpRequest, incident_id: Id) -> Any:
    incident = incident_for(request.user, incident_id)
    services.record_incident_read(request.user, incident)
    return detail_out(incident)


@router.post("/incidents/{incident_id}/bureau-report",
             response={200: IncidentDetailOut, **ERRORS},
             summary="Record the report to the secrecy bureau (保密办; rule I1)")
def record_bureau_report(request: HttpRequest, incident_id: Id, data: BureauReportIn) -> Any:
    """A report later than 24 hours after discovery is recorded and flagged `reported_late`;
    400 `before_discovery`, 409 `illegal_transition` when reported already."""
    incident = handling.record_bureau_report(
        request.user, incident_for(request.user, incident_id),
        reported_at=local(data.reported_at), reported_to=data.reported_to)
    return detail_out(incident)


@router.post("/incidents/{incident_id}/measures", response={201: IncidentDetailOut, **ERRORS},
             summary="Record a remedial measure (保密办; rule I1)")
def add_measure(request: HttpRequest, incident_id: Id, data: MeasureIn) -> Status:
    incident = incident_for(request.user, incident_id)
    handling.add_measure(request.user, incident, taken_at=local(data.taken_at),
                         measure=data.measure)
    return Status(201, detail_out(incident_for(request.user, incident_id)))


@router.post("/incidents/{incident_id}/investigation",
             response={200: IncidentDetailOut, **ERRORS},
             summary="Record items of the four-not-let-go investigation (保密办; rule I2)")
def record_investigation(request: HttpRequest, incident_id: Id, data: InvestigationIn) -> Any:
    """400 `nothing_given` when no item is sent."""
    incident = handling.record_investigation(
        request.user, incident_for(request.user, incident_id), **data.dict())
    return detail_out(incident)


@router.post("/incidents/{incident_id}/close", response={200: IncidentDetailOut, **ERRORS},
             summary="Close a leak incident (保密办; rule I2)")
def close_incident(request: HttpRequest, incident_id: Id) -> Any:
    """422 `not_reported`, `four_not_done` (the message names the missing items) or
    `no_measure`; 409 `closed`."""
    incident = handling.close_incident(request.user, incident_for(request.user, incident_id))
    return detail_out(incident)
