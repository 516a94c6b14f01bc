"""`carrier_destruction` (涉密载体销毁审批, rule C7): the 保密办 sends a destruction list for
approval; the chain `approvals.chains.carrier_destruction` (default 保密办 → 单位领导) decides.
The request is at the highest state-secret level on the list (rule L5; 工作秘密 and 商业秘密
carry no state level, rule L4). Approved: the list waits to be carried out; rejected: its
carriers go back in store; withdrawn: it is a draft again (services.conclude_batch,
services.batch_withdrawn). Filed only from the list (services.submit_batch); a returned
request may be resubmitted unchanged.
"""

from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field

from baomi.accounts.roles import Role
from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.approvals.registry import RequestType, register_request_type
from baomi.core.errors import Conflict, InvalidInput
from baomi.core.labels import Level, Scheme

from .models import DestructionBatch, DestructionItem
from .models.destruction import BatchState, DestructionMethod
from .selectors import manages_carriers

MAX_ID = 2**63 - 1


class DestructionPayload(BaseModel):
    """What the request carries: the list, and a summary for the approvers' lists."""

    model_config = ConfigDict(extra="forbid")

    batch_id: int = Field(ge=1, le=MAX_ID)
    number: str = Field(default="", max_length=50)
    count: int = Field(default=0, ge=0, le=1_000_000)
    method: str = Field(default="", max_length=12)
    reason: str = Field(default="", max_length=200)


def batch_payload(batch: DestructionBatch) -> dict[str, Any]:
    return {"batch_id": batch.pk, "number": batch.number[:50], "count": batch.items.count(),
            "method": batch.planned_method, "reason": batch.reason[:200]}


class CarrierDestructionRequest(RequestType):
    code = "carrier_destruction"
    subject_page = "carriers:destruction_detail"
    label = gettext_lazy("Destruction of classified carriers")
    payload_schema = DestructionPayload

    def describe(self, payload: dict[str, Any]) -> str:
        method = payload.get("method", "")
        method_label = (DestructionMethod(method).label if method in DestructionMethod.values
                        else method)
        return _("Destruction list %(number)s: %(count)s carriers, %(method)s") % {
            "number": payload.get("number", ""), "count": payload.get("count", 0),
            "method": method_label}

    def level_of(self, payload: dict[str, Any]) -> Level:
        """rule L5: the highest state-secret level on the list (read from the list, not from
        the payload); rule L4: 工作秘密 and 商业秘密 are no state-secret levels."""
        highest = (DestructionItem.objects
                   .filter(batch_id=int(payload.get("batch_id") or 0),
                           carrier__scheme=Scheme.STATE)
                   .aggregate(level=Max("carrier__level"))["level"])
        return Level(int(highest or Level.NONSECRET))

    def can_submit(self, actor: Any) -> bool:
        return Role.SECRECY_OFFICE in actor.role_set()

    def check(self, actor: Any, payload: BaseModel) -> None:
        from .services.destruction import submitting_batch

        assert isinstance(payload, DestructionPayload)
        batch = (DestructionBatch.objects.select_related("request")
                 .filter(pk=payload.batch_id).first())
        if batch is None or not manages_carriers(actor, batch.unit_id):
            message = _("Choose a destruction list of your unit.")
            raise InvalidInput(message, code="unknown_batch", fields={"batch_id": message})
        first_filing = batch.state == BatchState.DRAFT and submitting_batch() == batch.pk
        resubmission = (batch.state == BatchState.SUBMITTED and batch.request is not None
                        and batch.request.state == RequestState.RETURNED)
        if not (first_filing or resubmission):
            raise Conflict(_("Submit the list from its page."), code="not_from_list")

    def on_approved(self, request: Request, actor: Any) -> None:
        from .services.destruction import batch_of_request, conclude_batch

        conclude_batch(actor, batch_of_request(request), approved=True)

    def on_rejected(self, request: Request, actor: Any) -> None:
        from .services.destruction import batch_of_request, conclude_batch

        conclude_batch(actor, batch_of_request(request), approved=False)

    def on_withdrawn(self, request: Request, actor: Any) -> None:
        from .services.destruction import batch_of_request, batch_withdrawn

        batch_withdrawn(actor, batch_of_request(request))


register_request_type(CarrierDestructionRequest())
