"""Who sees which publication review (rule Q12, DESIGN.md 'Access model'), the yearly
summary, and two people acting on one review at the same moment (exactly one wins)."""

import datetime as dt

import pytest
from django.utils import timezone

from baomi.approvals.models import Request
from baomi.approvals.services import decide
from baomi.audit.models import AuditEvent
from baomi.compliance import services_publications as services
from baomi.compliance.choices import PublicationKind, PublicationState
from baomi.compliance.models import PublicationReview
from baomi.compliance.selectors_publications import (
    approver_names,
    approver_names_of,
    publication_summary,
    register_of,
    review_for,
    reviews_visible_to,
)
from baomi.core.errors import Conflict, DomainError, NotFound, RuleViolation
from baomi.core.testing.concurrency import race

from .publications_support import approve, approved, draft, people, submitted, today  # noqa: F401


def seen(user):
    return set(reviews_visible_to(user).values_list("title", flat=True))


def test_each_role_sees_its_share(people, secadmin):
    draft(people, title="本部门的稿件")
    services.create_review(people["colleague"], title="研发二部的稿件",
                           kind=PublicationKind.PAPER, channel="《电子学报》", content="论文正文")
    both = {"本部门的稿件", "研发二部的稿件"}
    assert seen(people["author"]) == {"本部门的稿件"}
    assert seen(people["colleague"]) == {"研发二部的稿件"}
    assert seen(people["head"]) == {"本部门的稿件"}
    assert seen(people["head_other"]) == {"研发二部的稿件"}
    assert seen(people["office"]) == both
    assert seen(people["leader"]) == both
    assert seen(people["stranger"]) == set()
    assert seen(secadmin) == set()  # rule T2: an admin role opens no business data


def test_another_units_review_is_not_found(people):
    review = draft(people)
    with pytest.raises(NotFound):
        review_for(people["stranger"], review.pk)
    for bad in ("abc", "-1", "0", str(2**64), None):
        with pytest.raises(NotFound):
            review_for(people["office"], bad)
    assert review_for(people["office"], str(review.pk)).pk == review.pk


@pytest.mark.rule("Q12")
def test_the_register_names_the_approvers_and_filters(people):
    draft(people, title="草稿不进登记簿")
    news = approved(people, title="新闻")
    services.publish_review(people["author"], news, published_on=today(),
                            published_where="单位门户网站")
    approved(people, PublicationKind.EXHIBITION, title="展览")
    assert approver_names(PublicationReview.objects.get(title="新闻")) == "张伟、刘晓燕"
    assert approver_names(PublicationReview.objects.get(title="展览")) == "张伟、刘晓燕、陈建华"
    titles = lambda **f: set(register_of(people["office"], **f).values_list("title", flat=True))  # noqa: E731
    assert titles() == {"新闻", "展览"}
    assert titles(kind=PublicationKind.EXHIBITION) == {"展览"}
    assert titles(state=PublicationState.PUBLISHED) == {"新闻"}
    assert titles(year=today().year) == {"新闻", "展览"}
    assert titles(year=today().year - 1) == set()
    assert set(register_of(people["leader"]).values_list("title", flat=True)) == titles()
    for user in ("author", "head", "stranger"):
        assert not register_of(people[user]).exists()


@pytest.mark.rule("Q12")
def test_the_summary_counts_the_year(people):
    published = approved(people, title="已发布")
    services.publish_review(people["author"], published, published_on=today(),
                            published_where="单位门户网站")
    approved(people, title="待发布")
    rejected = submitted(people, title="被退回")
    decide(people["head"], rejected.request, "reject", comment="涉及内部数据")
    draft(people, title="草稿")
    year = today().year
    summary = publication_summary(people["author"].person.unit, year)
    assert (summary.year, summary.reviewed, summary.approved, summary.rejected,
            summary.published) == (year, 3, 2, 1, 1)
    last_year = publication_summary(people["author"].person.unit, year - 1)
    assert (last_year.reviewed, last_year.approved, last_year.rejected,
            last_year.published) == (0, 0, 0, 0)


@pytest.mark.rule("Q12")
def test_the_summary_year_is_the_local_year(people):
    review = submitted(people)
    # 2025-12-31 20:00 UTC is 2026-01-01 04:00 in Asia/Shanghai.
    moment = dt.datetime(2025, 12, 31, 20, 0, tzinfo=dt.UTC)
    PublicationReview.objects.filter(pk=review.pk).update(submitted_at=moment)
    unit = people["author"].person.unit
    assert publication_summary(unit, 2026).reviewed == 1
    assert publication_summary(unit, 2025).reviewed == 0
    assert timezone.localtime(moment).year == 2026


def one_won(results):
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    return won[0], lost[0]


@pytest.mark.rule("Q12")
@pytest.mark.django_db(transaction=True)
def test_two_publications_at_once(people):
    review = approved(people)

    def publishing(actor, where):
        return lambda: services.publish_review(
            actor, PublicationReview.objects.get(pk=review.pk), published_on=today(),
            published_where=where)

    results = race(publishing(people["author"], "门户网站"), publishing(people["office"], "公众号"))
    won, lost = one_won(results)
    assert isinstance(lost, RuleViolation | Conflict)
    stored = PublicationReview.objects.get(pk=review.pk)
    assert (stored.state, stored.published_where) == (PublicationState.PUBLISHED,
                                                      won.published_where)
    assert AuditEvent.objects.filter(action="PUBLICATION_PUBLISHED").count() == 1


@pytest.mark.rule("Q12")
@pytest.mark.django_db(transaction=True)
def test_two_approvals_of_the_last_step_at_once(people):
    review = submitted(people)
    decide(people["head"], review.request, "approve", comment="同意")
    request = Request.objects.get(pk=review.request_id)

    def approving(actor):
        return lambda: decide(actor, Request.objects.get(pk=request.pk), "approve",
                              comment="同意")

    won, lost = one_won(race(approving(people["office"]), approving(people["office_b"])))
    assert isinstance(lost, DomainError) and lost.code == "already_decided"
    assert PublicationReview.objects.get(pk=review.pk).state == PublicationState.APPROVED
    assert AuditEvent.objects.filter(action="PUBLICATION_REVIEW_APPROVED").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_revision_and_a_withdrawal_at_once(people):
    review = submitted(people)
    decide(people["head"], review.request, "reject", comment="请修改")

    def revising():
        current = PublicationReview.objects.get(pk=review.pk)
        return services.revise_review(people["author"], current, title="改后",
                                      kind=current.kind, channel=current.channel,
                                      content="改后的正文")

    def withdrawing():
        return services.withdraw_review(people["author"],
                                        PublicationReview.objects.get(pk=review.pk))

    results = race(revising, withdrawing)
    stored = PublicationReview.objects.get(pk=review.pk)
    if isinstance(results[0], Exception):  # withdrawn first: the revision is refused
        assert stored.state == PublicationState.WITHDRAWN and stored.version == 1
    else:
        assert stored.version == 2 and stored.title == "改后"


def test_the_approvers_of_a_page_come_in_one_query(people, django_assert_max_num_queries):
    reviews = [approved(people, title=f"稿件{n}") for n in range(3)]
    approved(people, PublicationKind.EXHIBITION, title="展览")
    submitted(people, title="待审")
    rows = list(register_of(people["office"]))
    with django_assert_max_num_queries(1):
        names = approver_names_of(rows)
    assert names == {review.pk: approver_names(review)
                     for review in PublicationReview.objects.exclude(title="待审")}
    assert names[reviews[0].pk] == "张伟、刘晓燕"
