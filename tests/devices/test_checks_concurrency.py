"""Two officers acting on one check at the same moment: exactly one wins (rule D11).

Each thread has its own connection: SQLite's IMMEDIATE transactions queue the second writer;
on PostgreSQL the check's row lock, the unique constraint `check_sign_off_one_per_role` and the
compare-and-set on a finding's state do."""

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.core.errors import Conflict
from baomi.core.labels import Category
from baomi.core.testing.concurrency import race
from baomi.devices import services
from baomi.devices.choices import FindingState
from baomi.devices.models import CheckFinding, CheckSignOff, DeviceCheck

from . import checks_support, support
from .checks_support import CHECKED_ON, items_with

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)
device, record = checks_support.device, checks_support.record


@pytest.fixture
def second_officer(make_user):
    return make_user("office_b", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


def one_won(results, kind):
    won = [r for r in results if isinstance(r, kind)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    return won[0], lost[0]


@pytest.mark.rule("D11")
@pytest.mark.django_db(transaction=True)
def test_two_sign_offs_of_one_role_at_once(people, record, second_officer):
    check = record()

    def sign(actor, who):
        return lambda: services.sign_check(actor, DeviceCheck.objects.get(pk=check.pk),
                                           role="user", person=people[who].person,
                                           signed_on=CHECKED_ON)

    won, lost = one_won(race(sign(people["office"], "confidential"),
                             sign(second_officer, "top")), CheckSignOff)
    assert isinstance(lost, Conflict) and lost.code == "already_signed", lost
    assert CheckSignOff.objects.get() == won
    assert AuditEvent.objects.filter(action="DEVICE_CHECK_SIGNED").count() == 1


@pytest.mark.rule("D11")
@pytest.mark.django_db(transaction=True)
def test_two_re_checks_of_one_finding_at_once(people, record, second_officer):
    record(items=items_with(password="口令过短"))
    finding = CheckFinding.objects.get()
    services.record_rectification(people["top"], finding, rectified_on=CHECKED_ON,
                                  rectification="已更换口令")

    def verify(actor, passed):
        return lambda: services.verify_finding(actor, CheckFinding.objects.get(pk=finding.pk),
                                               verified_on=CHECKED_ON, passed=passed)

    won, lost = one_won(race(verify(people["office"], True), verify(second_officer, False)),
                        CheckFinding)
    assert isinstance(lost, Conflict), lost
    assert CheckFinding.objects.get().state == won.state
    assert won.state in (FindingState.VERIFIED, FindingState.OPEN)
    assert AuditEvent.objects.filter(action__in=["DEVICE_FINDING_VERIFIED",
                                                 "DEVICE_FINDING_REOPENED"]).count() == 1
