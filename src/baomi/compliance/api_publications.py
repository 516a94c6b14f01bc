"""The publication-review API (/api/v1/compliance/publications, rule Q12): the reviews the
caller sees (their own, their department's as its head, their unit's as 保密办 or leader),
drafting and revising a text, declaring and submitting it, recording its publication once
approved, withdrawing it. The reviewers decide through the approvals API
(/api/v1/approvals), request type `publication_review`.

Any review the caller does not see is a 404. Inputs are bounded by their schemas; a refusal
is a DomainError with its code (`declaration_required`, `not_approved`, `locked`,
`not_author` …).
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services_publications as services
from .choices import PublicationKind
from .models import PublicationReview
from .models.publications import CONTENT_MAX
from .selectors_publications import (
    approvers_of,
    review_for,
    reviews_of_author,
    reviews_visible_to,
)

router = Router(tags=["compliance: publication review"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
KINDS = "^(" + "|".join(PublicationKind.values) + ")$"


class ReviewIn(Schema):
    """The text to be published and where (all fields, on revision too)."""

    title: str = Field(min_length=1, max_length=services.TITLE_MAX)
    kind: str = Field(pattern=KINDS, max_length=20,
                      description="article, news, paper, exhibition, web_post, disclosure, "
                                  "other")
    channel: str = Field(min_length=1, max_length=services.CHANNEL_MAX,
                         description="The unit portal, a WeChat account, a journal …")
    content: str = Field(min_length=1, max_length=CONTENT_MAX)
    planned_on: date | None = None


class SubmitIn(Schema):
    declaration: bool = Field(
        description="The author declares that the text holds no state secret and no work "
                    "secret, and answers for it (rule Q12: 谁上网谁负责).")


class PublishIn(Schema):
    published_on: date
    published_where: str = Field(min_length=1, max_length=services.WHERE_MAX,
                                 description="The address of the page, or the place.")


class WithdrawIn(Schema):
    reason: str = Field("", max_length=services.REASON_MAX)


class ApproverOut(Schema):
    role: str
    name: str
    decided_at: datetime | None
    comment: str


class ReviewOut(Schema):
    id: int
    unit_id: int
    title: str
    kind: str
    channel: str
    author_id: int
    department_id: int | None
    content: str
    planned_on: date | None
    state: str
    version: int
    request_id: int | None
    submitted_at: datetime | None
    approved_at: datetime | None
    approvers: list[ApproverOut]
    published_on: date | None
    published_where: str
    published_by_id: int | None
    created_at: datetime


class ReviewPage(Schema):
    items: list[ReviewOut]
    next_after: int | None


class ListQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)
    mine: bool = Field(False, description="Only the reviews you wrote.")


SCALARS = ("id", "unit_id", "title", "kind", "channel", "author_id", "department_id",
           "content", "planned_on", "state", "version", "request_id", "submitted_at",
           "approved_at", "published_on", "published_where", "published_by_id", "created_at")


def review_out(review: PublicationReview) -> dict[str, Any]:
    approvers = [{"role": step.role, "name": step.decided_by.person.name if step.decided_by
                  else "", "decided_at": step.decided_at, "comment": step.comment}
                 for step in approvers_of(review)]
    return {**{name: getattr(review, name) for name in SCALARS}, "approvers": approvers}


def _fresh(request: HttpRequest, pk: int) -> dict[str, Any]:
    return review_out(review_for(request.user, pk))


@router.get("/publications", response={200: ReviewPage, **ERRORS},
            summary="Publication reviews you see (yours, your department's or unit's; rule Q12)")
def list_reviews(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    reviews = reviews_of_author(request.user) if query.mine else reviews_visible_to(request.user)
    page = keyset_page(reviews, None, size=query.limit, after=query.after)
    return {"items": [review_out(r) for r in page.items], "next_after": page.next_after}


@router.post("/publications", response={201: ReviewOut, **ERRORS},
             summary="Draft a text to publish (rule Q12)")
def create_review(request: HttpRequest, data: ReviewIn) -> Status:
    review = services.create_review(request.user, **data.dict())
    return Status(201, _fresh(request, review.pk))


@router.get("/publications/{review_id}", response={200: ReviewOut, **ERRORS},
            summary="One publication review with its approvers")
def get_review(request: HttpRequest, review_id: Id) -> dict[str, Any]:
    return _fresh(request, review_id)


@router.post("/publications/{review_id}", response={200: ReviewOut, **ERRORS},
             summary="Revise the text of a draft, or of a rejected or returned one (author)")
def revise_review(request: HttpRequest, review_id: Id, data: ReviewIn) -> dict[str, Any]:
    services.revise_review(request.user, review_for(request.user, review_id), **data.dict())
    return _fresh(request, review_id)


@router.post("/publications/{review_id}/submit", response={200: ReviewOut, **ERRORS},
             summary="Declare and submit the text for review (author; rule Q12)")
def submit_review(request: HttpRequest, review_id: Id, data: SubmitIn) -> dict[str, Any]:
    services.submit_review(request.user, review_for(request.user, review_id),
                           declaration=data.declaration)
    return _fresh(request, review_id)


@router.post("/publications/{review_id}/publish", response={200: ReviewOut, **ERRORS},
             summary="Record the publication of an approved text (author or 保密办; rule Q12)")
def publish_review(request: HttpRequest, review_id: Id, data: PublishIn) -> dict[str, Any]:
    services.publish_review(request.user, review_for(request.user, review_id), **data.dict())
    return _fresh(request, review_id)


@router.post("/publications/{review_id}/withdraw", response={200: ReviewOut, **ERRORS},
             summary="Give the publication up before it is published (author)")
def withdraw_review(request: HttpRequest, review_id: Id, data: WithdrawIn) -> dict[str, Any]:
    services.withdraw_review(request.user, review_for(request.user, review_id),
                             reason=data.reason)
    return _fresh(request, review_id)
