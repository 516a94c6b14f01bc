"""Who sees which incident (DESIGN.md 'Access model', rule L5).

An incident is seen by the 保密办 and the leaders of its unit (a leader held at a 集团 covers
its units), and only when they are cleared for its level: a 机密 reader never learns that a
绝密 carrier was lost. 工作秘密 and 商业秘密 incidents carry no state level (rule L4).
"""

from typing import Any

from django.db.models import Q, QuerySet

from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.core.access import clearance, perimeter_query, sees_business_data
from baomi.core.errors import NotFound
from baomi.core.labels import Scheme
from baomi.core.paging import parse_key

from .models import AnnualReport, Incident, SecureRoom

HANDLERS = frozenset({Role.SECRECY_OFFICE, Role.LEADER})


def incidents_visible_to(user: Any) -> QuerySet[Incident]:
    if not sees_business_data(user):
        return Incident.objects.none()
    cleared = ~Q(scheme=Scheme.STATE) | Q(level__lte=int(clearance(user)))
    return Incident.objects.filter(
        Q(unit_id__in=perimeter_query(user, HANDLERS)) & cleared).select_related(
        "unit", "created_by", "created_by__person")


def incident_for(user: Any, pk: Any) -> Incident:
    """One visible incident by id; NotFound for anything else."""
    key = parse_key(pk)
    found = incidents_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def rooms_visible_to(user: Any) -> QuerySet[SecureRoom]:
    """Secure rooms of the units where the user is the 保密办 (rule Q7): their measures are
    no secret inside the office, and only the office keeps them."""
    if not sees_business_data(user):
        return SecureRoom.objects.none()
    return SecureRoom.objects.filter(
        unit_id__in=perimeter_query(user, {Role.SECRECY_OFFICE})).select_related("unit")


def room_for(user: Any, pk: Any) -> SecureRoom:
    key = parse_key(pk)
    found = rooms_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def handled_units(user: Any) -> QuerySet[Unit]:
    """The units (not 集团) whose secrecy work the user oversees as 保密办 or leader."""
    if not sees_business_data(user):
        return Unit.objects.none()
    return Unit.objects.filter(pk__in=perimeter_query(user, HANDLERS), kind=Unit.Kind.UNIT)


def annual_reports_visible_to(user: Any) -> QuerySet[AnnualReport]:
    """rule Q5: a unit's annual reports, for its 保密办 and leaders, when cleared for every
    level the report counts (rule L5)."""
    return AnnualReport.objects.filter(
        unit__in=handled_units(user), max_level__lte=int(clearance(user))).select_related(
        "unit", "generated_by__person", "filed_by__person")


def annual_report_for(user: Any, pk: Any) -> AnnualReport:
    key = parse_key(pk)
    found = annual_reports_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found
