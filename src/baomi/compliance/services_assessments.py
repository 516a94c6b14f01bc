"""Writes of scored assessments (rules Q2, Q3): installing the shipped standards, importing a
unit's own standard from YAML, starting an assessment, scoring its items and completing it.

Rule Q3: the score is the sum of the points awarded; an assessment with a veto item (终止项)
not met fails whatever its score; otherwise it passes at the standard's pass mark (90 of 100
for the consulting-unit standard of seed 000). A completed assessment is locked.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Unit, User
from baomi.audit.services import record_event
from baomi.core.errors import Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.transitions import table
from baomi.core.validation import clean_text

from .choices_assessments import AssessmentKind, AssessmentState
from .models import Assessment, AssessmentScore, Standard
from .services import invalid, require_office
from .standards import (
    POINT_STEP,
    items_of,
    parse_standard,
    points_text,
    shipped_standards,
)

ASSESSORS_MAX = 300
NOTE_MAX = 2000
SCORE_NOTE_MAX = 1000
YEAR_MIN, YEAR_MAX = 2000, 2100

ASSESSMENT_STATES = table("state", [
    (AssessmentState.DRAFT, AssessmentState.COMPLETED, None),
])


@dataclass(frozen=True)
class Outcome:
    """What rule Q3 makes of a set of item scores."""

    score: Decimal
    vetoed: bool
    passed: bool


def outcome_of(scores: list[AssessmentScore], pass_mark: Decimal) -> Outcome:
    """rule Q3: the score is the sum of the awarded points; any veto item not met fails the
    assessment regardless of the score; otherwise it passes at `pass_mark` or more."""
    score = sum((s.awarded or Decimal(0) for s in scores if not s.veto), Decimal(0))
    vetoed = any(s.veto and s.met is False for s in scores)  # rule Q3: veto items
    return Outcome(score, vetoed, not vetoed and score >= pass_mark)  # rule Q3: ≥ pass mark


# --- standards --------------------------------------------------------------------------------

def install_shipped_standards() -> None:
    """rule Q2: the standards shipped with baomi, stored once per code and version (no unit)
    the first time anyone needs them; a newer shipped version is added beside the older."""
    stored = set(Standard.objects.filter(unit__isnull=True).values_list("code", "version"))
    for definition in shipped_standards():
        if (definition["id"], definition["version"]) in stored:
            continue
        try:
            with transaction.atomic():
                standard = Standard.objects.create(
                    unit=None, code=definition["id"], version=definition["version"],
                    title=definition["title"], definition=definition)
                record_event(None, "STANDARD_INSTALLED", standard, after={
                    "code": standard.code, "version": standard.version})
        except IntegrityError:  # installed at the same moment by another request
            continue


def _standard_exists() -> Conflict:
    message = _("This version of the standard is already there; raise its version.")
    return Conflict(message, code="standard_exists", fields={"definition": message})


def import_standard(actor: Any, *, unit: Unit, text: Any) -> Standard:
    """The 保密办 imports a standard of its own from YAML (checked with every problem named);
    a new version of a code is a new standard; the same code and version twice is refused."""
    if not isinstance(unit, Unit) or unit.pk is None:
        raise invalid("unit")
    require_office(actor, unit)
    definition = parse_standard(text)
    code, version = definition["id"], definition["version"]
    same = Q(code=code, version=version) & (Q(unit=unit) | Q(unit__isnull=True))
    try:
        with transaction.atomic():
            if Standard.objects.filter(same).exists():
                raise _standard_exists()
            standard = Standard.objects.create(
                unit=unit, code=code, version=version, title=definition["title"],
                definition=definition, imported_by=actor)
            record_event(actor, "STANDARD_IMPORTED", standard, after={
                "code": code, "version": version, "title": standard.title,
                "total": definition["total"], "pass_mark": definition["pass_mark"]})
    except IntegrityError:  # standard_unique_version: a concurrent import won
        raise _standard_exists() from None
    return standard


# --- assessments ------------------------------------------------------------------------------

def _checked_start(unit: Any, standard: Any, year: Any, assessed_on: Any, kind: Any
                   ) -> None:
    if not isinstance(unit, Unit) or unit.pk is None:
        raise invalid("unit")
    if not isinstance(standard, Standard) or standard.pk is None \
            or standard.unit_id not in (None, unit.pk):
        raise NotFound()
    if isinstance(year, bool) or not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise invalid("year", _("Enter a year from %(min)s to %(max)s.") % {
            "min": YEAR_MIN, "max": YEAR_MAX})
    if not isinstance(assessed_on, dt.date) or isinstance(assessed_on, dt.datetime):
        raise invalid("assessed_on", _("Enter a date."))
    if not isinstance(kind, str) or kind not in AssessmentKind.values:
        raise invalid("kind")


def start_assessment(actor: Any, *, unit: Unit, standard: Standard, year: int,
                     assessed_on: dt.date, kind: str = AssessmentKind.SELF,
                     assessor_names: str = "", note: str = "") -> Assessment:
    """The 保密办 starts an assessment of its unit against a standard it sees (shipped or its
    own): every item of the standard is listed unscored."""
    _checked_start(unit, standard, year, assessed_on, kind)
    office: User = require_office(actor, unit)
    names = clean_text(assessor_names, "assessor_names", ASSESSORS_MAX, required=False)
    note = clean_text(note, "note", NOTE_MAX, required=False)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            unit=unit, standard=standard, year=year, assessed_on=assessed_on, kind=kind,
            assessor=office, assessor_names=names, note=note)
        AssessmentScore.objects.bulk_create([
            AssessmentScore(assessment=assessment, position=position, group_code=item.group,
                            item_code=item.code, veto=item.veto, max_points=item.points)
            for position, item in enumerate(items_of(standard.definition))])
        record_event(actor, "ASSESSMENT_STARTED", assessment, after={
            "standard": standard.code, "version": standard.version, "year": year,
            "kind": kind, "assessed_on": assessed_on.isoformat()})
    return assessment


def _locked(assessment: Any) -> Assessment:
    """rule Q3: a completed assessment is locked."""
    if assessment.state == AssessmentState.COMPLETED:
        raise Conflict(_("The assessment is completed and can no longer change."),
                       code="completed")
    return assessment


def _points(value: Any, row: AssessmentScore) -> Decimal | None:
    """rule Q3: whole or half points from 0 to the item's points, or None (unscored)."""
    if value is None or value == "":
        return None
    try:
        points = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        points = Decimal(-1)
    if isinstance(value, bool) or not points.is_finite() or not 0 <= points <= row.max_points \
            or points % POINT_STEP:
        message = _("Award whole or half points from 0 to %(max)s.") % {
            "max": points_text(row.max_points)}
        raise InvalidInput(message, code="points_out_of_range",
                           fields={f"awarded.{row.item_code}": message}, rule="Q3")
    return points


def _apply_entry(entry: Any, rows: dict[str, AssessmentScore], seen: set[str]) -> AssessmentScore:
    if not isinstance(entry, dict):
        raise invalid("scores", _("Invalid value."))
    code = entry.get("item")
    row = rows.get(code) if isinstance(code, str) else None
    if row is None or code in seen:
        raise invalid("scores", _("Unknown or repeated item: %(item)s.") % {
            "item": str(code)[:60]}, code="unknown_item")
    seen.add(row.item_code)
    met = entry.get("met")
    if row.veto:
        if met is not None and not isinstance(met, bool):
            raise invalid(f"met.{row.item_code}")
        if entry.get("awarded") not in (None, ""):  # a veto item carries no points
            _points(entry.get("awarded"), row)
        row.met = met
    else:
        if met is not None:
            raise invalid(f"met.{row.item_code}", _("Only a veto item is met or not met."))
        row.awarded = _points(entry.get("awarded"), row)
    row.note = clean_text(entry.get("note", ""), f"note.{row.item_code}", SCORE_NOTE_MAX,
                          required=False)
    return row


def score_items(actor: Any, assessment: Assessment, scores: list[dict[str, Any]]
                ) -> Assessment:
    """The 保密办 records item scores of a draft assessment: each entry names its `item`
    code with `awarded` points (None: unscored), or `met` for a veto item, and a `note` on
    where points were lost. All entries are written or none."""
    if not isinstance(assessment, Assessment) or assessment.pk is None:
        raise NotFound()
    require_office(actor, assessment.unit)
    if not isinstance(scores, list):
        raise invalid("scores", _("Invalid value."))
    with transaction.atomic():
        fresh = _locked(Assessment.objects.select_for_update().get(pk=assessment.pk))
        rows = {row.item_code: row for row in fresh.scores.all()}
        seen: set[str] = set()
        changed = [_apply_entry(entry, rows, seen) for entry in scores]
        AssessmentScore.objects.bulk_update(changed, ["awarded", "met", "note"])
        record_event(actor, "ASSESSMENT_SCORED", fresh, after={
            row.item_code: (row.met if row.veto else
                            (str(row.awarded) if row.awarded is not None else None))
            for row in changed})
    return fresh


def complete_assessment(actor: Any, assessment: Assessment) -> Assessment:
    """The 保密办 completes a fully scored assessment: the score, whether a veto item failed
    and whether it passed are fixed (rule Q3), and the assessment is locked."""
    if not isinstance(assessment, Assessment) or assessment.pk is None:
        raise NotFound()
    require_office(actor, assessment.unit)
    with transaction.atomic():
        fresh = _locked(Assessment.objects.select_for_update().select_related(
            "standard").get(pk=assessment.pk))
        scores = list(fresh.scores.all())
        unscored = [s.item_code for s in scores if not s.scored]
        if unscored:
            raise RuleViolation(
                _("Score every item first; unscored: %(items)s.") % {
                    "items": "、".join(unscored[:10])}, code="items_unscored", rule="Q3")
        outcome = outcome_of(scores, fresh.standard.pass_mark)
        ASSESSMENT_STATES.apply(fresh, AssessmentState.COMPLETED, score=outcome.score,
                                vetoed=outcome.vetoed, passed=outcome.passed,
                                completed_at=timezone.now())
        record_event(actor, "ASSESSMENT_COMPLETED", fresh, after={
            "score": str(outcome.score), "vetoed": outcome.vetoed, "passed": outcome.passed})
    return fresh


def record_assessments_export(actor: Any, unit_id: int | None, rows: int) -> None:
    """Exports of the assessments leave a trace (who took the list out, how many rows)."""
    with transaction.atomic():
        record_event(actor, "ASSESSMENTS_EXPORTED", object_type="compliance.assessment",
                     unit_id=unit_id, after={"rows": rows})
