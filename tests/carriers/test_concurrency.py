"""Two people acting on the same carrier at the same moment: exactly one wins (rule C5).

Each thread has its own connection: SQLite's IMMEDIATE transactions queue the second writer;
on PostgreSQL the row locks, the transitions' compare-and-set and the unique constraint
`carrier_loan_one_open` do."""

import pytest

from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.approvals.services import decide
from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.carriers.choices import CarrierState, LoanKind, LoanState
from baomi.carriers.models import Carrier, Loan
from baomi.core.errors import Conflict
from baomi.core.testing.concurrency import race
from baomi.core.testing.factories import SecureRoomFactory
from baomi.secrets.models import KnowledgeRecord, ScopeEntry

from . import service_support as support
from .service_support import approved_loan, carrier_fields, today

people, yf1, keeper, safe, item, register = (
    support.people, support.yf1, support.keeper, support.safe, support.item, support.register)


def outcome(results, kind):
    won = [r for r in results if isinstance(r, kind)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    return won[0], lost[0]


@pytest.mark.rule("C5")
@pytest.mark.django_db(transaction=True)
def test_two_loans_of_one_carrier_reach_the_last_approval_at_once(people, item, register):
    ScopeEntry.objects.create(item=item, person=people["senior"].person, added_on=today(),
                              added_by=people["office"])
    carrier = register(secret_item=item)
    requests = []
    for who in ("reader", "senior"):
        loan = services.request_loan(people[who], carrier, kind=LoanKind.BORROW,
                                     purpose="编写设计报告")
        requests.append(decide(people["head"], loan.request, "approve"))

    def last_approval(actor, request):
        return lambda: decide(actor, request, "approve")

    results = race(last_approval(people["office"], requests[0]),
                   last_approval(people["office2"], requests[1]))
    won, lost = outcome(results, Request)
    assert isinstance(lost, Conflict) and lost.code == "carrier_taken", lost
    assert won.state == RequestState.APPROVED
    assert sorted(Request.objects.values_list("state", flat=True)) == [
        RequestState.APPROVED, RequestState.PENDING]
    assert sorted(Loan.objects.values_list("state", flat=True)) == [
        LoanState.APPROVED, LoanState.REQUESTED]
    assert Loan.objects.get(state=LoanState.APPROVED).request_id == won.pk
    assert AuditEvent.objects.filter(action="CARRIER_LOAN_APPROVED").count() == 1


@pytest.mark.rule("C5")
@pytest.mark.django_db(transaction=True)
def test_two_hand_outs_of_one_loan_one_wins(people, item, register):
    carrier = register(secret_item=item)
    loan = approved_loan(people, carrier)

    def hand_out(actor):
        seen = Loan.objects.get(pk=loan.pk)  # each officer loaded the page first
        return lambda: services.hand_out(actor, seen)

    results = race(hand_out(people["office"]), hand_out(people["office2"]))
    won, lost = outcome(results, Loan)
    assert isinstance(lost, Conflict), lost
    assert lost.code in ("illegal_transition", "concurrent_change")
    assert won.state == LoanState.OUT
    assert Loan.objects.get(pk=loan.pk).handed_out_by_id == won.handed_out_by_id
    assert Carrier.objects.get(pk=carrier.pk).state == CarrierState.ON_LOAN
    assert AuditEvent.objects.filter(action="CARRIER_HANDED_OUT").count() == 1
    assert KnowledgeRecord.objects.count() == 1  # rule S8: one contact, not two


@pytest.mark.django_db(transaction=True)
def test_two_registrations_of_one_number_one_wins(people, unit, yf1, keeper, safe):
    fields = carrier_fields(unit, yf1, keeper, safe)

    def registration(actor, title):
        return lambda: services.register_carrier(actor, **{**fields, "title": title})

    results = race(registration(people["office"], "甲"), registration(people["office2"], "乙"))
    won, lost = outcome(results, Carrier)
    assert isinstance(lost, Conflict) and lost.code == "number_exists", lost
    assert Carrier.objects.get().title == won.title
    assert AuditEvent.objects.filter(action="CARRIER_REGISTERED").count() == 1


@pytest.mark.django_db(transaction=True)
def test_retiring_a_container_while_a_carrier_is_stored_in_it(people, unit, register):
    from baomi.carriers.choices import ContainerKind
    from baomi.carriers.models import Container
    from baomi.core.labels import Level

    carrier = register()
    spare = Container.objects.create(unit=unit, number="BXG-02", kind=ContainerKind.SAFE,
                                     rating=Level.TOP_SECRET, location="档案室",
                                     room=SecureRoomFactory(unit=unit))
    results = race(
        lambda: services.store_carrier(people["office"], carrier, container=spare),
        lambda: services.update_container(people["office2"], spare, location="档案室",
                                          custodian=None, active=False, room=None))
    stored, retired = results
    spare.refresh_from_db()
    in_spare = Carrier.objects.filter(container=spare).exists()
    # Whichever went first, a retired container holds nothing.
    assert not (in_spare and not spare.active), results
    assert isinstance(stored, Exception) != isinstance(retired, Exception), results
