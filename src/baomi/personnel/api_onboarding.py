"""Onboarding API (/api/v1/personnel/): reviews (P2, P6), training (P4), commitments (P3, P5,
and the mobile device commitment of M3), start in post (P3, M3) and the caller's own file.

`{id}` of /people/{id}/… is the id of the personnel file (as in the person ledger). Errors
answer `{"code", "message", "fields"}` with a 4xx.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Router, Schema, Status

from baomi.core.schemas import ErrorOut

from .models import Commitment, PersonnelFile, SecurityReview, TrainingRecord
from .selectors.onboarding import (
    commitments_of,
    file_of_user,
    mobile_commitment_of,
    mobile_commitment_required,
    readiness,
    review_for,
    training_year,
)
from .selectors.people import file_for
from .services.onboarding import (
    ReviewForm,
    record_commitment,
    record_training,
    start_in_post,
    start_review,
)

router = Router(tags=["personnel"])

MAX_ID = 2**63 - 1
FileId = Annotated[int, Path(ge=1, le=MAX_ID)]
ERRORS: dict[int, Any] = {status: ErrorOut for status in (400, 401, 403, 404, 409, 422)}


class ReviewIn(Schema):
    kind: Literal["initial", "periodic", "change"] = "initial"
    level: int = Field(ge=1, le=3, description="The level reviewed for: 1 秘密, 2 机密, 3 绝密.")
    form: ReviewForm


class AttachmentOut(Schema):
    id: int
    title: str
    uploaded_at: datetime


class ReviewOut(Schema):
    id: int
    file_id: int
    kind: str
    level: int
    outcome: str
    decided_on: date | None
    request_id: int | None
    request_state: str | None
    created_at: datetime
    form: dict[str, Any]
    attachments: list[AttachmentOut]


class TrainingIn(Schema):
    course: str = Field(min_length=1, max_length=200)
    held_on: date
    hours: Decimal = Field(gt=0, le=100, max_digits=4, decimal_places=1)
    exam_result: Literal["passed", "failed", "none"] = "none"
    score: int | None = Field(default=None, ge=0, le=100)


class TrainingOut(Schema):
    id: int
    person_id: int
    course: str
    held_on: date
    hours: Decimal
    exam_result: str
    score: int | None


class CommitmentIn(Schema):
    kind: Literal["commitment", "responsibility", "mobile"] = Field(
        description="commitment 保密承诺书 (rule P3), responsibility 保密责任书 (rule P5), "
                    "mobile 移动通信设备使用保密承诺书 (rule M3).")
    year: int = Field(ge=2000, le=2100)
    signed_on: date
    text_version: str = Field(min_length=1, max_length=50)


class CommitmentOut(Schema):
    id: int
    person_id: int
    kind: str
    year: int
    signed_on: date
    text_version: str


class StartIn(Schema):
    since: date


class FileOut(Schema):
    id: int
    person_id: int
    person_name: str
    unit_id: int
    state: str
    category: int
    in_post_since: date | None
    last_review_on: date | None
    rereview_due_on: date | None
    missing: dict[str, str]
    mobile_commitment_required: bool = Field(
        description="Whether the unit's policy asks the category to sign the mobile device "
                    "commitment (rule M3).")
    mobile_commitment_signed_on: date | None


class TrainingYearOut(Schema):
    year: int
    hours: Decimal
    sessions: int
    min_hours: int
    min_sessions: int


class MyFileOut(Schema):
    file: FileOut | None
    training: TrainingYearOut | None
    commitments: list[CommitmentOut]


def _review_out(review: SecurityReview) -> dict[str, Any]:
    return {
        "id": review.pk, "file_id": review.file_id, "kind": review.kind,
        "level": int(review.level), "outcome": review.outcome, "decided_on": review.decided_on,
        "request_id": review.request_id,
        "request_state": review.request.state if review.request is not None else None,
        "created_at": review.created_at, "form": review.form,
        "attachments": [{"id": a.pk, "title": a.title, "uploaded_at": a.uploaded_at}
                        for a in review.attachments.all()],
    }


def _file_out(file: PersonnelFile) -> dict[str, Any]:
    missing = readiness(file, timezone.localdate()).missing if file.state == "training" else {}
    mobile = mobile_commitment_of(file.person)
    return {
        "id": file.pk, "person_id": file.person_id, "person_name": file.person.name,
        "unit_id": file.unit_id, "state": file.state, "category": int(file.category),
        "in_post_since": file.in_post_since, "last_review_on": file.last_review_on,
        "rereview_due_on": file.rereview_due_on, "missing": missing,
        "mobile_commitment_required": mobile_commitment_required(file),
        "mobile_commitment_signed_on": mobile.signed_on if mobile is not None else None,
    }


def _training_out(record: TrainingRecord) -> dict[str, Any]:
    return {"id": record.pk, "person_id": record.person_id, "course": record.course,
            "held_on": record.held_on, "hours": record.hours,
            "exam_result": record.exam_result, "score": record.score}


def _commitment_out(commitment: Commitment) -> dict[str, Any]:
    return {"id": commitment.pk, "person_id": commitment.person_id, "kind": commitment.kind,
            "year": commitment.year, "signed_on": commitment.signed_on,
            "text_version": commitment.text_version}


@router.post("/people/{file_id}/reviews", response={201: ReviewOut, **ERRORS})
def file_review(request: HttpRequest, file_id: FileId, data: ReviewIn) -> Status:
    """File a 保密审查 (rule P2) or 复审 (rule P6) and submit it for approval."""
    file = file_for(request.user, file_id)
    review = start_review(request.user, file, kind=data.kind, level=data.level,
                          form=data.form.model_dump(mode="json", by_alias=True))
    return Status(201, _review_out(review_for(request.user, review.pk)))


@router.get("/reviews/{review_id}", response={200: ReviewOut, **ERRORS})
def get_review(request: HttpRequest, review_id: FileId) -> Any:
    return _review_out(review_for(request.user, review_id))


@router.post("/people/{file_id}/training", response={201: TrainingOut, **ERRORS})
def add_training(request: HttpRequest, file_id: FileId, data: TrainingIn) -> Status:
    """Record a training session (rule P4)."""
    file = file_for(request.user, file_id)
    record = record_training(request.user, file.person, course=data.course,
                             held_on=data.held_on, hours=data.hours,
                             exam_result=data.exam_result, score=data.score)
    return Status(201, _training_out(record))


@router.post("/people/{file_id}/commitments", response={201: CommitmentOut, **ERRORS})
def add_commitment(request: HttpRequest, file_id: FileId,
                   data: CommitmentIn) -> Status:
    """Record a signed 保密承诺书 (rule P3) or yearly 保密责任书 (rule P5)."""
    file = file_for(request.user, file_id)
    commitment = record_commitment(request.user, file.person, kind=data.kind, year=data.year,
                                   signed_on=data.signed_on, text_version=data.text_version)
    return Status(201, _commitment_out(commitment))


@router.post("/people/{file_id}/start", response={200: FileOut, **ERRORS})
def start(request: HttpRequest, file_id: FileId, data: StartIn) -> Any:
    """Start the person in post (rule P3); 422 `not_ready` names what is missing."""
    file = start_in_post(request.user, file_for(request.user, file_id), since=data.since)
    return _file_out(file)


@router.get("/me/file", response={200: MyFileOut, **ERRORS})
def my_file(request: HttpRequest) -> Any:
    """The caller's own file, this year's training and the signed commitments."""
    file = file_of_user(request.user)
    if file is None:
        return {"file": None, "training": None, "commitments": []}
    year = training_year(file.person, timezone.localdate().year)
    return {
        "file": _file_out(file),
        "training": {"year": year.year, "hours": year.hours, "sessions": year.sessions,
                     "min_hours": year.min_hours, "min_sessions": year.min_sessions},
        "commitments": [_commitment_out(c) for c in commitments_of(file.person)],
    }
