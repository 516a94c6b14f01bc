"""The outside-firm API (/api/v1/compliance/firms, rules Q8, Q11): the firms of the units the
caller reads as 保密办 or leader, with whether each is qualified for classified work and why
not; the 保密办 registers and updates firms, records protocols, changes and their re-review,
yearly reports and contracts, strikes firms off and reinstates them.

Any firm the caller does not read is a 404; a contract above the caller's clearance does not
appear (rule L5). A refusal is a DomainError with its code (`firm_unqualified`,
`not_on_directory`, `firm_struck_off`, `reapply_too_soon`, `not_secrecy_office` …).
"""

import datetime as dt
from typing import Annotated, Any

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.accounts.models import Person, Unit
from baomi.core.errors import InvalidInput, NotFound
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services_firms as services
from .models import Firm, FirmChange, FirmContract, FirmProtocol, FirmYearReport
from .selectors_firms import (
    contracts_visible_to,
    filter_firms,
    firm_for,
    firm_summary,
    firms_visible_to,
)
from .views_firms import reader_unit

router = Router(tags=["compliance: outside firms"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]


class FirmIn(Schema):
    """A firm and its conditions as they are now (rules Q8, Q11); all of them, on update too."""

    name: str = Field(min_length=1, max_length=services.NAME_MAX)
    credit_code: str = Field(min_length=18, max_length=18,
                             description="Unified social credit code (GB 32100-2015).")
    kind: str = Field(max_length=20, description="audit, appraisal, legal, sponsor, "
                                                 "consulting or subcontractor.")
    contact: str = Field("", max_length=services.CONTACT_MAX)
    foreign_capital: bool = False
    security_review_passed_on: dt.date | None = Field(
        None, description="Empty: the firm has not passed the security review.")
    last_suspension_on: dt.date | None = None
    on_directory: bool = Field(False, description="On the 名录 (subcontractors, rule Q8).")
    directory_number: str = Field("", max_length=services.DIRECTORY_NUMBER_MAX)
    note: str = Field("", max_length=services.NOTE_MAX)


class FirmOut(Schema):
    id: int
    unit_id: int
    name: str
    credit_code: str
    kind: str
    contact: str
    foreign_capital: bool
    security_review_passed_on: dt.date | None
    last_suspension_on: dt.date | None
    on_directory: bool
    directory_number: str
    note: str
    state: str
    struck_off_on: dt.date | None
    strike_off_reason: str
    reinstated_on: dt.date | None
    reapply_from: dt.date | None = Field(description="A struck-off firm re-applies from this day.")
    qualified: bool = Field(description="Qualified for classified work today (rules Q8, Q11).")
    shortfalls: list[str] = Field(description="What keeps the firm from classified work.")
    created_at: dt.datetime
    updated_at: dt.datetime


class FirmPage(Schema):
    items: list[FirmOut]
    next_after: int | None


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class FirmQuery(PageQuery):
    kind: str = Field("", max_length=20)
    qualified: bool | None = None
    on_directory: bool | None = None


class ProtocolIn(Schema):
    signed_on: dt.date
    filed_on: dt.date | None = Field(None, description="Empty: not filed yet.")
    expires_on: dt.date | None = None
    scope: str = Field(min_length=1, max_length=services.SCOPE_MAX)
    secrecy_clauses: bool = Field(False, description="The 保密 clauses are confirmed.")


class ProtocolOut(Schema):
    id: int
    firm_id: int
    signed_on: dt.date
    filed_on: dt.date | None
    expires_on: dt.date | None
    scope: str
    secrecy_clauses: bool
    attachment: str


class ChangeIn(Schema):
    occurred_on: dt.date
    reported_on: dt.date
    description: str = Field(min_length=1, max_length=services.DESCRIPTION_MAX)


class ChangeOut(Schema):
    id: int
    firm_id: int
    occurred_on: dt.date
    reported_on: dt.date
    description: str
    result: str
    rereviewed_on: dt.date | None
    rereview_due: dt.date = Field(description="20 working days after the report (rule Q11).")


class RereviewIn(Schema):
    rereviewed_on: dt.date
    passed: bool


class YearReportIn(Schema):
    year: int = Field(ge=services.YEAR_MIN, le=services.YEAR_MAX)
    received_on: dt.date


class YearReportOut(Schema):
    id: int
    firm_id: int
    year: int
    received_on: dt.date
    due: dt.date = Field(description="The end of the first quarter of the next year (Q11).")


class ContractIn(Schema):
    title: str = Field(min_length=1, max_length=services.TITLE_MAX)
    scheme: str = Field("state", max_length=20)
    level: int = Field(0, ge=0, le=3, description="0 非密, 1 秘密, 2 机密, 3 绝密.")
    work_kind: str = Field(min_length=1, max_length=services.WORK_KIND_MAX)
    signed_on: dt.date
    responsible_id: int = Field(ge=1, le=MAX_KEY, description="A person of the unit.")


class ContractOut(Schema):
    id: int
    firm_id: int
    title: str
    scheme: str
    level: int
    work_kind: str
    signed_on: dt.date
    responsible_id: int
    state: str
    ended_on: dt.date | None


class EndIn(Schema):
    ended_on: dt.date


class StrikeOffIn(Schema):
    struck_off_on: dt.date
    reason: str = Field(min_length=1, max_length=services.REASON_MAX)


class ReinstateIn(Schema):
    reinstated_on: dt.date


class ProtocolPage(Schema):
    items: list[ProtocolOut]
    next_after: int | None


class ChangePage(Schema):
    items: list[ChangeOut]
    next_after: int | None


class YearReportPage(Schema):
    items: list[YearReportOut]
    next_after: int | None


class ContractPage(Schema):
    items: list[ContractOut]
    next_after: int | None


class SummaryQuery(Schema):
    year: int = Field(ge=services.YEAR_MIN, le=services.YEAR_MAX)


class SummaryOut(Schema):
    year: int
    firms: int
    by_kind: dict[str, int]
    qualified: int
    on_directory: int
    contracts_signed: int
    contracts_by_level: dict[int, int]
    active_contracts: int
    struck_off: int
    struck_off_now: int


def _page(rows: QuerySet[Any], query: PageQuery, out: Any) -> dict[str, Any]:
    page = keyset_page(rows, None, size=query.limit, after=query.after)
    return {"items": [out(row) for row in page.items], "next_after": page.next_after}


def _fields(obj: Model, schema: type[Schema]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in schema.model_fields if hasattr(obj, name)}


def firm_out(firm: Firm) -> dict[str, Any]:
    shortfalls = services.qualification_shortfalls(firm, timezone.localdate())
    return {**_fields(firm, FirmOut), "qualified": not shortfalls, "shortfalls": shortfalls,
            "reapply_from": services.reapply_from(firm)}


def protocol_out(protocol: FirmProtocol) -> dict[str, Any]:
    return {**_fields(protocol, ProtocolOut), "attachment": protocol.attachment.name or ""}


def change_out(change: FirmChange) -> dict[str, Any]:
    return {**_fields(change, ChangeOut), "rereview_due": services.change_review_due(change)}


def report_out(report: FirmYearReport) -> dict[str, Any]:
    return {**_fields(report, YearReportOut),
            "due": services.year_report_due(report.firm.unit, report.year)}


def contract_out(contract: FirmContract) -> dict[str, Any]:
    return _fields(contract, ContractOut)


def _firm(request: HttpRequest, firm_id: int) -> Firm:
    return firm_for(request.user, firm_id)


@router.get("/firms", response={200: FirmPage, **ERRORS},
            summary="Outside firms of the units you read (保密办, leaders; rules Q8, Q11)")
def list_firms(request: HttpRequest, query: Query[FirmQuery]) -> dict[str, Any]:
    firms = filter_firms(firms_visible_to(request.user), kind=query.kind,
                         qualified=query.qualified, on_directory=query.on_directory)
    return _page(firms, query, firm_out)


@router.post("/firms", response={201: FirmOut, **ERRORS},
             summary="Register an outside firm of your unit (保密办; rule Q11)")
def register_firm(request: HttpRequest, data: FirmIn) -> Status:
    user: Any = request.user
    firm = services.register_firm(user, unit=user.person.unit, **data.dict())
    return Status(201, firm_out(_firm(request, firm.pk)))


@router.get("/firms/{firm_id}", response={200: FirmOut, **ERRORS},
            summary="One firm and whether it is qualified for classified work")
def get_firm(request: HttpRequest, firm_id: Id) -> dict[str, Any]:
    return firm_out(_firm(request, firm_id))


@router.post("/firms/{firm_id}", response={200: FirmOut, **ERRORS},
             summary="Record a firm's details and conditions as they are now (保密办)")
def update_firm(request: HttpRequest, firm_id: Id, data: FirmIn) -> dict[str, Any]:
    services.update_firm(request.user, _firm(request, firm_id), **data.dict())
    return firm_out(_firm(request, firm_id))


@router.get("/firms/{firm_id}/protocols", response={200: ProtocolPage, **ERRORS},
            summary="The firm's 保密 protocols, newest first")
def list_protocols(request: HttpRequest, firm_id: Id, query: Query[PageQuery]
                   ) -> dict[str, Any]:
    return _page(_firm(request, firm_id).protocols.all(), query, protocol_out)


@router.post("/firms/{firm_id}/protocols", response={201: ProtocolOut, **ERRORS},
             summary="Record a 保密 protocol signed with the firm (保密办; rule Q11)")
def record_protocol(request: HttpRequest, firm_id: Id, data: ProtocolIn) -> Status:
    protocol = services.record_protocol(request.user, _firm(request, firm_id), **data.dict())
    return Status(201, protocol_out(protocol))


@router.get("/firms/{firm_id}/changes", response={200: ChangePage, **ERRORS},
            summary="Reported changes of the firm's conditions and their re-review")
def list_changes(request: HttpRequest, firm_id: Id, query: Query[PageQuery]
                 ) -> dict[str, Any]:
    changes = _firm(request, firm_id).changes.select_related("firm__unit")
    return _page(changes, query, change_out)


@router.post("/firms/{firm_id}/changes", response={201: ChangeOut, **ERRORS},
             summary="Record a reported change (保密办; re-review due in 20 working days, Q11)")
def report_change(request: HttpRequest, firm_id: Id, data: ChangeIn) -> Status:
    change = services.report_change(request.user, _firm(request, firm_id), **data.dict())
    return Status(201, change_out(change))


@router.post("/firms/{firm_id}/changes/{change_id}/re-review",
             response={200: ChangeOut, **ERRORS},
             summary="Record the re-review of a reported change (保密办; rule Q11)")
def rereview_change(request: HttpRequest, firm_id: Id, change_id: Id,
                    data: RereviewIn) -> dict[str, Any]:
    change = _firm(request, firm_id).changes.filter(pk=change_id).first()
    if change is None:
        raise NotFound()
    return change_out(services.rereview_change(request.user, change, **data.dict()))


@router.get("/firms/{firm_id}/year-reports", response={200: YearReportPage, **ERRORS},
            summary="The firm's yearly reports")
def list_year_reports(request: HttpRequest, firm_id: Id, query: Query[PageQuery]
                      ) -> dict[str, Any]:
    reports = _firm(request, firm_id).year_reports.select_related("firm__unit")
    return _page(reports, query, report_out)


@router.post("/firms/{firm_id}/year-reports", response={201: YearReportOut, **ERRORS},
             summary="Record a yearly report received (保密办; due end of Q1, rule Q11)")
def record_year_report(request: HttpRequest, firm_id: Id, data: YearReportIn) -> Status:
    report = services.record_year_report(request.user, _firm(request, firm_id), **data.dict())
    return Status(201, report_out(report))


@router.get("/firms/{firm_id}/contracts", response={200: ContractPage, **ERRORS},
            summary="The firm's contracts you are cleared for (rule L5)")
def list_contracts(request: HttpRequest, firm_id: Id, query: Query[PageQuery]
                   ) -> dict[str, Any]:
    contracts = contracts_visible_to(request.user).filter(firm=_firm(request, firm_id))
    return _page(contracts, query, contract_out)


def _responsible(firm: Firm, person_id: int) -> Person:
    person = Person.objects.filter(pk=person_id, unit_id=firm.unit_id, active=True).first()
    if person is None:
        message = NotFound().message
        raise InvalidInput(message, fields={"responsible_id": message})
    return person


@router.post("/firms/{firm_id}/contracts", response={201: ContractOut, **ERRORS},
             summary="Sign a contract with the firm (保密办; rules Q8, Q11)")
def sign_contract(request: HttpRequest, firm_id: Id, data: ContractIn) -> Status:
    firm = _firm(request, firm_id)
    fields = data.dict()
    responsible = _responsible(firm, fields.pop("responsible_id"))
    contract = services.sign_contract(request.user, firm, responsible=responsible, **fields)
    return Status(201, contract_out(contract))


@router.post("/firms/{firm_id}/contracts/{contract_id}/end",
             response={200: ContractOut, **ERRORS}, summary="End a contract (保密办)")
def end_contract(request: HttpRequest, firm_id: Id, contract_id: Id,
                 data: EndIn) -> dict[str, Any]:
    contract = contracts_visible_to(request.user).filter(
        firm=_firm(request, firm_id), pk=contract_id).first()
    if contract is None:
        raise NotFound()
    return contract_out(services.end_contract(request.user, contract, **data.dict()))


@router.post("/firms/{firm_id}/strike-off", response={200: FirmOut, **ERRORS},
             summary="Strike the firm off: no new contract (保密办; rule Q11)")
def strike_off(request: HttpRequest, firm_id: Id, data: StrikeOffIn) -> dict[str, Any]:
    services.strike_off_firm(request.user, _firm(request, firm_id), **data.dict())
    return firm_out(_firm(request, firm_id))


@router.post("/firms/{firm_id}/reinstate", response={200: FirmOut, **ERRORS},
             summary="Reinstate a struck-off firm, 12 months later at the earliest (Q11)")
def reinstate(request: HttpRequest, firm_id: Id, data: ReinstateIn) -> dict[str, Any]:
    services.reinstate_firm(request.user, _firm(request, firm_id), **data.dict())
    return firm_out(_firm(request, firm_id))


@router.get("/firm-summary", response={200: SummaryOut, **ERRORS},
            summary="Figures of your unit's outside firms for a year (保密办, leaders)")
def summary(request: HttpRequest, query: Query[SummaryQuery]) -> dict[str, Any]:
    try:
        unit: Unit = reader_unit(request)
    except Http404:  # the same answer as for any object the caller does not read
        raise NotFound() from None
    return firm_summary(unit, query.year)
