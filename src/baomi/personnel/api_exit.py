"""Exit API (/api/v1/personnel/, rule P10) and the 脱密期 (rules P11–P14): file a 离岗 or
离职, list and read exits, record the formalities, return visits, extensions and the release.

Errors answer `{"code", "message", "fields"}` with a 4xx (`custody_outstanding` rule C9,
`two_talkers` rule P10, `period_not_longer` rule P11, `findings_required` rule P12,
`period_not_over` rule P14, `already_recorded`, `illegal_transition`).
"""

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.core.errors import AccessDenied
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from .docx_exit import EXIT_COMMITMENT_TEXT_VERSION
from .models import DeclassificationVisit, ExitCase
from .selectors.exit import (
    custody_of,
    days_left,
    declassification_list,
    exit_for,
    visits_of,
)
from .selectors.people import file_for, managed_units
from .services import exit as services

router = Router(tags=["personnel"])

Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
ERRORS: dict[int, Any] = {status: ErrorOut for status in (400, 401, 403, 404, 409, 422)}
Name = Annotated[str, Field(min_length=1, max_length=services.NAME_MAX)]
Text = Annotated[str, Field(max_length=services.TEXT_MAX)]


class ExitIn(Schema):
    kind: Literal["leave_post", "leave_unit"] = Field(
        description="离岗 (leaves the classified post) or 离职 (leaves the unit)")
    leave_on: date = Field(description="Planned leaving date")
    reason: str = Field(min_length=1, max_length=services.TEXT_MAX)
    destination: str = Field("", max_length=200, description="New post or employer")


class CommitmentIn(Schema):
    signed_on: date
    text_version: str = Field(EXIT_COMMITMENT_TEXT_VERSION, min_length=1, max_length=50)


class TalkIn(Schema):
    held_on: date
    talkers: list[Name] = Field(min_length=1, max_length=services.MAX_NAMES,
                                description="At least two distinct people (rule P10).")
    notes: Text = ""


class DoorAccessIn(Schema):
    revoked_on: date


class VisitIn(Schema):
    visited_on: date
    method: Literal["in_person", "phone", "interview"]
    visitors: list[Name] = Field(min_length=1, max_length=services.MAX_NAMES)
    current_employer: str = Field("", max_length=200)
    restrictions_kept: bool = Field(True, description="The rule P12 restrictions were kept.")
    findings: Text = Field("", description="Required when a restriction was broken (P12).")


class ExtendIn(Schema):
    months: int = Field(ge=1, le=services.MAX_PERIOD_MONTHS,
                        description="The new length of the period, longer than now (P11).")
    reason: str = Field(min_length=1, max_length=services.TEXT_MAX)


class ReleaseIn(Schema):
    withdrawn_on: date = Field(description="撤销备案 date, after the end of the period (P14).")
    reference: str = Field("", max_length=100)


class AccessOut(Schema):
    login_disabled: bool = False
    roles_removed: list[str] = []
    tokens_revoked: int = 0


class ExitOut(Schema):
    id: int
    file_id: int
    person_name: str
    department: str
    kind: str
    state: str
    file_state: str
    leave_on: date
    reason: str
    destination: str
    category: int
    request_id: int | None
    approved_on: date | None
    period_months: int | None
    ends_on: date | None
    days_left: int | None
    access_withdrawn: AccessOut
    door_access_revoked_on: date | None
    committed_on: date | None
    commitment_version: str
    talk_on: date | None
    talkers: list[str]
    talk_notes: str
    next_visit_due_on: date | None
    filing_withdrawn_on: date | None
    filing_reference: str
    missing_formalities: list[str]


class VisitOut(Schema):
    id: int
    visited_on: date
    method: str
    visitors: list[str]
    current_employer: str
    restrictions_kept: bool
    findings: str


class CustodyOut(Schema):
    kind: str
    reference: str
    title: str
    level: int


class ExitDetailOut(ExitOut):
    visits: list[VisitOut]
    custody: list[CustodyOut] = Field(description="What the person still holds (rule C9), "
                                                  "while the exit awaits approval.")


class ExitPage(Schema):
    items: list[ExitOut]
    next_after: int | None


class ExitQuery(Schema):
    state: Literal["leaving", "declassifying", "released"] | None = Field(
        None, description="The state of the personnel file.")
    visit_overdue: bool = Field(False, description="Only those whose return visit is past due.")
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


FIELDS = ("id", "file_id", "kind", "state", "leave_on", "reason", "destination", "category",
          "request_id", "approved_on", "period_months", "ends_on", "door_access_revoked_on",
          "committed_on", "commitment_version", "talk_on", "talkers", "talk_notes",
          "next_visit_due_on", "filing_withdrawn_on", "filing_reference")


def exit_out(case: ExitCase) -> dict[str, Any]:
    person = case.file.person
    return {**{name: getattr(case, name) for name in FIELDS},
            "person_name": person.name,
            "department": person.department.name if person.department else "",
            "file_state": case.file.state, "days_left": days_left(case),
            "access_withdrawn": case.access_withdrawn or {},
            "missing_formalities": services.missing_formalities(case) if case.approved_on
            else []}


def visit_out(visit: DeclassificationVisit) -> dict[str, Any]:
    fields = ("id", "visited_on", "method", "visitors", "current_employer",
              "restrictions_kept", "findings")
    return {name: getattr(visit, name) for name in fields}


def exit_detail_out(case: ExitCase) -> dict[str, Any]:
    custody = custody_of(case.file) if case.state == "pending" else []
    return {**exit_out(case), "visits": [visit_out(v) for v in visits_of(case)[:500]],
            "custody": [{"kind": str(item.kind), "reference": item.reference,
                         "title": item.title, "level": int(item.level)} for item in custody]}


def _fresh(request: HttpRequest, case: ExitCase) -> dict[str, Any]:
    return exit_detail_out(exit_for(request.user, case.pk))


@router.post("/files/{file_id}/exit", response={201: ExitDetailOut, **ERRORS},
             summary="File a 离岗 or 离职 (保密办, rule P10)")
def file_exit(request: HttpRequest, file_id: Id, data: ExitIn) -> Status:
    """Submits the exit to the approvals chain `exit`; 409 `exit_open` or
    `illegal_transition` when the person is not in post."""
    case = services.file_exit(request.user, file_for(request.user, file_id), kind=data.kind,
                              leave_on=data.leave_on, reason=data.reason,
                              destination=data.destination)
    return Status(201, _fresh(request, case))


@router.get("/exits", response={200: ExitPage, **ERRORS},
            summary="Exits being decided, people in 脱密期 and released (保密办)")
def list_exits(request: HttpRequest, query: Query[ExitQuery]) -> dict[str, Any]:
    if not managed_units(request.user):
        raise AccessDenied(_("Only the secrecy office can list these."),
                           code="not_secrecy_office")
    rows = declassification_list(request.user, state=query.state or "",
                                 visit_overdue=query.visit_overdue)
    page = keyset_page(rows, None, size=query.limit, after=query.after)
    return {"items": [exit_out(c) for c in page.items], "next_after": page.next_after}


@router.get("/exits/{exit_id}", response={200: ExitDetailOut, **ERRORS})
def get_exit(request: HttpRequest, exit_id: Id) -> Any:
    """One exit with its return visits and, while pending, what the person still holds."""
    return exit_detail_out(exit_for(request.user, exit_id))


@router.post("/exits/{exit_id}/commitment", response={200: ExitDetailOut, **ERRORS})
def commitment(request: HttpRequest, exit_id: Id, data: CommitmentIn) -> Any:
    """The signed 离岗离职保密承诺书 (once: 409 `already_recorded`)."""
    case = services.record_exit_commitment(request.user, exit_for(request.user, exit_id),
                                           signed_on=data.signed_on,
                                           text_version=data.text_version)
    return _fresh(request, case)


@router.post("/exits/{exit_id}/talk", response={200: ExitDetailOut, **ERRORS})
def talk(request: HttpRequest, exit_id: Id, data: TalkIn) -> Any:
    """The reminder talk, held by at least two people (422 `two_talkers`, rule P10)."""
    case = services.record_exit_talk(request.user, exit_for(request.user, exit_id),
                                     held_on=data.held_on, talkers=data.talkers,
                                     notes=data.notes)
    return _fresh(request, case)


@router.post("/exits/{exit_id}/door-access", response={200: ExitDetailOut, **ERRORS})
def door_access(request: HttpRequest, exit_id: Id, data: DoorAccessIn) -> Any:
    case = services.record_door_access_revoked(request.user, exit_for(request.user, exit_id),
                                               revoked_on=data.revoked_on)
    return _fresh(request, case)


@router.post("/exits/{exit_id}/visits", response={201: ExitDetailOut, **ERRORS})
def visit(request: HttpRequest, exit_id: Id, data: VisitIn) -> Status:
    """A return visit during the 脱密期 (rule P13); the answer is the exit with its visits."""
    case = exit_for(request.user, exit_id)
    services.record_declassification_visit(
        request.user, case, visited_on=data.visited_on, method=data.method,
        visitors=data.visitors, current_employer=data.current_employer,
        restrictions_kept=data.restrictions_kept, findings=data.findings)
    return Status(201, _fresh(request, case))


@router.post("/exits/{exit_id}/extend", response={200: ExitDetailOut, **ERRORS})
def extend(request: HttpRequest, exit_id: Id, data: ExtendIn) -> Any:
    """A longer 脱密期 (422 `period_not_longer` unless longer, rule P11)."""
    case = services.extend_declassification(request.user, exit_for(request.user, exit_id),
                                            months=data.months, reason=data.reason)
    return _fresh(request, case)


@router.post("/exits/{exit_id}/release", response={200: ExitDetailOut, **ERRORS})
def release(request: HttpRequest, exit_id: Id, data: ReleaseIn) -> Any:
    """The 撤销备案 after the end of the period (422 `period_not_over`, rule P14)."""
    case = services.release_from_declassification(
        request.user, exit_for(request.user, exit_id), withdrawn_on=data.withdrawn_on,
        reference=data.reference)
    return _fresh(request, case)
