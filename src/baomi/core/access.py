"""The building blocks of `visible_to(user)` (DESIGN.md 'Access model', rules L5, T2).

Every selector of every app composes these: the unit perimeter the user's business roles
reach, the clearance their category grants, and whether they hold any business role at all
(the 三员 see no business data through their admin roles, rule T2).
"""

from typing import Any

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
        from baomi.accounts.models import Unit

        roots = set(
            user.role_assignments.filter(role__in=wanted).values_list("unit_id", flat=True)
        )
        cache[wanted] = roots | set(
            Unit.objects.filter(parent_id__in=roots).values_list("id", flat=True)
        )
    return cache[wanted]
