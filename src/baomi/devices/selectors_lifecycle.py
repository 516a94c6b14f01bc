"""Who sees which maintenance (rule D7) and retirement (rule D8), and who may ask for one
(DESIGN.md 'Access model', rule L5).

A maintenance or retirement is seen by whoever sees its device or medium (`devices_visible_to`,
`media_visible_to`), and by the one who asked for it as long as they are cleared for its
level. A repair or a retirement is asked for by the 保密办 of the unit, the head of the
department the device or medium belongs to, or its responsible person.
"""

from typing import Any

from django.db.models import Q, QuerySet

from baomi.accounts.roles import Role
from baomi.core.access import clearance, sees_business_data
from baomi.core.errors import NotFound
from baomi.core.paging import parse_key

from .choices import MaintenanceState, RetirementState
from .models import Device, Maintenance, Medium, Retirement
from .selectors import devices_visible_to, manages_devices, media_visible_to


def maintenances_visible_to(user: Any) -> QuerySet[Maintenance]:
    if not sees_business_data(user):
        return Maintenance.objects.none()
    own = Q(created_by_id=user.pk) & Q(device__level__lte=int(clearance(user)))
    return Maintenance.objects.filter(
        Q(device__in=devices_visible_to(user).values("pk")) | own)


def retirements_visible_to(user: Any) -> QuerySet[Retirement]:
    if not sees_business_data(user):
        return Retirement.objects.none()
    level = int(clearance(user))
    own = Q(created_by_id=user.pk) & (Q(device__level__lte=level) | Q(medium__level__lte=level))
    return Retirement.objects.filter(
        Q(device__in=devices_visible_to(user).values("pk"))
        | Q(medium__in=media_visible_to(user).values("pk")) | own)


MAINTENANCE_RELATED = ("device__department", "device__responsible", "device__unit",
                       "supervisor", "request", "created_by__person", "disk_removed_by__person")
RETIREMENT_RELATED = ("device__department", "device__responsible", "device__unit",
                      "medium__department", "medium__responsible", "medium__unit", "request",
                      "created_by__person", "recorded_by__person")


def maintenance_for(user: Any, pk: Any) -> Maintenance:
    """One visible maintenance by id; NotFound for anything else."""
    key = parse_key(pk)
    found = (maintenances_visible_to(user).select_related(*MAINTENANCE_RELATED)
             .filter(pk=key).first() if key else None)
    if found is None:
        raise NotFound()
    return found


def retirement_for(user: Any, pk: Any) -> Retirement:
    """One visible retirement by id; NotFound for anything else."""
    key = parse_key(pk)
    found = (retirements_visible_to(user).select_related(*RETIREMENT_RELATED)
             .filter(pk=key).first() if key else None)
    if found is None:
        raise NotFound()
    return found


def maintenance_list(user: Any, state: str = "") -> QuerySet[Maintenance]:
    """The maintenances the user sees, of one state when given."""
    found = maintenances_visible_to(user)
    if state in MaintenanceState.values:
        found = found.filter(state=state)
    return found.select_related("device", "supervisor")


def retirement_list(user: Any, state: str = "", subject: str = "") -> QuerySet[Retirement]:
    """The retirements the user sees, of one state and of devices or media when given."""
    found = retirements_visible_to(user)
    if state in RetirementState.values:
        found = found.filter(state=state)
    if subject == "device":
        found = found.filter(device__isnull=False)
    elif subject == "medium":
        found = found.filter(medium__isnull=False)
    return found.select_related("device", "medium")


def maintenances_of(device: Device) -> QuerySet[Maintenance]:
    """The maintenances of a device the caller already sees, newest first."""
    return Maintenance.objects.filter(device_id=device.pk).select_related(
        "supervisor").order_by("-id")


def retirements_of(obj: Device | Medium) -> QuerySet[Retirement]:
    """The retirements of a device or medium the caller already sees, newest first."""
    lookup = {"device_id": obj.pk} if isinstance(obj, Device) else {"medium_id": obj.pk}
    return Retirement.objects.filter(**lookup).order_by("-id")


def may_ask_for(user: Any, obj: Device | Medium) -> bool:
    """The 保密办 of the unit, the head of the department the device or medium belongs to, or
    its responsible person asks for its repair or its retirement."""
    person = getattr(user, "person", None)
    if person is None or not sees_business_data(user):
        return False
    if manages_devices(user, obj.unit_id) or person.pk == obj.responsible_id:
        return True
    return (user.has_role(Role.DEPARTMENT_HEAD) and person.department_id is not None
            and person.department_id == obj.department_id)
