"""Writes of the 定密 decision itself: the unit's 定密权限 (rule S3), proposing an item (rules
S1, S2, S4, L4), the 定密责任人's decision (S4) or the competent authority's (S3), the
knowledge record (S8) and the annual review (S5).

Every write checks access and the rules before it writes, moves the item with the ITEM
table's compare-and-set and records its audit event, in one transaction.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from baomi.accounts.models import Department, Person, Unit, User
from baomi.audit.services import record_event
from baomi.core.access import sees_business_data
from baomi.core.calendar import add_working_days
from baomi.core.errors import AccessDenied, Conflict, RuleViolation
from baomi.core.labels import Level, Scheme, clearance_of
from baomi.core.policy import policy_of

from ..choices import ChangeKind, ItemState, KnowledgeKind
from ..models import Authority, ItemChange, KnowledgeRecord, SecretItem
from ..selectors import in_scope, is_classification_officer, manages_items
from ..transitions import ITEM
from . import common
from .common import (
    BASIS_MAX,
    DOCUMENT_MAX,
    NUMBER_MAX,
    TEXT_MAX,
    TITLE_MAX,
    a_bool,
    a_date,
    a_level,
    a_scheme,
    checked_period,
    instance,
    invalid,
    iso,
    item_values,
    locked,
    period_end,
    refresh,
    require_cleared,
    require_office,
    require_office_or_officer,
    require_officer,
    require_user,
    text,
)

# Audit actions chosen by the outcome (named here so the audit label test finds them).
ITEM_DETERMINED = "SECRET_ITEM_DETERMINED"
ITEM_REJECTED = "SECRET_ITEM_REJECTED"


# --- 定密权限 (rule S3) ------------------------------------------------------------------------


def set_authority(actor: Any, unit: Unit, *, max_level: int, document: str,
                  granted_on: dt.date) -> Authority:
    """rule S3: the 保密办 records the unit's 定密权限 — the highest level it may classify and
    the authorising document — creating it or replacing the earlier one."""
    require_user(actor)
    unit = common.unit_of(unit)
    max_level = a_level(Scheme.STATE, max_level, "max_level")
    document = text(document, "document", DOCUMENT_MAX)
    granted_on = a_date(granted_on, "granted_on")
    if not manages_items(actor, unit.pk):
        raise AccessDenied(_("Only the secrecy office of the unit can do this."),
                           code="not_secrecy_office")
    values = {"max_level": max_level, "document": document, "granted_on": granted_on}
    try:
        with transaction.atomic():
            earlier = Authority.objects.select_for_update().filter(unit=unit).first()
            before = _authority_values(earlier) if earlier else None
            if earlier is None:
                authority = Authority.objects.create(unit=unit, recorded_by=actor, **values)
            else:
                for name, value in values.items():
                    setattr(earlier, name, value)
                earlier.recorded_by = actor
                earlier.save()
                authority = earlier
            record_event(actor, "SECRET_AUTHORITY_SET", authority, before=before,
                         after=_authority_values(authority))
    except IntegrityError:  # recorded by someone else at the same moment
        raise Conflict(_("Someone else changed this object at the same time; reload and try "
                         "again."), code="concurrent_change") from None
    return authority


def _authority_values(authority: Authority) -> dict[str, Any]:
    return {"max_level": int(authority.max_level), "document": authority.document,
            "granted_on": iso(authority.granted_on)}


def authority_covers(unit: Unit, level: int) -> bool:
    """rule S3: whether the unit may classify `level` itself."""
    return Authority.objects.filter(unit_id=unit.pk, max_level__gte=level).exists()


# --- proposing (rules S1–S4, L4) ------------------------------------------------------------


def propose_item(actor: Any, *, unit: Unit, scheme: str, number: str, title: str, level: int,
                 period_kind: str, period_value: int | None, declassify_condition: str,
                 basis: str, issued_on: dt.date | None, department: Department | None = None,
                 description: str = "", scope_people: Sequence[Person] = (),
                 scope_departments: Sequence[Department] = ()) -> SecretItem:
    """The 承办人 (the actor, any business user of the unit) proposes an item (rule S4).

    rule S1: the item has a level, a period or a declassification condition, and a 知悉范围.
    The proposer is always put in the 知悉范围 by name — they hold the item — so the scope
    is never empty at the start; S1 is kept later by refusing a removal that would empty it.
    rules S2, S9: the period (common.checked_period); rule L4: the scheme's levels, and S2/S3
    apply to state secrets only.

    A state secret within the unit's 定密权限 is PROPOSED and the `secret_determination`
    request goes to the 定密责任人 (rule S4); above it, or without any authority, the unit
    only 先行拟定 (rule S3): the item is PROVISIONAL, protected at once, and the decision of
    the competent authority is due within `secrets.provisional_decision_working_days`. A work
    or commercial secret is PROPOSED with a request. `department` defaults to the proposer's.
    """
    actor = require_user(actor)
    unit = common.unit_of(unit)
    scheme = a_scheme(scheme)
    level = a_level(scheme, level)
    number = text(number, "number", NUMBER_MAX)
    title = text(title, "title", TITLE_MAX)
    description = text(description, "description", TEXT_MAX, required=False)
    basis = text(basis, "basis", BASIS_MAX)
    if issued_on is not None:
        issued_on = a_date(issued_on, "issued_on")
    if actor.person.unit_id != unit.pk:
        raise AccessDenied(_("Only people of the unit propose its secret items."),
                           code="other_unit")
    require_cleared(actor, scheme, level)  # rule L5
    policy = policy_of(unit)
    period_kind, period_value, condition = checked_period(
        policy, scheme, level, period_kind, period_value, declassify_condition)
    department = _department(unit, department, actor)
    people = common.scope_people(unit.pk, [actor.person, *(scope_people or ())], scheme, level)
    departments = common.scope_departments(unit.pk, scope_departments)
    try:
        with transaction.atomic():
            if SecretItem.objects.filter(unit=unit, number=number).exists():
                raise _number_exists()
            item = _create_item(actor, unit, policy, scheme=scheme, number=number, title=title,
                                description=description, level=level, period_kind=period_kind,
                                period_value=period_value, declassify_condition=condition,
                                basis=basis, issued_on=issued_on, department=department)
            common.add_scope_entries(item, people, departments, actor, None, common.today())
            if item.state == ItemState.PROPOSED:
                item.request = _submit_determination(actor, item)
                SecretItem.objects.filter(pk=item.pk).update(request=item.request)
            record_event(actor, "SECRET_ITEM_PROPOSED", item,
                         after={**item_values(item), "number": number, "title": title,
                                "issued_on": iso(issued_on),
                                "provisional_due_on": iso(item.provisional_due_on),
                                "request": item.request_id,
                                **common.scope_snapshot(item)})
    except IntegrityError:  # the same number registered at the same moment
        raise _number_exists() from None
    return item


def _number_exists() -> Conflict:
    message = _("An item with this number is already registered in the unit.")
    return Conflict(message, code="number_exists", fields={"number": message})


def _department(unit: Unit, department: Any, actor: User) -> Department | None:
    if department is None:
        return actor.person.department
    department = instance(department, Department, "department")
    if department.unit_id != unit.pk:
        raise invalid("department", _("Choose a department of the unit."),
                      code="unknown_department")
    return department  # type: ignore[no-any-return]


def _create_item(actor: User, unit: Unit, policy: Any, **fields: Any) -> SecretItem:
    state, due = ItemState.PROPOSED, None
    if fields["scheme"] == Scheme.STATE and not authority_covers(unit, fields["level"]):
        # rule S3: without authority for the level the unit only 先行拟定 and reports it.
        state = ItemState.PROVISIONAL
        due = add_working_days(common.today(),
                               int(policy["secrets.provisional_decision_working_days"]))
    return SecretItem.objects.create(
        unit=unit, state=state, proposer=actor.person, created_by=actor,
        provisional_due_on=due.date if due else None,
        provisional_due_estimated=due.estimated if due else False, **fields)


def _submit_determination(actor: User, item: SecretItem) -> Any:
    from baomi.approvals.services import submit_request

    from ..request_types import DeterminationRequest, item_summary

    title = _("Classification of %(number)s %(title)s") % {"number": item.number,
                                                           "title": item.title}
    return submit_request(actor, DeterminationRequest.code, title=title[:TITLE_MAX],
                          payload=item_summary(item), subject=item)


# --- the decision (rules S3, S4) -------------------------------------------------------------


def conclude_determination(actor: Any, item: SecretItem, *, approved: bool) -> SecretItem:
    """The `secret_determination` request was decided; runs in the approvals transaction.

    rule S4: the 定密责任人 decides — whatever chain the policy gives, the approval that
    classifies is theirs. Classified: the period runs from the issue date, else today (rule
    S2), `expires_on` is its last day; the decider and the date are kept.
    """
    fresh = locked(item)
    if fresh.state != ItemState.PROPOSED:
        raise Conflict(_("This item is not awaiting a decision."), code="illegal_transition")
    decided_on = common.today()
    before = item_values(fresh)
    if approved:
        if not is_classification_officer(actor, fresh.unit_id):  # rule S4
            raise RuleViolation(_("Only the classification officer of the unit classifies an "
                                  "item."), code="not_classification_officer", rule="S4")
        start = fresh.issued_on or decided_on
        ITEM.apply(fresh, ItemState.DETERMINED, decider=actor, decided_on=decided_on,
                   expires_on=period_end(fresh.period_kind, fresh.period_value, start))
    else:
        ITEM.apply(fresh, ItemState.REJECTED, decided_on=decided_on)
    ItemChange.objects.create(item=fresh, kind=ChangeKind.DETERMINED, before=before,
                              after=item_values(fresh), request_id=fresh.request_id,
                              decided_by=actor, decided_on=decided_on)
    record_event(actor, ITEM_DETERMINED if approved else ITEM_REJECTED,
                 fresh, before=before, after={**item_values(fresh), "decided_on": iso(decided_on)})
    return refresh(item, fresh)


def withdraw_determination(actor: Any, item: SecretItem) -> SecretItem:
    """The 承办人 took the determination request back: the item is not classified."""
    fresh = locked(item)
    before = item_values(fresh)
    ITEM.apply(fresh, ItemState.REJECTED)
    record_event(actor, "SECRET_ITEM_WITHDRAWN", fresh, before=before, after=item_values(fresh))
    return refresh(item, fresh)


def record_superior_decision(actor: Any, item: SecretItem, *, classified: bool, level: int,
                             period_kind: str, period_value: int | None,
                             declassify_condition: str, document: str,
                             decided_on: dt.date) -> SecretItem:
    """rule S3: the 保密办 records the competent authority's decision on a provisionally
    classified item — classified with the level and period it decided (rule S2 as for a
    proposal; the period runs from the issue date, else the decision date), or not a secret.
    The level may differ from the provisional one: it is the 定密 decision itself."""
    classified = a_bool(classified, "classified")
    document = text(document, "document", DOCUMENT_MAX)
    decided_on = a_date(decided_on, "decided_on")
    require_office(actor, item)
    policy = policy_of(item.unit)
    values: dict[str, Any] = {}
    if classified:
        level = a_level(item.scheme, level)
        require_cleared(actor, item.scheme, level)  # rule L5
        period_kind, period_value, condition = checked_period(
            policy, item.scheme, level, period_kind, period_value, declassify_condition)
        values = {"level": level, "period_kind": period_kind, "period_value": period_value,
                  "declassify_condition": condition}
    with transaction.atomic():
        fresh = locked(item)
        if fresh.state != ItemState.PROVISIONAL:
            raise Conflict(_("Only a provisionally classified item awaits this decision."),
                           code="illegal_transition")
        before = item_values(fresh)
        if classified:
            start = fresh.issued_on or decided_on
            ITEM.apply(fresh, ItemState.DETERMINED, decided_on=decided_on,
                       decision_document=document,
                       expires_on=period_end(values["period_kind"], values["period_value"],
                                             start), **values)
        else:
            ITEM.apply(fresh, ItemState.REJECTED, decided_on=decided_on,
                       decision_document=document)
        after = {**item_values(fresh), "document": document}
        ItemChange.objects.create(item=fresh, kind=ChangeKind.SUPERIOR_DECISION, before=before,
                                  after=after, reason=document, decided_by=actor,
                                  decided_on=decided_on)
        record_event(actor, "SECRET_SUPERIOR_DECISION_RECORDED", fresh, before=before,
                     after={**after, "decided_on": iso(decided_on)})
    return refresh(item, fresh)


# --- knowledge (rule S8) and the annual review (rule S5) --------------------------------------


def record_knowledge(actor: Any, item: SecretItem, *, person: Person, kind: str,
                     known_on: dt.date, approved_by: User | None = None,
                     source: str = "") -> KnowledgeRecord:
    """rule S8: who came to know the item, when, how (接触/知悉) and approved by whom; kept by
    the 保密办 or the 定密责任人. The person is inside the 知悉范围 and, for a state secret,
    cleared for its level (rules L5, S7)."""
    person = instance(person, Person, "person")
    if not isinstance(kind, str) or kind not in KnowledgeKind.values:
        raise invalid("kind", _("Choose contact or knowledge."))
    known_on = a_date(known_on, "known_on")
    source = text(source, "source", 200, required=False)
    if approved_by is not None:
        approved_by = instance(approved_by, User, "approved_by")
    require_office_or_officer(actor, item)
    if approved_by is not None and approved_by.person.unit_id != item.unit_id:
        raise invalid("approved_by", _("Choose someone of the unit."), code="unknown_user")
    with transaction.atomic():
        fresh = locked(item)
        if fresh.state in (ItemState.REJECTED, ItemState.DECLASSIFIED):
            raise Conflict(_("This item is not a secret (any more)."), code="not_in_force")
        _require_may_know(fresh, person)
        record = KnowledgeRecord.objects.create(
            item=fresh, person=person, kind=kind, known_on=known_on, approved_by=approved_by,
            source=source, recorded_by=actor)
        record_event(actor, "SECRET_KNOWLEDGE_RECORDED", record, unit_id=fresh.unit_id,
                     after={"item": fresh.pk, "person": person.pk, "kind": kind,
                            "known_on": iso(known_on),
                            "approved_by": approved_by.pk if approved_by else None,
                            "source": source})
    return record


def _require_may_know(item: SecretItem, person: Person) -> None:
    if person.unit_id != item.unit_id or not in_scope(item, person):
        # rules L5, S7: only someone inside the 知悉范围 may come to know the item.
        message = _("%(name)s is not in the need-to-know scope of this item.") % {
            "name": person.name}
        raise RuleViolation(message, code="not_in_scope", rule="S7", fields={"person": message})
    if item.scheme == Scheme.STATE and clearance_of(person.category) < item.level:
        # rule L5: and cleared for its level.
        message = _("%(name)s is not cleared for %(level)s.") % {
            "name": person.name, "level": Level(item.level).label}
        raise RuleViolation(message, code="not_cleared", rule="L5", fields={"person": message})


def review_item(actor: Any, item: SecretItem, *, note: str = "") -> SecretItem:
    """rule S5: the 定密责任人's 年度审核 of a classified item; the next is due a year later.
    A change or declassification it leads to is a change request (rule S10). One review per
    item and day; two reviewers at once: one is refused."""
    note = text(note, "note", TEXT_MAX, required=False)
    require_officer(actor, item, rule="S5")
    reviewed_on = common.today()
    with transaction.atomic():
        fresh = locked(item)
        if fresh.state != ItemState.DETERMINED:
            raise Conflict(_("Only a classified item in force is reviewed."),
                           code="illegal_transition")
        if fresh.last_reviewed_on == reviewed_on:
            raise Conflict(_("This item has already been reviewed today."),
                           code="already_reviewed")
        # Compare-and-set on the date seen: of two reviews at once, one writes.
        updated = SecretItem.objects.filter(
            pk=fresh.pk, state=ItemState.DETERMINED, last_reviewed_on=fresh.last_reviewed_on,
        ).update(last_reviewed_on=reviewed_on)
        if updated != 1:
            raise Conflict(_("This item has already been reviewed today."),
                           code="already_reviewed")
        before = {"last_reviewed_on": iso(fresh.last_reviewed_on)}
        fresh.last_reviewed_on = reviewed_on
        after = {**item_values(fresh), "last_reviewed_on": iso(reviewed_on)}
        ItemChange.objects.create(item=fresh, kind=ChangeKind.REVIEW, before=before, after=after,
                                  reason=note, decided_by=actor, decided_on=reviewed_on)
        record_event(actor, "SECRET_ITEM_REVIEWED", fresh, before=before, after=after,
                     reason=note)
    return refresh(item, fresh)


def may_propose(actor: Any, unit: Unit) -> bool:
    """Whether `actor` may propose items of `unit` (the pages offer the form by it)."""
    return (isinstance(actor, User) and sees_business_data(actor)
            and actor.person.unit_id == unit.pk)
