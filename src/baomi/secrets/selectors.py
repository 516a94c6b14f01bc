"""Who sees which secret item (DESIGN.md 'Access model', rule L5).

A state-secret item is visible only to someone cleared for its level (rule L5: a 机密 user
never learns that a 绝密 item exists) who is also one of: the 保密办, 定密责任人 or leader of
its unit (the management duty), inside its 知悉范围 (named, or through their department), or
its 承办人. 工作秘密 and 商业秘密 (rule L4) are not state-secret levels: no state clearance
applies to them, only the same duties and 知悉范围.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from baomi.accounts.roles import Role
from baomi.core.access import clearance, perimeter_query, sees_business_data, unit_perimeter
from baomi.core.errors import NotFound
from baomi.core.labels import Scheme
from baomi.core.paging import parse_key

from .models import ScopeEntry, SecretItem

MANAGERS = frozenset({Role.SECRECY_OFFICE, Role.CLASSIFICATION_OFFICER, Role.LEADER})


def in_scope_q(user: Any) -> Q:
    """SQL over SecretItem: the user is in the item's 知悉范围, by name or department."""
    person = user.person
    entries = ScopeEntry.objects.filter(item_id=OuterRef("pk"), removed_on__isnull=True)
    named = entries.filter(person_id=person.pk)
    condition = Q(Exists(named))
    if person.department_id:
        condition |= Q(Exists(entries.filter(department_id=person.department_id)))
    return condition


def cleared_q(user: Any) -> Q:
    """rule L5: state secrets up to the user's clearance; other schemes carry no state level."""
    return ~Q(scheme=Scheme.STATE) | Q(level__lte=int(clearance(user)))


def items_visible_to(user: Any) -> QuerySet[SecretItem]:
    if not sees_business_data(user):
        return SecretItem.objects.none()
    duty = Q(unit_id__in=perimeter_query(user, MANAGERS)) | Q(proposer_id=user.person_id)
    return SecretItem.objects.filter(cleared_q(user) & (duty | in_scope_q(user))).select_related(
        "unit", "department", "proposer", "decider")


def item_for(user: Any, pk: Any) -> SecretItem:
    """One visible item by id; NotFound for anything else."""
    key = parse_key(pk)
    found = items_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def manages_items(user: Any, unit_id: int) -> bool:
    """The 保密办 of the unit keeps the register (authority, provisional decisions, records)."""
    return unit_id in unit_perimeter(user, {Role.SECRECY_OFFICE})


def is_classification_officer(user: Any, unit_id: int) -> bool:
    """rule S4: the 定密责任人 of the unit decides, changes and reviews its items."""
    return unit_id in unit_perimeter(user, {Role.CLASSIFICATION_OFFICER})


def in_scope(item: SecretItem, person: Any) -> bool:
    """Whether `person` is in the item's 知悉范围 (named, or through their department)."""
    entries = item.scope.filter(removed_on__isnull=True)
    named = Q(person_id=person.pk)
    if person.department_id:
        named |= Q(department_id=person.department_id)
    return entries.filter(named).exists()


def scope_of(item: SecretItem) -> QuerySet[ScopeEntry]:
    return item.scope.filter(removed_on__isnull=True).select_related("person", "department")


def history_of(item: SecretItem) -> QuerySet[Any]:
    return item.changes.select_related("decided_by", "request").order_by("-decided_on", "-id")


def knowledge_of(item: SecretItem) -> QuerySet[Any]:
    return item.knowledge.select_related("person", "approved_by").order_by("-known_on", "-id")
