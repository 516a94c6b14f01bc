"""`carrier_movement` (载体外发/携带外出/出境审批, rules C2, C6): someone asks to send a carrier
out, take it out or take it abroad; the chain `approvals.chains.carrier_movement` (default
部门负责人 → 保密办, 绝密 adds 单位领导) decides. The request is at the carrier's level for a
state secret (rule L5), 非密 for 工作秘密 and 商业秘密 (rule L4); its 部门负责人 step is the head
of the carrying person's department, who decides no step of their own movement. Approved: the
保密办 hands it over; rejected or withdrawn: it is closed (services.conclude_movement,
services.withdraw_movement).
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

from .models import Movement
from .models.movement import MovementKind, MovementState

MAX_ID = 2**63 - 1


class MovementPayload(BaseModel):
    """What the request carries: the movement, and a summary for the approvers' lists."""

    model_config = ConfigDict(extra="forbid")

    movement_id: int = Field(ge=1, le=MAX_ID)
    number: str = Field(default="", max_length=50)
    title: str = Field(default="", max_length=200)
    person: str = Field(default="", max_length=100)
    kind: str = Field(pattern="^(send_out|carry_out|abroad)$")
    destination: str = Field(default="", max_length=200)
    due_back_on: str = Field(default="", max_length=10)


def movement_payload(movement: Movement) -> dict[str, Any]:
    carrier = movement.carrier
    return {"movement_id": movement.pk, "number": carrier.number[:50],
            "title": carrier.title[:200], "person": movement.carried_by.name[:100],
            "kind": movement.kind, "destination": movement.destination[:200],
            "due_back_on": movement.due_back_on.isoformat() if movement.due_back_on else ""}


def _row(payload: dict[str, Any], *fields: str) -> dict[str, Any] | None:
    return Movement.objects.filter(pk=int(payload.get("movement_id") or 0)).values(
        *fields).first()


class CarrierMovementRequest(RequestType):
    code = "carrier_movement"
    subject_page = "carriers:movement_detail"
    label = gettext_lazy("Classified carrier leaving the unit")
    payload_schema = MovementPayload

    def describe(self, payload: dict[str, Any]) -> str:
        kind = payload.get("kind", "")
        kind_label = MovementKind(kind).label if kind in MovementKind.values else kind
        return _("%(kind)s of %(number)s %(title)s to %(destination)s by %(person)s") % {
            "kind": kind_label, "number": payload.get("number", ""),
            "title": payload.get("title", ""), "destination": payload.get("destination", ""),
            "person": payload.get("person", "")}

    def level_of(self, payload: dict[str, Any]) -> Level:
        """rule L5: the carrier's level for a state secret (read from the ledger)."""
        row = _row(payload, "carrier__scheme", "carrier__level")
        if row is None or row["carrier__scheme"] != Scheme.STATE:
            return Level.NONSECRET
        return Level(int(row["carrier__level"]))

    def department_of(self, actor: Any, payload: dict[str, Any]) -> int | None:
        row = _row(payload, "carried_by__department_id")
        return row["carried_by__department_id"] if row else None

    def subject_person_of(self, payload: dict[str, Any]) -> int | None:
        row = _row(payload, "carried_by_id")
        return row["carried_by_id"] if row else None

    def check(self, actor: Any, payload: BaseModel) -> None:
        from .services import check_movement

        assert isinstance(payload, MovementPayload)
        movement = (Movement.objects.select_related("carrier", "carrier__secret_item",
                                                    "carried_by", "request")
                    .filter(pk=payload.movement_id).first())
        if movement is None or movement.created_by_id != getattr(actor, "pk", None):
            message = _("Choose a movement you asked for.")
            raise InvalidInput(message, code="unknown_movement",
                               fields={"movement_id": message})
        if movement.state != MovementState.REQUESTED or (
                movement.request is not None
                and movement.request.state != RequestState.RETURNED):
            raise Conflict(_("This movement has already been submitted."),
                           code="already_decided")
        check_movement(movement)  # rules C2, C6, again at every resubmission

    def on_approved(self, request: Request, actor: Any) -> None:
        from .services import conclude_movement

        conclude_movement(actor, self._movement(request), approved=True)

    def on_rejected(self, request: Request, actor: Any) -> None:
        from .services import conclude_movement

        conclude_movement(actor, self._movement(request), approved=False)

    def on_withdrawn(self, request: Request, actor: Any) -> None:
        from .services import withdraw_movement

        withdraw_movement(actor, self._movement(request))

    def _movement(self, request: Request) -> Movement:
        movement = Movement.objects.filter(pk=request.payload.get("movement_id")).first()
        if movement is None:
            raise Conflict(_("The movement named in the request no longer exists."),
                           code="unknown_movement")
        return movement


register_request_type(CarrierMovementRequest())
