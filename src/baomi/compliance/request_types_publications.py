"""The request `publication_review` (信息发布保密审查, rule Q12), filed by
`services_publications.submit_review`.

The chain is the unit's policy `approvals.chains.publication_review` (default 部门负责人 →
保密办); exhibitions and information disclosures, which face the public at large, take
`approvals.chains.publication_review_external` (default 部门负责人 → 保密办 → 单位领导). What is
published holds no secret: the request is 非密 (rule L5 has nothing to restrict), and its
部门负责人 step is the head of the author's department. The reviewers' opinions are the
comments of the steps.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field

from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.approvals.registry import RequestType, register_request_type
from baomi.core.errors import Conflict, InvalidInput
from baomi.core.policy.loader import Policy

from .choices import PublicationKind, PublicationState
from .models import PublicationReview, PublicationVersion

MAX_ID = 2**63 - 1
EXTERNAL_CHAIN = "publication_review_external"
# rule Q12: these face the public at large; the policy may ask the unit leader to approve.
EXTERNAL_KINDS = frozenset({PublicationKind.EXHIBITION, PublicationKind.DISCLOSURE})
SUMMARY_MAX = 500


class PublicationPayload(BaseModel):
    """What the request carries: the review and its version, and a summary for the lists."""

    model_config = ConfigDict(extra="forbid")

    review_id: int = Field(ge=1, le=MAX_ID)
    version: int = Field(ge=1, le=1_000_000)
    kind: str = Field(max_length=20)
    channel: str = Field(default="", max_length=200)
    summary: str = Field(default="", max_length=SUMMARY_MAX)


def review_payload(review: PublicationReview) -> dict[str, Any]:
    return {"review_id": review.pk, "version": review.version, "kind": review.kind,
            "channel": review.channel[:200], "summary": review.content[:SUMMARY_MAX]}


def _review_row(payload: dict[str, Any], *fields: str) -> dict[str, Any] | None:
    return PublicationReview.objects.filter(pk=int(payload.get("review_id") or 0)).values(
        *fields).first()


class PublicationReviewRequest(RequestType):
    code = "publication_review"
    subject_page = "compliance:publication_detail"
    label = gettext_lazy("Publication review")
    payload_schema = PublicationPayload

    def describe(self, payload: dict[str, Any]) -> str:
        kind = payload.get("kind", "")
        kind_label = PublicationKind(kind).label if kind in PublicationKind.values else kind
        return _("%(kind)s on %(channel)s: %(summary)s") % {
            "kind": kind_label, "channel": payload.get("channel", ""),
            "summary": str(payload.get("summary", ""))[:100]}

    def department_of(self, actor: Any, payload: dict[str, Any]) -> int | None:
        """The 部门负责人 step is the head of the author's department."""
        row = _review_row(payload, "department_id")
        return row["department_id"] if row else None

    def chain(self, policy: Policy, level: int, payload: dict[str, Any]) -> list[str]:
        """rule Q12: exhibitions and disclosures take their own chain when the policy names
        one."""
        if payload.get("kind") in EXTERNAL_KINDS and EXTERNAL_CHAIN in policy["approvals.chains"]:
            return policy.chain(EXTERNAL_CHAIN, level)
        return policy.chain(self.code, level)

    def check(self, actor: Any, payload: BaseModel) -> None:
        """Filed only by `submit_review`: the author's review, submitted, at this version."""
        assert isinstance(payload, PublicationPayload)
        review = PublicationReview.objects.select_related("request").filter(
            pk=payload.review_id).first()
        if review is None or review.author_id != getattr(actor, "pk", None):
            message = _("Choose a publication review you wrote.")
            raise InvalidInput(message, code="unknown_review", fields={"review_id": message})
        awaiting = review.request is None or review.request.state == RequestState.RETURNED
        # rule Q12: the text goes to review only as declared by its author (`submit_review`
        # keeps the declared version before it files or resubmits the request).
        declared = PublicationVersion.objects.filter(review=review,
                                                     number=payload.version).exists()
        if review.state != PublicationState.SUBMITTED or not awaiting or not declared \
                or payload.version != review.version or payload.kind != review.kind:
            raise Conflict(_("Submit the publication review from its own page."),
                           code="already_decided")

    def on_approved(self, request: Request, actor: Any) -> None:
        from .services_publications import conclude_review

        conclude_review(actor, self._review(request), request, approved=True)

    def on_rejected(self, request: Request, actor: Any) -> None:
        from .services_publications import conclude_review

        conclude_review(actor, self._review(request), request, approved=False)

    def on_withdrawn(self, request: Request, actor: Any) -> None:
        from .services_publications import mark_withdrawn

        mark_withdrawn(actor, self._review(request), request)

    def _review(self, request: Request) -> PublicationReview:
        found = PublicationReview.objects.filter(pk=request.payload.get("review_id")).first()
        if found is None:
            raise Conflict(_("The publication review named in the request no longer exists."),
                           code="unknown_review")
        return found


register_request_type(PublicationReviewRequest())
