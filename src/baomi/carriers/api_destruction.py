"""Destruction lists in the carriers API (/api/v1/carriers/destruction, rule C7).

The 保密办 opens a list, puts carriers on it and takes them off, submits it for approval
(request `carrier_destruction`, decided through the approvals API) and, once approved,
records the destruction. The 保密办 and the unit's leaders read lists without a carrier above
their clearance (rule L5); any other id is a 404. Every input is bounded by its schema; a
refusal is a DomainError (a 4xx with `{"code", "message", "fields"}`).
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.core.errors import InvalidInput
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services
from .models import Carrier, DestructionBatch
from .selectors import carriers_visible_to
from .selectors_destruction import batch_for, batches_visible_to, items_of, with_counts
from .services.destruction import (
    BODY_MAX,
    CERTIFICATE_MAX,
    EXECUTOR_MAX,
    EXECUTORS_MAX,
    PLACE_MAX,
    REASON_MAX,
)
from .views.display import carrier_mark

router = Router(tags=["carriers"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
Key = Annotated[int, Field(ge=1, le=MAX_KEY)]
MethodName = Literal["shred", "incinerate", "pulp", "degauss", "physical", "body"]
# Times a record can hold; keeps the fuzzer's year 1 and year 9999 out of time arithmetic.
Moment = Annotated[datetime, Field(ge=datetime(1950, 1, 1), le=datetime(2100, 12, 31))]
Name = Annotated[str, Field(max_length=EXECUTOR_MAX)]


class BatchIn(Schema):
    reason: str = Field(min_length=1, max_length=REASON_MAX)
    planned_method: MethodName = Field(description="Never sold as waste (rule C7).")
    planned_place: str = Field(min_length=1, max_length=PLACE_MAX)


class CarrierRef(Schema):
    carrier_id: Key


class RecordIn(Schema):
    destroyed_at: Moment
    place: str = Field(min_length=1, max_length=PLACE_MAX)
    method: MethodName
    executors: list[Name] = Field(max_length=EXECUTORS_MAX,
                                  description="At least two different people (rule C7).")
    body: str = Field(min_length=1, max_length=BODY_MAX,
                      description="The designated destruction body or the certified "
                                  "equipment.")
    certificate_no: str = Field(min_length=1, max_length=CERTIFICATE_MAX)


class BatchOut(Schema):
    id: int
    number: str
    state: str
    reason: str
    planned_method: str
    planned_place: str
    request_id: int | None
    carrier_count: int
    destroyed_at: datetime | None
    place: str
    method: str
    body: str
    certificate_no: str
    executors: list[str]


class ItemOut(Schema):
    carrier_id: int
    number: str
    title: str
    mark: str = Field(description="The mark as printed (rule S9).")
    scheme: str
    level: int
    copies: int
    pages: int | None
    custodian_name: str
    state: str


class BatchDetailOut(BatchOut):
    items: list[ItemOut]


class BatchPage(Schema):
    items: list[BatchOut]
    next_after: int | None


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


# --- output --------------------------------------------------------------------------------

BATCH_FIELDS = ("id", "number", "state", "reason", "planned_method", "planned_place",
                "request_id", "destroyed_at", "place", "method", "body", "certificate_no")


def batch_out(batch: DestructionBatch) -> dict[str, Any]:
    count = getattr(batch, "item_count", None)
    return {**{name: getattr(batch, name) for name in BATCH_FIELDS},
            "executors": list(batch.executors or []),
            "carrier_count": batch.items.count() if count is None else count}


def detail_out(batch: DestructionBatch) -> dict[str, Any]:
    items = []
    for item in items_of(batch):
        carrier = item.carrier
        items.append({"carrier_id": carrier.pk, "number": carrier.number,
                      "title": carrier.title, "mark": carrier_mark(carrier),
                      "scheme": carrier.scheme, "level": carrier.level,
                      "copies": carrier.copies, "pages": carrier.pages,
                      "custodian_name": carrier.custodian.name, "state": carrier.state})
    return {**batch_out(batch), "carrier_count": len(items), "items": items}


def _batch(request: HttpRequest, pk: int) -> DestructionBatch:
    return batch_for(request.user, pk)


def _carrier(request: HttpRequest, batch: DestructionBatch, pk: int) -> Carrier:
    """A carrier of the list's unit the caller sees (the service checks the rest)."""
    carrier = carriers_visible_to(request.user).filter(pk=pk, unit_id=batch.unit_id).first()
    if carrier is None:
        message = _("Choose a carrier of the unit.")
        raise InvalidInput(message, code="unknown_carrier", fields={"carrier_id": message})
    return carrier


# --- endpoints -----------------------------------------------------------------------------


@router.get("/destruction", response={200: BatchPage, **ERRORS},
            summary="Destruction lists (保密办 and leaders; rule C7)")
def list_batches(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    page = keyset_page(with_counts(batches_visible_to(request.user)), None, size=query.limit,
                       after=query.after)
    return {"items": [batch_out(batch) for batch in page.items],
            "next_after": page.next_after}


@router.post("/destruction", response={201: BatchDetailOut, **ERRORS},
             summary="Open a destruction list (保密办; rule C7)")
def create_batch(request: HttpRequest, data: BatchIn) -> Status:
    user: Any = request.user
    batch = services.create_batch(user, unit=user.person.unit, reason=data.reason,
                                  planned_method=data.planned_method,
                                  planned_place=data.planned_place)
    return Status(201, detail_out(_batch(request, batch.pk)))


@router.get("/destruction/{batch_id}", response={200: BatchDetailOut, **ERRORS})
def get_batch(request: HttpRequest, batch_id: Id) -> Any:
    """One list with its carriers."""
    return detail_out(_batch(request, batch_id))


@router.post("/destruction/{batch_id}/carriers", response={200: BatchDetailOut, **ERRORS},
             summary="Put a carrier on a draft list (保密办; rule C7)")
def add_carrier(request: HttpRequest, batch_id: Id, data: CarrierRef) -> Any:
    """409 `on_loan`, `already_listed`, `destroyed` or `not_in_store` when it cannot go on."""
    batch = _batch(request, batch_id)
    services.add_to_batch(request.user, batch, _carrier(request, batch, data.carrier_id))
    return detail_out(_batch(request, batch_id))


@router.post("/destruction/{batch_id}/remove", response={200: BatchDetailOut, **ERRORS},
             summary="Take a carrier off a draft list (保密办)")
def remove_carrier(request: HttpRequest, batch_id: Id, data: CarrierRef) -> Any:
    batch = _batch(request, batch_id)
    services.remove_from_batch(request.user, batch, _carrier(request, batch, data.carrier_id))
    return detail_out(_batch(request, batch_id))


@router.post("/destruction/{batch_id}/submit", response={200: BatchDetailOut, **ERRORS},
             summary="Submit a list for approval (保密办; request carrier_destruction)")
def submit(request: HttpRequest, batch_id: Id) -> Any:
    services.submit_batch(request.user, _batch(request, batch_id))
    return detail_out(_batch(request, batch_id))


@router.post("/destruction/{batch_id}/record", response={200: BatchDetailOut, **ERRORS},
             summary="Record the destruction of an approved list (保密办; rule C7)")
def record(request: HttpRequest, batch_id: Id, data: RecordIn) -> Any:
    """422 `two_executors` for fewer than two people, `not_approved` before approval,
    `before_approval`, `method_unsuited`; 409 `already_destroyed`."""
    services.record_destruction(
        request.user, _batch(request, batch_id), destroyed_at=data.destroyed_at,
        place=data.place, method=data.method, executors=list(data.executors), body=data.body,
        certificate_no=data.certificate_no)
    return detail_out(_batch(request, batch_id))
