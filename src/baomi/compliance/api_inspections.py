"""The inspection API (/api/v1/compliance/inspections and /rectifications, rules Q9, Q10).

Inspections are listed and read by the 保密办 and the leaders of their unit; the 保密办 starts
one on a shipped checklist library, records each item's result, opens a rectification for a
problem, attaches evidence and completes it (refused with `problem_without_rectification`
while a problem has none). Rectifications are seen by the handlers of their unit and their
owner; the owner records the measures, the 保密办 re-checks. Any object the caller cannot see
is a 404; a refusal is a DomainError with its code.
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from baomi.accounts.models import Department, User
from baomi.core.access import sees_business_data, unit_perimeter
from baomi.core.errors import InvalidInput, NotFound
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services_inspections as services
from .choices_inspections import InspectionKind, InspectionState, RectificationState
from .models import Inspection, InspectionItem, Rectification, RectificationCheck
from .selectors_inspections import (
    HANDLERS,
    inspection_for,
    inspection_summary,
    inspections_visible_to,
    overdue,
    rectification_for,
    rectifications_visible_to,
)

router = Router(tags=["compliance: inspections"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
YEAR = Field(None, ge=2000, le=2100)


class InspectionIn(Schema):
    kind: str = Field(max_length=12, description="self | department | superior | bureau")
    library: str = Field(max_length=40, description="self_assessment_58 | department_self_check")
    title: str = Field("", max_length=services.TITLE_MAX)
    started_on: date | None = None
    department_id: int | None = Field(None, ge=1, le=MAX_KEY)
    inspectors: str = Field("", max_length=services.INSPECTORS_MAX)


class InspectionOut(Schema):
    id: int
    unit_id: int
    kind: str
    library_id: str
    library_version: int
    title: str
    department_id: int | None
    year: int
    started_on: date
    finished_on: date | None
    inspectors: str
    state: str
    created_at: datetime


class EvidenceOut(Schema):
    id: int
    title: str
    size: int
    uploaded_at: datetime


class ItemOut(Schema):
    id: int
    area_code: str
    area_title: str
    code: str
    text: str
    rules: str
    guidance: str
    result: str
    finding: str
    rectification_id: int | None
    evidence: list[EvidenceOut]


class InspectionDetailOut(InspectionOut):
    items: list[ItemOut]


class InspectionPage(Schema):
    items: list[InspectionOut]
    next_after: int | None


class InspectionQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)
    kind: str | None = Field(None, max_length=12)
    year: int | None = YEAR
    state: str | None = Field(None, max_length=10)


class ResultIn(Schema):
    result: str = Field(max_length=16, description="unchecked | pass | problem | not_applicable")
    finding: str = Field("", max_length=services.FINDING_MAX)


class RectificationIn(Schema):
    owner_id: int = Field(ge=1, le=MAX_KEY)
    due_on: date
    problem: str = Field("", max_length=services.PROBLEM_MAX,
                         description="Defaults to the item's finding.")


class EvidenceIn(Schema):
    title: str = Field("", max_length=services.EVIDENCE_TITLE_MAX)


class CompleteIn(Schema):
    finished_on: date | None = None


class CheckOut(Schema):
    id: int
    checked_on: date
    checked_by_id: int
    passed: bool
    note: str
    previous_due_on: date
    new_due_on: date | None


class RectificationOut(Schema):
    id: int
    unit_id: int
    item_id: int | None
    inspection_id: int | None
    problem: str
    owner_id: int
    due_on: date
    measures: str
    done_on: date | None
    state: str
    verified_on: date | None
    overdue: bool
    checks: list[CheckOut]


class RectificationPage(Schema):
    items: list[RectificationOut]
    next_after: int | None


class RectificationQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)
    state: str | None = Field(None, max_length=10)
    overdue: bool | None = None
    owner_id: int | None = Field(None, ge=1, le=MAX_KEY)


class MeasuresIn(Schema):
    measures: str = Field(max_length=services.MEASURES_MAX)
    done_on: date | None = None


class RecheckIn(Schema):
    passed: bool
    note: str = Field("", max_length=services.NOTE_MAX)
    checked_on: date | None = None
    new_due_on: date | None = Field(None, description="Required when the re-check fails.")


class SummaryQuery(Schema):
    year: int = Field(ge=2000, le=2100)


class SummaryOut(Schema):
    year: int
    inspections: int
    by_kind: dict[str, dict[str, int]]
    problems: int
    rectifications: int
    rectifications_by_state: dict[str, int]
    overdue: int
    self_assessment_completed: bool
    device_check_findings: dict[str, int] = Field(
        description="Findings of the year's device checks by state, and overdue (rule D11).")


def inspection_out(inspection: Inspection) -> dict[str, Any]:
    return {name: getattr(inspection, name) for name in InspectionOut.model_fields}


def item_out(item: InspectionItem, rectifications: dict[int, int]) -> dict[str, Any]:
    fields = ("id", "area_code", "area_title", "code", "text", "rules", "guidance", "result",
              "finding")
    return {**{name: getattr(item, name) for name in fields},
            "rectification_id": rectifications.get(item.pk),
            "evidence": [{"id": e.pk, "title": e.title, "size": e.size,
                          "uploaded_at": e.uploaded_at} for e in item.evidence.all()]}


def inspection_detail(inspection: Inspection) -> dict[str, Any]:
    items = list(inspection.items.prefetch_related("evidence"))
    rectifications = dict(Rectification.objects.filter(item__inspection=inspection)
                          .values_list("item_id", "id"))
    return {**inspection_out(inspection),
            "items": [item_out(item, rectifications) for item in items]}


def check_out(check: RectificationCheck) -> dict[str, Any]:
    return {name: getattr(check, name) for name in CheckOut.model_fields}


def rectification_out(rectification: Rectification, today: date | None = None
                      ) -> dict[str, Any]:
    fields = ("id", "unit_id", "item_id", "problem", "owner_id", "due_on", "measures",
              "done_on", "state", "verified_on")
    today = today or timezone.localdate()
    item = rectification.item
    return {**{name: getattr(rectification, name) for name in fields},
            "inspection_id": item.inspection_id if item else None,
            "overdue": rectification.state == RectificationState.OPEN
            and rectification.due_on < today,
            "checks": [check_out(c) for c in rectification.checks.all()]}


def _unchosen(field: str) -> InvalidInput:
    message = _("Choose from the list.")
    return InvalidInput(message, fields={field: message})


def _choice(value: str | None, choices: list[str], field: str) -> str | None:
    if value is not None and value not in choices:
        raise _unchosen(field)
    return value


def _item(request: HttpRequest, inspection_id: int, item_id: int) -> InspectionItem:
    inspection = inspection_for(request.user, inspection_id)
    item = InspectionItem.objects.filter(pk=item_id, inspection=inspection).select_related(
        "inspection__unit").first()
    if item is None:
        raise NotFound()
    return item


def _department(unit_id: int, pk: int | None) -> Department | None:
    if pk is None:
        return None
    department = Department.objects.filter(pk=pk, unit_id=unit_id).first()
    if department is None:
        raise _unchosen("department_id")
    return department


@router.get("/inspections", response={200: InspectionPage, **ERRORS},
            summary="Inspections of the units you handle (rules Q9, Q10)")
def list_inspections(request: HttpRequest, query: Query[InspectionQuery]) -> dict[str, Any]:
    inspections = inspections_visible_to(request.user)
    if _choice(query.kind, InspectionKind.values, "kind"):
        inspections = inspections.filter(kind=query.kind)
    if _choice(query.state, InspectionState.values, "state"):
        inspections = inspections.filter(state=query.state)
    if query.year is not None:
        inspections = inspections.filter(year=query.year)
    page = keyset_page(inspections, None, size=query.limit, after=query.after)
    return {"items": [inspection_out(i) for i in page.items], "next_after": page.next_after}


@router.post("/inspections", response={201: InspectionDetailOut, **ERRORS},
             summary="Start an inspection of your unit on a checklist library (保密办)")
def start_inspection(request: HttpRequest, data: InspectionIn) -> Status:
    user: Any = request.user
    unit = user.person.unit
    inspection = services.start_inspection(
        user, unit=unit, kind=data.kind, library=data.library, title=data.title,
        started_on=data.started_on, department=_department(unit.pk, data.department_id),
        inspectors=data.inspectors)
    return Status(201, inspection_detail(inspection))


@router.get("/inspection-summary", response={200: SummaryOut, **ERRORS},
            summary="Figures of your unit's year: inspections, problems, rectifications")
def summary(request: HttpRequest, query: Query[SummaryQuery]) -> dict[str, Any]:
    user: Any = request.user
    if not sees_business_data(user) or user.person.unit_id not in unit_perimeter(
            user, HANDLERS):
        raise NotFound()
    return inspection_summary(user.person.unit, query.year)


@router.get("/inspections/{inspection_id}", response={200: InspectionDetailOut, **ERRORS},
            summary="One inspection with its items, results and rectifications")
def get_inspection(request: HttpRequest, inspection_id: Id) -> dict[str, Any]:
    return inspection_detail(inspection_for(request.user, inspection_id))


@router.post("/inspections/{inspection_id}/items/{item_id}", response={200: ItemOut, **ERRORS},
             summary="Record an item's result and finding (保密办, draft inspections)")
def record_result(request: HttpRequest, inspection_id: Id, item_id: Id,
                  data: ResultIn) -> dict[str, Any]:
    item = services.record_item_result(request.user, _item(request, inspection_id, item_id),
                                       result=data.result, finding=data.finding)
    rectifications = dict(Rectification.objects.filter(item=item).values_list("item_id", "id"))
    return item_out(item, rectifications)


@router.post("/inspections/{inspection_id}/items/{item_id}/rectification",
             response={201: RectificationOut, **ERRORS},
             summary="Open the rectification of a problem: owner and due day (rule Q10)")
def open_rectification(request: HttpRequest, inspection_id: Id, item_id: Id,
                       data: RectificationIn) -> Status:
    item = _item(request, inspection_id, item_id)
    owner = User.objects.filter(pk=data.owner_id).select_related("person").first()
    if owner is None:
        raise _unchosen("owner_id")
    rectification = services.open_rectification(request.user, item, owner=owner,
                                                 due_on=data.due_on, problem=data.problem)
    return Status(201, rectification_out(rectification))


@router.post("/inspections/{inspection_id}/items/{item_id}/evidence",
             response={201: EvidenceOut, **ERRORS},
             summary="Attach an evidence file to an item (at most 20 MB; pdf, images, office)")
def add_evidence(request: HttpRequest, inspection_id: Id, item_id: Id,
                 file: File[UploadedFile], data: Form[EvidenceIn]) -> Status:
    evidence = services.add_evidence(request.user, _item(request, inspection_id, item_id),
                                     title=data.title, uploaded_file=file)
    return Status(201, {"id": evidence.pk, "title": evidence.title, "size": evidence.size,
                        "uploaded_at": evidence.uploaded_at})


@router.post("/inspections/{inspection_id}/complete",
             response={200: InspectionOut, **ERRORS},
             summary="Complete an inspection (refused while a problem lacks its rectification)")
def complete_inspection(request: HttpRequest, inspection_id: Id,
                        data: CompleteIn) -> dict[str, Any]:
    inspection = services.complete_inspection(
        request.user, inspection_for(request.user, inspection_id),
        finished_on=data.finished_on)
    return inspection_out(inspection)


@router.get("/rectifications", response={200: RectificationPage, **ERRORS},
            summary="Rectifications (整改台帐) you handle or own")
def list_rectifications(request: HttpRequest,
                        query: Query[RectificationQuery]) -> dict[str, Any]:
    rectifications = rectifications_visible_to(request.user).prefetch_related("checks")
    if _choice(query.state, RectificationState.values, "state"):
        rectifications = rectifications.filter(state=query.state)
    if query.overdue:
        rectifications = overdue(rectifications)
    if query.owner_id is not None:
        rectifications = rectifications.filter(owner_id=query.owner_id)
    page = keyset_page(rectifications, None, size=query.limit, after=query.after)
    return {"items": [rectification_out(r) for r in page.items],
            "next_after": page.next_after}


@router.get("/rectifications/{rectification_id}", response={200: RectificationOut, **ERRORS},
            summary="One rectification with its re-checks")
def get_rectification(request: HttpRequest, rectification_id: Id) -> dict[str, Any]:
    return rectification_out(rectification_for(request.user, rectification_id))


@router.post("/rectifications/{rectification_id}/measures",
             response={200: RectificationOut, **ERRORS},
             summary="Record the measures taken (the owner or the 保密办)")
def record_measures(request: HttpRequest, rectification_id: Id,
                    data: MeasuresIn) -> dict[str, Any]:
    rectification = services.record_measures(
        request.user, rectification_for(request.user, rectification_id),
        measures=data.measures, done_on=data.done_on)
    return rectification_out(rectification_for(request.user, rectification.pk))


@router.post("/rectifications/{rectification_id}/recheck",
             response={200: RectificationOut, **ERRORS},
             summary="Re-check a rectification: passed → verified, failed → open again (保密办)")
def recheck(request: HttpRequest, rectification_id: Id, data: RecheckIn) -> dict[str, Any]:
    services.recheck_rectification(
        request.user, rectification_for(request.user, rectification_id), passed=data.passed,
        note=data.note, checked_on=data.checked_on, new_due_on=data.new_due_on)
    return rectification_out(rectification_for(request.user, rectification_id))

