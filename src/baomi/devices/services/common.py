"""What the device services share: checks of input, the clearance rules (D2, D4, L5), access
(the 保密办 keeps the ledgers) and the small tools of locking and refreshing.

`today()` is the one clock of these services (tests patch `baomi.devices.services.common.today`).
Helpers here are public so that every module of the devices services uses the same checks.
"""

import datetime as dt
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Department, Person, User
from baomi.core.access import clearance, sees_business_data
from baomi.core.errors import AccessDenied, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level, clearance_of
from baomi.core.validation import clean_text

from ..selectors import manages_devices

M = TypeVar("M", bound=Model)

NUMBER_MAX = 50
LOCATION_MAX = 200


def today() -> dt.date:
    return timezone.localdate()


# --- input ----------------------------------------------------------------------------------


def invalid(field: str, message: str, code: str = "invalid") -> InvalidInput:
    return InvalidInput(message, code=code, fields={field: message})


def text(value: Any, field: str, max_length: int, *, required: bool = True) -> str:
    return clean_text(value, field, max_length, required=required)


def choice(value: Any, values: list[str], field: str) -> str:
    if not isinstance(value, str) or value not in values:
        raise invalid(field, _("Choose from the list."))
    return value


def past_date(value: Any, field: str) -> dt.date:
    """A date not in the future."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise invalid(field, _("Enter a valid date."))
    if value > today():
        raise invalid(field, _("The date cannot be in the future."), code="future_date")
    return value


def boolean(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise invalid(field, _("Choose yes or no."))
    return value


def level(value: Any, field: str = "level") -> int:
    """A state-secret level, 非密 included (a 非密 computer is on the ledger too, rule D4)."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in Level.values:
        raise invalid(field, _("Choose a level."))
    return value


def instance(value: Any, model: type, field: str) -> Any:
    if not isinstance(value, model) or getattr(value, "pk", None) is None:
        raise invalid(field, _("Choose from the list."), code="unknown")
    return value


def person_of(unit_id: int, value: Any, field: str) -> Person:
    """An active person of the unit."""
    person: Person = instance(value, Person, field)
    if person.unit_id != unit_id or not person.active:
        raise invalid(field, _("Choose an active person of the unit."), code="unknown_person")
    return person


def department_of(unit_id: int, value: Any, field: str = "department") -> Department:
    department: Department = instance(value, Department, field)
    if department.unit_id != unit_id:
        raise invalid(field, _("Choose a department of the unit."), code="unknown_department")
    return department


# --- rules ----------------------------------------------------------------------------------


def cleared(person: Person, level_value: int) -> bool:
    """rule L5: a person reads state secrets up to the clearance of their category."""
    return int(clearance_of(person.category)) >= int(level_value)


def require_cleared(person: Person, level_value: int, field: str, rule: str = "D2") -> None:
    """rule D2: a person below a device's (or medium's) level is never its user or
    responsible person — the device would process information above what they may know."""
    if not cleared(person, level_value):
        message = _("%(name)s is not cleared for %(level)s.") % {
            "name": person.name, "level": Level(level_value).label}
        raise RuleViolation(message, code="clearance", rule=rule, fields={field: message})


def require_registrar_cleared(actor: Any, level_value: int) -> None:
    """rule L5: nobody puts a device or medium on the ledger above their own clearance."""
    if level_value > clearance(actor):
        message = _("The level is above your clearance.")
        raise RuleViolation(message, code="above_clearance", rule="L5",
                            fields={"level": message})


# --- access ---------------------------------------------------------------------------------


def require_user(actor: Any) -> User:
    if not isinstance(actor, User) or not sees_business_data(actor):
        raise AccessDenied(code="no_business_role")
    return actor


def not_office() -> AccessDenied:
    return AccessDenied(_("Only the secrecy office of the unit can do this."),
                        code="not_secrecy_office")


def require_office(actor: Any, unit_id: int) -> None:
    """The 保密办 of the unit keeps the device and media ledgers."""
    require_user(actor)
    if not manages_devices(actor, unit_id):
        raise not_office()


# --- locking and values ---------------------------------------------------------------------


def stored(queryset: QuerySet[M], obj: Any) -> M:
    """`obj` as `queryset` holds it — a visibility-filtered queryset (rule L5), or one with
    `select_for_update` — NotFound when it is not an instance of the queryset's model or not
    in it."""
    if not isinstance(obj, queryset.model) or obj.pk is None:
        raise NotFound()
    found = queryset.filter(pk=obj.pk).first()
    if found is None:
        raise NotFound()
    return found


def locked_row(queryset: QuerySet[M], obj: Any) -> M:
    """`obj` as stored, its row locked for this transaction (PostgreSQL; SQLite serialises
    writers)."""
    return stored(queryset.select_for_update(of=("self",)), obj)


def refresh(obj: Any, fresh: Any) -> Any:
    """Copy the columns of `fresh` (the locked row) onto the caller's object."""
    for field in type(fresh)._meta.concrete_fields:
        setattr(obj, field.attname, getattr(fresh, field.attname))
    return obj


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
