"""The building blocks of `visible_to(user)` (DESIGN.md 'Access model', rules L5, T2).

Every selector of every app composes these: the unit perimeter the user's business roles
reach, the clearance their category grants, and whether they hold any business role at all
(the 三员 see no business data through their admin roles, rule T2).
"""

from typing import Any

from django.db.models import Q, QuerySet

from baomi.accounts.roles import BUSINESS_ROLES
from baomi.core.labels import Level, clearance_of


def business_roles(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return user.role_set() & BUSINESS_ROLES


def sees_business_data(user: Any) -> bool:
    """rule T2: only business roles open business data; an admin role alone opens none."""
    return bool(business_roles(user))


def clearance(user: Any) -> Level:
    """rule L2: the level the user's category is cleared for; 非密 for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return Level.NONSECRET
    return clearance_of(user.person.category)


def unit_perimeter(user: Any, roles: set[str] | frozenset[str] | None = None) -> set[int]:
    """Unit ids where the user holds one of `roles` (default: any business role).

    A role held at a 集团 covers its units. Cached per user object and role set.
    """
    if not getattr(user, "is_authenticated", False):
        return set()
    wanted = frozenset(str(r) for r in roles) if roles is not None else BUSINESS_ROLES
    cache: dict[frozenset[str], set[int]] = user.__dict__.setdefault("_perimeters", {})
    if wanted not in cache:
        cache[wanted] = set(perimeter_query(user, wanted).values_list("pk", flat=True))
    return cache[wanted]


def perimeter_query(user: Any, roles: set[str] | frozenset[str]) -> "QuerySet[Any]":
    """SQL: ids of the units where `user` holds one of `roles`, and of their children
    (a role held at a 集团 covers its units), for use as a subquery."""
    from baomi.accounts.models import RoleAssignment, Unit

    roots = RoleAssignment.objects.filter(user_id=user.pk, role__in=[str(r) for r in roles])
    root_ids = roots.values("unit_id")
    return Unit.objects.filter(Q(pk__in=root_ids) | Q(parent_id__in=root_ids)).values("pk")
