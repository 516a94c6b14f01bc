"""Changes of a classified item (rule S10) and additions to its 知悉范围 (rule S7).

A change of level or period, a removal from the 知悉范围 and a declassification are filed as a
`secret_change` request (the 定密责任人 decides, chain `approvals.chains.secret_change`); an
addition to the 知悉范围 as a `secret_scope` request (the 主要负责人 or a designee, chain
`secret_scope`). The request type's `check` validates the payload with `checked_change` /
`checked_scope_addition` below, at filing and at every resubmission; the approval carries it
out with `apply_change` / `apply_scope_addition` in the deciding transaction. Every change
writes an ItemChange with the earlier and the new values, the reason and the request.

rule L5: these are the only writes that lower an item's level — the level of a classified
item changes only through an approved change request.
"""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baomi.accounts.models import Department, Person
from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.audit.services import record_event
from baomi.core.errors import Conflict, InvalidInput, RuleViolation
from baomi.core.policy import policy_of

from ..choices import ChangeKind, ItemState
from ..models import ItemChange, ScopeEntry, SecretItem
from ..selectors import in_scope, is_classification_officer
from ..transitions import ITEM
from . import common
from .common import (
    TEXT_MAX,
    TITLE_MAX,
    a_level,
    checked_period,
    invalid,
    item_values,
    locked,
    period_end,
    period_start,
    refresh,
    require_cleared,
    require_filer,
    text,
)

# rule S10: what a change request may change.
CHANGE_KINDS = (ChangeKind.LEVEL, ChangeKind.PERIOD, ChangeKind.SCOPE_REMOVE,
                ChangeKind.DECLASSIFY)
# The states in which an item is changed: classified, or expired and under review (rule S6).
CHANGEABLE = (ItemState.DETERMINED, ItemState.EXPIRY_REVIEW)
OPEN = (RequestState.PENDING,)
# Audit actions chosen by the kind (named here so the audit label test finds them).
ITEM_CHANGED = "SECRET_ITEM_CHANGED"
ITEM_DECLASSIFIED = "SECRET_ITEM_DECLASSIFIED"


# --- filing -------------------------------------------------------------------------------------


def request_change(actor: Any, item: SecretItem, *, kind: str, level: int | None = None,
                   period_kind: str | None = None, period_value: int | None = None,
                   declassify_condition: str | None = None,
                   remove_people: Sequence[Person] = (),
                   remove_departments: Sequence[Department] = (), reason: str) -> Request:
    """rule S10: file a 定密 change of a classified item — its level, period, a removal from
    its 知悉范围, or its declassification — by its 承办人, the 保密办 or the 定密责任人 of
    the unit. One change of an item is pending at a time. Returns the request."""
    from baomi.approvals.services import submit_request

    from ..request_types import ChangeRequest

    common.require_user(actor)
    if not isinstance(kind, str) or kind not in CHANGE_KINDS:
        raise invalid("kind", _("Choose what to change."))
    common.visible_item(actor, item)
    if period_kind is not None and not isinstance(period_kind, str):
        raise invalid("period_kind", _("Choose how the period is stated."))
    payload = {
        **_summary(item), "kind": kind, "reason": text(reason, "reason", TEXT_MAX),
        "level": None if level is None else common.an_int(level, "level"),
        "period_kind": period_kind,
        "period_value": (None if period_value in (None, "")
                         else common.an_int(period_value, "period_value")),
        "declassify_condition": text(declassify_condition, "declassify_condition",
                                     common.CONDITION_MAX, required=False),
        "remove_people": _ids(remove_people, Person, "remove_people",
                              common.MAX_SCOPE_PEOPLE),
        "remove_departments": _ids(remove_departments, Department, "remove_departments",
                                   common.MAX_SCOPE_DEPARTMENTS),
    }
    title = _("%(kind)s of %(number)s %(title)s") % {
        "kind": ChangeKind(kind).label, "number": item.number, "title": item.title}
    with transaction.atomic():
        request = submit_request(actor, ChangeRequest.code, title=title[:TITLE_MAX],
                                 payload=payload, subject=item)
        record_event(actor, "SECRET_CHANGE_REQUESTED", item, after=request.payload,
                     reason=request.payload["reason"])
    return request


def request_scope_addition(actor: Any, item: SecretItem, *, people: Sequence[Person] = (),
                           departments: Sequence[Department] = (), reason: str) -> Request:
    """rule S7: adding people or departments to the 知悉范围 needs the approval of the 主要
    负责人 or a designee (chain `secret_scope`); filed by the 承办人, the 保密办 or the
    定密责任人 of the unit. People or departments already in scope are refused."""
    from baomi.approvals.services import submit_request

    from ..request_types import ScopeRequest

    common.require_user(actor)
    common.visible_item(actor, item)
    payload = {
        **_summary(item), "reason": text(reason, "reason", TEXT_MAX),
        "people": _ids(people, Person, "people", common.MAX_SCOPE_PEOPLE),
        "departments": _ids(departments, Department, "departments",
                            common.MAX_SCOPE_DEPARTMENTS),
    }
    title = _("Addition to the need-to-know scope of %(number)s %(title)s") % {
        "number": item.number, "title": item.title}
    with transaction.atomic():
        request = submit_request(actor, ScopeRequest.code, title=title[:TITLE_MAX],
                                 payload=payload, subject=item)
        record_event(actor, "SECRET_SCOPE_ADDITION_REQUESTED", item, after=request.payload,
                     reason=request.payload["reason"])
    return request


def _summary(item: SecretItem) -> dict[str, Any]:
    return {"item_id": item.pk, "number": item.number[:50], "title": item.title[:200]}


def _ids(values: Any, model: type, field: str, maximum: int) -> list[int]:
    if values is None:
        return []
    if not isinstance(values, list | tuple | set | frozenset):
        raise invalid(field, _("Choose from the list."))
    if len(values) > maximum:
        raise invalid(field, _("Choose at most %(n)s.") % {"n": maximum}, code="too_many")
    return list(dict.fromkeys(common.instance(v, model, field).pk for v in values))


# --- validation (the request types' `check`) ----------------------------------------------------


def item_of_payload(payload: Any) -> SecretItem:
    item = SecretItem.objects.select_related("unit").filter(pk=payload.item_id).first()
    if item is None:
        raise invalid("item_id", _("Choose an item of your unit."), code="unknown_item")
    return item


def checked_change(actor: Any, payload: Any) -> SecretItem:
    """Validate a `secret_change` payload (pydantic model) for `actor`; normalise it in place
    (fields the kind does not use are cleared, the summary is the item's). Returns the item."""
    item = item_of_payload(payload)
    require_filer(actor, item)
    _require_changeable(item)
    if _pending(item, "secret_change").exists():
        raise Conflict(_("A change of this item is already awaiting a decision."),
                       code="change_pending")
    kind = payload.kind
    new_level = a_level(item.scheme, payload.level) if kind == ChangeKind.LEVEL else None
    period: tuple[str, int | None, str] | None = None
    people: list[int] = []
    departments: list[int] = []
    if kind == ChangeKind.LEVEL:
        assert new_level is not None
        _check_new_level(actor, item, new_level)
    elif kind == ChangeKind.PERIOD:
        period = _check_new_period(item, payload)
    elif kind == ChangeKind.SCOPE_REMOVE:
        people, departments = _check_removal(item, payload.remove_people,
                                             payload.remove_departments)
    payload.level = new_level
    payload.period_kind, payload.period_value, payload.declassify_condition = (
        period if period else (None, None, ""))
    payload.remove_people, payload.remove_departments = people, departments
    payload.number, payload.title = item.number[:50], item.title[:200]
    return item


def _require_changeable(item: SecretItem) -> None:
    if item.state not in CHANGEABLE:
        raise Conflict(_("Only a classified item in force is changed."), code="not_in_force")


def _pending(item: SecretItem, request_type: str) -> Any:
    return Request.objects.filter(request_type=request_type, subject_type="secrets.secretitem",
                                  subject_id=item.pk, state__in=OPEN)


def _check_new_level(actor: Any, item: SecretItem, level: int) -> None:
    if level == item.level:
        raise invalid("level", _("Choose a different level."), code="unchanged")
    require_cleared(actor, item.scheme, level)  # rule L5
    # rules S2, S9: the period in force must be allowed at the new level; change it first.
    try:
        checked_period(policy_of(item.unit), item.scheme, level, item.period_kind,
                       item.period_value, item.declassify_condition)
    except RuleViolation as exc:
        message = _("The period of the item is not allowed at this level; change the period "
                    "first.")
        raise RuleViolation(message, code="period_not_allowed_at_level", rule=exc.rule or "S2",
                            fields={"level": message}) from None


def _check_new_period(item: SecretItem, payload: Any) -> tuple[str, int | None, str]:
    period = checked_period(policy_of(item.unit), item.scheme, item.level, payload.period_kind,
                            payload.period_value, payload.declassify_condition)
    if period == (item.period_kind, item.period_value, item.declassify_condition):
        raise invalid("period_kind", _("Choose a different period."), code="unchanged")
    start = period_start(item)
    ends = period_end(period[0], period[1], start) if start else None
    if ends is not None and ends < common.today():
        # rule S10: a period that has already ended is a declassification; file that instead.
        message = _("This period would already have ended on %(date)s.") % {
            "date": ends.isoformat()}
        raise RuleViolation(message, code="period_already_ended", rule="S10",
                            fields={"period_value": message})
    return period


def _check_removal(item: SecretItem, people: list[int], departments: list[int]
                   ) -> tuple[list[int], list[int]]:
    people, departments = list(dict.fromkeys(people)), list(dict.fromkeys(departments))
    if not people and not departments:
        raise invalid("remove_people", _("Choose whom to remove."), code="required")
    active = ScopeEntry.objects.filter(item_id=item.pk, removed_on__isnull=True)
    named = set(active.filter(person_id__in=people).values_list("person_id", flat=True))
    listed = set(active.filter(department_id__in=departments)
                 .values_list("department_id", flat=True))
    if set(people) - named:
        raise invalid("remove_people", _("Choose people named in the need-to-know scope."),
                      code="not_in_scope")
    if set(departments) - listed:
        raise invalid("remove_departments",
                      _("Choose departments in the need-to-know scope."), code="not_in_scope")
    if active.count() <= len(people) + len(departments):
        # rule S1: an item keeps a 知悉范围; it is changed, never emptied.
        message = _("The need-to-know scope cannot be emptied.")
        raise RuleViolation(message, code="scope_empty", rule="S1",
                            fields={"remove_people": message})
    return people, departments


def checked_scope_addition(actor: Any, payload: Any) -> SecretItem:
    """Validate a `secret_scope` payload for `actor` (rule S7); normalise it in place."""
    item = item_of_payload(payload)
    require_filer(actor, item)
    if item.state not in (ItemState.PROVISIONAL, *CHANGEABLE):
        raise Conflict(_("Only the scope of a secret item in force is extended."),
                       code="not_in_force")
    people = common.scope_people(item.unit_id, list(Person.objects.filter(
        pk__in=payload.people)), item.scheme, item.level, field="people")
    departments = common.scope_departments(item.unit_id, list(Department.objects.filter(
        pk__in=payload.departments)), field="departments")
    if len(people) != len(set(payload.people)):
        raise invalid("people", _("Choose people of the unit."), code="unknown_person")
    if len(departments) != len(set(payload.departments)):
        raise invalid("departments", _("Choose departments of the unit."),
                      code="unknown_department")
    if not people and not departments:
        raise invalid("people", _("Choose whom to add."), code="required")
    for person in people:
        if in_scope(item, person):
            raise _already_in_scope("people", person.name)
    listed = set(ScopeEntry.objects.filter(item_id=item.pk, removed_on__isnull=True,
                                           department__in=departments)
                 .values_list("department__name", flat=True))
    if listed:
        raise _already_in_scope("departments", sorted(listed)[0])
    payload.people = [p.pk for p in people]
    payload.departments = [d.pk for d in departments]
    payload.number, payload.title = item.number[:50], item.title[:200]
    return item


def _already_in_scope(field: str, name: str) -> InvalidInput:
    return invalid(field, _("%(name)s is already in the need-to-know scope.") % {"name": name},
                   code="already_in_scope")


# --- carrying out the approved request ----------------------------------------------------------


def apply_change(actor: Any, item: SecretItem, payload: dict[str, Any],
                 request: Request | None = None) -> SecretItem:
    """rule S10: carry out an approved `secret_change` (in the approvals transaction): write
    the item and an ItemChange with the earlier and the new values, the reason, the request
    and the 定密责任人 who decided.

    A level change changes nothing else. A period change recomputes the last day from the
    original start (issue date, else decision date, rule S2); an item under expiry review
    whose period is extended is classified again (rule S6). A declassification ends it.
    """
    fresh = locked(item)
    if not is_classification_officer(actor, fresh.unit_id):
        # rule S10: the 定密责任人 decides the change, whatever chain the policy gives.
        raise RuleViolation(_("Only the classification officer of the unit decides a change "
                              "of classification."), code="not_classification_officer",
                            rule="S10")
    _require_changeable(fresh)
    kind = payload["kind"]
    on = common.today()
    before = item_values(fresh)
    if kind == ChangeKind.LEVEL:
        SecretItem.objects.filter(pk=fresh.pk).update(level=payload["level"])
        fresh.level = payload["level"]
    elif kind == ChangeKind.PERIOD:
        _apply_period(fresh, payload)
    elif kind == ChangeKind.SCOPE_REMOVE:
        before, after = _apply_removal(fresh, payload, on)
    else:
        ITEM.apply(fresh, ItemState.DECLASSIFIED, declassified_on=on,
                   declassified_how="decision")
    after = after if kind == ChangeKind.SCOPE_REMOVE else item_values(fresh)
    ItemChange.objects.create(item=fresh, kind=kind, before=before, after=after,
                              reason=payload.get("reason", ""), request=request,
                              decided_by=actor, decided_on=on)
    action = ITEM_DECLASSIFIED if kind == ChangeKind.DECLASSIFY else ITEM_CHANGED
    record_event(actor, action, fresh, before=before,
                 after={**after, "kind": kind, "request": request.pk if request else None},
                 reason=payload.get("reason", ""))
    return refresh(item, fresh)


def _apply_period(item: SecretItem, payload: dict[str, Any]) -> None:
    start = period_start(item)
    values = {"period_kind": payload["period_kind"], "period_value": payload["period_value"],
              "declassify_condition": payload["declassify_condition"] or "",
              "expires_on": (period_end(payload["period_kind"], payload["period_value"], start)
                             if start else None)}
    if item.state == ItemState.EXPIRY_REVIEW:
        ITEM.apply(item, ItemState.DETERMINED, **values)  # rule S6: extended after review
        return
    SecretItem.objects.filter(pk=item.pk).update(**values)
    for name, value in values.items():
        setattr(item, name, value)


def _apply_removal(item: SecretItem, payload: dict[str, Any], on: Any
                   ) -> tuple[dict[str, Any], dict[str, Any]]:
    before = common.scope_snapshot(item)
    active = ScopeEntry.objects.filter(item_id=item.pk, removed_on__isnull=True)
    removed = (active.filter(person_id__in=payload["remove_people"]).update(removed_on=on)
               + active.filter(department_id__in=payload["remove_departments"])
               .update(removed_on=on))
    if removed == 0 or not active.exists():
        # Already removed meanwhile, or the scope would be empty (rule S1).
        raise RuleViolation(_("The need-to-know scope cannot be emptied."), code="scope_empty",
                            rule="S1")
    return before, common.scope_snapshot(item)


def apply_scope_addition(actor: Any, item: SecretItem, payload: dict[str, Any],
                         request: Request | None = None) -> SecretItem:
    """rule S7: the approved addition (in the approvals transaction): ScopeEntry rows with
    the request, and an ItemChange. Anyone added to the scope meanwhile is skipped."""
    fresh = locked(item)
    if fresh.state not in (ItemState.PROVISIONAL, *CHANGEABLE):
        raise Conflict(_("Only the scope of a secret item in force is extended."),
                       code="not_in_force")
    on = common.today()
    active = ScopeEntry.objects.filter(item_id=fresh.pk, removed_on__isnull=True)
    named = active.filter(person__isnull=False).values("person_id")
    listed = active.filter(department__isnull=False).values("department_id")
    people = Person.objects.filter(pk__in=payload["people"]).exclude(pk__in=named)
    departments = Department.objects.filter(pk__in=payload["departments"]).exclude(pk__in=listed)
    before = common.scope_snapshot(fresh)
    common.add_scope_entries(fresh, people, departments, actor, request, on)
    after = common.scope_snapshot(fresh)
    ItemChange.objects.create(item=fresh, kind=ChangeKind.SCOPE_ADD, before=before, after=after,
                              reason=payload.get("reason", ""), request=request,
                              decided_by=actor, decided_on=on)
    record_event(actor, "SECRET_SCOPE_ADDED", fresh, before=before,
                 after={**after, "request": request.pk if request else None},
                 reason=payload.get("reason", ""))
    return refresh(item, fresh)
