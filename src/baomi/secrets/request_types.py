"""Requests the 定密 app serves through the approvals engine.

- `secret_determination` (rule S4): the 承办人 proposed an item; the 定密责任人 decides
  (chain `approvals.chains.secret_determination`). Approved: classified; rejected or
  withdrawn: not a secret.
- `secret_change` (rule S10): a change of level or period, a removal from the 知悉范围 or a
  declassification; the 定密责任人 decides (chain `secret_change`).
- `secret_scope` (rule S7): an addition to the 知悉范围; the 主要负责人 or a designee decides
  (chain `secret_scope`).

Each request is at the item's level for a state secret (rule L5; a change to a higher level
at that one), 非密 for the other schemes (rule L4, which are no state-secret levels); its
部门负责人 step, when a policy adds one, is the head of the item's department. The payload
is checked by the services' validators at filing and at every resubmission; the summary
fields (number, title) are refreshed from the item there, so a resubmission cannot misname it.
"""

from typing import Annotated, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field

from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.approvals.registry import RequestType, register_request_type
from baomi.core.errors import Conflict, InvalidInput
from baomi.core.labels import Level, Scheme

from .choices import ChangeKind, PeriodKind
from .models import SecretItem

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PERIOD_KINDS = "^(" + "|".join(PeriodKind.values) + ")$"
CHANGE_KINDS = "^(level|period|scope_remove|declassify)$"


class ItemPayload(BaseModel):
    """The item a request is about, with its number and title for the approvers' lists."""

    model_config = ConfigDict(extra="forbid")

    item_id: int = Field(ge=1, le=MAX_ID)
    number: str = Field(default="", max_length=50)
    title: str = Field(default="", max_length=200)


def item_summary(item: SecretItem) -> dict[str, Any]:
    return {"item_id": item.pk, "number": item.number[:50], "title": item.title[:200]}


class SecretItemRequest(RequestType):
    """What the three types share: the item, its level and its department."""

    def level_of(self, payload: dict[str, Any]) -> Level:
        """rule L5: a state secret's request is at the item's level (or the new level of a
        level change, when higher); rule L4: the other schemes are no state-secret levels."""
        row = (SecretItem.objects.filter(pk=int(payload.get("item_id") or 0))
               .values("scheme", "level").first())
        if row is None or row["scheme"] != Scheme.STATE:
            return Level.NONSECRET
        new_level = payload.get("level") if payload.get("kind") == ChangeKind.LEVEL else None
        return Level(max(int(row["level"]), int(new_level or 0)))

    def department_of(self, actor: Any, payload: dict[str, Any]) -> int | None:
        """A 部门负责人 step is decided by the head of the item's department."""
        return (SecretItem.objects.filter(pk=int(payload.get("item_id") or 0))
                .values_list("department_id", flat=True).first())

    def _item(self, request: Request) -> SecretItem:
        item = (SecretItem.objects.select_related("unit")
                .filter(pk=request.payload.get("item_id")).first())
        if item is None:
            raise Conflict(_("The item named in the request no longer exists."),
                           code="unknown_item")
        return item

    def _describe(self, text: str, payload: dict[str, Any]) -> str:
        return text % {"number": payload.get("number", ""), "title": payload.get("title", "")}


class DeterminationRequest(SecretItemRequest):
    code = "secret_determination"
    subject_page = "secrets:item_detail"
    label = gettext_lazy("Classification of a secret item")
    payload_schema = ItemPayload

    def describe(self, payload: dict[str, Any]) -> str:
        return self._describe(_("Classify %(number)s %(title)s"), payload)

    def check(self, actor: Any, payload: BaseModel) -> None:
        from .choices import ItemState

        assert isinstance(payload, ItemPayload)
        item = (SecretItem.objects.select_related("request")
                .filter(pk=payload.item_id).first())
        # rule S4: the 承办人 files the proposal of their own item.
        if item is None or item.proposer_id != actor.person_id:
            message = _("Choose an item you proposed.")
            raise InvalidInput(message, code="unknown_item", fields={"item_id": message})
        # Filed once (request still None); resubmitted only after a return.
        if item.state != ItemState.PROPOSED or (
                item.request is not None and item.request.state != RequestState.RETURNED):
            raise Conflict(_("This item has already been submitted or decided."),
                           code="already_decided")
        payload.number, payload.title = item.number[:50], item.title[:200]

    def on_approved(self, request: Request, actor: Any) -> None:
        from .services import conclude_determination

        conclude_determination(actor, self._item(request), approved=True)

    def on_rejected(self, request: Request, actor: Any) -> None:
        from .services import conclude_determination

        conclude_determination(actor, self._item(request), approved=False)

    def on_withdrawn(self, request: Request, actor: Any) -> None:
        from .services import withdraw_determination

        withdraw_determination(actor, self._item(request))


class ChangePayload(ItemPayload):
    """rule S10: what changes; the fields the kind does not use are cleared by the check."""

    kind: str = Field(pattern=CHANGE_KINDS)
    level: int | None = Field(default=None, ge=Level.SECRET, le=Level.TOP_SECRET)
    period_kind: str | None = Field(default=None, pattern=PERIOD_KINDS)
    period_value: int | None = Field(default=None, ge=1, le=999)
    declassify_condition: str = Field(default="", max_length=1000)
    remove_people: list[Id] = Field(default_factory=list, max_length=200)
    remove_departments: list[Id] = Field(default_factory=list, max_length=50)
    reason: str = Field(min_length=1, max_length=2000)


class ChangeRequest(SecretItemRequest):
    code = "secret_change"
    subject_page = "secrets:item_detail"
    label = gettext_lazy("Change of a secret item's classification")
    payload_schema = ChangePayload

    def describe(self, payload: dict[str, Any]) -> str:
        kind = payload.get("kind", "")
        kind_label = ChangeKind(kind).label if kind in ChangeKind.values else kind
        return _("%(kind)s of %(number)s %(title)s") % {
            "kind": kind_label, "number": payload.get("number", ""),
            "title": payload.get("title", "")}

    def check(self, actor: Any, payload: BaseModel) -> None:
        from .services import checked_change

        assert isinstance(payload, ChangePayload)
        checked_change(actor, payload)

    def on_approved(self, request: Request, actor: Any) -> None:
        from .services import apply_change

        apply_change(actor, self._item(request), request.payload, request)


class ScopePayload(ItemPayload):
    """rule S7: whom to add to the 知悉范围."""

    people: list[Id] = Field(default_factory=list, max_length=200)
    departments: list[Id] = Field(default_factory=list, max_length=50)
    reason: str = Field(min_length=1, max_length=2000)


class ScopeRequest(SecretItemRequest):
    code = "secret_scope"
    subject_page = "secrets:item_detail"
    label = gettext_lazy("Addition to a secret item's need-to-know scope")
    payload_schema = ScopePayload

    def describe(self, payload: dict[str, Any]) -> str:
        return self._describe(_("Add to the need-to-know scope of %(number)s %(title)s"),
                              payload)

    def check(self, actor: Any, payload: BaseModel) -> None:
        from .services import checked_scope_addition

        assert isinstance(payload, ScopePayload)
        checked_scope_addition(actor, payload)

    def on_approved(self, request: Request, actor: Any) -> None:
        from .services import apply_scope_addition

        apply_scope_addition(actor, self._item(request), request.payload, request)


register_request_type(DeterminationRequest())
register_request_type(ChangeRequest())
register_request_type(ScopeRequest())
