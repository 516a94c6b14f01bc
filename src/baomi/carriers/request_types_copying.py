"""`carrier_copy` (复制审批, rule C4): someone who may borrow a carrier asks to copy, extract
or reprint it; the chain `approvals.chains.carrier_copy` (default 部门负责人 → 保密办, 绝密 adds
单位领导) decides. The request is at the carrier's level for a state secret (rule L5), 非密 for
工作秘密 and 商业秘密 (rule L4); its 部门负责人 step is the head of the requester's department,
and the requester decides no step of their own order. Approved: the 保密办 makes the copies;
rejected or withdrawn: the order is closed (services.conclude_copy, services.withdraw_copy).
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field

from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.approvals.registry import RequestType, register_request_type
from baomi.core.errors import Conflict, InvalidInput
from baomi.core.labels import Level, Scheme

from .models import CopyOrder
from .models.copying import CopyKind, CopyState

MAX_ID = 2**63 - 1


class CopyPayload(BaseModel):
    """What the request carries: the order, and a summary for the approvers' lists."""

    model_config = ConfigDict(extra="forbid")

    order_id: int = Field(ge=1, le=MAX_ID)
    number: str = Field(default="", max_length=50)
    title: str = Field(default="", max_length=200)
    requester: str = Field(default="", max_length=100)
    department: str = Field(default="", max_length=100)
    kind: str = Field(pattern="^(copy|extract|reprint)$")
    copies: int = Field(ge=1, le=999)
    consent: str = Field(default="", max_length=320)


def copy_payload(order: CopyOrder) -> dict[str, Any]:
    carrier, person = order.carrier, order.requested_by.person
    department = person.department.name if person.department else ""
    consent = " ".join(part for part in (order.consent_unit, order.consent_reference) if part)
    return {"order_id": order.pk, "number": carrier.number[:50], "title": carrier.title[:200],
            "requester": person.name[:100], "department": department[:100],
            "kind": order.kind, "copies": order.copies, "consent": consent[:320]}


def _order_row(payload: dict[str, Any], *fields: str) -> dict[str, Any] | None:
    return CopyOrder.objects.filter(pk=int(payload.get("order_id") or 0)).values(*fields).first()


class CarrierCopyRequest(RequestType):
    code = "carrier_copy"
    subject_page = "carriers:copy_detail"
    label = gettext_lazy("Copy of a classified carrier")
    payload_schema = CopyPayload

    def describe(self, payload: dict[str, Any]) -> str:
        kind = payload.get("kind", "")
        kind_label = CopyKind(kind).label if kind in CopyKind.values else kind
        return _("%(kind)s of %(number)s %(title)s × %(copies)s by %(person)s") % {
            "kind": kind_label, "number": payload.get("number", ""),
            "title": payload.get("title", ""), "copies": payload.get("copies", ""),
            "person": payload.get("requester", "")}

    def level_of(self, payload: dict[str, Any]) -> Level:
        """rule L5: the carrier's level for a state secret (read from the ledger, not from the
        payload); rule L4: 工作秘密 and 商业秘密 are no state-secret levels."""
        row = _order_row(payload, "carrier__scheme", "carrier__level")
        if row is None or row["carrier__scheme"] != Scheme.STATE:
            return Level.NONSECRET
        return Level(int(row["carrier__level"]))

    def department_of(self, actor: Any, payload: dict[str, Any]) -> int | None:
        """The 部门负责人 step is decided by the head of the requester's department."""
        row = _order_row(payload, "requested_by__person__department_id")
        return row["requested_by__person__department_id"] if row else None

    def subject_person_of(self, payload: dict[str, Any]) -> int | None:
        """The requester decides no step of their own copy order."""
        row = _order_row(payload, "requested_by__person_id")
        return row["requested_by__person_id"] if row else None

    def check(self, actor: Any, payload: BaseModel) -> None:
        from .services import check_copy_order

        assert isinstance(payload, CopyPayload)
        order = (CopyOrder.objects.select_related("carrier", "carrier__secret_item",
                                                  "requested_by__person", "request")
                 .filter(pk=payload.order_id).first())
        if order is None or order.requested_by_id != getattr(actor, "pk", None):
            message = _("Choose a copy order you asked for.")
            raise InvalidInput(message, code="unknown_order", fields={"order_id": message})
        # Filed once (request still None); resubmitted only after a return.
        if order.state != CopyState.REQUESTED or (
                order.request is not None and order.request.state != RequestState.RETURNED):
            raise Conflict(_("This copy order has already been submitted."),
                           code="already_decided")
        check_copy_order(actor, order)  # rule C4, again at every resubmission

    def on_approved(self, request: Request, actor: Any) -> None:
        from .services import conclude_copy

        conclude_copy(actor, self._order(request), approved=True)

    def on_rejected(self, request: Request, actor: Any) -> None:
        from .services import conclude_copy

        conclude_copy(actor, self._order(request), approved=False)

    def on_withdrawn(self, request: Request, actor: Any) -> None:
        from .services import withdraw_copy

        withdraw_copy(actor, self._order(request))

    def _order(self, request: Request) -> CopyOrder:
        order = CopyOrder.objects.filter(pk=request.payload.get("order_id")).first()
        if order is None:
            raise Conflict(_("The copy order named in the request no longer exists."),
                           code="unknown_order")
        return order


register_request_type(CarrierCopyRequest())
