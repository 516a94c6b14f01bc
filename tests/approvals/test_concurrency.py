"""Two approvers decide the same step at the same moment: exactly one wins.

Each thread has its own database connection; on SQLite the IMMEDIATE transactions queue the
second writer, on PostgreSQL the request row lock and the compare-and-set on the step do.
"""

import pytest

from baomi.accounts.roles import Role
from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request, Step
from baomi.approvals.services import decide, submit_request, withdraw_request
from baomi.audit.models import AuditEvent
from baomi.core.errors import Conflict
from baomi.core.labels import Category
from baomi.core.testing.concurrency import race

from .conftest import set_policy


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("decisions", [("approve", "approve"), ("approve", "reject")])
def test_two_approvers_at_once_exactly_one_wins(unit, make_user, decisions):
    requester = make_user("requester", roles=[Role.STAFF], category=Category.IMPORTANT)
    first = make_user("office1", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    second = make_user("office2", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    make_user("leader", roles=[Role.LEADER], category=Category.CORE)
    set_policy(unit, chains={"default": {"default": ["secrecy_office", "leader"]}})
    request = submit_request(requester, "test_note", title="t", payload={"note": "x"})

    def by(user, decision):
        # each approver loaded the page before either clicked
        seen = Request.objects.get(pk=request.pk)
        return lambda: decide(user, seen, decision, comment="c")

    outcomes = race(by(first, decisions[0]), by(second, decisions[1]))

    won = [o for o in outcomes if isinstance(o, Request)]
    lost = [o for o in outcomes if isinstance(o, Exception)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert isinstance(lost[0], Conflict) and lost[0].code == "already_decided"
    decided = Step.objects.filter(request=request, decided_by__isnull=False)
    assert decided.count() == 1
    step_events = AuditEvent.objects.filter(action__startswith="REQUEST_").exclude(
        action="REQUEST_SUBMITTED")
    assert step_events.count() == 1
    # the leader's step was not decided by the late click
    assert Step.objects.get(request=request, order=1).decided_by is None


@pytest.mark.django_db(transaction=True)
def test_withdrawal_racing_a_decision_leaves_one_consistent_outcome(unit, make_user):
    requester = make_user("requester", roles=[Role.STAFF], category=Category.IMPORTANT)
    office = make_user("office1", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    make_user("office2", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    set_policy(unit, chains={"default": {"default": ["secrecy_office"]}})
    request = submit_request(requester, "test_note", title="t", payload={"note": "x"})
    seen_by_office = Request.objects.get(pk=request.pk)
    seen_by_requester = Request.objects.get(pk=request.pk)

    outcomes = race(lambda: decide(office, seen_by_office, "approve"),
                    lambda: withdraw_request(requester, seen_by_requester, reason="r"))

    assert sum(isinstance(o, Request) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
    final = Request.objects.get(pk=request.pk)
    step = Step.objects.get(request=request)
    if final.state == RequestState.APPROVED:
        assert step.state == "approved"
    else:
        assert (final.state, step.state) == (RequestState.WITHDRAWN, "cancelled")
