"""Writes of onboarding: 保密审查 and 复审 (rules P2, P6), training (P4), commitments (P3, P5,
and the mobile device commitment of M3), and the start in post (P3 先培训后上岗, M3).

Every write is done by the 保密办 of the file's unit (`manages_unit`), inside one transaction
with its audit event. A file another user cannot see is NotFound to them; a file they see but
do not manage is AccessDenied.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from baomi.accounts.models import Person
from baomi.accounts.roles import Role
from baomi.approvals.choices import RequestState
from baomi.audit.services import record_event
from baomi.core.calendar import add_years
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Category, Level
from baomi.core.policy import policy_of

from ..choices import CommitmentKind, ExamResult, FileState, ReviewKind, ReviewOutcome
from ..models import Commitment, PersonnelFile, ReviewAttachment, SecurityReview, TrainingRecord
from ..selectors.onboarding import open_review, readiness
from ..selectors.people import files_visible_to, manages_unit
from ..transitions import FILE
from .people import apply_clearance

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_EXTENSIONS = frozenset(
    {"pdf", "ofd", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png", "txt"})
MAX_ROWS = 30
TEXT_MAX = 4000
MAX_TRAINING_HOURS = Decimal("100")
CATEGORY_KEYS = {Category.CORE: "core", Category.IMPORTANT: "important",
                          Category.GENERAL: "general"}


# --- the review form (rule P2) -------------------------------------------------------------
def _clean(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("Invalid characters.")) from None
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise ValueError(_("Invalid characters."))
    return value


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    @field_validator("*", mode="after")
    @classmethod
    def clean_text(cls, value: Any) -> Any:
        return _clean(value) if isinstance(value, str) else value


YEAR_MONTH = r"^\d{4}(-(0[1-9]|1[0-2]))?$"


class FamilyMember(_Section):
    """One row of 家庭成员及社会关系表."""

    relation: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=50)
    work_unit: str = Field(default="", max_length=200)
    political_status: str = Field(default="", max_length=50)
    overseas: bool = False


class HistoryEntry(_Section):
    """One row of 学习工作经历表; `to` empty means 至今."""

    start: str = Field(alias="from", pattern=YEAR_MONTH)
    to: str = Field(default="", max_length=7)
    unit: str = Field(min_length=1, max_length=200)
    role: str = Field(default="", max_length=100)

    @field_validator("to")
    @classmethod
    def year_month_or_empty(cls, value: str) -> str:
        import re

        if value and not re.match(YEAR_MONTH, value):
            raise ValueError(_("Use the form YYYY-MM."))
        return value

    @model_validator(mode="after")
    def ordered(self) -> "HistoryEntry":
        if self.to and self.to < self.start:
            raise ValueError(_("The end is before the start."))
        return self


class ReviewForm(_Section):
    """The sections of 涉密人员保密审查表 (rule P2)."""

    personal_history: str = Field(min_length=1, max_length=TEXT_MAX)
    conduct: str = Field(min_length=1, max_length=TEXT_MAX)
    family: list[FamilyMember] = Field(default_factory=list, max_length=MAX_ROWS)
    history: list[HistoryEntry] = Field(default_factory=list, max_length=MAX_ROWS)
    relatives_abroad: bool = False
    overseas_ties: str = Field(default="", max_length=TEXT_MAX)

    @field_validator("overseas_ties", mode="after")
    @classmethod
    def overseas_described(cls, value: str, info: ValidationInfo) -> str:
        family = info.data.get("family") or []
        if not value and (info.data.get("relatives_abroad")
                          or any(member.overseas for member in family)):
            raise ValueError(_("Relatives abroad are declared: describe the overseas ties."))
        return value

    @model_validator(mode="after")
    def overseas_declared(self) -> "ReviewForm":
        if any(member.overseas for member in self.family):
            self.relatives_abroad = True
        return self


ERROR_MESSAGES = {
    "missing": "This field is required.",
    "string_too_short": "This field is required.",
    "string_pattern_mismatch": "Use the form YYYY-MM.",
    "bool_parsing": "Choose yes or no.",
    "bool_type": "Choose yes or no.",
    "extra_forbidden": "Unknown field.",
    "list_type": "A list of rows.",
    "model_type": "An object with the section's fields.",
    "dict_type": "An object with the section's fields.",
}


def _error_message(error: Any) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "string_too_long":
        return _("At most %(max)d characters.") % {"max": ctx.get("max_length", 0)}
    if kind == "too_long":
        return _("At most %(max)d rows.") % {"max": ctx.get("max_length", 0)}
    if kind in ERROR_MESSAGES:
        return _(ERROR_MESSAGES[kind])
    return _("Invalid value.")


def validate_review_form(form: Any) -> dict[str, Any]:
    """The form as stored (JSON, 'from'/'to' keys); InvalidInput names each bad field, e.g.
    `family.2.name`."""
    if not isinstance(form, dict):
        raise InvalidInput(_("The review form is invalid."),
                           fields={"form": _("An object with the form's sections.")})
    try:
        model = ReviewForm.model_validate(form)
    except ValidationError as exc:
        fields: dict[str, str] = {}
        for error in exc.errors():
            name = ".".join(str(part) for part in error.get("loc", ())) or "form"
            fields.setdefault(name, _error_message(error))
        raise InvalidInput(_("The review form is incomplete or invalid."),
                           fields=fields) from None
    data: dict[str, Any] = model.model_dump(mode="json", by_alias=True)
    return data


# --- access ---------------------------------------------------------------------------------
def _require_manager(actor: Any, unit_id: int, visible: bool) -> None:
    if not visible:
        raise NotFound()
    if not manages_unit(actor, unit_id):
        raise AccessDenied(_("Only the secrecy office of the unit can do this."),
                           code="not_secrecy_office")


def _managed_file(actor: Any, file: PersonnelFile, *, lock: bool = False) -> PersonnelFile:
    """The file re-read (locked when asked) after the access checks."""
    visible = files_visible_to(actor).filter(pk=file.pk).exists()
    _require_manager(actor, file.unit_id, visible)
    rows = PersonnelFile.objects.select_related("person", "unit")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.get(pk=file.pk)


def _managed_person(actor: Any, person: Person) -> None:
    visible = manages_unit(actor, person.unit_id) or files_visible_to(actor).filter(
        person_id=person.pk).exists()
    _require_manager(actor, person.unit_id, visible)


def _today() -> dt.date:
    return timezone.localdate()


def _text(value: Any, field: str, max_length: int, *, required: bool = True) -> str:
    from baomi.core.validation import clean_text

    return clean_text(value, field, max_length, required=required)


def _date(value: Any, field: str, *, not_after_today: bool = True) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InvalidInput(_("Enter a valid date."), fields={field: _("Enter a valid date.")})
    if not_after_today and value > _today():
        raise InvalidInput(_("The date is in the future."),
                           fields={field: _("The date cannot be in the future.")},
                           code="future_date")
    return value


# --- 保密审查 and 复审 (rules P2, P6) ---------------------------------------------------------
def start_review(actor: Any, file: PersonnelFile, *, kind: str, form: Any,
                 level: int) -> SecurityReview:
    """File a review of the person and submit it to the approvals engine (chain
    `personnel_review`). An initial review moves the file to 审查中 (rule P2); a 复审 (rule P6)
    leaves a person in post in post while it is decided."""
    if kind not in ReviewKind.values:
        raise InvalidInput(_("Choose the kind of review."), code="invalid_kind",
                           fields={"kind": _("Choose the kind of review.")})
    if isinstance(level, bool) or not isinstance(level, int) or level not in (
            Level.SECRET, Level.CONFIDENTIAL, Level.TOP_SECRET):
        raise InvalidInput(_("Choose the level reviewed for."),
                           fields={"level": _("Choose the level reviewed for.")})
    data = validate_review_form(form)
    with transaction.atomic():
        file = _managed_file(actor, file, lock=True)
        _check_reviewable(file, kind)
        review = SecurityReview.objects.create(file=file, kind=kind, level=level, form=data)
        if kind == ReviewKind.INITIAL and file.state != FileState.REVIEWING:
            FILE.apply(file, FileState.REVIEWING)  # rule P2: 拟定/未通过 → 审查中
        request = _submit(actor, review)
        SecurityReview.objects.filter(pk=review.pk).update(request=request)
        review.request = request
        record_event(actor, "PERSONNEL_REVIEW_STARTED", review,
                     after={"file": file.pk, "kind": kind, "level": level,
                            "request": request.pk, "state": file.state})
    return review


def start_rereview(actor: Any, file: PersonnelFile, *, form: Any, level: int | None = None,
                   kind: str = ReviewKind.PERIODIC) -> SecurityReview:
    """rule P6: a 复审 of a person in post (periodic, or after a post or level change)."""
    if kind not in (ReviewKind.PERIODIC, ReviewKind.CHANGE):
        raise InvalidInput(_("Choose the kind of review."), code="invalid_kind",
                           fields={"kind": _("Choose the kind of review.")})
    return start_review(actor, file, kind=kind, form=form,
                        level=level if level is not None else max(int(file.category), 1))


def resubmit_review(actor: Any, review: SecurityReview, *, form: Any = None) -> SecurityReview:
    """Send a review returned by an approver back for decision, its form changed when given."""
    from baomi.approvals.services import resubmit_request

    data = validate_review_form(form) if form is not None else None
    with transaction.atomic():
        fresh = SecurityReview.objects.select_related("file", "request").get(pk=review.pk)
        file = _managed_file(actor, fresh.file)
        if fresh.request is None or fresh.request.state != RequestState.RETURNED:
            raise Conflict(_("Only a review returned for changes can be resubmitted."),
                           code="not_returned")
        if data is not None:
            SecurityReview.objects.filter(pk=fresh.pk).update(form=data)
            fresh.form = data
        fresh.file = file
        from ..request_types import review_payload

        resubmit_request(actor, fresh.request,
                         payload=review_payload(fresh), title=fresh.request.title)
        record_event(actor, "PERSONNEL_REVIEW_RESUBMITTED", fresh,
                     after={"request": fresh.request_id, "form_changed": data is not None})
    return fresh


def _check_reviewable(file: PersonnelFile, kind: str) -> None:
    if open_review(file) is not None:
        raise Conflict(_("A review of this person is already being decided."),
                       code="review_pending")
    if kind == ReviewKind.INITIAL:
        if file.state not in (FileState.PROPOSED, FileState.REVIEW_FAILED, FileState.REVIEWING):
            raise Conflict(_("A pre-appointment review is filed for a proposed person only."),
                           code="illegal_transition")
    elif file.state != FileState.IN_POST:
        raise Conflict(_("A re-review is filed for a person in post only."),
                       code="illegal_transition")


def _submit(actor: Any, review: SecurityReview) -> Any:
    from baomi.approvals.services import submit_request

    from ..request_types import PersonnelReviewRequest, review_payload

    person = review.file.person
    title = _("%(kind)s: %(person)s") % {"kind": review.get_kind_display(), "person": person.name}
    return submit_request(actor, PersonnelReviewRequest.code,
                          title=title[:200], payload=review_payload(review),
                          level=review.level, subject=review)




def conclude_review(actor: Any, review: SecurityReview, *, passed: bool) -> SecurityReview:
    """The approvals engine decided the review (request type `personnel_review`).

    Passed: the decision date, `last_review_on` and the next 复审 date by category (rule P6);
    an initial review moves 审查中 → 待培训. Failed: the file goes to 审查未通过 (an initial
    review, or a 复审 of a person in post). Runs inside the deciding transaction.
    """
    today = _today()
    outcome = ReviewOutcome.PASSED if passed else ReviewOutcome.FAILED
    decided = SecurityReview.objects.filter(pk=review.pk, outcome=ReviewOutcome.PENDING).update(
        outcome=outcome, decided_on=today)
    if decided != 1:
        raise Conflict(_("This review has already been decided."), code="already_decided")
    review.outcome, review.decided_on = outcome, today
    file = PersonnelFile.objects.select_related("unit").get(pk=review.file_id)
    before = {"state": file.state, "rereview_due_on": _iso(file.rereview_due_on)}
    if passed:
        due = rereview_due(file, review, today)
        if review.kind == ReviewKind.INITIAL:
            FILE.apply(file, FileState.TRAINING, last_review_on=today, rereview_due_on=due)
        else:
            PersonnelFile.objects.filter(pk=file.pk).update(last_review_on=today,
                                                            rereview_due_on=due)
            file.last_review_on, file.rereview_due_on = today, due
    elif review.kind == ReviewKind.INITIAL or file.state == FileState.IN_POST:
        FILE.apply(file, FileState.REVIEW_FAILED)
        apply_clearance(file.person, Category.NONE)  # rule L2: a failed 复审 ends the clearance
    record_event(actor, "PERSONNEL_REVIEW_PASSED" if passed else "PERSONNEL_REVIEW_FAILED",
                 review, before=before,
                 after={"state": file.state, "rereview_due_on": _iso(file.rereview_due_on),
                        "decided_on": today.isoformat()})
    return review


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def rereview_due(file: PersonnelFile, review: SecurityReview | None, decided: dt.date) -> dt.date:
    """rule P6: 复审 every `personnel.rereview_years.<category>` years after the decision
    (核心 1, 重要 3, 一般 5 by default). Without a category yet, the level reviewed for."""
    category = int(file.category) or (int(review.level) if review is not None else 0)
    key = CATEGORY_KEYS.get(Category(max(category, Category.GENERAL)), "general")
    years = int(policy_of(file.unit)[f"personnel.rereview_years.{key}"])
    return add_years(decided, years)




def add_review_attachment(actor: Any, review: SecurityReview, *, title: str,
                          uploaded_file: UploadedFile) -> ReviewAttachment:
    """Attach a scanned table or document to a review (rule P2: 家庭成员及社会关系表 …)."""
    title = _text(title, "title", 200)
    if uploaded_file is None or not getattr(uploaded_file, "name", ""):
        raise InvalidInput(_("Choose a file."), fields={"file": _("Choose a file.")})
    if uploaded_file.size is None or uploaded_file.size > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(_("The file is too large (at most 20 MB)."), code="too_large",
                           fields={"file": _("At most 20 MB.")})
    extension = str(uploaded_file.name).rsplit(".", 1)[-1].lower() if "." in str(
        uploaded_file.name) else ""
    if extension not in ATTACHMENT_EXTENSIONS:
        message = _("Allowed file types: %(types)s.") % {
            "types": ", ".join(sorted(ATTACHMENT_EXTENSIONS))}
        raise InvalidInput(message, code="file_type", fields={"file": message})
    with transaction.atomic():
        fresh = SecurityReview.objects.select_related("file").get(pk=review.pk)
        _managed_file(actor, fresh.file)
        attachment = ReviewAttachment(review=fresh, title=title, uploaded_by=actor)
        attachment.file.save(f"review-{fresh.pk}.{extension}", uploaded_file, save=False)
        attachment.save()
        record_event(actor, "PERSONNEL_REVIEW_ATTACHMENT_ADDED", fresh,
                     after={"attachment": attachment.pk, "title": title,
                            "size": uploaded_file.size})
    return attachment


# --- training and commitments (rules P3, P4, P5) --------------------------------------------
def record_training(actor: Any, person: Person, *, course: str, held_on: dt.date,
                    hours: Any, exam_result: str = ExamResult.NOT_EXAMINED,
                    score: int | None = None) -> TrainingRecord:
    """rule P4: one session attended, its 学时 and exam result."""
    course = _text(course, "course", 200)
    held_on = _date(held_on, "held_on")
    hours = _hours(hours)
    if exam_result not in ExamResult.values:
        raise InvalidInput(_("Choose the exam result."),
                           fields={"exam_result": _("Choose the exam result.")})
    if score is not None and (isinstance(score, bool) or not isinstance(score, int)
                              or not 0 <= score <= 100):
        raise InvalidInput(_("The score is between 0 and 100."),
                           fields={"score": _("The score is between 0 and 100.")})
    if score is not None and exam_result == ExamResult.NOT_EXAMINED:
        raise InvalidInput(_("A score needs an exam result."),
                           fields={"score": _("A score needs an exam result.")})
    with transaction.atomic():
        _managed_person(actor, person)
        record = TrainingRecord.objects.create(
            person=person, course=course, held_on=held_on, hours=hours,
            exam_result=exam_result, score=score, recorded_by=actor)
        record_event(actor, "PERSONNEL_TRAINING_RECORDED", record,
                     after={"person": person.pk, "course": course,
                            "held_on": held_on.isoformat(), "hours": str(hours),
                            "exam_result": exam_result, "score": score})
    return record


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        hours = Decimal("NaN")
    if isinstance(value, bool) or not hours.is_finite() or not (
            Decimal("0") < hours <= MAX_TRAINING_HOURS) or hours != hours.quantize(Decimal("0.1")):
        message = _("Hours are more than 0 and at most 100, in steps of 0.1.")
        raise InvalidInput(message, code="invalid_hours", fields={"hours": message})
    return hours


def record_commitment(actor: Any, person: Person, *, kind: str, year: int,
                      signed_on: dt.date, text_version: str) -> Commitment:
    """rule P3 (保密承诺书), rule P5 (yearly 保密责任书) and rule M3 (移动通信设备使用保密承诺书):
    one per kind and year. The mobile device commitment is signed once; one signed in any
    year counts (`selectors.onboarding.mobile_commitment_of`)."""
    if kind not in CommitmentKind.values:
        raise InvalidInput(_("Choose the kind of commitment."),
                           fields={"kind": _("Choose the kind of commitment.")})
    signed_on = _date(signed_on, "signed_on")
    if isinstance(year, bool) or not isinstance(year, int) or abs(year - signed_on.year) > 1:
        message = _("The year is the year of signing, or the one before or after.")
        raise InvalidInput(message, code="invalid_year", fields={"year": message})
    text_version = _text(text_version, "text_version", 50)
    try:
        with transaction.atomic():
            _managed_person(actor, person)
            commitment = Commitment.objects.create(
                person=person, kind=kind, year=year, signed_on=signed_on,
                text_version=text_version, recorded_by=actor)
            record_event(actor, "PERSONNEL_COMMITMENT_RECORDED", commitment,
                         after={"person": person.pk, "kind": kind, "year": year,
                                "signed_on": signed_on.isoformat(),
                                "text_version": text_version})
    except IntegrityError:
        message = _("This person already signed this for that year.")
        raise Conflict(message, code="already_signed", fields={"year": message}) from None
    return commitment


# --- 上岗 (rule P3) --------------------------------------------------------------------------
def start_in_post(actor: Any, file: PersonnelFile, *, since: dt.date) -> PersonnelFile:
    """rule P3 先培训后上岗: 待培训 → 在岗 only with a passed review, training and a signed
    保密承诺书, and (rule M3) the mobile device commitment when the unit's policy asks it of the
    person's category; otherwise RuleViolation `not_ready` naming each missing item."""
    since = _date(since, "since")
    with transaction.atomic():
        file = _managed_file(actor, file, lock=True)
        missing = readiness(file, since).missing
        if missing:
            raise RuleViolation(
                _("The person cannot start in post yet. Missing: %(items)s.")
                # Translators: separates the missing items of a list ("；" in Chinese).
                % {"items": pgettext("list separator", "; ").join(missing.values())},
                code="not_ready", fields=missing, rule=_rule_of(missing))
        before = {"state": file.state}
        review = file.reviews.filter(kind=ReviewKind.INITIAL,
                                     outcome=ReviewOutcome.PASSED).first()
        last_review = file.last_review_on or since
        FILE.apply(file, FileState.IN_POST, in_post_since=since,
                   rereview_due_on=rereview_due(file, review, last_review))
        apply_clearance(file.person, file.category)  # rule L2: cleared from 上岗 on
        record_event(actor, "PERSONNEL_IN_POST_STARTED", file, before=before,
                     after={"state": file.state, "in_post_since": since.isoformat(),
                            "rereview_due_on": _iso(file.rereview_due_on)})
    return file


def _rule_of(missing: dict[str, str]) -> str:
    """The rule refusing the start: M3 when only the mobile device commitment is missing."""
    return "M3" if set(missing) == {"mobile_commitment"} else "P3"


def is_secrecy_office(actor: Any) -> bool:
    return Role.SECRECY_OFFICE in actor.role_set()
