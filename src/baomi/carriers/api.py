"""The carriers API (/api/v1/carriers, rules C1–C5): the ledger, storing and custody,
loans from request to return, and the containers.

Handlers call selectors and services only; every input is bounded by its schema and a
refusal is a DomainError (a 4xx with `{"code", "message", "fields"}`). The ledger answers
one scheme at a time (rule L4) and only the carriers the caller sees (rule L5): any other id
is a 404, never telling whether it exists.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.accounts.models import Department, Person
from baomi.compliance.models import SecureRoom
from baomi.compliance.services import q7_shortfalls
from baomi.core.errors import InvalidInput, NotFound
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut
from baomi.secrets.selectors import items_visible_to

from . import services
from .api_copying import router as copying_router
from .api_destruction import router as destruction_router
from .api_movement import router as movement_router
from .api_stocktake import router as stocktake_router
from .models import Carrier, Container, Loan
from .selectors import carrier_for, containers_visible_to, loans_visible_to, manages_carriers
from .views.containers import with_counts
from .views.display import carrier_mark, loan_overdue
from .views.filters import SEARCH_MAX, ledger_carriers, ledger_filters
from .views.loans import loan_list

router = Router(tags=["carriers"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
Key = Annotated[int, Field(ge=1, le=MAX_KEY)]
# Dates a ledger can hold; keeps the fuzzer's year 1 and year 9999 out of date arithmetic.
Day = Annotated[date, Field(ge=date(1950, 1, 1), le=date(2100, 12, 31))]
SchemeName = Literal["state", "work", "commercial"]
KindName = Literal["paper", "optical", "electronic", "product"]
PeriodName = Literal["years", "months", "long_term", "condition"]


# --- schemas -------------------------------------------------------------------------------


class CarrierOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    scheme: str
    level: int
    period_kind: str
    period_value: int | None
    mark: str = Field(description="The mark as printed (rule S9), e.g. 机密★20年.")
    secret_item_id: int | None
    origin: str
    source_unit: str
    source_document_no: str
    received_on: date
    pages: int | None
    capacity: str
    copies: int
    copy_no: str
    department_id: int
    department_name: str
    custodian_id: int
    custodian_name: str
    container_id: int | None
    container_number: str | None
    location: str
    state: str
    signed_by_id: int | None


class CarrierPage(Schema):
    items: list[CarrierOut]
    next_after: int | None


class CarrierQuery(Schema):
    scheme: SchemeName = Field("state", description="One scheme per list (rule L4).")
    level: int | None = Field(None, ge=1, le=3)
    state: Literal["in_store", "on_loan", "missing", "destroyed"] | None = None
    kind: KindName | None = None
    department: int | None = Field(None, ge=1, le=MAX_KEY)
    custodian: int | None = Field(None, ge=1, le=MAX_KEY, description="A person id.")
    q: str = Field("", max_length=SEARCH_MAX,
                   description="Carrier number, or the custodian's name or employee number.")
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class CarrierIn(Schema):
    number: str = Field(min_length=1, max_length=50)
    title: str = Field(min_length=1, max_length=300)
    kind: KindName
    scheme: SchemeName = "state"
    level: int = Field(ge=1, le=3)
    period_kind: PeriodName
    period_value: int | None = Field(None, ge=1, le=99)
    origin: Literal["received", "produced", "copied"]
    received_on: Day
    department_id: Key
    custodian_id: Key
    container_id: Key | None = None
    location: str = Field("", max_length=200)
    secret_item_id: Key | None = None
    source_unit: str = Field("", max_length=200)
    source_document_no: str = Field("", max_length=100)
    pages: int | None = Field(None, ge=1, le=services.PAGES_MAX)
    capacity: str = Field("", max_length=50)
    copies: int = Field(1, ge=1, le=services.COPIES_MAX)
    copy_no: str = Field("", max_length=20)
    signed_by_id: Key | None = Field(None, description="Who signed for a received carrier "
                                                       "(rule C2).")


class StoreIn(Schema):
    container_id: Key
    location: str = Field("", max_length=200)


class CustodianIn(Schema):
    custodian_id: Key
    reason: str = Field(min_length=1, max_length=500)


class LoanIn(Schema):
    kind: Literal["borrow", "circulate"]
    purpose: str = Field(min_length=1, max_length=500)
    room: str = Field("", max_length=100)
    borrower_id: Key | None = Field(None, description="Default: the caller.")


class LoanOut(Schema):
    id: int
    carrier_id: int
    carrier_number: str
    borrower_id: int
    borrower_name: str
    kind: str
    purpose: str
    room: str
    state: str
    request_id: int | None
    due_on: date
    overdue: bool
    handed_out_at: datetime | None
    returned_at: datetime | None


class LoanPage(Schema):
    items: list[LoanOut]
    next_after: int | None


class LoanQuery(Schema):
    out: bool = Field(False, description="Only loans handed out and not back.")
    overdue: bool = Field(False, description="Only loans out past their due day (rule C5).")
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class ContainerIn(Schema):
    number: str = Field(min_length=1, max_length=50)
    kind: Literal["cabinet", "coded_cabinet", "safe"]
    rating: int = Field(ge=0, le=3, description="The highest level it holds (rule C3).")
    location: str = Field(min_length=1, max_length=200)
    department_id: Key | None = None
    custodian_id: Key | None = None
    room_id: Key | None = Field(None, description="The secure room it stands in; 机密 and "
                                                  "above are kept only in a room meeting Q7.")


class ContainerOut(Schema):
    id: int
    number: str
    kind: str
    rating: int
    location: str
    department_id: int | None
    custodian_id: int | None
    custodian_name: str | None
    room_id: int | None
    room_meets_q7: bool
    active: bool
    carrier_count: int


class ContainerPage(Schema):
    items: list[ContainerOut]
    next_after: int | None


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


# --- output --------------------------------------------------------------------------------


def carrier_out(carrier: Carrier) -> dict[str, Any]:
    fields = ("id", "number", "title", "kind", "scheme", "level", "period_kind",
              "period_value", "secret_item_id", "origin", "source_unit", "source_document_no",
              "received_on", "pages", "capacity", "copies", "copy_no", "department_id",
              "custodian_id", "container_id", "location", "state", "signed_by_id")
    return {**{name: getattr(carrier, name) for name in fields}, "mark": carrier_mark(carrier),
            "department_name": carrier.department.name, "custodian_name": carrier.custodian.name,
            "container_number": carrier.container.number if carrier.container else None}


def loan_out(loan: Loan) -> dict[str, Any]:
    fields = ("id", "carrier_id", "borrower_id", "kind", "purpose", "room", "state",
              "request_id", "due_on", "handed_out_at", "returned_at")
    return {**{name: getattr(loan, name) for name in fields},
            "carrier_number": loan.carrier.number, "borrower_name": loan.borrower.name,
            "overdue": loan_overdue(loan)}


def container_out(container: Container) -> dict[str, Any]:
    fields = ("id", "number", "kind", "rating", "location", "department_id", "custodian_id",
              "room_id", "active")
    return {**{name: getattr(container, name) for name in fields},
            "custodian_name": container.custodian.name if container.custodian else None,
            "room_meets_q7": not q7_shortfalls(container.room),
            "carrier_count": getattr(container, "carrier_count", 0)}


# --- references ----------------------------------------------------------------------------


def _unknown(field: str) -> InvalidInput:
    message = _("Choose from the list.")
    return InvalidInput(message, code="unknown", fields={field: message})


def _of_unit(model: type[Model], pk: int | None, unit_id: int, field: str) -> Any:
    """A department or person of the caller's unit by id (None when not given)."""
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk, unit_id=unit_id).first()
    if found is None:
        raise _unknown(field)
    return found


def _container(unit_id: int, pk: int | None) -> Container | None:
    """A container of the unit (the service checks that the caller keeps it)."""
    return _of_unit(Container, pk, unit_id, "container_id")


def _carrier(request: HttpRequest, pk: int) -> Carrier:
    return carrier_for(request.user, pk)


def _loan(request: HttpRequest, pk: int) -> Loan:
    loan = loans_visible_to(request.user).filter(pk=pk).first()
    if loan is None:
        raise NotFound()
    return loan


# --- carriers ------------------------------------------------------------------------------


@router.get("/carriers", response={200: CarrierPage, **ERRORS},
            summary="The carrier ledger (涉密载体台帐) of one scheme")
def list_carriers(request: HttpRequest, query: Query[CarrierQuery]) -> dict[str, Any]:
    filters = ledger_filters(query.dict())
    page = keyset_page(ledger_carriers(request.user, filters), None, size=query.limit,
                       after=query.after)
    return {"items": [carrier_out(c) for c in page.items], "next_after": page.next_after}


@router.post("/carriers", response={201: CarrierOut, **ERRORS},
             summary="Register a carrier (登记 / 收文, 保密办; rules C2, C3)")
def register_carrier(request: HttpRequest, data: CarrierIn) -> Status:
    user: Any = request.user
    unit = user.person.unit
    item = None
    if data.secret_item_id is not None:
        item = items_visible_to(user).filter(pk=data.secret_item_id, unit_id=unit.pk).first()
        if item is None:
            raise _unknown("secret_item_id")
    carrier = services.register_carrier(
        user, unit=unit, department=_of_unit(Department, data.department_id, unit.pk,
                                             "department_id"),
        number=data.number, title=data.title, kind=data.kind, scheme=data.scheme,
        level=data.level, period_kind=data.period_kind, period_value=data.period_value,
        origin=data.origin, received_on=data.received_on,
        custodian=_of_unit(Person, data.custodian_id, unit.pk, "custodian_id"),
        container=_container(unit.pk, data.container_id), location=data.location,
        secret_item=item, source_unit=data.source_unit,
        source_document_no=data.source_document_no, pages=data.pages,
        capacity=data.capacity, copies=data.copies, copy_no=data.copy_no,
        signed_by=_of_unit(Person, data.signed_by_id, unit.pk, "signed_by_id"))
    return Status(201, carrier_out(_carrier(request, carrier.pk)))


@router.get("/carriers/{carrier_id}", response={200: CarrierOut, **ERRORS})
def get_carrier(request: HttpRequest, carrier_id: Id) -> Any:
    """One carrier; reading a 机密 or 绝密 carrier is audited."""
    carrier = _carrier(request, carrier_id)
    services.record_carrier_read(request.user, carrier)  # audited from 机密 up
    return carrier_out(carrier)


@router.post("/carriers/{carrier_id}/store", response={200: CarrierOut, **ERRORS},
             summary="Put a carrier into a container (保密办; rule C3)")
def store(request: HttpRequest, carrier_id: Id, data: StoreIn) -> Any:
    carrier = _carrier(request, carrier_id)
    services.store_carrier(request.user, carrier,
                           container=_of_unit(Container, data.container_id, carrier.unit_id,
                                              "container_id"),
                           location=data.location)
    return carrier_out(_carrier(request, carrier_id))


@router.post("/carriers/{carrier_id}/custodian", response={200: CarrierOut, **ERRORS},
             summary="Change the custodian (保密办; cleared for the level)")
def custodian(request: HttpRequest, carrier_id: Id, data: CustodianIn) -> Any:
    carrier = _carrier(request, carrier_id)
    person = _of_unit(Person, data.custodian_id, carrier.unit_id, "custodian_id")
    services.change_custodian(request.user, carrier, custodian=person, reason=data.reason)
    return carrier_out(_carrier(request, carrier_id))


@router.post("/carriers/{carrier_id}/loans", response={201: LoanOut, **ERRORS},
             summary="Request a loan (借阅 / 传阅, rule C5)")
def request_loan(request: HttpRequest, carrier_id: Id, data: LoanIn) -> Status:
    """422 `clearance` or `not_in_scope` when the borrower may not read it (rule C5)."""
    carrier = _carrier(request, carrier_id)
    borrower = None
    if data.borrower_id is not None:
        borrower = _of_unit(Person, data.borrower_id, carrier.unit_id, "borrower_id")
    loan = services.request_loan(request.user, carrier, kind=data.kind, purpose=data.purpose,
                                 room=data.room, borrower=borrower)
    return Status(201, loan_out(_loan(request, loan.pk)))


# --- loans ---------------------------------------------------------------------------------


@router.get("/loans", response={200: LoanPage, **ERRORS},
            summary="Loans: the unit's for the 保密办, otherwise your own")
def list_loans(request: HttpRequest, query: Query[LoanQuery]) -> dict[str, Any]:
    user: Any = request.user
    office = manages_carriers(user, user.person.unit_id) if user.person_id else False
    loans = loan_list(user, office=office, out=query.out, overdue=query.overdue)
    page = keyset_page(loans, None, size=query.limit, after=query.after)
    return {"items": [loan_out(loan) for loan in page.items], "next_after": page.next_after}


def _loan_step(request: HttpRequest, loan_id: int, action: str) -> dict[str, Any]:
    loan = _loan(request, loan_id)
    if action == "hand_out":
        services.hand_out(request.user, loan)
    else:
        services.return_loan(request.user, loan)
    return loan_out(_loan(request, loan_id))


@router.post("/loans/{loan_id}/hand-out", response={200: LoanOut, **ERRORS},
             summary="Hand out an approved loan (保密办)")
def hand_out(request: HttpRequest, loan_id: Id) -> Any:
    return _loan_step(request, loan_id, "hand_out")


@router.post("/loans/{loan_id}/return", response={200: LoanOut, **ERRORS},
             summary="Take back a loan (保密办)")
def return_loan(request: HttpRequest, loan_id: Id) -> Any:
    return _loan_step(request, loan_id, "return")


# --- containers ----------------------------------------------------------------------------


@router.get("/containers", response={200: ContainerPage, **ERRORS},
            summary="Containers of the units you keep the ledger of (保密办)")
def list_containers(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    containers = with_counts(containers_visible_to(request.user))
    page = keyset_page(containers, None, size=query.limit, after=query.after)
    return {"items": [container_out(c) for c in page.items], "next_after": page.next_after}


@router.post("/containers", response={201: ContainerOut, **ERRORS},
             summary="Register a container (保密办; rule C3: its rating)")
def register_container(request: HttpRequest, data: ContainerIn) -> Status:
    user: Any = request.user
    unit = user.person.unit
    container = services.register_container(
        user, unit=unit, number=data.number, kind=data.kind, rating=data.rating,
        location=data.location,
        department=_of_unit(Department, data.department_id, unit.pk, "department_id"),
        custodian=_of_unit(Person, data.custodian_id, unit.pk, "custodian_id"),
        room=_of_unit(SecureRoom, data.room_id, unit.pk, "room_id"))
    fresh = with_counts(containers_visible_to(user)).filter(pk=container.pk).first()
    return Status(201, container_out(fresh or container))


router.add_router("", copying_router)  # copying (rule C4) and the print log (C10)
router.add_router("", destruction_router)  # destruction lists (rule C7)
router.add_router("", stocktake_router)  # stocktakes (rule C1), missing carriers (C8)
router.add_router("", movement_router)  # carriers leaving the unit (rules C2, C6)
