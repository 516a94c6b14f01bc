"""Two actions on the same item at the same moment: exactly one wins (rules S4, S5, S6).

Each thread has its own connection: SQLite's IMMEDIATE transactions queue the second writer;
on PostgreSQL the request and item row locks and the compare-and-set of the transitions do."""

from datetime import date

import pytest

from baomi.approvals.models import Request
from baomi.audit.models import AuditEvent
from baomi.core.errors import Conflict
from baomi.core.testing.concurrency import race
from baomi.secrets import services
from baomi.secrets.choices import ChangeKind, ItemState
from baomi.secrets.models import ItemChange, SecretItem

from . import services_support as support
from .services_support import determined, on_day, propose

people, yf, authority = support.people, support.yf, support.authority


def one_winner(outcomes, kind):
    won = [o for o in outcomes if isinstance(o, kind)]
    lost = [o for o in outcomes if isinstance(o, Exception)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    return won[0], lost[0]


@pytest.mark.rule("S4")
@pytest.mark.django_db(transaction=True)
def test_two_classification_officers_decide_at_once(people, authority):
    from baomi.approvals.services import decide

    item = propose(people)

    def deciding(user, decision):
        seen = Request.objects.get(pk=item.request_id)  # each loaded the page first
        return lambda: decide(user, seen, decision, comment="意见")

    outcomes = race(deciding(people["officer"], "approve"),
                    deciding(people["officer2"], "reject"))
    won, lost = one_winner(outcomes, Request)
    assert isinstance(lost, Conflict) and lost.code == "already_decided"
    final = SecretItem.objects.get(pk=item.pk)
    assert final.state == (ItemState.DETERMINED if won.state == "approved"
                           else ItemState.REJECTED)
    assert ItemChange.objects.filter(item=item, kind=ChangeKind.DETERMINED).count() == 1
    decided = AuditEvent.objects.filter(
        action__in=("SECRET_ITEM_DETERMINED", "SECRET_ITEM_REJECTED"))
    assert decided.count() == 1


@pytest.mark.rule("S5")
@pytest.mark.django_db(transaction=True)
def test_two_reviews_at_once(people, authority):
    item = determined(people)

    def reviewing(user):
        seen = SecretItem.objects.get(pk=item.pk)
        return lambda: services.review_item(user, seen, note="审核")

    with on_day(date(2026, 6, 1)):
        outcomes = race(reviewing(people["officer"]), reviewing(people["officer2"]))
    won, lost = one_winner(outcomes, SecretItem)
    assert isinstance(lost, Conflict) and lost.code == "already_reviewed"
    assert ItemChange.objects.filter(item=item, kind=ChangeKind.REVIEW).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_number_proposed_at_once(people, authority):
    def proposing(actor):
        return lambda: propose(people, actor=actor, scope=())

    outcomes = race(proposing("proposer"), proposing("zhang"))
    won, lost = one_winner(outcomes, SecretItem)
    assert isinstance(lost, Conflict) and lost.code == "number_exists"
    assert SecretItem.objects.count() == 1
    assert Request.objects.count() == 1
    assert AuditEvent.objects.filter(action="SECRET_ITEM_PROPOSED").count() == 1


@pytest.mark.rule("S6")
@pytest.mark.django_db(transaction=True)
def test_expiry_racing_a_declassification(people, authority):
    item = determined(people, issued_on=date(2025, 3, 1), period_value=1)
    with on_day(date(2026, 2, 20)):
        request = services.request_change(people["proposer"], item, kind="declassify",
                                          reason="公开")
    seen = Request.objects.get(pk=request.pk)

    def approving():
        from baomi.approvals.services import decide

        return decide(people["officer"], seen, "approve")

    with on_day(date(2026, 3, 1)):
        race(approving, lambda: services.expire_items(date(2026, 3, 1)))
    final = SecretItem.objects.get(pk=item.pk)
    assert final.state == ItemState.DECLASSIFIED
    ends = ItemChange.objects.filter(item=item, kind__in=(ChangeKind.DECLASSIFY,
                                                          ChangeKind.EXPIRED))
    assert ends.count() == 1
    assert final.declassified_how == ("expired" if ends.get().kind == ChangeKind.EXPIRED
                                      else "decision")
