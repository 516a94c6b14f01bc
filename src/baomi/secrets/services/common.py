"""What every write of the 定密 app shares: today's date, input checks that name the field,
the period and level rules (L4, S1, S2, S9), the 知悉范围 of an item (S1, S7) and the access
checks.

`today()` is the one clock of the services: tests patch `baomi.secrets.services.common.today`.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Department, Person, Unit, User
from baomi.core.access import clearance, sees_business_data
from baomi.core.calendar import period_last_day
from baomi.core.errors import AccessDenied, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level, Scheme, clearance_of
from baomi.core.policy.loader import Policy
from baomi.core.validation import clean_text

from ..choices import PeriodKind
from ..models import ScopeEntry, SecretItem
from ..selectors import is_classification_officer, items_visible_to, manages_items

TEXT_MAX = 2000
CONDITION_MAX = 1000
BASIS_MAX = 1000
NUMBER_MAX = 50
TITLE_MAX = 200
DOCUMENT_MAX = 200
MAX_SCOPE_PEOPLE = 200
MAX_SCOPE_DEPARTMENTS = 50
MONTHS_MAX = 11  # rule S2: a year or more is stated in years
# rule S2 bounds state secrets by policy; the other schemes (rule L4) have no legal maximum,
# a century only catches typing errors.
OTHER_SCHEME_MAX_YEARS = 99

# rule S2: the policy setting of the longest period of each level.
MAX_YEARS_KEYS = {
    Level.SECRET: "secrets.max_period_years.secret",
    Level.CONFIDENTIAL: "secrets.max_period_years.confidential",
    Level.TOP_SECRET: "secrets.max_period_years.top_secret",
}
# rule L4: 工作秘密 has one grade; 商业秘密 has 普通商密 (1) and 核心商密 (2).
SCHEME_LEVELS = {
    Scheme.STATE: (Level.SECRET, Level.CONFIDENTIAL, Level.TOP_SECRET),
    Scheme.WORK: (Level.SECRET,),
    Scheme.COMMERCIAL: (Level.SECRET, Level.CONFIDENTIAL),
}


def today() -> dt.date:
    return timezone.localdate()


# --- input ----------------------------------------------------------------------------------


def invalid(field: str, message: str, code: str = "invalid") -> InvalidInput:
    return InvalidInput(message, code=code, fields={field: message})


def text(value: Any, field: str, max_length: int, *, required: bool = True) -> str:
    return clean_text(value, field, max_length, required=required)


def a_date(value: Any, field: str, *, not_after_today: bool = True) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise invalid(field, _("Enter a valid date."))
    if not_after_today and value > today():
        raise invalid(field, _("The date cannot be in the future."), code="future_date")
    return value


def an_int(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(field, _("Enter a whole number."))
    return value


def a_bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise invalid(field, _("Choose yes or no."))
    return value


def a_scheme(value: Any) -> str:
    if not isinstance(value, str) or value not in Scheme.values:
        raise invalid("scheme", _("Choose state, work or commercial secret."))
    return value


def a_level(scheme: str, value: Any, field: str = "level") -> int:
    """A level of the scheme: 1–3 for state secrets; rule L4 for the other schemes."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in Level.values \
            or value == Level.NONSECRET:
        raise invalid(field, _("Choose a level."))
    if value not in SCHEME_LEVELS[Scheme(scheme)]:
        # rule L4: 工作秘密 has one grade, 商业秘密 two; they never take state-secret levels.
        message = _("This level does not exist for %(scheme)s.") % {
            "scheme": Scheme(scheme).label}
        raise RuleViolation(message, code="level_not_in_scheme", rule="L4",
                            fields={field: message})
    return value


def instance(value: Any, model: type, field: str) -> Any:
    if not isinstance(value, model) or getattr(value, "pk", None) is None:
        raise invalid(field, _("Choose from the list."), code="unknown")
    return value


# --- the period (rules S1, S2, S9) ------------------------------------------------------------


def max_years(policy: Policy, scheme: str, level: int) -> int:
    """rule S2: the longest period of a state secret of `level` in the unit's policy."""
    if scheme != Scheme.STATE:
        return OTHER_SCHEME_MAX_YEARS
    return int(policy[MAX_YEARS_KEYS[Level(level)]])


def checked_period(policy: Policy, scheme: str, level: int, period_kind: Any,
                   period_value: Any, condition: Any) -> tuple[str, int | None, str]:
    """(kind, value, condition) of a valid 保密期限 or 解密条件 for an item of this scheme and
    level. A value given with a kind that takes none (长期, a condition) is dropped.

    rule S1: a period or, when none can be set, a declassification condition. rule S2: at most
    the level's maximum in years (state secrets; policy `secrets.max_period_years.*`), 1–11
    months under a year — a year or more is stated in years, for every scheme so that marks
    read alike. rule S9: 长期 only for 绝密 and only with a condition (state secrets).
    """
    if not isinstance(period_kind, str) or period_kind not in PeriodKind.values:
        raise invalid("period_kind", _("Choose how the period is stated."))
    condition = text(condition, "declassify_condition", CONDITION_MAX, required=False)
    state = scheme == Scheme.STATE
    if period_kind in (PeriodKind.YEARS, PeriodKind.MONTHS):
        return period_kind, _period_value(policy, scheme, level, period_kind, period_value), \
            condition
    if period_kind == PeriodKind.LONG_TERM and state:
        if level != Level.TOP_SECRET:  # rule S9
            message = _("Only a top secret item may be kept for the long term.")
            raise RuleViolation(message, code="long_term_top_secret_only", rule="S9",
                                fields={"period_kind": message})
        if not condition:  # rule S9: 绝密★长期 is not allowed without a 解密条件
            raise _condition_required("S9")
    if period_kind == PeriodKind.CONDITION and not condition:  # rule S1
        raise _condition_required("S1")
    return period_kind, None, condition


def _period_value(policy: Policy, scheme: str, level: int, period_kind: str,
                  period_value: Any) -> int:
    if period_value is None or period_value == "":
        # rule S1: an item gets a period, or a condition when no period can be set.
        message = _("Give the period, or choose a declassification condition.")
        raise RuleViolation(message, code="period_required", rule="S1",
                            fields={"period_value": message})
    value = an_int(period_value, "period_value")
    if value < 1:
        raise invalid("period_value", _("The period is at least 1."), code="period_too_short")
    if period_kind == PeriodKind.MONTHS and value > MONTHS_MAX:
        # rule S2: a period of a year or more is stated in years.
        message = _("A period of a year or more is stated in years.")
        raise RuleViolation(message, code="months_over_a_year", rule="S2",
                            fields={"period_value": message})
    maximum = max_years(policy, scheme, level)
    if period_kind == PeriodKind.YEARS and value > maximum:
        # rule S2: 绝密 30, 机密 20, 秘密 10 years, or less by the unit's policy.
        message = _("At most %(n)s years for this level.") % {"n": maximum}
        raise RuleViolation(message, code="period_too_long", rule="S2",
                            fields={"period_value": message})
    return value


def _condition_required(rule: str) -> RuleViolation:
    message = _("State the declassification condition.")
    return RuleViolation(message, code="condition_required", rule=rule,
                         fields={"declassify_condition": message})


def period_end(period_kind: str, period_value: int | None, start: dt.date) -> dt.date | None:
    """rule S2: the last day of the period counted from `start` (制发日, else the decision
    date); none for 长期 or a condition."""
    if period_kind == PeriodKind.YEARS and period_value:
        return period_last_day(start, 12 * period_value)
    if period_kind == PeriodKind.MONTHS and period_value:
        return period_last_day(start, period_value)
    return None


def period_start(item: SecretItem) -> dt.date | None:
    """rule S2: the period runs from the issue date, else from the decision date."""
    return item.issued_on or item.decided_on


# --- who may act ------------------------------------------------------------------------------


def require_user(actor: Any) -> User:
    if not isinstance(actor, User) or not sees_business_data(actor):
        raise AccessDenied(code="no_business_role")
    return actor


def require_cleared(actor: Any, scheme: str, level: int, field: str = "level") -> None:
    """rule L5: nobody registers or raises a state secret above their own clearance."""
    if scheme == Scheme.STATE and level > clearance(actor):
        message = _("The level is above your clearance.")
        raise RuleViolation(message, code="above_clearance", rule="L5", fields={field: message})


def visible_item(actor: Any, item: Any) -> SecretItem:
    """The item as the actor may see it (rule L5); NotFound for anything else."""
    require_user(actor)
    if not isinstance(item, SecretItem) or item.pk is None \
            or not items_visible_to(actor).filter(pk=item.pk).exists():
        raise NotFound()
    return item


def require_office(actor: Any, item: SecretItem) -> None:
    visible_item(actor, item)
    if not manages_items(actor, item.unit_id):
        raise AccessDenied(_("Only the secrecy office of the unit can do this."),
                           code="not_secrecy_office")


def require_officer(actor: Any, item: SecretItem, rule: str = "S4") -> None:
    """The 定密责任人 of the item's unit (rules S4, S5, S10)."""
    visible_item(actor, item)
    if not is_classification_officer(actor, item.unit_id):
        raise AccessDenied(_("Only the classification officer of the unit can do this."),
                           code="not_classification_officer", rule=rule)


def require_office_or_officer(actor: Any, item: SecretItem) -> None:
    visible_item(actor, item)
    if not (manages_items(actor, item.unit_id) or is_classification_officer(actor, item.unit_id)):
        raise AccessDenied(_("Only the secrecy office or the classification officer of the "
                             "unit can do this."), code="not_allowed")


def require_filer(actor: Any, item: SecretItem) -> None:
    """Who files a change of an item: its 承办人, the 保密办 or the 定密责任人 (rule S10)."""
    visible_item(actor, item)
    if actor.person_id == item.proposer_id or manages_items(actor, item.unit_id) \
            or is_classification_officer(actor, item.unit_id):
        return
    raise AccessDenied(_("Only the proposer, the secrecy office or the classification officer "
                         "of the unit can file this."), code="not_allowed")


# --- the 知悉范围 (rules S1, S7) ------------------------------------------------------------


def scope_people(unit_id: int, people: Any, scheme: str, level: int,
                 field: str = "scope_people") -> list[Person]:
    """Distinct active people of the unit. rule L5: a person named in the 知悉范围 of a state
    secret is cleared for its level (naming someone who may not read it protects nothing)."""
    found = _distinct(people, Person, field, MAX_SCOPE_PEOPLE)
    for person in found:
        if person.unit_id != unit_id or not person.active:
            raise invalid(field, _("Choose people of the unit."), code="unknown_person")
        if scheme == Scheme.STATE and clearance_of(person.category) < level:
            message = _("%(name)s is not cleared for this level.") % {"name": person.name}
            raise RuleViolation(message, code="not_cleared", rule="L5", fields={field: message})
    return found


def scope_departments(unit_id: int, departments: Any,
                      field: str = "scope_departments") -> list[Department]:
    found = _distinct(departments, Department, field, MAX_SCOPE_DEPARTMENTS)
    for department in found:
        if department.unit_id != unit_id:
            raise invalid(field, _("Choose departments of the unit."), code="unknown_department")
    return found


def _distinct(values: Any, model: type, field: str, maximum: int) -> list[Any]:
    if values is None:
        return []
    if not isinstance(values, list | tuple | set | frozenset):
        raise invalid(field, _("Choose from the list."))
    if len(values) > maximum:
        raise invalid(field, _("Choose at most %(n)s.") % {"n": maximum}, code="too_many")
    found: dict[int, Any] = {}
    for value in values:
        instance(value, model, field)
        found.setdefault(value.pk, value)
    return list(found.values())


def scope_snapshot(item: SecretItem) -> dict[str, list[dict[str, Any]]]:
    """The active 知悉范围, as kept in the history (rule S10: every earlier value)."""
    entries = (ScopeEntry.objects.filter(item_id=item.pk, removed_on__isnull=True)
               .select_related("person", "department").order_by("id"))
    people, departments = [], []
    for entry in entries:
        if entry.person_id:
            people.append({"id": entry.person_id, "name": entry.person.name})  # type: ignore[union-attr]
        else:
            departments.append({"id": entry.department_id,
                                "name": entry.department.name})  # type: ignore[union-attr]
    return {"people": people, "departments": departments}


def add_scope_entries(item: SecretItem, people: Iterable[Person],
                      departments: Iterable[Department], actor: Any, request: Any,
                      on: dt.date) -> None:
    ScopeEntry.objects.bulk_create(
        [ScopeEntry(item=item, person=p, added_on=on, added_by=actor, request=request)
         for p in people]
        + [ScopeEntry(item=item, department=d, added_on=on, added_by=actor, request=request)
           for d in departments])


# --- what the history and the trail keep ----------------------------------------------------


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def item_values(item: SecretItem) -> dict[str, Any]:
    """The classification of an item as the history and the audit trail keep it."""
    return {"state": item.state, "scheme": item.scheme, "level": int(item.level),
            "period_kind": item.period_kind, "period_value": item.period_value,
            "declassify_condition": item.declassify_condition,
            "expires_on": iso(item.expires_on)}


def refresh(item: SecretItem, fresh: SecretItem) -> SecretItem:
    for field in SecretItem._meta.concrete_fields:
        setattr(item, field.attname, getattr(fresh, field.attname))
    return item


def locked(item: SecretItem) -> SecretItem:
    """The item row, locked for this transaction (PostgreSQL; SQLite serialises writers)."""
    try:
        return SecretItem.objects.select_for_update(of=("self",)).select_related("unit").get(
            pk=item.pk)
    except SecretItem.DoesNotExist:
        raise NotFound() from None


def unit_of(value: Any) -> Unit:
    return instance(value, Unit, "unit")  # type: ignore[no-any-return]
