"""Reads of the onboarding work: reviews, attachments, training, commitments (the mobile
device commitment of rule M3 included), readiness.

Every read starts from `files_visible_to(user)`: whoever sees a file sees its reviews,
training and commitments; nobody else learns that they exist.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from baomi.accounts.models import Person
from baomi.approvals.choices import RequestState
from baomi.core.errors import NotFound
from baomi.core.labels import Category
from baomi.core.paging import parse_key
from baomi.core.policy import policy_of

from ..choices import CommitmentKind, ExamResult, FileState, ReviewKind, ReviewOutcome
from ..models import Commitment, PersonnelFile, ReviewAttachment, SecurityReview, TrainingRecord
from .people import files_visible_to, manages_unit

OPEN_REQUEST_STATES = (RequestState.PENDING, RequestState.RETURNED)
# rule M3: the policy setting saying whether a category signs the mobile device commitment.
MOBILE_COMMITMENT_KEYS: dict[int, str] = {
    Category.CORE: "personnel.mobile_commitment.core",
    Category.IMPORTANT: "personnel.mobile_commitment.important",
    Category.GENERAL: "personnel.mobile_commitment.general",
}


def reviews_visible_to(user: Any) -> QuerySet[SecurityReview]:
    return SecurityReview.objects.filter(file__in=files_visible_to(user).values("pk"))


def review_for(user: Any, pk: Any) -> SecurityReview:
    """One visible review by id; NotFound for anything else."""
    key = parse_key(pk)
    found = (reviews_visible_to(user).select_related(
        "file", "file__person", "file__person__department", "file__unit", "request")
        .filter(pk=key).first() if key else None)
    if found is None:
        raise NotFound()
    return found


def attachment_for(user: Any, pk: Any) -> ReviewAttachment:
    key = parse_key(pk)
    found = (ReviewAttachment.objects.filter(review__in=reviews_visible_to(user).values("pk"))
             .select_related("review").filter(pk=key).first() if key else None)
    if found is None:
        raise NotFound()
    return found


def reviews_of(file: PersonnelFile) -> QuerySet[SecurityReview]:
    """The reviews of a file the caller already sees, newest first."""
    return file.reviews.select_related("request").prefetch_related("attachments")


def open_review(file: PersonnelFile) -> SecurityReview | None:
    """The review still being decided: outcome pending and its request pending or returned.
    A review whose request was withdrawn is void; a new one may be filed."""
    return (file.reviews.filter(outcome=ReviewOutcome.PENDING)
            .filter(Q(request__isnull=True) | Q(request__state__in=OPEN_REQUEST_STATES))
            .first())


def training_of(person: Person) -> QuerySet[TrainingRecord]:
    return person.training_records.all()


def commitments_of(person: Person) -> QuerySet[Commitment]:
    return person.commitments.all()


@dataclass(frozen=True)
class TrainingYear:
    """Training attended in one calendar year against the policy minimum (rule P4)."""

    year: int
    hours: Decimal
    sessions: int
    min_hours: int
    min_sessions: int

    @property
    def short(self) -> bool:
        return self.hours < self.min_hours or self.sessions < self.min_sessions


def training_year(person: Person, year: int) -> TrainingYear:
    from baomi.core.policy import policy_of

    totals = TrainingRecord.objects.filter(person=person, held_on__year=year).aggregate(
        hours=Sum("hours"), sessions=Count("id"))
    policy = policy_of(person.unit)
    return TrainingYear(year=year, hours=totals["hours"] or Decimal("0"),
                        sessions=totals["sessions"],
                        min_hours=int(policy["training.min_hours_per_year"]),
                        min_sessions=int(policy["training.min_sessions_per_year"]))


@dataclass
class Readiness:
    """What a file still lacks before the person may start in post (rule P3)."""

    missing: dict[str, str] = field(default_factory=dict)  # field name -> what is missing

    @property
    def ready(self) -> bool:
        return not self.missing


def mobile_commitment_required(file: PersonnelFile) -> bool:
    """rule M3: whether the unit's policy makes the file's category sign the 涉密人员移动通信设备
    使用保密承诺书 (核心 and 重要 by default: no smartphone for work); 不涉密 never."""
    key = MOBILE_COMMITMENT_KEYS.get(file.category)
    return key is not None and bool(policy_of(file.unit)[key])


def _mobile_commitments(person_id: int, on: date | None) -> QuerySet[Commitment]:
    signed = Commitment.objects.filter(person_id=person_id, kind=CommitmentKind.MOBILE)
    return signed.filter(signed_on__lte=on) if on is not None else signed


def mobile_commitment_of(person: Person, on: date | None = None) -> Commitment | None:
    """rule M3: the person's latest mobile device commitment (signed on or before `on` when
    given). One signed in any year counts: it is signed once, not yearly."""
    return _mobile_commitments(person.pk, on).order_by("-signed_on", "-id").first()


def readiness(file: PersonnelFile, since: date) -> Readiness:
    """rule P3 先培训后上岗: a passed initial review, training passed (or without exam) on or
    before `since`, and a signed 保密承诺书 on or before `since`; rule M3: also the mobile
    device commitment on or before `since` when the unit's policy asks it of the category."""
    result = Readiness()
    if not file.reviews.filter(kind=ReviewKind.INITIAL, outcome=ReviewOutcome.PASSED).exists():
        result.missing["review"] = _("a passed security review")
    trained = TrainingRecord.objects.filter(
        person_id=file.person_id, held_on__lte=since,
        exam_result__in=[ExamResult.PASSED, ExamResult.NOT_EXAMINED])
    if not trained.exists():
        result.missing["training"] = _("confidentiality training passed on or before the start date")
    committed = Commitment.objects.filter(person_id=file.person_id,
                                          kind=CommitmentKind.COMMITMENT, signed_on__lte=since)
    if not committed.exists():
        result.missing["commitment"] = _("a signed confidentiality commitment")
    if (mobile_commitment_required(file)
            and not _mobile_commitments(file.person_id, since).exists()):
        result.missing["mobile_commitment"] = _(
            "a signed commitment on the use of mobile communication devices")  # rule M3
    return result


def file_of_user(user: Any) -> PersonnelFile | None:
    """The logged-in person's own file, or None when they have none."""
    from baomi.core.access import sees_business_data

    if not sees_business_data(user):  # rule T2: the 三员 see no business data, even their own
        return None
    return (PersonnelFile.objects.select_related("person", "person__department", "unit")
            .filter(person_id=user.person_id).first())


def may_manage(user: Any, file: PersonnelFile) -> bool:
    """Whether `user` is the 保密办 of the file's unit (the pages offer the forms)."""
    return manages_unit(user, file.unit_id)


def can_start_in_post(file: PersonnelFile) -> bool:
    return file.state == FileState.TRAINING


def can_rereview(file: PersonnelFile) -> bool:
    return file.state == FileState.IN_POST and open_review(file) is None


def can_review(file: PersonnelFile) -> bool:
    return file.state in (FileState.PROPOSED, FileState.REVIEW_FAILED) or (
        file.state == FileState.REVIEWING and open_review(file) is None)
