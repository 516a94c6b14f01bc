"""Who sees which publication review (rule Q12, DESIGN.md 'Access model').

The author sees their own requests; the head of a department those of their department; the
保密办 and the leaders of the unit every request of the unit and the register of what was
published. What is reviewed is meant for the public: a review carries no secrecy level (a
text holding a secret is refused, not classified). Anyone else gets a 404.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.approvals.choices import Decision, RequestState
from baomi.approvals.models import Request, Step
from baomi.core.access import perimeter_query, sees_business_data, unit_perimeter
from baomi.core.errors import NotFound
from baomi.core.paging import parse_key

from .choices import PublicationState
from .models import PublicationReview, PublicationVersion

REQUEST_TYPE = "publication_review"
SUBJECT_TYPE = "compliance.publicationreview"
REGISTER_ROLES = frozenset({Role.SECRECY_OFFICE, Role.LEADER})


def reviews_visible_to(user: Any) -> QuerySet[PublicationReview]:
    """The reviews `user` may open: their own, their department's (部门负责人), their
    unit's (保密办, 单位领导)."""
    if not sees_business_data(user):
        return PublicationReview.objects.none()
    seen = Q(author_id=user.pk) | Q(unit_id__in=perimeter_query(user, REGISTER_ROLES))
    department_id = user.person.department_id
    if department_id is not None and Role.DEPARTMENT_HEAD in user.role_set():
        seen |= Q(department_id=department_id,
                  unit_id__in=perimeter_query(user, {Role.DEPARTMENT_HEAD}))
    return PublicationReview.objects.filter(seen).select_related(
        "unit", "department", "author__person", "published_by__person", "request")


def review_for(user: Any, pk: Any) -> PublicationReview:
    """One visible review by id; NotFound for anything else."""
    key = parse_key(pk)
    found = reviews_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def reviews_of_author(user: Any) -> QuerySet[PublicationReview]:
    """我的申请: the reviews `user` wrote."""
    return reviews_visible_to(user).filter(author_id=getattr(user, "pk", None))


def keeps_register(user: Any) -> bool:
    """The 保密办 and the leaders keep the register of the unit."""
    return sees_business_data(user) and bool(unit_perimeter(user, REGISTER_ROLES))


def register_of(user: Any, *, kind: str = "", state: str = "",
                year: int | None = None) -> QuerySet[PublicationReview]:
    """The register (rule Q12): every review of the units whose register `user` keeps,
    beyond the draft, filtered by kind, state and year (the year of publication, or of the
    request while not published)."""
    if not keeps_register(user):
        return PublicationReview.objects.none()
    rows = PublicationReview.objects.filter(
        unit_id__in=perimeter_query(user, REGISTER_ROLES)).exclude(
        state=PublicationState.DRAFT).select_related(
        "unit", "department", "author__person", "published_by__person", "request")
    if kind:
        rows = rows.filter(kind=kind)
    if state:
        rows = rows.filter(state=state)
    if year is not None:
        rows = rows.filter(Q(published_on__year=year)
                           | Q(published_on__isnull=True, created_at__year=year))
    return rows


def versions_of(review: PublicationReview) -> list[PublicationVersion]:
    """Every submitted text of the review, first first, with who declared it."""
    return list(review.versions.select_related("declared_by__person").order_by("number"))


def requests_of(review: PublicationReview) -> QuerySet[Request]:
    return Request.objects.filter(request_type=REQUEST_TYPE, subject_type=SUBJECT_TYPE,
                                  subject_id=review.pk)


def opinions_of(review: PublicationReview) -> list[Step]:
    """The reviewers' opinions: every decided step of every request of the review, in the
    order they were given."""
    return list(Step.objects.filter(request__in=requests_of(review), decided_at__isnull=False)
                .select_related("decided_by__person", "request")
                .order_by("decided_at", "id"))


def approvers_of(review: PublicationReview) -> list[Step]:
    """The approving steps of the round that approved the review (empty before)."""
    request = review.request
    if request is None or request.state != RequestState.APPROVED:
        return []
    return list(Step.objects.filter(request=request, round=request.round,
                                    decision=Decision.APPROVE)
                .select_related("decided_by__person").order_by("order"))


def approver_names(review: PublicationReview) -> str:
    return "、".join(step.decided_by.person.name for step in approvers_of(review)
                     if step.decided_by is not None)


def approver_names_of(reviews: list[PublicationReview]) -> dict[int, str]:
    """`approver_names` of many reviews in one query (a page of the register, a chunk of
    the export): review id → the approvers' names, in the order of the chain."""
    approved = {review.request_id: review.pk for review in reviews
                if review.request_id is not None and review.request is not None
                and review.request.state == RequestState.APPROVED}
    names: dict[int, list[str]] = {}
    steps = (Step.objects.filter(request_id__in=list(approved), decision=Decision.APPROVE,
                                 round=F("request__round"))
             .select_related("decided_by__person").order_by("request_id", "order"))
    for step in steps:
        if step.decided_by is not None:
            names.setdefault(approved[step.request_id], []).append(step.decided_by.person.name)
    return {pk: "、".join(found) for pk, found in names.items()}


@dataclass(frozen=True)
class PublicationSummary:
    """The year's publication reviews of a unit, for the annual report and the dashboard."""

    year: int
    reviewed: int   # first submitted in the year
    approved: int   # approved in the year
    rejected: int   # rejections in the year (a review rejected, revised and rejected again
                    # counts twice)
    published: int  # published in the year


def publication_summary(unit: Unit, year: int) -> PublicationSummary:
    """rule Q12: how many texts of `unit` were submitted, approved, rejected and published
    in `year` (local dates). Four counts on indexed columns; no visibility check: the caller
    (annual report, dashboard) has checked who reads it."""
    start = dt.date(year, 1, 1)
    end = dt.date(year + 1, 1, 1)
    reviews = PublicationReview.objects.filter(unit=unit)
    return PublicationSummary(
        year=year,
        reviewed=reviews.filter(submitted_at__date__gte=start, submitted_at__date__lt=end)
        .count(),
        approved=reviews.filter(approved_at__date__gte=start, approved_at__date__lt=end)
        .count(),
        rejected=Request.objects.filter(
            unit=unit, request_type=REQUEST_TYPE, state=RequestState.REJECTED,
            decided_at__date__gte=start, decided_at__date__lt=end).count(),
        published=reviews.filter(published_on__gte=start, published_on__lt=end).count(),
    )
