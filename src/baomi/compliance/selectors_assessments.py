"""Who sees which standard and assessment, and the figures of assessments (rules Q2, Q3).

Assessments are no secret inside the office: the 保密办 and the leaders of a unit (a role held
at a 集团 covers its units) see its assessments; anyone else gets a 404. Shipped standards
are seen by every business user, an imported one by the unit that imported it.

`assessment_scores_by_year(unit)` and `latest_assessment(unit, year)` serve the annual report
and the dashboard; `assessment_result(assessment)` is the result page: where points were
lost and the comparison with the previous completed assessment.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.core.access import perimeter_query, sees_business_data
from baomi.core.errors import NotFound
from baomi.core.paging import parse_key

from .choices_assessments import AssessmentState
from .models import Assessment, AssessmentScore, Standard

HANDLERS = frozenset({Role.SECRECY_OFFICE, Role.LEADER})


def standards_visible_to(user: Any) -> QuerySet[Standard]:
    """The shipped standards and those imported by the units the user handles."""
    if not sees_business_data(user):
        return Standard.objects.none()
    return Standard.objects.filter(
        Q(unit__isnull=True) | Q(unit_id__in=perimeter_query(user, HANDLERS)))


def standard_for(user: Any, pk: Any) -> Standard:
    key = parse_key(pk)
    found = standards_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def standards_of(unit: Unit) -> QuerySet[Standard]:
    """The standards a unit assesses against: the shipped ones and its own."""
    return Standard.objects.filter(Q(unit__isnull=True) | Q(unit=unit))


def assessments_visible_to(user: Any) -> QuerySet[Assessment]:
    if not sees_business_data(user):
        return Assessment.objects.none()
    return Assessment.objects.filter(
        unit_id__in=perimeter_query(user, HANDLERS)).select_related("unit", "standard")


def assessment_for(user: Any, pk: Any) -> Assessment:
    """One visible assessment by id; NotFound for anything else."""
    key = parse_key(pk)
    found = assessments_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def _completed(unit: Unit) -> QuerySet[Assessment]:
    return Assessment.objects.filter(unit=unit, state=AssessmentState.COMPLETED)


def assessment_scores_by_year(unit: Unit) -> list[tuple[int, Decimal, bool]]:
    """(year, score, passed) of the unit's completed assessments, oldest first; of several
    in one year, the last assessed (an on-site review after the self-assessment)."""
    latest: dict[int, tuple[int, Decimal, bool]] = {}
    rows = _completed(unit).order_by("year", "assessed_on", "id").values_list(
        "year", "score", "passed")
    for year, score, passed in rows:
        latest[year] = (year, score or Decimal(0), bool(passed))
    return list(latest.values())


def latest_assessment(unit: Unit, year: int) -> Assessment | None:
    """The unit's last completed assessment of `year`, or None."""
    return _completed(unit).filter(year=year).select_related("standard").order_by(
        "-assessed_on", "-id").first()


def assessments_summary(unit: Unit, year: int) -> dict[str, Any]:
    """The figures of `year` for the annual report and the dashboard."""
    latest = latest_assessment(unit, year)
    return {"year": year,
            "completed": _completed(unit).filter(year=year).count(),
            "score": latest.score if latest else None,
            "passed": latest.passed if latest else None,
            "vetoed": latest.vetoed if latest else None,
            "standard": latest.standard.title if latest else None}


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """rule Q3 'compare with last year': the unit's latest completed assessment of an earlier
    year against the same standard code (any version)."""
    return _completed(assessment.unit).filter(
        standard__code=assessment.standard.code, year__lt=assessment.year).select_related(
        "standard").order_by("-year", "-assessed_on", "-id").first()


@dataclass
class GroupResult:
    """One group of the result: its points, what was awarded and lost, the items that lost
    points or failed, and the change against the previous assessment."""

    code: str
    title: str
    points: Decimal
    awarded: Decimal = Decimal(0)
    items: list[dict[str, Any]] = field(default_factory=list)
    previous: Decimal | None = None

    @property
    def lost(self) -> Decimal:
        return self.points - self.awarded

    @property
    def delta(self) -> Decimal | None:
        return None if self.previous is None else self.awarded - self.previous


@dataclass
class AssessmentResult:
    """The result page: groups with what was lost, the veto items not met, the previous
    assessment and the change of the total."""

    assessment: Assessment
    groups: list[GroupResult]
    vetoes_failed: list[dict[str, Any]]
    previous: Assessment | None

    @property
    def score(self) -> Decimal:
        return sum((g.awarded for g in self.groups), Decimal(0))

    @property
    def delta(self) -> Decimal | None:
        if self.previous is None or self.previous.score is None:
            return None
        return self.score - self.previous.score


def _group_awarded(assessment: Assessment) -> dict[str, Decimal]:
    awarded: dict[str, Decimal] = {}
    for row in assessment.scores.all():
        awarded[row.group_code] = awarded.get(row.group_code, Decimal(0)) + (
            row.awarded or Decimal(0))
    return awarded


def _item_row(score: AssessmentScore, item: dict[str, Any]) -> dict[str, Any]:
    return {"score": score, "text": item["text"], "criteria": item["criteria"],
            "lost": score.lost}


def assessment_result(assessment: Assessment) -> AssessmentResult:
    """Where the points were lost, group by group and item by item; the veto items not met;
    the comparison with the previous completed assessment (overall and per group)."""
    scores = {s.item_code: s for s in assessment.scores.all()}
    previous = previous_assessment(assessment)
    before = _group_awarded(previous) if previous else {}
    groups, vetoes = [], []
    for group in assessment.standard.definition["groups"]:
        result = GroupResult(group["code"], group["title"], sum(
            (Decimal(str(i["points"])) for i in group["items"]), Decimal(0)),
            previous=before.get(group["code"]))
        for item in group["items"]:
            score = scores.get(item["code"])
            if score is None:
                continue
            result.awarded += score.awarded or Decimal(0)
            if score.veto and score.met is False:
                vetoes.append(_item_row(score, item))
            if score.lost or (score.veto and score.met is False) or score.note:
                result.items.append(_item_row(score, item))
        groups.append(result)
    return AssessmentResult(assessment, groups, vetoes, previous)
