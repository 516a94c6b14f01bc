"""The assessment API (/api/v1/compliance/standards, /assessments; rules Q2, Q3): the
standards a unit assesses against (shipped and imported) and importing one from YAML text;
the unit's assessments, starting one, scoring its items in bulk and completing it.

The 保密办 and the leaders of a unit read; only the 保密办 writes. Any other id is a 404.
Refusals are DomainErrors with their codes (`invalid_standard`, `standard_exists`,
`points_out_of_range`, `items_unscored`, `completed` …).
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services_assessments as services
from .choices_assessments import AssessmentKind
from .models import Assessment, Standard
from .selectors_assessments import (
    AssessmentResult,
    assessment_for,
    assessment_result,
    assessments_visible_to,
    standard_for,
    standards_visible_to,
)
from .standards import CODE_MAX, MAX_BYTES, MAX_ITEMS, StandardInvalid

router = Router(tags=["compliance: assessments"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
# Wide bounds: the service says `points_out_of_range` against the item's own points.
POINTS_BOUND = 100_000


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class StandardIn(Schema):
    definition: str = Field(min_length=1, max_length=MAX_BYTES,
                            description="The standard as YAML text (docs/standards.md).")


class StandardOut(Schema):
    id: int
    unit_id: int | None = Field(description="Empty: shipped with baomi.")
    code: str
    version: int
    title: str
    total: float
    pass_mark: float
    imported_at: dt.datetime


class StandardDetailOut(StandardOut):
    definition: dict[str, Any]


class StandardPage(Schema):
    items: list[StandardOut]
    next_after: int | None


class AssessmentIn(Schema):
    standard_id: int = Field(ge=1, le=MAX_KEY)
    year: int = Field(ge=services.YEAR_MIN, le=services.YEAR_MAX)
    assessed_on: dt.date
    kind: AssessmentKind = AssessmentKind.SELF
    assessor_names: str = Field("", max_length=services.ASSESSORS_MAX)
    note: str = Field("", max_length=services.NOTE_MAX)


class ScoreIn(Schema):
    item: str = Field(min_length=1, max_length=CODE_MAX)
    awarded: Decimal | None = Field(None, ge=-POINTS_BOUND, le=POINTS_BOUND,
                                    description="Whole or half points; empty: unscored.")
    met: bool | None = Field(None, description="Veto items only; empty: unscored.")
    note: str = Field("", max_length=services.SCORE_NOTE_MAX)


class ScoresIn(Schema):
    scores: list[ScoreIn] = Field(max_length=MAX_ITEMS)


class ScoreOut(Schema):
    item: str
    group: str
    veto: bool
    points: float
    awarded: float | None
    met: bool | None
    note: str


class GroupOut(Schema):
    code: str
    title: str
    points: float
    awarded: float
    lost: float
    previous: float | None
    delta: float | None


class ResultOut(Schema):
    score: float
    vetoes_failed: list[str] = Field(description="Codes of the veto items not met.")
    groups: list[GroupOut]
    previous_id: int | None = Field(description="The previous completed assessment compared.")
    previous_year: int | None
    delta: float | None


class AssessmentOut(Schema):
    id: int
    unit_id: int
    standard_id: int
    standard_code: str
    year: int
    assessed_on: dt.date
    kind: str
    state: str
    assessor_names: str
    note: str
    score: float | None
    passed: bool | None
    vetoed: bool
    created_at: dt.datetime
    completed_at: dt.datetime | None


class AssessmentDetailOut(AssessmentOut):
    scores: list[ScoreOut]
    result: ResultOut


class AssessmentPage(Schema):
    items: list[AssessmentOut]
    next_after: int | None


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def standard_out(standard: Standard) -> dict[str, Any]:
    return {"id": standard.pk, "unit_id": standard.unit_id, "code": standard.code,
            "version": standard.version, "title": standard.title,
            "total": float(standard.total), "pass_mark": float(standard.pass_mark),
            "imported_at": standard.imported_at}


def assessment_out(assessment: Assessment) -> dict[str, Any]:
    return {"id": assessment.pk, "unit_id": assessment.unit_id,
            "standard_id": assessment.standard_id, "standard_code": assessment.standard.code,
            "year": assessment.year, "assessed_on": assessment.assessed_on,
            "kind": assessment.kind, "state": assessment.state,
            "assessor_names": assessment.assessor_names, "note": assessment.note,
            "score": _num(assessment.score), "passed": assessment.passed,
            "vetoed": assessment.vetoed, "created_at": assessment.created_at,
            "completed_at": assessment.completed_at}


def result_out(result: AssessmentResult) -> dict[str, Any]:
    previous = result.previous
    return {"score": float(result.score),
            "vetoes_failed": [row["score"].item_code for row in result.vetoes_failed],
            "groups": [{"code": g.code, "title": g.title, "points": float(g.points),
                        "awarded": float(g.awarded), "lost": float(g.lost),
                        "previous": _num(g.previous), "delta": _num(g.delta)}
                       for g in result.groups],
            "previous_id": previous.pk if previous else None,
            "previous_year": previous.year if previous else None,
            "delta": _num(result.delta)}


def assessment_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    assessment = assessment_for(request.user, pk)
    return {**assessment_out(assessment),
            "scores": [{"item": s.item_code, "group": s.group_code, "veto": s.veto,
                        "points": float(s.max_points), "awarded": _num(s.awarded),
                        "met": s.met, "note": s.note} for s in assessment.scores.all()],
            "result": result_out(assessment_result(assessment))}


@router.get("/standards", response={200: StandardPage, **ERRORS},
            summary="Assessment standards: shipped and imported by your units (rule Q2)")
def list_standards(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    services.install_shipped_standards()
    page = keyset_page(standards_visible_to(request.user), None, size=query.limit,
                       after=query.after)
    return {"items": [standard_out(s) for s in page.items], "next_after": page.next_after}


@router.post("/standards", response={201: StandardDetailOut, **ERRORS},
             summary="Import a standard of your unit from YAML (保密办)")
def import_standard(request: HttpRequest, data: StandardIn) -> Status:
    user: Any = request.user
    standard = services.import_standard(user, unit=user.person.unit, text=data.definition)
    return Status(201, {**standard_out(standard), "definition": standard.definition})


def _uploaded_text(file: UploadedFile) -> str:
    """The text of an uploaded YAML file: at most 1 MB of UTF-8."""
    if file.size is None or file.size > MAX_BYTES:
        raise StandardInvalid([_("the file is larger than %(n)s bytes") % {"n": MAX_BYTES}])
    try:
        return file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StandardInvalid([_("the file is not UTF-8 text")]) from None


@router.post("/standards/file", response={201: StandardDetailOut, **ERRORS},
             summary="Import a standard of your unit from a YAML file (保密办)")
def import_standard_file(request: HttpRequest, file: File[UploadedFile]) -> Status:
    user: Any = request.user
    standard = services.import_standard(user, unit=user.person.unit,
                                        text=_uploaded_text(file))
    return Status(201, {**standard_out(standard), "definition": standard.definition})


@router.get("/standards/{standard_id}", response={200: StandardDetailOut, **ERRORS},
            summary="One standard with its groups and items")
def get_standard(request: HttpRequest, standard_id: Id) -> dict[str, Any]:
    standard = standard_for(request.user, standard_id)
    return {**standard_out(standard), "definition": standard.definition}


@router.get("/assessments", response={200: AssessmentPage, **ERRORS},
            summary="Scored assessments of the units you handle (rule Q3)")
def list_assessments(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    page = keyset_page(assessments_visible_to(request.user), None, size=query.limit,
                       after=query.after)
    return {"items": [assessment_out(a) for a in page.items], "next_after": page.next_after}


@router.post("/assessments", response={201: AssessmentDetailOut, **ERRORS},
             summary="Start an assessment of your unit against a standard (保密办)")
def start_assessment(request: HttpRequest, data: AssessmentIn) -> Status:
    user: Any = request.user
    services.install_shipped_standards()
    standard = standard_for(user, data.standard_id)
    assessment = services.start_assessment(
        user, unit=user.person.unit, standard=standard, year=data.year,
        assessed_on=data.assessed_on, kind=str(data.kind), assessor_names=data.assessor_names,
        note=data.note)
    return Status(201, assessment_detail(request, assessment.pk))


@router.get("/assessments/{assessment_id}", response={200: AssessmentDetailOut, **ERRORS},
            summary="One assessment: item scores, where points were lost, against last year")
def get_assessment(request: HttpRequest, assessment_id: Id) -> dict[str, Any]:
    return assessment_detail(request, assessment_id)


@router.post("/assessments/{assessment_id}/scores",
             response={200: AssessmentDetailOut, **ERRORS},
             summary="Score items of a draft assessment in bulk (保密办; rule Q3)")
def score_items(request: HttpRequest, assessment_id: Id, data: ScoresIn) -> dict[str, Any]:
    assessment = assessment_for(request.user, assessment_id)
    services.score_items(request.user, assessment, [s.dict() for s in data.scores])
    return assessment_detail(request, assessment_id)


@router.post("/assessments/{assessment_id}/complete",
             response={200: AssessmentDetailOut, **ERRORS},
             summary="Complete a fully scored assessment; it is locked (保密办; rule Q3)")
def complete_assessment(request: HttpRequest, assessment_id: Id) -> dict[str, Any]:
    assessment = assessment_for(request.user, assessment_id)
    services.complete_assessment(request.user, assessment)
    return assessment_detail(request, assessment_id)
