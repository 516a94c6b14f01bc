"""The obligation `devices.medium_overdue` (rule D4) and the media checked out in a person's
custody at exit (rule C9)."""

import datetime as dt

import pytest

from baomi.devices import services
from baomi.devices.choices import ContentCheck
from baomi.devices.custody import devices_held
from baomi.devices.models import MediumLoan
from baomi.obligations.registry import Severity, get_rule

from . import support
from .support import today

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)


@pytest.fixture
def loan(people, register_medium):
    medium = register_medium()
    return services.check_out_medium(people["office"], medium, person=people["top"].person,
                                     purpose="拷贝", due_on=today())


def rows(day):
    return list(get_rule("devices.medium_overdue").query(day))


@pytest.mark.rule("D4")
def test_overdue_from_the_day_after_the_due_day(people, loan):
    assert rows(loan.due_on) == []  # the due day: still in time
    [row] = rows(loan.due_on + dt.timedelta(days=1))
    assert row["subject_id"] == loan.pk and row["due_date"] == loan.due_on
    assert row["unit_id"] == loan.medium.unit_id
    assert row["responsible_id"] == people["top"].pk  # the borrower brings it back
    assert row["level"] == loan.medium.level and row["severity"] == Severity.CRITICAL
    assert get_rule("devices.medium_overdue").rule_id == "D4"


@pytest.mark.rule("D4")
def test_a_returned_medium_is_no_obligation(people, loan):
    services.return_medium(people["office"], loan, content_check=ContentCheck.NOTHING_WRITTEN)
    assert rows(loan.due_on + dt.timedelta(days=30)) == []


def test_one_query_for_any_number_of_loans(people, register_medium, django_assert_num_queries):
    for _ in range(3):
        services.check_out_medium(people["office"], register_medium(),
                                  person=people["top"].person, purpose="拷贝", due_on=today())
    with django_assert_num_queries(1):
        assert len(rows(today() + dt.timedelta(days=1))) == 3


@pytest.mark.rule("C9")
def test_a_medium_checked_out_is_in_the_custody_of_its_borrower(people, loan):
    held = list(devices_held(people["confidential"].person))
    assert held == []
    MediumLoan.objects.filter(pk=loan.pk).update(person=people["confidential"].person)
    [item] = list(devices_held(people["confidential"].person))
    assert item.reference == loan.medium.number and item.level == loan.medium.level
    services.return_medium(people["office"], MediumLoan.objects.get(pk=loan.pk),
                           content_check=ContentCheck.NOTHING_WRITTEN)
    assert list(devices_held(people["confidential"].person)) == []
