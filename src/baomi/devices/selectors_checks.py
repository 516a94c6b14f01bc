"""Who sees which check of a device and which rectification item (DESIGN.md 'Access model',
rule L5).

A check is seen by whoever sees its device (`devices_visible_to`). A rectification item is
seen by whoever sees its device and by its owner, when cleared for the device's level (the
item names the device).
"""

from datetime import date
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from baomi.core.access import clearance, sees_business_data
from baomi.core.errors import NotFound
from baomi.core.paging import parse_key

from .choices import FindingState
from .models import CheckFinding, DeviceCheck
from .selectors import devices_visible_to


def checks_visible_to(user: Any) -> QuerySet[DeviceCheck]:
    if not sees_business_data(user):
        return DeviceCheck.objects.none()
    return DeviceCheck.objects.filter(device_id__in=devices_visible_to(user).values("pk"))


def with_sign_count(checks: QuerySet[DeviceCheck]) -> QuerySet[DeviceCheck]:
    """Each check with `sign_count`, the number of its sign-offs (rule D11: three)."""
    return checks.annotate(sign_count=Count("sign_offs", distinct=True))


def check_for(user: Any, pk: Any) -> DeviceCheck:
    """One visible check by id; NotFound for anything else."""
    key = parse_key(pk)
    found = (with_sign_count(checks_visible_to(user))
             .select_related("device__unit", "device__department", "device__responsible",
                             "checker", "recorded_by__person")
             .filter(pk=key).first() if key else None)
    if found is None:
        raise NotFound()
    return found


def findings_visible_to(user: Any) -> QuerySet[CheckFinding]:
    if not sees_business_data(user):
        return CheckFinding.objects.none()
    sees_device = Q(check_record__device_id__in=devices_visible_to(user).values("pk"))
    owns = Q(owner_id=user.person_id, check_record__device__level__lte=int(clearance(user)))
    return CheckFinding.objects.filter(sees_device | owns)


def finding_for(user: Any, pk: Any) -> CheckFinding:
    """One visible rectification item by id; NotFound for anything else."""
    key = parse_key(pk)
    found = (findings_visible_to(user)
             .select_related("check_record__device__unit", "owner", "verified_by__person")
             .filter(pk=key).first() if key else None)
    if found is None:
        raise NotFound()
    return found


def filtered_findings(user: Any, *, state: str = "", overdue: bool = False,
                      today: date | None = None) -> QuerySet[CheckFinding]:
    """The rectification items the user sees, by state; `overdue`: open past the due day."""
    findings = findings_visible_to(user).select_related(
        "check_record__device", "owner")
    if state in FindingState.values:
        findings = findings.filter(state=state)
    if overdue and today is not None:
        findings = findings.filter(state=FindingState.OPEN, due_on__lt=today)
    return findings


def latest_check_day() -> Subquery:
    """SQL over Device: the day of its last check (NULL when never checked)."""
    return Subquery(DeviceCheck.objects.filter(device_id=OuterRef("pk"))
                    .values("device_id").annotate(last=Max("checked_on")).values("last")[:1])
