"""REST API of the approvals engine, mounted at /api/v1/approvals/.

Lists answer `{"items": [...], "next_after": id | null}` (keyset, newest first); errors answer
`{"code", "message", "fields"}` with a 4xx (baomi/api.py turns DomainErrors into those).
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.core.paging import keyset_page
from baomi.core.schemas import ErrorOut

from .models import Request, Step
from .registry import RequestType
from .selectors import inbox_for, request_for, requests_of, steps_of, submittable_types
from .services import (
    TEXT_MAX,
    TITLE_MAX,
    decide,
    record_request_read,
    resubmit_request,
    submit_request,
    withdraw_request,
)

router = Router(tags=["approvals"])

MAX_ID = 2**63 - 1
RequestId = Annotated[int, Path(ge=1, le=MAX_ID)]


ERRORS: dict[int, Any] = {status: ErrorOut for status in (400, 401, 403, 404, 409, 422)}


class RequestTypeOut(Schema):
    code: str
    label: str
    has_form: bool
    payload_schema: dict[str, Any]


class StepOut(Schema):
    id: int
    round: int
    order: int
    role: str
    state: str
    decision: str
    decided_by_id: int | None
    decided_by: str | None
    decided_at: datetime | None
    comment: str
    ip: str


class RequestOut(Schema):
    id: int
    request_type: str
    type_label: str
    title: str
    level: int
    state: str
    round: int
    current_step: int
    current_role: str
    requester_id: int
    requester: str
    unit_id: int
    created_at: datetime
    decided_at: datetime | None


class RequestDetailOut(RequestOut):
    description: str
    payload: dict[str, Any]
    subject_type: str
    subject_id: int | None
    steps: list[StepOut]


class RequestPage(Schema):
    items: list[RequestOut]
    next_after: int | None


class RequestIn(Schema):
    request_type: str = Field(min_length=1, max_length=50)
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    payload: dict[str, Any]
    level: int | None = Field(default=None, ge=0, le=3)


class ResubmitIn(Schema):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    payload: dict[str, Any]
    level: int | None = Field(default=None, ge=0, le=3)


class DecisionIn(Schema):
    decision: Literal["approve", "reject", "return"]
    comment: str = Field(default="", max_length=TEXT_MAX)
    step_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class WithdrawIn(Schema):
    reason: str = Field(min_length=1, max_length=TEXT_MAX)


class PageQuery(Schema):
    after: int | None = Field(default=None, ge=1, le=MAX_ID)
    limit: int = Field(default=50, ge=1, le=200)


def _row(request: Request) -> dict[str, Any]:
    return {
        "id": request.pk, "request_type": request.request_type,
        "type_label": request.type_label, "title": request.title,
        "level": int(request.level),
        "state": request.state, "round": request.round, "current_step": request.current_step,
        "current_role": request.current_role, "requester_id": request.requester_id,
        "requester": request.requester.person.name, "unit_id": request.unit_id,
        "created_at": request.created_at, "decided_at": request.decided_at,
    }


def _step(step: Step) -> dict[str, Any]:
    return {
        "id": step.pk, "round": step.round, "order": step.order, "role": step.role,
        "state": step.state, "decision": step.decision, "decided_by_id": step.decided_by_id,
        "decided_by": step.decided_by.person.name if step.decided_by else None,
        "decided_at": step.decided_at, "comment": step.comment, "ip": step.ip,
    }


def _detail(request: Request) -> dict[str, Any]:
    return {
        **_row(request), "description": request.description, "payload": request.payload,
        "subject_type": request.subject_type,
        "subject_id": request.subject_id, "steps": [_step(s) for s in steps_of(request)],
    }


def _page(queryset: Any, query: PageQuery) -> dict[str, Any]:
    page = keyset_page(queryset, None, size=query.limit, after=query.after)
    return {"items": [_row(r) for r in page.items], "next_after": page.next_after}


def _type(rtype: RequestType) -> dict[str, Any]:
    return {"code": rtype.code, "label": str(rtype.label),
            "has_form": rtype.form_class is not None,
            "payload_schema": rtype.payload_schema.model_json_schema()}


@router.get("/inbox", response={200: RequestPage, **ERRORS}, summary="Awaiting my approval")
def inbox(request: HttpRequest, query: Query[PageQuery]) -> Any:
    return _page(inbox_for(request.user), query)


@router.get("/requests", response={200: RequestPage, **ERRORS}, summary="My requests")
def my_requests(request: HttpRequest, query: Query[PageQuery]) -> Any:
    return _page(requests_of(request.user), query)


@router.get("/requests/{id}", response={200: RequestDetailOut, **ERRORS},
            summary="One request with its steps")
def request_detail(request: HttpRequest, id: RequestId) -> Any:
    approval = request_for(request.user, id)
    record_request_read(request.user, approval)
    return _detail(approval)


@router.post("/requests", response={201: RequestDetailOut, **ERRORS}, summary="File a request")
def create_request(request: HttpRequest, data: RequestIn) -> Any:
    approval = submit_request(request.user, data.request_type, title=data.title,
                              payload=data.payload, level=data.level)
    return Status(201, _detail(request_for(request.user, approval.pk)))


@router.post("/requests/{id}/decision", response={200: RequestDetailOut, **ERRORS},
             summary="Approve, reject or return the current step")
def decide_request(request: HttpRequest, id: RequestId, data: DecisionIn) -> Any:
    approval = request_for(request.user, id)
    decide(request.user, approval, data.decision, comment=data.comment, step_id=data.step_id)
    return _detail(request_for(request.user, id))


@router.post("/requests/{id}/resubmit", response={200: RequestDetailOut, **ERRORS},
             summary="Resubmit a returned request")
def resubmit(request: HttpRequest, id: RequestId, data: ResubmitIn) -> Any:
    approval = request_for(request.user, id)
    resubmit_request(request.user, approval, payload=data.payload, title=data.title,
                     level=data.level)
    return _detail(request_for(request.user, id))


@router.post("/requests/{id}/withdraw", response={200: RequestDetailOut, **ERRORS},
             summary="Withdraw a pending or returned request")
def withdraw(request: HttpRequest, id: RequestId, data: WithdrawIn) -> Any:
    approval = request_for(request.user, id)
    withdraw_request(request.user, approval, reason=data.reason)
    return _detail(request_for(request.user, id))


@router.get("/types", response={200: list[RequestTypeOut], **ERRORS},
            summary="Kinds of request I can file")
def request_types(request: HttpRequest) -> Any:
    return [_type(rtype) for rtype in submittable_types(request.user)]
