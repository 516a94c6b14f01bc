"""The demo publication reviews (rule Q12): a news item published, a paper approved awaiting
publication, an exhibition text rejected for a 秘密 project code then revised and pending with
the leader's step to come, a draft web post; a second load adds nothing."""

from io import StringIO

import pytest

from baomi.accounts import demo as accounts_demo
from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.audit.models import AuditEvent
from baomi.compliance import demo_publications
from baomi.compliance.choices import PublicationKind, PublicationState
from baomi.compliance.models import PublicationReview, PublicationVersion
from baomi.compliance.selectors_publications import approver_names, opinions_of
from baomi.core.demo import DemoContext


def load_twice():
    context = DemoContext(out=StringIO())
    accounts_demo.load(context)
    demo_publications.load(context)
    counts = (PublicationReview.objects.count(), PublicationVersion.objects.count(),
              Request.objects.count(), AuditEvent.objects.count())
    demo_publications.load(context)
    assert (PublicationReview.objects.count(), PublicationVersion.objects.count(),
            Request.objects.count(), AuditEvent.objects.count()) == counts


@pytest.mark.rule("Q12")
def test_the_demo_reviews_load_once(db):
    load_twice()
    by_kind = {review.kind: review for review in PublicationReview.objects.all()}
    assert len(by_kind) == 4
    news = by_kind[PublicationKind.NEWS]
    assert news.state == PublicationState.PUBLISHED and news.published_where
    assert approver_names(news) == "张伟、刘晓燕"
    assert by_kind[PublicationKind.PAPER].state == PublicationState.APPROVED
    exhibition = by_kind[PublicationKind.EXHIBITION]
    assert (exhibition.state, exhibition.version) == (PublicationState.SUBMITTED, 2)
    assert exhibition.request.state == RequestState.PENDING
    assert any("秘密" in step.comment and step.decision == "reject"
               for step in opinions_of(exhibition))
    assert "XH-17" not in exhibition.content
    assert by_kind[PublicationKind.WEB_POST].state == PublicationState.DRAFT
