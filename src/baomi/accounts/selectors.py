"""Every read of the accounts app, filtered by what the viewer may see.

Accounts are seen by the 系统管理员 and the 安全保密管理员 of a unit (rule T2: they manage
accounts and roles, which is not business data); anyone else sees only their own account.
"""

from typing import Any

from django.db.models import Q, QuerySet

from baomi.core.access import unit_perimeter
from baomi.core.errors import NotFound
from baomi.core.paging import MAX_KEY, parse_key
from baomi.core.policy import policy_of
from baomi.core.policy.loader import EffectiveSetting, Profile, profiles

from .models import ApiToken, Department, RoleAssignment, Unit, User
from .roles import Role

ACCOUNT_MANAGERS = frozenset({Role.SYSADMIN, Role.SECADMIN})
MAX_ID = MAX_KEY


def account_perimeter(user: Any) -> set[int]:
    """Units whose accounts the user manages (sysadmin or secadmin there)."""
    return unit_perimeter(user, ACCOUNT_MANAGERS)


def users_visible_to(user: Any) -> QuerySet[User]:
    """rule T2: account managers see the accounts of their units; others only their own."""
    queryset = User.objects.select_related("person__unit", "person__department")
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    perimeter = account_perimeter(user)
    if perimeter:
        return queryset.filter(Q(person__unit_id__in=perimeter) | Q(pk=user.pk))
    return queryset.filter(pk=user.pk)


def users_matching(viewer: Any, *, department_id: int | None = None,
                   active: bool | None = None, role: str | None = None) -> QuerySet[User]:
    """The visible users, narrowed by department, login state and role."""
    queryset = users_visible_to(viewer)
    if department_id is not None:
        queryset = queryset.filter(person__department_id=department_id)
    if active is not None:
        queryset = queryset.filter(is_active=active)
    if role:
        queryset = queryset.filter(role_assignments__role=role)
    return queryset.prefetch_related("role_assignments")


def user_detail_for(viewer: Any, pk: int) -> User:
    """One visible user, or NotFound (also for users that exist but are not visible)."""
    user = users_visible_to(viewer).filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if user is None:
        raise NotFound()
    return user


def roles_of(user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=user).select_related("unit", "granted_by__person")


def units_visible_to(user: Any) -> QuerySet[Unit]:
    """The user's own unit and the units they hold any role in (a group role covers its units).

    A unit's name and policy are no secret inside the organisation.
    """
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    perimeter = unit_perimeter(user, frozenset(str(r) for r in Role))
    return Unit.objects.filter(Q(pk=user.person.unit_id) | Q(pk__in=perimeter))


def units_managed_by(user: Any, role: Role) -> QuerySet[Unit]:
    """Units where the user holds `role` (e.g. where a sysadmin creates departments)."""
    return Unit.objects.filter(pk__in=unit_perimeter(user, {role}))


def departments_of(unit: Unit) -> QuerySet[Department]:
    return Department.objects.filter(unit=unit).order_by("code")


def departments_visible_to(user: Any) -> QuerySet[Department]:
    """Departments of the units whose accounts the user sees (filters and forms)."""
    units = account_perimeter(user) or {user.person.unit_id}
    return Department.objects.filter(unit_id__in=units).select_related("unit").order_by(
        "unit__code", "code"
    )


def unit_visible_to(user: Any, code_or_pk: str | int | None) -> Unit:
    """One visible unit by code or id; the user's own unit when none is named."""
    if code_or_pk in (None, ""):
        return Unit.objects.get(pk=user.person.unit_id)
    if "\x00" in str(code_or_pk):  # PostgreSQL refuses a NUL in a literal: no such unit
        raise NotFound()
    queryset = units_visible_to(user)
    if isinstance(code_or_pk, int) or str(code_or_pk).isdigit():
        pk = parse_key(code_or_pk)
        unit = queryset.filter(pk=pk).first() if pk else None
    else:
        unit = queryset.filter(code=str(code_or_pk)).first()
    if unit is None:
        raise NotFound()
    return unit


def effective_policy(unit: Unit) -> list[EffectiveSetting]:
    """Every setting of the unit's policy with its value and where the value comes from."""
    return policy_of(unit).all()


def policy_profiles() -> list[Profile]:
    return list(profiles().values())


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first (nobody sees another's tokens)."""
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def token_of(user: Any, pk: int) -> ApiToken:
    token = tokens_of(user).filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if token is None:
        raise NotFound()
    return token


def unit_by_code(code: str) -> Unit | None:
    """A unit by its code, for the operator's commands (which run as the system)."""
    return Unit.objects.filter(code=code).first()
