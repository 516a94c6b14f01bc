"""Who sees which device and medium (DESIGN.md 'Access model', rule L5).

A device or medium is visible only to someone cleared for its level (a 秘密 user never learns
that a 机密 computer exists), who is also one of: the 保密办 of its unit, the head of its
department, its responsible person, one of its users (devices) or the person who has it
checked out (media).
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from baomi.accounts.roles import Role
from baomi.core.access import clearance, perimeter_query, sees_business_data, unit_perimeter
from baomi.core.errors import NotFound
from baomi.core.paging import parse_key

from .choices import MediumLoanState
from .models import Device, DeviceUser, Medium, MediumLoan

OFFICE = frozenset({Role.SECRECY_OFFICE})


def _duty_q(user: Any) -> Q:
    """SQL over Device or Medium: the 保密办 of its unit, the head of its department, or
    its responsible person."""
    person = user.person
    duty = Q(unit_id__in=perimeter_query(user, OFFICE)) | Q(responsible_id=person.pk)
    if user.has_role(Role.DEPARTMENT_HEAD) and person.department_id:
        duty |= Q(department_id=person.department_id)
    return duty


def devices_visible_to(user: Any) -> QuerySet[Device]:
    if not sees_business_data(user):
        return Device.objects.none()
    uses = DeviceUser.objects.filter(device_id=OuterRef("pk"), person_id=user.person_id)
    return Device.objects.filter(Q(level__lte=int(clearance(user)))
                                 & (_duty_q(user) | Q(Exists(uses))))


def media_visible_to(user: Any) -> QuerySet[Medium]:
    if not sees_business_data(user):
        return Medium.objects.none()
    has_it = MediumLoan.objects.filter(medium_id=OuterRef("pk"), person_id=user.person_id,
                                       state=MediumLoanState.OUT)
    return Medium.objects.filter(Q(level__lte=int(clearance(user)))
                                 & (_duty_q(user) | Q(Exists(has_it))))


def device_for(user: Any, pk: Any) -> Device:
    """One visible device by id; NotFound for anything else."""
    key = parse_key(pk)
    found = (devices_visible_to(user).select_related("unit", "department", "responsible")
             .filter(pk=key).first() if key else None)
    if found is None:
        raise NotFound()
    return found


def medium_for(user: Any, pk: Any) -> Medium:
    """One visible medium by id; NotFound for anything else."""
    key = parse_key(pk)
    found = (media_visible_to(user).select_related("unit", "department", "responsible")
             .filter(pk=key).first() if key else None)
    if found is None:
        raise NotFound()
    return found


def manages_devices(user: Any, unit_id: int) -> bool:
    """The 保密办 of the unit keeps the device and media ledgers."""
    return unit_id in unit_perimeter(user, OFFICE)
