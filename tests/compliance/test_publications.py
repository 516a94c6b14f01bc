"""Publication reviews (rule Q12): drafted, declared and submitted, decided by the chain of the
policy (by kind), revised after a rejection with the old text kept, locked once approved,
published only once approved; every refusal with its code and nothing written."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.approvals.services import decide, withdraw_request
from baomi.audit.models import AuditEvent
from baomi.compliance import services_publications as services
from baomi.compliance.choices import PublicationKind, PublicationState
from baomi.compliance.models import PublicationReview, PublicationVersion
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation

from .publications_support import (  # noqa: F401 (fixtures)
    TEXT,
    approve,
    approved,
    chain_roles,
    draft,
    people,
    submitted,
    today,
)

S = PublicationState


def written():
    return (PublicationReview.objects.count(), PublicationVersion.objects.count(),
            Request.objects.count(),
            AuditEvent.objects.filter(action__startswith="PUBLICATION_").count())


def test_a_draft_records_the_author_and_department(people):
    review = draft(people)
    author = people["author"]
    assert (review.state, review.author_id, review.department_id, review.unit_id,
            review.version) == (S.DRAFT, author.pk, author.person.department_id,
                                author.person.unit_id, 1)
    assert AuditEvent.objects.filter(action="PUBLICATION_REVIEW_CREATED").count() == 1


@pytest.mark.parametrize("field, value", [
    ("title", ""), ("kind", "poster"), ("channel", ""), ("content", "  "),
    ("content", "x" * 100_001), ("title", "a\x00b"), ("planned_on", "2026-01-01"),
])
def test_bad_input_is_refused_and_writes_nothing(people, field, value):
    before = written()
    with pytest.raises(InvalidInput) as caught:
        draft(people, **{field: value})
    assert field in caught.value.fields
    assert written() == before


@pytest.mark.rule("Q12")
def test_the_declaration_is_required_to_submit(people):
    review = draft(people)
    before = written()
    for declaration in (False, None, "yes"):
        with pytest.raises(RuleViolation) as caught:
            services.submit_review(people["author"], review, declaration=declaration)
        assert (caught.value.code, caught.value.rule) == ("declaration_required", "Q12")
    assert written() == before
    review.refresh_from_db()
    assert review.state == S.DRAFT


@pytest.mark.rule("Q12")
def test_submitting_records_the_declared_text_and_files_the_request(people):
    review = submitted(people)
    assert review.state == S.SUBMITTED and review.submitted_at is not None
    version = review.versions.get()
    assert (version.number, version.content, version.declared_by_id) == (
        1, TEXT, people["author"].pk)
    request = review.request
    assert (request.request_type, request.state, request.requester_id, request.department_id,
            request.subject_id) == ("publication_review", RequestState.PENDING,
                                    people["author"].pk, review.department_id, review.pk)
    assert request.payload["review_id"] == review.pk


@pytest.mark.rule("Q12")
@pytest.mark.parametrize("kind, chain", [
    (PublicationKind.NEWS, ["department_head", "secrecy_office"]),
    (PublicationKind.ARTICLE, ["department_head", "secrecy_office"]),
    (PublicationKind.PAPER, ["department_head", "secrecy_office"]),
    (PublicationKind.WEB_POST, ["department_head", "secrecy_office"]),
    (PublicationKind.OTHER, ["department_head", "secrecy_office"]),
    (PublicationKind.EXHIBITION, ["department_head", "secrecy_office", "leader"]),
    (PublicationKind.DISCLOSURE, ["department_head", "secrecy_office", "leader"]),
])
def test_the_chain_comes_from_the_policy_by_kind(people, kind, chain):
    review = submitted(people, kind)
    assert chain_roles(review) == chain
    review = approve(people, review)
    assert review.state == S.APPROVED and review.approved_at is not None


def test_only_the_head_of_the_authors_department_decides_its_step(people):
    review = submitted(people)
    with pytest.raises(AccessDenied) as caught:
        decide(people["head_other"], review.request, "approve", comment="同意")
    assert caught.value.code == "not_approver"


def test_only_the_author_submits(people):
    review = draft(people)
    with pytest.raises(AccessDenied) as caught:
        services.submit_review(people["office"], review, declaration=True)
    assert caught.value.code == "not_author"
    with pytest.raises(NotFound):
        services.submit_review(people["colleague"], review, declaration=True)


@pytest.mark.rule("Q12")
def test_rejected_the_author_revises_and_resubmits_keeping_the_old_text(people):
    review = submitted(people, PublicationKind.EXHIBITION, title="展板文字")
    first_request = review.request
    decide(people["head"], first_request, "approve", comment="同意")
    decide(people["office"], Request.objects.get(pk=first_request.pk), "reject",
           comment="第三块展板出现秘密级项目代号，删除后再报")
    review.refresh_from_db()
    assert review.state == S.REJECTED
    with pytest.raises(Conflict) as caught:  # the same text again
        services.submit_review(people["author"], review, declaration=True)
    assert caught.value.code == "unchanged"

    review = services.revise_review(people["author"], review, title="展板文字",
                                    kind=PublicationKind.EXHIBITION, channel="成果展",
                                    content="修改后的展板文字")
    assert (review.version, review.state) == (2, S.REJECTED)
    review = services.submit_review(people["author"], review, declaration=True)
    assert review.state == S.SUBMITTED and review.request_id != first_request.pk
    assert [(v.number, v.content) for v in review.versions.order_by("number")] == [
        (1, TEXT), (2, "修改后的展板文字")]
    review = approve(people, review)
    assert review.state == S.APPROVED


def test_returned_the_author_revises_and_sends_a_new_round(people):
    review = submitted(people)
    decide(people["head"], review.request, "return", comment="请补充活动时间")
    review.refresh_from_db()
    assert review.state == S.SUBMITTED
    review = services.revise_review(people["author"], review, title=review.title,
                                    kind=review.kind, channel=review.channel,
                                    content=TEXT + "活动于11月20日举行。")
    review = services.submit_review(people["author"], review, declaration=True)
    request = Request.objects.get(pk=review.request_id)
    assert (request.round, request.state, review.version) == (2, RequestState.PENDING, 2)
    assert approve(people, review).state == S.APPROVED


def test_a_returned_review_is_revised_on_its_own_page_not_the_request_form(client, people):
    review = submitted(people)
    decide(people["head"], review.request, "return", comment="请补充活动时间")
    client.force_login(people["author"])
    page = client.get(reverse("approvals:request_detail", args=[review.request_id]))
    assert page.status_code == 200
    assert reverse("approvals:request_resubmit", args=[review.request_id]) not in (
        page.content.decode())


def test_under_review_the_text_waits_for_the_decision(people):
    review = submitted(people)
    with pytest.raises(Conflict) as caught:
        services.revise_review(people["author"], review, title="新标题", kind=review.kind,
                               channel=review.channel, content=review.content)
    assert caught.value.code == "under_review"


@pytest.mark.rule("Q12")
def test_the_approved_text_is_locked(people):
    review = approved(people)
    before = written()
    with pytest.raises(Conflict) as caught:
        services.revise_review(people["author"], review, title=review.title,
                               kind=review.kind, channel=review.channel,
                               content=review.content + "补充一句")
    assert caught.value.code == "locked"
    with pytest.raises(Conflict) as caught:
        services.submit_review(people["author"], review, declaration=True)
    assert caught.value.code == "locked"
    assert written() == before


@pytest.mark.rule("Q12")
@pytest.mark.parametrize("stage", ["draft", "submitted", "rejected", "withdrawn"])
def test_publishing_is_refused_unless_approved(people, stage):
    review = draft(people) if stage in ("draft", "withdrawn") else submitted(people)
    if stage == "rejected":
        decide(people["head"], review.request, "reject", comment="涉及内部数据")
    if stage == "withdrawn":
        services.withdraw_review(people["author"], review, reason="不再发布")
    review.refresh_from_db()
    before = written()
    with pytest.raises(RuleViolation) as caught:
        services.publish_review(people["author"], review, published_on=today(),
                                published_where="https://www.example.cn/news/1")
    assert (caught.value.code, caught.value.rule) == ("not_approved", "Q12")
    assert written() == before


@pytest.mark.rule("Q12")
def test_publishing_records_who_when_and_where(people):
    review = approved(people)
    review = services.publish_review(people["office"], review, published_on=today(),
                                     published_where="https://www.example.cn/news/1")
    assert (review.state, review.published_on, review.published_where,
            review.published_by_id) == (S.PUBLISHED, today(), "https://www.example.cn/news/1",
                                        people["office"].pk)
    event = AuditEvent.objects.get(action="PUBLICATION_PUBLISHED")
    assert json.loads(event.after)["published_where"] == "https://www.example.cn/news/1"
    with pytest.raises(RuleViolation) as caught:  # published once
        services.publish_review(people["author"], review, published_on=today(),
                                published_where="微信公众号")
    assert caught.value.code == "not_approved"


def test_the_publication_date_is_checked(people):
    review = approved(people)
    for day, code in ((today() + dt.timedelta(days=1), "future_date"),
                      (today() - dt.timedelta(days=1), "before_approval")):
        with pytest.raises(InvalidInput) as caught:
            services.publish_review(people["author"], review, published_on=day,
                                    published_where="单位门户网站")
        assert caught.value.code == code
    with pytest.raises(InvalidInput):
        services.publish_review(people["author"], review, published_on=today(),
                                published_where="")


def test_only_the_author_or_the_office_publishes(people):
    review = approved(people)
    with pytest.raises(AccessDenied) as caught:
        services.publish_review(people["head"], review, published_on=today(),
                                published_where="单位门户网站")
    assert caught.value.code == "not_author"
    with pytest.raises(NotFound):
        services.publish_review(people["stranger"], review, published_on=today(),
                                published_where="单位门户网站")


def test_withdrawing_under_review_withdraws_the_request(people):
    review = submitted(people)
    review = services.withdraw_review(people["author"], review, reason="活动取消")
    assert review.state == S.WITHDRAWN
    assert Request.objects.get(pk=review.request_id).state == RequestState.WITHDRAWN


def test_withdrawing_the_request_in_the_approvals_engine_withdraws_the_review(people):
    review = submitted(people)
    withdraw_request(people["author"], review.request, reason="不发了")
    review.refresh_from_db()
    assert review.state == S.WITHDRAWN


def test_an_approved_text_not_published_may_be_withdrawn_a_published_one_not(people):
    review = approved(people)
    assert services.withdraw_review(people["author"], review).state == S.WITHDRAWN
    published = services.publish_review(people["author"], approved(people),
                                         published_on=today(), published_where="门户网站")
    with pytest.raises(Conflict) as caught:
        services.withdraw_review(people["author"], published)
    assert caught.value.code == "illegal_transition"


def test_the_request_cannot_be_filed_around_the_review(people):
    """The generic approvals API files no publication_review of a draft."""
    from baomi.approvals.services import submit_request

    review = draft(people)
    with pytest.raises(Conflict):
        submit_request(people["author"], "publication_review", title="绕过", payload={
            "review_id": review.pk, "version": 1, "kind": review.kind})
    with pytest.raises(InvalidInput):
        submit_request(people["office"], "publication_review", title="绕过", payload={
            "review_id": review.pk, "version": 1, "kind": review.kind})


@pytest.mark.rule("Q12")
def test_a_revised_text_is_not_resubmitted_around_the_declaration(people):
    """The approvals API resubmits no returned publication request whose revised text the
    author has not declared."""
    from baomi.approvals.services import resubmit_request
    from baomi.compliance.request_types_publications import review_payload

    review = submitted(people)
    decide(people["head"], review.request, "return", comment="请修改")
    review = services.revise_review(people["author"], PublicationReview.objects.get(
        pk=review.pk), title=review.title, kind=review.kind, channel=review.channel,
        content="修改后的正文")
    request = Request.objects.get(pk=review.request_id)
    with pytest.raises(Conflict):
        resubmit_request(people["author"], request, payload=review_payload(review),
                         title="绕过承诺")
    assert Request.objects.get(pk=request.pk).state == RequestState.RETURNED
