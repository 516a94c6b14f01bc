"""Who sees which classified information system (DESIGN.md 'Access model', rule L5).

A system is visible only to someone cleared for its level who is also the 保密办 or a leader
of its unit, or its responsible person. The list annotates each system with its number of
devices and its last risk assessment (rule D10), in the same query.
"""

from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from baomi.accounts.roles import Role
from baomi.core.access import clearance, perimeter_query, sees_business_data
from baomi.core.errors import NotFound
from baomi.core.paging import parse_key

from .models import ClassifiedSystem, RiskAssessment
from .selectors import manages_devices

OVERSEERS = frozenset({Role.SECRECY_OFFICE, Role.LEADER})


def systems_visible_to(user: Any) -> QuerySet[ClassifiedSystem]:
    if not sees_business_data(user):
        return ClassifiedSystem.objects.none()
    duty = (Q(unit_id__in=perimeter_query(user, OVERSEERS))
            | Q(responsible_id=user.person_id))
    return ClassifiedSystem.objects.filter(Q(level__lte=int(clearance(user))) & duty)


def latest_assessment() -> Subquery:
    """SQL over ClassifiedSystem: the day of its last risk assessment (NULL when none)."""
    return Subquery(RiskAssessment.objects.filter(system_id=OuterRef("pk"))
                    .order_by("-assessed_on", "-id").values("assessed_on")[:1])


def with_status(systems: QuerySet[ClassifiedSystem]) -> QuerySet[ClassifiedSystem]:
    """Each system with `device_count` and `last_assessed_on`, without a query per row."""
    return systems.select_related("responsible").annotate(
        device_count=Count("devices", distinct=True),
        last_assessed_on=latest_assessment())


def system_for(user: Any, pk: Any) -> ClassifiedSystem:
    """One visible system by id; NotFound for anything else."""
    key = parse_key(pk)
    found = (with_status(systems_visible_to(user)).select_related("unit")
             .filter(pk=key).first() if key else None)
    if found is None:
        raise NotFound()
    return found


def may_manage_system(user: Any, system: ClassifiedSystem) -> bool:
    """The 保密办 of the system's unit registers it, changes its devices and records its
    assessments."""
    return manages_devices(user, system.unit_id)
