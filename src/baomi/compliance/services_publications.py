"""Writes of the 保密审查 of publications (rule Q12).

An author writes the text to be published (a draft), declares that it holds no state secret
or 工作秘密 and submits it (谁上网谁负责: the submitter answers for it); the request
`publication_review` goes to the chain of the unit's policy (`approvals.chains`): the head of
the author's department and the 保密办, with the unit leader for exhibitions and information
disclosures. Approved, the text is locked; the author or the 保密办 records where and when it
was published — never before approval. Rejected (or returned), the author revises it — each
submitted text is kept as a version — and submits it again.

Every write checks access and the rule against the locked row, moves the state with a
compare-and-set and records its audit event in one transaction: a refused action leaves
nothing behind, and of two concurrent actions exactly one wins.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import User
from baomi.accounts.roles import Role
from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.audit.services import record_event
from baomi.core.access import sees_business_data, unit_perimeter
from baomi.core.errors import AccessDenied, Conflict, NotFound, RuleViolation
from baomi.core.transitions import table
from baomi.core.validation import clean_text

from .choices import PublicationKind, PublicationState
from .models import PublicationReview, PublicationVersion
from .models.publications import CONTENT_MAX
from .selectors_publications import reviews_visible_to
from .services import invalid

TITLE_MAX = 200
CHANNEL_MAX = 200
WHERE_MAX = 500
REASON_MAX = 500

S = PublicationState
REVIEW = table("state", [
    (S.DRAFT, S.SUBMITTED, None),
    (S.REJECTED, S.SUBMITTED, None),   # revised after a rejection, submitted again
    (S.SUBMITTED, S.APPROVED, None),   # the chain approved (rule Q12)
    (S.SUBMITTED, S.REJECTED, None),
    (S.SUBMITTED, S.WITHDRAWN, None),
    (S.DRAFT, S.WITHDRAWN, None),
    (S.REJECTED, S.WITHDRAWN, None),
    (S.APPROVED, S.WITHDRAWN, None),   # approved, then not published after all
    (S.APPROVED, S.PUBLISHED, None),   # rule Q12: published only once approved
])
# rule Q12: the text may change until it is approved; after that a new review is needed.
EDITABLE = frozenset({S.DRAFT, S.SUBMITTED, S.REJECTED})
LOCKED = frozenset({S.APPROVED, S.PUBLISHED})


def today() -> dt.date:
    return timezone.localdate()


# --- input ------------------------------------------------------------------------------------


def _fields(title: Any, kind: Any, channel: Any, content: Any,
            planned_on: Any) -> dict[str, Any]:
    """The checked values of a review's text; InvalidInput naming the first bad one."""
    if not isinstance(kind, str) or kind not in PublicationKind.values:
        raise invalid("kind", _("Choose from the list."))
    if planned_on is not None and (isinstance(planned_on, dt.datetime)
                                   or not isinstance(planned_on, dt.date)):
        raise invalid("planned_on", _("Enter a valid date."))
    return {"title": clean_text(title, "title", TITLE_MAX),
            "kind": kind,
            "channel": clean_text(channel, "channel", CHANNEL_MAX),
            "content": clean_text(content, "content", CONTENT_MAX),
            "planned_on": planned_on}


def _values(review: PublicationReview) -> dict[str, Any]:
    """The audited values: the text itself is kept in the versions, its length here."""
    return {"title": review.title, "kind": review.kind, "channel": review.channel,
            "content_length": len(review.content), "version": review.version,
            "planned_on": review.planned_on.isoformat() if review.planned_on else None,
            "state": review.state}


# --- access -----------------------------------------------------------------------------------


def _require_user(actor: Any) -> User:
    if not isinstance(actor, User) or not sees_business_data(actor):
        raise AccessDenied(code="no_business_role")
    return actor


def _current(actor: Any, review: Any) -> PublicationReview:
    """The review as stored, when the actor sees it; NotFound otherwise."""
    _require_user(actor)
    if not isinstance(review, PublicationReview) or review.pk is None:
        raise NotFound()
    found = reviews_visible_to(actor).filter(pk=review.pk).first()
    if found is None:
        raise NotFound()
    return found


def _require_author(actor: Any, review: PublicationReview) -> None:
    """rule Q12 (谁上网谁负责): the author answers for the text and acts on it."""
    if review.author_id != actor.pk:
        raise AccessDenied(_("Only the author can do this."), code="not_author")


def may_publish(actor: Any, review: PublicationReview) -> bool:
    """The author or the 保密办 of the unit records the publication."""
    return review.author_id == getattr(actor, "pk", None) or review.unit_id in unit_perimeter(
        actor, {Role.SECRECY_OFFICE})


def _locked(review: PublicationReview) -> PublicationReview:
    """The review row, locked for this transaction (PostgreSQL; SQLite serialises writers)."""
    try:
        return PublicationReview.objects.select_for_update(of=("self",)).select_related(
            "request").get(pk=review.pk)
    except PublicationReview.DoesNotExist:
        raise NotFound() from None


def _refresh(review: PublicationReview, fresh: PublicationReview) -> PublicationReview:
    for field in PublicationReview._meta.concrete_fields:
        setattr(review, field.attname, getattr(fresh, field.attname))
    return review


def _locked_error() -> Conflict:
    return Conflict(_("The approved text cannot change; a changed text needs a new review."),
                    code="locked")


def _concurrent() -> Conflict:
    return Conflict(_("Someone else changed this object at the same time; reload and try "
                      "again."), code="concurrent_change")


# --- the author's draft -----------------------------------------------------------------------


def create_review(actor: Any, *, title: str, kind: str, channel: str, content: str,
                  planned_on: dt.date | None = None) -> PublicationReview:
    """rule Q12: an author of the unit writes down a text to be published outside (a draft);
    it goes to review with `submit_review`."""
    author = _require_user(actor)
    fields = _fields(title, kind, channel, content, planned_on)
    with transaction.atomic():
        review = PublicationReview.objects.create(
            unit_id=author.person.unit_id, department_id=author.person.department_id,
            author=author, **fields)
        record_event(actor, "PUBLICATION_REVIEW_CREATED", review, after=_values(review))
    return review


def draft_and_submit(actor: Any, *, declaration: bool, title: str, kind: str, channel: str,
                     content: str, planned_on: dt.date | None = None) -> PublicationReview:
    """A new text submitted at once (`create_review` then `submit_review`, all or nothing)."""
    with transaction.atomic():
        review = create_review(actor, title=title, kind=kind, channel=channel,
                               content=content, planned_on=planned_on)
        return submit_review(actor, review, declaration=declaration)


def _returned(review: PublicationReview) -> bool:
    return review.request is not None and review.request.state == RequestState.RETURNED


def _require_editable(review: PublicationReview) -> None:
    """rule Q12: the approved or published text is locked; under review, the text changes
    only when the chain returned it to the author."""
    if review.state in LOCKED:
        raise _locked_error()
    if review.state not in EDITABLE or (review.state == S.SUBMITTED and not _returned(review)):
        raise Conflict(_("The text can be changed as a draft, or once the review returned or "
                         "rejected it."), code="under_review")


def _submitted(review: PublicationReview) -> bool:
    """Whether the current version was submitted (then a change starts a new version)."""
    return PublicationVersion.objects.filter(review=review, number=review.version).exists()


def revise_review(actor: Any, review: PublicationReview, *, title: str, kind: str,
                  channel: str, content: str,
                  planned_on: dt.date | None = None) -> PublicationReview:
    """The author changes the text of a draft, or of a text the chain rejected or returned:
    a text already submitted becomes a new version (the earlier one is kept). An approved
    text is locked (`locked`, rule Q12)."""
    current = _current(actor, review)
    _require_author(actor, current)
    fields = _fields(title, kind, channel, content, planned_on)
    with transaction.atomic():
        fresh = _locked(current)
        _require_editable(fresh)
        before = _values(fresh)
        version = fresh.version + 1 if _submitted(fresh) else fresh.version
        updated = PublicationReview.objects.filter(
            pk=fresh.pk, state=fresh.state, version=fresh.version).update(
            version=version, updated_at=timezone.now(), **fields)
        if updated != 1:
            raise _concurrent()
        fresh.version = version
        for name, value in fields.items():
            setattr(fresh, name, value)
        record_event(actor, "PUBLICATION_REVIEW_REVISED", fresh, before=before,
                     after=_values(fresh))
    return _refresh(review, fresh)


# --- submission and decision ------------------------------------------------------------------


def submit_review(actor: Any, review: PublicationReview, *,
                  declaration: bool) -> PublicationReview:
    """rule Q12: the author declares that the text holds no state secret or 工作秘密
    (`declaration_required`) and submits it to review: a draft or a rejected text as a new
    approval request, a returned one as a new round of its request. The text submitted is
    kept as a version; a text submitted once is revised before it goes again (`unchanged`)."""
    current = _current(actor, review)
    _require_author(actor, current)
    if declaration is not True:  # rule Q12: 谁上网谁负责 — the submitter answers for the text
        message = _("Declare that the text holds no state secret or work secret.")
        raise RuleViolation(message, code="declaration_required", rule="Q12",
                            fields={"declaration": message})
    with transaction.atomic():
        fresh = _locked(current)
        if fresh.state in LOCKED:
            raise _locked_error()
        returned = fresh.state == S.SUBMITTED and _returned(fresh)
        if not returned:
            REVIEW.check(fresh, S.SUBMITTED)
        if _submitted(fresh):
            raise Conflict(_("This text was submitted already; revise it first."),
                           code="unchanged")
        before = _values(fresh)
        PublicationVersion.objects.create(
            review=fresh, number=fresh.version, title=fresh.title, content=fresh.content,
            declared_by=actor, declared_at=timezone.now())
        if returned:
            assert fresh.request is not None
            request = _resubmit(actor, fresh, fresh.request)
        else:
            REVIEW.apply(fresh, S.SUBMITTED, request=None,
                         submitted_at=fresh.submitted_at or timezone.now())
            request = _submit(actor, fresh)
            PublicationReview.objects.filter(pk=fresh.pk).update(request=request)
        fresh.request = request
        record_event(actor, "PUBLICATION_REVIEW_SUBMITTED", fresh, before=before,
                     after={**_values(fresh), "request": request.pk, "declared": True})
    return _refresh(review, fresh)


def _request_title(review: PublicationReview) -> str:
    return (_("Publication review: %(title)s") % {"title": review.title})[:200]


def _submit(actor: Any, review: PublicationReview) -> Request:
    from baomi.approvals.services import submit_request

    from .request_types_publications import PublicationReviewRequest, review_payload

    return submit_request(actor, PublicationReviewRequest.code, title=_request_title(review),
                          payload=review_payload(review), subject=review)


def _resubmit(actor: Any, review: PublicationReview, request: Request) -> Request:
    from baomi.approvals.services import resubmit_request

    from .request_types_publications import review_payload

    return resubmit_request(actor, request, payload=review_payload(review),
                            title=_request_title(review))


def conclude_review(actor: Any, review: PublicationReview, request: Request, *,
                    approved: bool) -> PublicationReview:
    """The approvals engine decided the request `publication_review`; runs in its
    transaction. Approved, the text is locked and may be published (rule Q12)."""
    fresh = _locked(review)
    if fresh.request_id != request.pk:
        raise Conflict(_("This request is not the review's current one."),
                       code="stale_request")
    target = S.APPROVED if approved else S.REJECTED
    before = _values(fresh)
    changes = {"approved_at": timezone.now()} if approved else {}
    REVIEW.apply(fresh, target, **changes)
    action = "PUBLICATION_REVIEW_APPROVED" if approved else "PUBLICATION_REVIEW_REJECTED"
    record_event(actor, action, fresh, before=before,
                 after={**_values(fresh), "request": request.pk})
    return _refresh(review, fresh)


def mark_withdrawn(actor: Any, review: PublicationReview, request: Request) -> None:
    """The author took the request back in the approvals engine (`on_withdrawn`)."""
    fresh = _locked(review)
    if fresh.request_id != request.pk or fresh.state != S.SUBMITTED:
        return
    before = _values(fresh)
    REVIEW.apply(fresh, S.WITHDRAWN)
    record_event(actor, "PUBLICATION_REVIEW_WITHDRAWN", fresh, before=before,
                 after=_values(fresh))


def withdraw_review(actor: Any, review: PublicationReview, *,
                    reason: str = "") -> PublicationReview:
    """The author gives the publication up before it is published: a request under review is
    withdrawn from the approvals engine as well."""
    from baomi.approvals.services import withdraw_request

    reason = clean_text(reason, "reason", REASON_MAX, required=False)
    current = _current(actor, review)
    _require_author(actor, current)
    request = current.request
    if current.state == S.SUBMITTED and request is not None and request.is_open:
        withdraw_request(actor, request, reason=reason or str(_("Publication withdrawn")))
        return _refresh(review, PublicationReview.objects.get(pk=current.pk))
    with transaction.atomic():
        fresh = _locked(current)
        before = _values(fresh)
        REVIEW.apply(fresh, S.WITHDRAWN)
        record_event(actor, "PUBLICATION_REVIEW_WITHDRAWN", fresh, before=before,
                     after=_values(fresh), reason=reason)
    return _refresh(review, fresh)


# --- publication ------------------------------------------------------------------------------


def publish_review(actor: Any, review: PublicationReview, *, published_on: dt.date,
                   published_where: str) -> PublicationReview:
    """rule Q12: record that the approved text was published on `published_on` at
    `published_where` (a URL, a journal, an exhibition hall), by the author or the 保密办 —
    refused unless approved (`not_approved`). Of two at once, one wins."""
    current = _current(actor, review)
    if not may_publish(actor, current):
        raise AccessDenied(_("Only the author or the secrecy office can record the "
                             "publication."), code="not_author")
    if isinstance(published_on, dt.datetime) or not isinstance(published_on, dt.date):
        raise invalid("published_on", _("Enter a valid date."))
    if published_on > today():
        raise invalid("published_on", _("The date cannot be in the future."),
                       code="future_date")
    published_where = clean_text(published_where, "published_where", WHERE_MAX)
    with transaction.atomic():
        fresh = _locked(current)
        if fresh.state != S.APPROVED:  # rule Q12: nothing is released before approval
            raise RuleViolation(_("Only an approved text is published."), code="not_approved",
                                rule="Q12")
        if fresh.approved_at is not None and published_on < timezone.localdate(
                fresh.approved_at):
            raise invalid("published_on", _("The date cannot be before the approval."),
                           code="before_approval")
        before = _values(fresh)
        REVIEW.apply(fresh, S.PUBLISHED, published_on=published_on,
                     published_where=published_where, published_by=actor)
        record_event(actor, "PUBLICATION_PUBLISHED", fresh, before=before, after={
            **_values(fresh), "published_on": published_on.isoformat(),
            "published_where": published_where})
    return _refresh(review, fresh)




def record_register_export(actor: Any, rows: int) -> None:
    """Exporting the register (rule Q12) leaves a trace: who took how many rows."""
    user = _require_user(actor)
    with transaction.atomic():
        record_event(user, "PUBLICATION_REGISTER_EXPORTED", object_type="compliance.publicationreview",
                     unit_id=user.person.unit_id, after={"rows": rows})
