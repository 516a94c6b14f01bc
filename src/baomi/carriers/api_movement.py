"""Carriers leaving the unit in the carriers API (/api/v1/carriers, rules C2, C6).

Handlers call selectors and services only; every input is bounded by its schema and a refusal
is a DomainError (a 4xx with `{"code", "message", "fields"}`): 422 `top_secret_abroad`,
`two_escorts` (rule C6), `not_confidential_channel` (rule C2), `clearance`; 409
`not_in_store`, `illegal_transition`, `concurrent_change`.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.accounts.models import Person
from baomi.core.errors import InvalidInput, NotFound
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services
from .models import Movement
from .selectors import carrier_for, manages_carriers
from .selectors_movement import movements_visible_to

router = Router(tags=["carriers"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
Key = Annotated[int, Field(ge=1, le=MAX_KEY)]
Day = Annotated[date, Field(ge=date(1950, 1, 1), le=date(2100, 12, 31))]
Name = Annotated[str, Field(min_length=1, max_length=50)]


class MovementIn(Schema):
    kind: Literal["send_out", "carry_out", "abroad"] = Field(
        description="外发/传递, 携带外出 or 出境.")
    destination: str = Field(min_length=1, max_length=200)
    purpose: str = Field(min_length=1, max_length=500)
    channel: str = Field("", max_length=20, description="send_out: traffic, mail or "
                                                        "in_person (机要 only, rule C2).")
    escorts: list[Name] = Field(default_factory=list, max_length=10,
                                description="Names; at least two for 绝密 (rule C6).")
    carried_by_id: Key | None = Field(None, description="Default: the caller (someone else: "
                                                        "保密办 only).")
    due_back_on: Day | None = Field(None, description="carry_out/abroad only.")


class MovementOut(Schema):
    id: int
    carrier_id: int
    carrier_number: str
    kind: str
    destination: str
    purpose: str
    channel: str
    carried_by_id: int
    carried_by_name: str
    escorts: list[str]
    state: str
    request_id: int | None
    out_at: datetime | None
    due_back_on: date | None
    returned_at: datetime | None
    receipt_signed_by: str
    received_on: date | None
    created_at: datetime


class MovementPage(Schema):
    items: list[MovementOut]
    next_after: int | None


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class HandOverIn(Schema):
    out_at: datetime | None = Field(None, description="Default: now.")


class ReturnIn(Schema):
    returned_at: datetime | None = Field(None, description="Default: now.")


class ReceiptIn(Schema):
    signed_by_name: str = Field(min_length=1, max_length=100)
    received_on: Day


def movement_out(movement: Movement) -> dict[str, Any]:
    fields = ("id", "carrier_id", "kind", "destination", "purpose", "channel",
              "carried_by_id", "state", "request_id", "out_at", "due_back_on", "returned_at",
              "receipt_signed_by", "received_on", "created_at")
    return {**{name: getattr(movement, name) for name in fields},
            "carrier_number": movement.carrier.number,
            "carried_by_name": movement.carried_by.name,
            "escorts": [str(name) for name in movement.escorts]}


def _movement(request: HttpRequest, pk: int) -> Movement:
    movement = movements_visible_to(request.user).filter(pk=pk).first()
    if movement is None:
        raise NotFound()
    return movement


def _person(pk: int | None, unit_id: int) -> Person | None:
    if pk is None:
        return None
    found = Person.objects.filter(pk=pk, unit_id=unit_id).first()
    if found is None:
        message = _("Choose from the list.")
        raise InvalidInput(message, code="unknown", fields={"carried_by_id": message})
    return found


@router.post("/carriers/{carrier_id}/movements", response={201: MovementOut, **ERRORS},
             summary="Ask to send out, take out or take abroad a carrier (rules C2, C6)")
def request_movement(request: HttpRequest, carrier_id: Id, data: MovementIn) -> Status:
    carrier = carrier_for(request.user, carrier_id)
    movement = services.request_movement(
        request.user, carrier, kind=data.kind, destination=data.destination,
        purpose=data.purpose, channel=data.channel, escorts=list(data.escorts),
        carried_by=_person(data.carried_by_id, carrier.unit_id),
        due_back_on=data.due_back_on)
    return Status(201, movement_out(_movement(request, movement.pk)))


@router.get("/movements", response={200: MovementPage, **ERRORS},
            summary="Carrier movements: the unit's for the 保密办, otherwise your own")
def list_movements(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    user: Any = request.user
    movements = movements_visible_to(user)
    if user.person_id and manages_carriers(user, user.person.unit_id):
        movements = movements.filter(carrier__unit_id=user.person.unit_id)
    page = keyset_page(movements, None, size=query.limit, after=query.after)
    return {"items": [movement_out(m) for m in page.items], "next_after": page.next_after}


@router.get("/movements/{movement_id}", response={200: MovementOut, **ERRORS})
def get_movement(request: HttpRequest, movement_id: Id) -> Any:
    return movement_out(_movement(request, movement_id))


@router.post("/movements/{movement_id}/hand-over", response={200: MovementOut, **ERRORS},
             summary="Hand over the carrier of an approved movement (保密办)")
def hand_over(request: HttpRequest, movement_id: Id, data: HandOverIn) -> Any:
    services.hand_over(request.user, _movement(request, movement_id), out_at=data.out_at)
    return movement_out(_movement(request, movement_id))


@router.post("/movements/{movement_id}/return", response={200: MovementOut, **ERRORS},
             summary="Record a carrier taken out or abroad back in store (保密办)")
def record_return(request: HttpRequest, movement_id: Id, data: ReturnIn) -> Any:
    services.record_return(request.user, _movement(request, movement_id),
                           returned_at=data.returned_at)
    return movement_out(_movement(request, movement_id))


@router.post("/movements/{movement_id}/receipt", response={200: MovementOut, **ERRORS},
             summary="Record the recipient's receipt of a carrier sent out (保密办, rule C2)")
def record_receipt(request: HttpRequest, movement_id: Id, data: ReceiptIn) -> Any:
    services.record_receipt(request.user, _movement(request, movement_id),
                            signed_by_name=data.signed_by_name,
                            received_on=data.received_on)
    return movement_out(_movement(request, movement_id))
