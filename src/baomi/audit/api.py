"""REST API of the audit trail, under /api/v1/audit/ (rule T2: the 安全审计员 only).

`before` and `after` are returned as the exact canonical JSON text that was hashed, so that a
client can recompute every hash itself (see chain.row_hash). Every input is bounded by its
schema; a refusal is a DomainError, which the root API turns into a 4xx with a code.
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from baomi.core.paging import keyset_page
from baomi.core.schemas import ErrorOut

from . import selectors
from .selectors import FILTER_LENGTHS, MAX_DATE, MAX_SEQ, MIN_DATE, EventFilters

router = Router(tags=["audit"])

Seq = Annotated[int, Path(ge=1, le=MAX_SEQ)]
# No NUL character: PostgreSQL refuses it in text, so it must be refused before the query.
NO_NUL = r"^[^\x00]*$"


ERRORS: dict[int, Any] = {status: ErrorOut for status in (400, 401, 403, 404, 422)}


class EventOut(Schema):
    seq: int
    at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    unit_id: int | None
    before: str = Field(description="Canonical JSON text as hashed, or empty.")
    after: str = Field(description="Canonical JSON text as hashed, or empty.")
    reason: str
    request_id: str
    ip: str
    prev_hash: str
    hash: str


class EventPage(Schema):
    items: list[EventOut]
    next_after: int | None


class EventQuery(Schema):
    actor: str = Field("", max_length=FILTER_LENGTHS["actor"], pattern=NO_NUL,
                       description="Username (exact) or part of the real name; 'system'.")
    action: str = Field("", max_length=FILTER_LENGTHS["action"], pattern=NO_NUL)
    object_type: str = Field("", max_length=FILTER_LENGTHS["object_type"], pattern=NO_NUL)
    object_id: str = Field("", max_length=FILTER_LENGTHS["object_id"], pattern=NO_NUL)
    date_from: date | None = Field(None, ge=MIN_DATE, le=MAX_DATE,
                                   description="Local date (Asia/Shanghai), inclusive.")
    date_to: date | None = Field(None, ge=MIN_DATE, le=MAX_DATE,
                                 description="Local date (Asia/Shanghai), inclusive.")
    after: int | None = Field(None, ge=1, le=MAX_SEQ, description="Events with seq below this.")
    limit: int = Field(50, ge=1, le=500)


class VerifyOut(Schema):
    ok: bool
    count: int
    first_broken_seq: int | None
    reason: str = Field(description="'hash mismatch', 'link broken', 'missing sequence', "
                                    "'checkpoint …', or empty when ok.")
    head_seq: int = Field(description="The last event verified intact.")
    head_hash: str
    checkpoints: int


class CheckpointOut(Schema):
    id: int
    seq: int
    head_hash: str
    signed_at: datetime
    public_key: str
    signature: str
    signer_label: str


class CheckpointPage(Schema):
    items: list[CheckpointOut]
    next_after: int | None


class CheckpointQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_SEQ)
    limit: int = Field(50, ge=1, le=500)


@router.get("/events", response={200: EventPage, **ERRORS}, summary="List audit events")
def list_events(request: HttpRequest, query: Query[EventQuery]) -> Any:
    """Newest first; keyset pages by seq (`after` = the `next_after` of the previous page)."""
    filters = EventFilters(
        actor=query.actor, action=query.action, object_type=query.object_type,
        object_id=query.object_id, date_from=query.date_from, date_to=query.date_to,
    )
    events = selectors.events_visible_to(request.user, filters)
    page = keyset_page(events, None, key="seq", size=query.limit, after=query.after)
    return {"items": page.items, "next_after": page.next_after}


@router.get("/events/{seq}", response={200: EventOut, **ERRORS}, summary="One audit event")
def get_event(request: HttpRequest, seq: Seq) -> Any:
    return selectors.event_visible_to(request.user, seq)


@router.get("/verify", response={200: VerifyOut, **ERRORS}, summary="Verify the chain")
def verify(request: HttpRequest) -> Any:
    """Walks the whole chain and every checkpoint (read-only); `ok` false names the break."""
    return selectors.verification_for(request.user).as_dict()


@router.get("/checkpoints", response={200: CheckpointPage, **ERRORS},
            summary="List signed checkpoints")
def list_checkpoints(request: HttpRequest, query: Query[CheckpointQuery]) -> Any:
    checkpoints = selectors.checkpoints_visible_to(request.user)
    page = keyset_page(checkpoints, None, key="id", size=query.limit, after=query.after)
    return {"items": page.items, "next_after": page.next_after}
