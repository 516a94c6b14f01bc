"""Who sees which inspection and rectification (DESIGN.md 'Access model'), and the figures
of a unit's year for the annual report and the dashboard (`inspection_summary`).

Inspections are seen by the 保密办 and the leaders of their unit (a role held at a 集团
covers its units). A rectification is seen by them and by its owner, who records the
measures taken. Inspections carry no secrecy level: their findings describe the work, never
the secrets themselves.
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

from .checklists import SELF_ASSESSMENT_LIBRARY
from .choices_inspections import InspectionKind, InspectionState, ItemResult, RectificationState
from .models import Inspection, InspectionEvidence, Rectification

HANDLERS = frozenset({Role.SECRECY_OFFICE, Role.LEADER})


def inspections_visible_to(user: Any) -> QuerySet[Inspection]:
    if not sees_business_data(user):
        return Inspection.objects.none()
    return Inspection.objects.filter(
        unit_id__in=perimeter_query(user, HANDLERS)).select_related(
        "unit", "department", "created_by__person")


def inspection_for(user: Any, pk: Any) -> Inspection:
    """One visible inspection by id; NotFound for anything else."""
    key = parse_key(pk)
    found = inspections_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def evidence_for(user: Any, pk: Any) -> InspectionEvidence:
    """An evidence file of a visible inspection; NotFound for anything else."""
    key = parse_key(pk)
    found = (InspectionEvidence.objects.filter(
        pk=key, item__inspection__in=inspections_visible_to(user)).select_related(
        "item__inspection").first() if key else None)
    if found is None:
        raise NotFound()
    return found


def rectifications_visible_to(user: Any) -> QuerySet[Rectification]:
    """The rectifications of the units the user handles, and those the user owns."""
    if not sees_business_data(user):
        return Rectification.objects.none()
    return Rectification.objects.filter(
        Q(unit_id__in=perimeter_query(user, HANDLERS)) | Q(owner_id=user.pk)).select_related(
        "unit", "owner__person", "item__inspection")


def rectification_for(user: Any, pk: Any) -> Rectification:
    key = parse_key(pk)
    found = rectifications_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def overdue(rectifications: QuerySet[Rectification], today: dt.date | None = None
            ) -> QuerySet[Rectification]:
    """rule Q10: open past their due day (the due day itself is still in time)."""
    today = today or timezone.localdate()
    return rectifications.filter(state=RectificationState.OPEN, due_on__lt=today)


def self_assessments_completed(year: int) -> QuerySet[Inspection]:
    """rule Q9: the completed self-assessments on the 条例§58 library of `year`."""
    return Inspection.objects.filter(kind=InspectionKind.SELF, year=year,
                                     library_id=SELF_ASSESSMENT_LIBRARY,
                                     state=InspectionState.COMPLETED)


def device_check_findings(unit: Unit, year: int, today: dt.date) -> dict[str, int]:
    """rule D11 (aggregation): the rectification items found by the year's device checks of
    the unit, by state, and how many are open past their due day."""
    from baomi.devices.choices import FindingState
    from baomi.devices.models import CheckFinding

    findings = CheckFinding.objects.filter(check_record__device__unit=unit,
                                           check_record__checked_on__year=year)
    counts = dict.fromkeys(FindingState.values, 0)
    for finding_row in findings.values("state").annotate(n=Count("id")):
        counts[finding_row["state"]] = finding_row["n"]
    counts["overdue"] = findings.filter(state=FindingState.OPEN, due_on__lt=today).count()
    return counts


def inspection_summary(unit: Unit, year: int, today: dt.date | None = None) -> dict[str, Any]:
    """The figures of `unit`'s `year` for the annual report (rule Q5) and the dashboard:
    inspections by kind (all and completed), problems found, the rectifications of those
    inspections by state, how many are overdue today, whether the yearly self-assessment
    (rule Q9) is completed, and the findings of the year's device checks (rule D11). A few
    aggregate queries, no loop over rows."""
    today = today or timezone.localdate()
    inspections = Inspection.objects.filter(unit=unit, year=year)
    by_kind = {kind: {"total": 0, "completed": 0} for kind in InspectionKind.values}
    for row in inspections.values("kind").annotate(
            total=Count("id"), completed=Count("id", filter=Q(state=InspectionState.COMPLETED))):
        by_kind[row["kind"]] = {"total": row["total"], "completed": row["completed"]}
    problems = inspections.filter(
        items__result=ItemResult.PROBLEM).count()
    rectifications = Rectification.objects.filter(unit=unit, item__inspection__year=year)
    by_state = dict.fromkeys(RectificationState.values, 0)
    for state_row in rectifications.values("state").annotate(n=Count("id")):
        by_state[state_row["state"]] = state_row["n"]
    return {
        "year": year,
        "inspections": sum(kind["total"] for kind in by_kind.values()),
        "by_kind": by_kind,
        "problems": problems,
        "rectifications": sum(by_state.values()),
        "rectifications_by_state": by_state,
        "overdue": overdue(rectifications, today).count(),
        "self_assessment_completed": self_assessments_completed(year).filter(
            unit=unit).exists(),
        "device_check_findings": device_check_findings(unit, year, today),
    }
