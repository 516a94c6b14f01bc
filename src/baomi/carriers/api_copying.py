"""Copying and the print log in the carriers API (/api/v1/carriers, rules C4, C10).

Copy orders from request to the copies made, and the print log. Handlers call selectors and
services only; every input is bounded by its schema and a refusal is a DomainError (a 4xx
with `{"code", "message", "fields"}`): 422 `consent_missing` (a 绝密 original without the
originating unit's consent), `clearance` / `not_in_scope` (rule C4), `above_clearance` (a
printout above the printer's clearance, rule C10); 409 `illegal_transition` (copies made
twice, or before the approval).
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.accounts.models import Department, Person
from baomi.core.errors import InvalidInput, NotFound
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut
from baomi.secrets.selectors import items_visible_to

from . import services
from .models import Carrier, Container, CopyOrder, PrintRecord
from .selectors import carrier_for, manages_carriers
from .selectors_copying import copies_of, copy_orders_visible_to, copy_stamp_of, print_list
from .views.display import carrier_mark

router = Router(tags=["carriers"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
Key = Annotated[int, Field(ge=1, le=MAX_KEY)]
# Dates a ledger can hold; keeps the fuzzer's year 1 and year 9999 out of date arithmetic.
Day = Annotated[date, Field(ge=date(1950, 1, 1), le=date(2100, 12, 31))]


# --- schemas -------------------------------------------------------------------------------


class CopyIn(Schema):
    kind: Literal["copy", "extract", "reprint"] = Field(description="复制, 摘抄 or 加印.")
    copies: int = Field(ge=1, le=services.COPIES_PER_ORDER_MAX)
    purpose: str = Field(min_length=1, max_length=500)
    consent_unit: str = Field("", max_length=200,
                              description="绝密: the originating unit that consented (C4).")
    consent_reference: str = Field("", max_length=100)
    consent_on: Day | None = None


class CopyOrderOut(Schema):
    id: int
    carrier_id: int
    carrier_number: str
    kind: str
    copies: int
    purpose: str
    requested_by_id: int
    requester_name: str
    consent_unit: str
    consent_reference: str
    consent_on: date | None
    state: str
    request_id: int | None
    made_on: date | None
    created_at: datetime


class CopyOut(Schema):
    id: int
    number: str
    copy_no: str
    stamp: str = Field(description="The 复制戳记 the copy bears (rule C4).")
    level: int
    mark: str
    custodian_id: int
    container_id: int | None
    state: str


class CopyOrderDetail(CopyOrderOut):
    made: list[CopyOut]


class CopyOrderPage(Schema):
    items: list[CopyOrderOut]
    next_after: int | None


class MakeIn(Schema):
    made_on: Day
    custodian_id: Key | None = Field(None, description="Default: the requester.")
    container_id: Key | None = Field(None, description="Default: the original's container.")


class WithdrawIn(Schema):
    reason: str = Field("", max_length=500)


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class PrintIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    scheme: Literal["state", "work", "commercial"] = "state"
    level: int = Field(ge=1, le=3)
    pages: int = Field(ge=1, le=services.PAGES_MAX)
    copies: int = Field(ge=1, le=services.COPIES_MAX)
    device: str = Field(min_length=1, max_length=100, description="The printer or device.")
    printed_at: datetime | None = Field(None, description="Default: now.")
    printed_by_id: Key | None = Field(None, description="A person; default the caller "
                                                        "(someone else: 保密办 only).")
    department_id: Key | None = None
    approved_by_id: Key | None = None
    recipient_id: Key | None = None
    register_carrier: bool = Field(False, description="Keep the printout: register it as a "
                                                      "carrier (保密办).")
    number: str = Field("", max_length=50)
    period_kind: Literal["", "years", "months", "long_term", "condition"] = ""
    period_value: int | None = Field(None, ge=1, le=99)
    secret_item_id: Key | None = None
    container_id: Key | None = None


class PrintOut(Schema):
    id: int
    title: str
    scheme: str
    level: int
    pages: int
    copies: int
    device: str
    printed_at: datetime
    printed_by_id: int
    printed_by_name: str
    department_id: int | None
    approved_by_id: int | None
    recipient_id: int | None
    carrier_id: int | None


class PrintPage(Schema):
    items: list[PrintOut]
    next_after: int | None


# --- output --------------------------------------------------------------------------------


def order_out(order: CopyOrder) -> dict[str, Any]:
    fields = ("id", "carrier_id", "kind", "copies", "purpose", "requested_by_id",
              "consent_unit", "consent_reference", "consent_on", "state", "request_id",
              "made_on", "created_at")
    return {**{name: getattr(order, name) for name in fields},
            "carrier_number": order.carrier.number,
            "requester_name": order.requested_by.person.name}


def copy_out(copy: Carrier) -> dict[str, Any]:
    fields = ("id", "number", "copy_no", "level", "custodian_id", "container_id", "state")
    return {**{name: getattr(copy, name) for name in fields}, "stamp": copy_stamp_of(copy),
            "mark": carrier_mark(copy)}


def order_detail(order: CopyOrder) -> dict[str, Any]:
    return {**order_out(order), "made": [copy_out(copy) for copy in copies_of(order)]}


def print_out(record: PrintRecord) -> dict[str, Any]:
    fields = ("id", "title", "scheme", "level", "pages", "copies", "device", "printed_at",
              "printed_by_id", "department_id", "approved_by_id", "recipient_id", "carrier_id")
    return {**{name: getattr(record, name) for name in fields},
            "printed_by_name": record.printed_by.name}


# --- references ----------------------------------------------------------------------------


def _of_unit(model: type[Model], pk: int | None, unit_id: int, field: str) -> Any:
    """A department, person or container of the unit by id (None when not given)."""
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk, unit_id=unit_id).first()
    if found is None:
        message = _("Choose from the list.")
        raise InvalidInput(message, code="unknown", fields={field: message})
    return found


def _order(request: HttpRequest, pk: int) -> CopyOrder:
    order = copy_orders_visible_to(request.user).filter(pk=pk).first()
    if order is None:
        raise NotFound()
    return order


def _is_office(user: Any) -> bool:
    return bool(user.person_id) and manages_carriers(user, user.person.unit_id)


# --- copy orders ---------------------------------------------------------------------------


@router.post("/carriers/{carrier_id}/copies", response={201: CopyOrderOut, **ERRORS},
             summary="Request copies of a carrier (复制 / 摘抄 / 加印, rule C4)")
def request_copy(request: HttpRequest, carrier_id: Id, data: CopyIn) -> Status:
    """422 `consent_missing` for a 绝密 carrier without the originating unit's consent."""
    carrier = carrier_for(request.user, carrier_id)
    order = services.request_copy(
        request.user, carrier, kind=data.kind, copies=data.copies, purpose=data.purpose,
        consent_unit=data.consent_unit, consent_reference=data.consent_reference,
        consent_on=data.consent_on)
    return Status(201, order_out(_order(request, order.pk)))


@router.get("/copies", response={200: CopyOrderPage, **ERRORS},
            summary="Copy orders: the unit's for the 保密办, otherwise those you see")
def list_copy_orders(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    user: Any = request.user
    orders = copy_orders_visible_to(user)
    if _is_office(user):
        orders = orders.filter(carrier__unit_id=user.person.unit_id)
    page = keyset_page(orders, None, size=query.limit, after=query.after)
    return {"items": [order_out(order) for order in page.items],
            "next_after": page.next_after}


@router.get("/copies/{order_id}", response={200: CopyOrderDetail, **ERRORS})
def get_copy_order(request: HttpRequest, order_id: Id) -> Any:
    """One copy order with the copies made on it."""
    return order_detail(_order(request, order_id))


@router.post("/copies/{order_id}/make", response={200: CopyOrderDetail, **ERRORS},
             summary="Make the copies of an approved order (保密办; rules C4, C3, L5)")
def make_copies(request: HttpRequest, order_id: Id, data: MakeIn) -> Any:
    order = _order(request, order_id)
    unit_id = order.carrier.unit_id
    services.make_copies(request.user, order, made_on=data.made_on,
                         custodian=_of_unit(Person, data.custodian_id, unit_id,
                                            "custodian_id"),
                         container=_of_unit(Container, data.container_id, unit_id,
                                            "container_id"))
    return order_detail(_order(request, order_id))


@router.post("/copies/{order_id}/withdraw", response={200: CopyOrderOut, **ERRORS},
             summary="Withdraw a copy order not yet made")
def withdraw_copy(request: HttpRequest, order_id: Id, data: WithdrawIn) -> Any:
    order = _order(request, order_id)
    services.withdraw_copy(request.user, order, reason=data.reason)
    return order_out(_order(request, order_id))


# --- the print log -------------------------------------------------------------------------


@router.get("/prints", response={200: PrintPage, **ERRORS},
            summary="The print log (rule C10): the unit's for the 保密办, otherwise your own")
def list_prints(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    records = print_list(request.user, office=_is_office(request.user))
    page = keyset_page(records, None, size=query.limit, after=query.after)
    return {"items": [print_out(record) for record in page.items],
            "next_after": page.next_after}


@router.post("/prints", response={201: PrintOut, **ERRORS},
             summary="Log a classified printout (打印输出登记, rule C10)")
def record_print(request: HttpRequest, data: PrintIn) -> Status:
    """422 `above_clearance` when the level is above the printer's clearance."""
    user: Any = request.user
    unit_id = user.person.unit_id
    item = None
    if data.secret_item_id is not None:
        item = items_visible_to(user).filter(pk=data.secret_item_id, unit_id=unit_id).first()
        if item is None:
            message = _("Choose from the list.")
            raise InvalidInput(message, code="unknown", fields={"secret_item_id": message})
    record = services.record_print(
        user, title=data.title, scheme=data.scheme, level=data.level, pages=data.pages,
        copies=data.copies, device=data.device, printed_at=data.printed_at,
        printed_by=_of_unit(Person, data.printed_by_id, unit_id, "printed_by_id"),
        department=_of_unit(Department, data.department_id, unit_id, "department_id"),
        approved_by=_of_unit(Person, data.approved_by_id, unit_id, "approved_by_id"),
        recipient=_of_unit(Person, data.recipient_id, unit_id, "recipient_id"),
        register_carrier=data.register_carrier, number=data.number,
        period_kind=data.period_kind, period_value=data.period_value, secret_item=item,
        container=_of_unit(Container, data.container_id, unit_id, "container_id"))
    return Status(201, print_out(record))
