"""Two officers acting on one medium at the same moment: exactly one wins (rule D4).

Each thread has its own connection: SQLite's IMMEDIATE transactions queue the second writer;
on PostgreSQL the medium's row lock, the compare-and-set on its state and the unique
constraints `medium_loan_one_out` and `medium_binding_one_open` do."""

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.core.errors import Conflict
from baomi.core.labels import Category
from baomi.core.testing.concurrency import race
from baomi.devices import services
from baomi.devices.choices import ContentCheck, MediumLoanState, MediumState
from baomi.devices.models import Medium, MediumBinding, MediumLoan

from . import support

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)


@pytest.fixture
def second_officer(make_user):
    return make_user("office_b", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


def one_won(results, kind):
    won = [r for r in results if isinstance(r, kind)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    return won[0], lost[0]


@pytest.mark.rule("D4")
@pytest.mark.django_db(transaction=True)
def test_two_check_outs_of_one_medium_at_once(people, register_medium, second_officer):
    medium = register_medium()

    def check_out(actor, who):
        return lambda: services.check_out_medium(actor, Medium.objects.get(pk=medium.pk),
                                                 person=people[who].person, purpose="拷贝")

    results = race(check_out(people["office"], "top"),
                   check_out(second_officer, "confidential"))
    won, lost = one_won(results, MediumLoan)
    assert isinstance(lost, Conflict) and lost.code == "not_in_store", lost
    assert MediumLoan.objects.get() == won and won.state == MediumLoanState.OUT
    assert Medium.objects.get(pk=medium.pk).state == MediumState.OUT
    assert AuditEvent.objects.filter(action="MEDIUM_CHECKED_OUT").count() == 1


@pytest.mark.rule("D4")
@pytest.mark.django_db(transaction=True)
def test_two_returns_of_one_loan_at_once(people, register_medium, second_officer):
    medium = register_medium()
    loan = services.check_out_medium(people["office"], medium, person=people["top"].person,
                                     purpose="拷贝")

    def take_back(actor):
        return lambda: services.return_medium(actor, MediumLoan.objects.get(pk=loan.pk),
                                              content_check=ContentCheck.NOTHING_WRITTEN)

    won, lost = one_won(race(take_back(people["office"]), take_back(second_officer)),
                        MediumLoan)
    assert isinstance(lost, Conflict), lost
    assert MediumLoan.objects.get().state == MediumLoanState.RETURNED
    assert Medium.objects.get(pk=medium.pk).state == MediumState.IN_STORE
    assert AuditEvent.objects.filter(action="MEDIUM_RETURNED").count() == 1


@pytest.mark.rule("D4")
@pytest.mark.django_db(transaction=True)
def test_two_bindings_of_one_pair_at_once(people, register_medium, register_device,
                                          second_officer):
    medium, device = register_medium(), register_device()

    def bind(actor):
        return lambda: services.bind_medium(actor, medium, device)

    won, lost = one_won(race(bind(people["office"]), bind(second_officer)), MediumBinding)
    assert isinstance(lost, Conflict) and lost.code == "already_bound", lost
    assert MediumBinding.objects.get() == won
    assert AuditEvent.objects.filter(action="MEDIUM_BOUND").count() == 1
