"""The stocktake API (/api/v1/carriers, rules C1, C8): stocktakes from start to close, the
check of a scanned label or typed number, results by hand, and the missing carriers.

The 保密办's work: a stocktake or a missing carrier the caller does not see (another unit, or
above the caller's clearance, rule L5) is a 404. Inputs are bounded by their schemas; a refusal
is a DomainError with its code (`not_on_list`, `stocktake_closed`, `empty_scope` …).
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.accounts.models import Department
from baomi.core.errors import InvalidInput, NotFound
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services
from .models import MissingCase, Stocktake, StocktakeLine
from .models.stocktake import LineResult
from .selectors import carrier_for, containers_visible_to
from .selectors_stocktake import (
    lines_of,
    missing_case_for,
    missing_cases_visible_to,
    stocktake_for,
    stocktakes_visible_to,
)
from .services.stocktake import CODE_MAX, NOTE_MAX
from .views.display import carrier_mark
from .views.stocktake import result_counts

router = Router(tags=["carriers: stocktakes"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
Key = Annotated[int, Field(ge=1, le=MAX_KEY)]
Day = Annotated[date, Field(ge=date(1950, 1, 1), le=date(2100, 12, 31))]
ResultName = Literal["unchecked", "found", "missing"]


# --- schemas -------------------------------------------------------------------------------


class Counts(Schema):
    unchecked: int
    found: int
    missing: int


class StocktakeOut(Schema):
    id: int
    unit_id: int
    department_id: int | None
    container_id: int | None
    level: int = Field(description="The highest state-secret level on the list.")
    state: str
    note: str
    started_at: datetime
    started_by: str
    closed_at: datetime | None
    closed_by: str | None
    counts: Counts


class StocktakePage(Schema):
    items: list[StocktakeOut]
    next_after: int | None


class StocktakeIn(Schema):
    department_id: Key | None = Field(None, description="Only this department's carriers.")
    container_id: Key | None = Field(None, description="Only the carriers in this container.")
    note: str = Field("", max_length=NOTE_MAX)


class LineOut(Schema):
    id: int
    carrier_id: int
    carrier_number: str
    carrier_title: str
    mark: str
    ledger_state: str
    ledger_custodian_id: int
    ledger_container_id: int | None
    ledger_location: str
    result: str
    checked_at: datetime | None
    note: str
    missing_case_id: int | None
    deadline: date | None = Field(description="For a carrier not found: the last day to "
                                              "trace it (rule C8).")


class LinePage(Schema):
    items: list[LineOut]
    next_after: int | None


class LineQuery(Schema):
    result: ResultName | None = None
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class CheckIn(Schema):
    code: str = Field(min_length=1, max_length=CODE_MAX,
                      description="A label's QR payload (BAOMI-ZT:<unit>:<number>) or a "
                                  "carrier number.")
    note: str = Field("", max_length=NOTE_MAX)


class MarkIn(Schema):
    result: ResultName
    note: str = Field("", max_length=NOTE_MAX)


class ResultOut(Schema):
    stocktake: StocktakeOut
    found: int
    missing: list[LineOut] = Field(description="Not found: now missing, with a case.")
    not_moved: list[LineOut] = Field(description="Not found, but destroyed or otherwise "
                                                 "changed during the stocktake.")


class CaseOut(Schema):
    id: int
    carrier_id: int
    carrier_number: str
    carrier_title: str
    mark: str
    scheme: str
    level: int
    source: str
    stocktake_id: int | None
    discovered_on: date
    deadline: date
    state: str
    note: str
    found_on: date | None
    incident_id: int | None


class CasePage(Schema):
    items: list[CaseOut]
    next_after: int | None


class CaseQuery(Schema):
    state: Literal["open", "found", "incident"] = "open"
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class ReportIn(Schema):
    discovered_on: Day
    note: str = Field(min_length=1, max_length=NOTE_MAX, description="The circumstances.")


class FoundIn(Schema):
    found_on: Day
    note: str = Field(min_length=1, max_length=NOTE_MAX, description="Where it was found.")


# --- output --------------------------------------------------------------------------------


def _name(user: Any) -> str | None:
    return str(user.person.name) if user is not None else None


def stocktake_out(stocktake: Stocktake) -> dict[str, Any]:
    fields = ("id", "unit_id", "department_id", "container_id", "level", "state", "note",
              "started_at", "closed_at")
    return {**{name: getattr(stocktake, name) for name in fields},
            "started_by": _name(stocktake.started_by), "closed_by": _name(stocktake.closed_by),
            "counts": result_counts(stocktake)}


def line_out(line: StocktakeLine) -> dict[str, Any]:
    fields = ("id", "carrier_id", "ledger_state", "ledger_custodian_id", "ledger_container_id",
              "ledger_location", "result", "checked_at", "note", "missing_case_id")
    case = line.missing_case
    return {**{name: getattr(line, name) for name in fields},
            "carrier_number": line.carrier.number, "carrier_title": line.carrier.title,
            "mark": carrier_mark(line.carrier), "deadline": case.deadline if case else None}


def case_out(case: MissingCase) -> dict[str, Any]:
    fields = ("id", "carrier_id", "source", "stocktake_id", "discovered_on", "deadline",
              "state", "note", "found_on", "incident_id")
    carrier = case.carrier
    return {**{name: getattr(case, name) for name in fields},
            "carrier_number": carrier.number, "carrier_title": carrier.title,
            "mark": carrier_mark(carrier), "scheme": carrier.scheme, "level": carrier.level}


def _unknown(field: str) -> InvalidInput:
    message = _("Choose from the list.")
    return InvalidInput(message, code="unknown", fields={field: message})


def _stocktake(request: HttpRequest, pk: int) -> Stocktake:
    return stocktake_for(request.user, pk)


def _line(stocktake: Stocktake, pk: int) -> StocktakeLine:
    line = lines_of(stocktake).filter(pk=pk).first()
    if line is None:
        raise NotFound()
    return line


def _fresh_line(stocktake: Stocktake, pk: int) -> dict[str, Any]:
    return line_out(_line(stocktake, pk))


# --- stocktakes (rule C1) ------------------------------------------------------------------


@router.get("/stocktakes", response={200: StocktakePage, **ERRORS},
            summary="Stocktakes (清查盘点) of the units you keep the ledger of (保密办)")
def list_stocktakes(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    page = keyset_page(stocktakes_visible_to(request.user), None, size=query.limit,
                       after=query.after)
    return {"items": [stocktake_out(s) for s in page.items], "next_after": page.next_after}


@router.post("/stocktakes", response={201: StocktakeOut, **ERRORS},
             summary="Start a stocktake of your unit, a department or a container (rule C1)")
def start_stocktake(request: HttpRequest, data: StocktakeIn) -> Status:
    """422/400 `empty_scope` when the ledger expects nothing there; 409 `stocktake_open`
    when a stocktake of the same scope is in progress."""
    user: Any = request.user
    unit = user.person.unit
    department = container = None
    if data.department_id is not None:
        department = Department.objects.filter(pk=data.department_id, unit_id=unit.pk).first()
        if department is None:
            raise _unknown("department_id")
    if data.container_id is not None:
        container = containers_visible_to(user).filter(pk=data.container_id,
                                                       unit_id=unit.pk).first()
        if container is None:
            raise _unknown("container_id")
    stocktake = services.start_stocktake(user, unit=unit, department=department,
                                         container=container, note=data.note)
    return Status(201, stocktake_out(_stocktake(request, stocktake.pk)))


@router.get("/stocktakes/{stocktake_id}", response={200: StocktakeOut, **ERRORS})
def get_stocktake(request: HttpRequest, stocktake_id: Id) -> Any:
    return stocktake_out(_stocktake(request, stocktake_id))


@router.get("/stocktakes/{stocktake_id}/lines", response={200: LinePage, **ERRORS},
            summary="The list of a stocktake with the results")
def list_lines(request: HttpRequest, stocktake_id: Id, query: Query[LineQuery]
               ) -> dict[str, Any]:
    lines = lines_of(_stocktake(request, stocktake_id))
    if query.result is not None:
        lines = lines.filter(result=query.result)
    page = keyset_page(lines, None, size=query.limit, after=query.after)
    return {"items": [line_out(line) for line in page.items], "next_after": page.next_after}


@router.post("/stocktakes/{stocktake_id}/check", response={200: LineOut, **ERRORS},
             summary="A carrier seen: its label scanned or its number typed (rule C1)")
def check(request: HttpRequest, stocktake_id: Id, data: CheckIn) -> Any:
    """422 `not_on_list`: the carrier is not on this stocktake's list — a difference."""
    stocktake = _stocktake(request, stocktake_id)
    line = services.check_carrier(request.user, stocktake, code=data.code, note=data.note)
    return _fresh_line(stocktake, line.pk)


@router.post("/stocktakes/{stocktake_id}/lines/{line_id}", response={200: LineOut, **ERRORS},
             summary="Record a result by hand")
def mark(request: HttpRequest, stocktake_id: Id, line_id: Id, data: MarkIn) -> Any:
    stocktake = _stocktake(request, stocktake_id)
    line = _line(stocktake, line_id)
    services.mark_line(request.user, line, result=data.result, note=data.note)
    return _fresh_line(stocktake, line_id)


@router.post("/stocktakes/{stocktake_id}/close", response={200: ResultOut, **ERRORS},
             summary="Close: what was not found is missing (rules C1, C8)")
def close(request: HttpRequest, stocktake_id: Id) -> Any:
    """409 when the stocktake is closed already (of two closings at once, one wins)."""
    stocktake = _stocktake(request, stocktake_id)
    result = services.close_stocktake(request.user, stocktake)
    lines = {line.pk: line for line in lines_of(stocktake).filter(result=LineResult.MISSING)}
    return {"stocktake": stocktake_out(_stocktake(request, stocktake_id)),
            "found": result.found,
            "missing": [line_out(lines[line.pk]) for line in result.missing],
            "not_moved": [line_out(lines[line.pk]) for line in result.not_moved]}


# --- missing carriers (rule C8) ------------------------------------------------------------


@router.get("/missing", response={200: CasePage, **ERRORS},
            summary="Carriers whose whereabouts are unknown (下落不明) and their deadlines")
def list_missing(request: HttpRequest, query: Query[CaseQuery]) -> dict[str, Any]:
    cases = missing_cases_visible_to(request.user).filter(state=query.state)
    page = keyset_page(cases, None, size=query.limit, after=query.after)
    return {"items": [case_out(c) for c in page.items], "next_after": page.next_after}


@router.post("/carriers/{carrier_id}/missing", response={201: CaseOut, **ERRORS},
             summary="Report a carrier lost (rule C8, 保密办)")
def report_missing(request: HttpRequest, carrier_id: Id, data: ReportIn) -> Status:
    """409 `already_missing`, or `illegal_transition` for a destroyed carrier."""
    carrier = carrier_for(request.user, carrier_id)
    case = services.report_missing(request.user, carrier, discovered_on=data.discovered_on,
                                   note=data.note)
    return Status(201, case_out(missing_case_for(request.user, case.pk)))


@router.post("/missing/{case_id}/found", response={200: CaseOut, **ERRORS},
             summary="A missing carrier found again: back in store")
def found(request: HttpRequest, case_id: Id, data: FoundIn) -> Any:
    case = missing_case_for(request.user, case_id)
    services.record_found(request.user, case, found_on=data.found_on, note=data.note)
    return case_out(missing_case_for(request.user, case_id))
