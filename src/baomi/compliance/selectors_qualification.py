"""Who sees the unit's 资质/备案 records, applications and changes (rules Q3, Q4, Q6), and the
figures of a year for the annual report and the dashboard (`qualification_summary`).

They are read by the 保密办 and the leaders of the unit (a leader at a 集团 covers its
units); they carry no secrecy level. Anything else is a 404.
"""

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.core.access import perimeter_query, sees_business_data
from baomi.core.errors import NotFound
from baomi.core.paging import parse_key

from .choices_qualification import ApplicationResult, QualificationState
from .models import Qualification, QualificationApplication, UnitChange

READERS = frozenset({Role.SECRECY_OFFICE, Role.LEADER})


def _units(user: Any) -> Any:
    return perimeter_query(user, READERS)


def qualifications_visible_to(user: Any) -> QuerySet[Qualification]:
    if not sees_business_data(user):
        return Qualification.objects.none()
    return Qualification.objects.filter(unit_id__in=_units(user)).select_related("unit")


def applications_visible_to(user: Any) -> QuerySet[QualificationApplication]:
    if not sees_business_data(user):
        return QualificationApplication.objects.none()
    return QualificationApplication.objects.filter(unit_id__in=_units(user)).select_related(
        "unit", "renews", "certificate")


def unit_changes_visible_to(user: Any) -> QuerySet[UnitChange]:
    if not sees_business_data(user):
        return UnitChange.objects.none()
    return UnitChange.objects.filter(unit_id__in=_units(user)).select_related("unit")


def _one(queryset: QuerySet[Any], pk: Any) -> Any:
    key = parse_key(pk)
    found = queryset.filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def qualification_for(user: Any, pk: Any) -> Qualification:
    found: Qualification = _one(qualifications_visible_to(user), pk)
    return found


def application_for(user: Any, pk: Any) -> QualificationApplication:
    found: QualificationApplication = _one(applications_visible_to(user), pk)
    return found


def unit_change_for(user: Any, pk: Any) -> UnitChange:
    found: UnitChange = _one(unit_changes_visible_to(user), pk)
    return found


def qualification_summary(unit: Unit, year: int) -> dict[str, Any]:
    """The figures of `unit` for `year` (no visibility: the caller has checked the reader):

    - `valid`: qualifications valid at the end of the year (or today, for the current year),
      each as {type, grade, certificate_number, expires_on};
    - `applications`: filed in the year, `passed` / `failed` / `pending` among them;
    - `changes`: unit changes occurring in the year, `reported`, `reported_late`,
      `unreported` among them (rule Q6).
    """
    end = min(dt.date(year, 12, 31), timezone.localdate())
    held = _held_on(unit, end)
    applications = QualificationApplication.objects.filter(
        unit=unit, applied_on__year=year).aggregate(
        filed=Count("id"),
        passed=Count("id", filter=Q(result=ApplicationResult.PASSED)),
        failed=Count("id", filter=Q(result=ApplicationResult.FAILED)),
        pending=Count("id", filter=Q(result=ApplicationResult.PENDING)))
    changes = UnitChange.objects.filter(unit=unit, occurred_on__year=year).aggregate(
        recorded=Count("id"),
        reported=Count("id", filter=Q(reported_on__isnull=False)),
        reported_late=Count("id", filter=Q(reported_late=True)),
        unreported=Count("id", filter=Q(reported_on__isnull=True)))
    return {
        "year": year,
        "valid": [{"type": q.type, "type_label": q.get_type_display(), "grade": q.grade,
                   "grade_label": q.get_grade_display(),
                   "certificate_number": q.certificate_number, "expires_on": q.expires_on}
                  for q in held],
        "applications": applications,
        "changes": changes,
    }


def _held_on(unit: Unit, day: dt.date) -> list[Qualification]:
    """The qualifications the unit held on `day`: issued by then, not yet expired, and not
    replaced by a later certificate of the same type issued by then. Revoked ones are left
    out (the record keeps no date of the revocation). A unit holds a handful: filtered here."""
    issued = list(Qualification.objects.filter(unit=unit, issued_on__lte=day)
                  .exclude(state=QualificationState.REVOKED).order_by("type", "-issued_on"))
    latest: dict[str, dt.date] = {}
    for qualification in issued:
        latest.setdefault(qualification.type, qualification.issued_on)
    return [q for q in issued
            if q.expires_on >= day and q.issued_on == latest[q.type]]
