"""The usage log of classified computers (rule D5): opening a book per computer and year,
recording uses (rule D2: the level of the work, who uses the computer), ending them, closing
a book after its year and discarding the books past their retention."""

import json
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from baomi.accounts.models import Person
from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Category, Level
from baomi.devices import services
from baomi.devices.choices import DeviceKind, DeviceState
from baomi.devices.models import Device, UsageBook, UsageEntry
from baomi.devices.services import usage as usage_services

from . import support
from .support import today

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)

LAST_YEAR = today().year - 1


def at(year, month=6, day=1, hour=9, minute=0):
    """A local (Asia/Shanghai) moment."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


@pytest.fixture
def computer(people, register_device):
    """A 机密 desktop, responsible `top`, with `confidential` as a registered user."""
    device = register_device(level=Level.CONFIDENTIAL)
    services.add_device_user(people["office"], device, people["confidential"].person)
    return device


@pytest.fixture
def book(people, computer):
    """The open book of last year."""
    return services.open_usage_book(people["office"], computer, year=LAST_YEAR)


def record(actor, device, **overrides):
    fields = {"user": overrides.pop("user", None), "started_at": at(LAST_YEAR),
              "ended_at": at(LAST_YEAR, hour=11), "work": "起草项目方案",
              "level": Level.CONFIDENTIAL, **overrides}
    return services.record_usage(actor, device, **fields)


def close(actor, book):
    return services.close_usage_book(actor, book)


# --- opening a book ----------------------------------------------------------------------------


@pytest.mark.rule("D5")
def test_the_office_and_the_responsible_person_open_books(people, computer):
    book = services.open_usage_book(people["office"], computer, year=today().year)
    assert (book.year, book.opened_on, book.closed_on) == (today().year, today(), None)
    own = services.open_usage_book(people["top"], computer, year=LAST_YEAR)  # responsible
    assert own.opened_by == people["top"]
    event = AuditEvent.objects.filter(action="DEVICE_USAGE_BOOK_OPENED").order_by("seq").first()
    assert json.loads(event.after) == {"device": computer.pk, "number": computer.number,
                                       "year": today().year}


@pytest.mark.rule("D5")
def test_a_user_of_the_device_does_not_open_a_book(people, computer):
    with pytest.raises(AccessDenied) as refused:
        services.open_usage_book(people["confidential"], computer, year=today().year)
    assert refused.value.code == "not_office_or_responsible"
    with pytest.raises(NotFound):  # another unit's 保密办 does not see the device (rule L5)
        services.open_usage_book(people["office2"], computer, year=today().year)
    assert not UsageBook.objects.exists()


@pytest.mark.rule("D5")
def test_one_book_per_device_and_year(people, computer):
    services.open_usage_book(people["office"], computer, year=today().year)
    with pytest.raises(Conflict) as refused:
        services.open_usage_book(people["top"], computer, year=today().year)
    assert refused.value.code == "book_exists"
    assert UsageBook.objects.count() == 1


@pytest.mark.rule("D5")
@pytest.mark.parametrize("year, code", [(today().year + 1, "invalid_year"),
                                        (1999, "invalid_year"), ("2026", "invalid_year")])
def test_no_book_for_a_future_or_absurd_year(people, computer, year, code):
    with pytest.raises(InvalidInput) as refused:
        services.open_usage_book(people["office"], computer, year=year)
    assert refused.value.code == code


@pytest.mark.rule("D5")
def test_only_classified_computers_keep_a_log(people, register_device):
    printer = register_device(kind=DeviceKind.PRINTER, level=Level.SECRET)
    with pytest.raises(InvalidInput) as refused:
        services.open_usage_book(people["office"], printer, year=today().year)
    assert refused.value.code == "not_computer"
    plain = register_device(level=Level.NONSECRET)
    with pytest.raises(InvalidInput) as refused:
        services.open_usage_book(people["office"], plain, year=today().year)
    assert refused.value.code == "not_classified"
    lowest = register_device(level=Level.SECRET, kind=DeviceKind.SERVER)  # the boundary
    assert services.open_usage_book(people["office"], lowest, year=today().year).pk


@pytest.mark.rule("D8")
def test_a_retired_device_is_locked(people, computer, book):
    Device.objects.filter(pk=computer.pk).update(state=DeviceState.RETIRED)
    computer.refresh_from_db()
    with pytest.raises(RuleViolation) as refused:
        services.open_usage_book(people["office"], computer, year=today().year)
    assert refused.value.code == "locked"
    with pytest.raises(RuleViolation) as refused:
        record(people["office"], computer, user=people["confidential"].person)
    assert refused.value.code == "locked"


# --- recording uses ----------------------------------------------------------------------------


@pytest.mark.rule("D5")
def test_a_use_goes_into_the_book_of_its_year(people, computer, book):
    entry = record(people["office"], computer, user=people["confidential"].person)
    assert entry.book == book and entry.recorded_by == people["office"]
    assert (entry.work, entry.level) == ("起草项目方案", Level.CONFIDENTIAL)
    event = AuditEvent.objects.get(action="DEVICE_USAGE_RECORDED")
    assert json.loads(event.after)["year"] == LAST_YEAR


@pytest.mark.rule("D5")
def test_the_year_is_the_local_year(people, computer, book):
    """31 December 23:30 in Beijing is still last year, though it is 15:30 UTC."""
    late = at(LAST_YEAR, 12, 31, 23, 30)
    entry = record(people["office"], computer, user=people["confidential"].person,
                   started_at=late, ended_at=late + timedelta(minutes=20))
    assert entry.book == book


@pytest.mark.rule("D5")
def test_no_book_or_a_closed_book_refuses_the_use(people, computer, book):
    with pytest.raises(RuleViolation) as refused:
        record(people["office"], computer, user=people["confidential"].person,
               started_at=at(LAST_YEAR - 1), ended_at=None)
    assert refused.value.code == "no_book"
    close(people["office"], book)
    with pytest.raises(RuleViolation) as refused:
        record(people["office"], computer, user=people["confidential"].person)
    assert refused.value.code == "book_closed"
    assert not UsageEntry.objects.exists()


@pytest.mark.rule("D2")
def test_the_work_is_never_above_the_device(people, computer, book):
    person = people["top"].person  # cleared 绝密, the responsible person
    entry = record(people["office"], computer, user=person, level=Level.CONFIDENTIAL)
    assert entry.level == computer.level  # the boundary: equal is fine
    with pytest.raises(RuleViolation) as refused:
        record(people["office"], computer, user=person, level=Level.TOP_SECRET)
    assert refused.value.code == "level_above_device" and refused.value.rule == "D2"
    assert UsageEntry.objects.count() == 1


@pytest.mark.rule("D2")
def test_the_user_is_cleared_for_the_work(people, computer, book):
    person = people["confidential"].person
    Person.objects.filter(pk=person.pk).update(category=Category.GENERAL)  # 秘密 since
    person.refresh_from_db()
    with pytest.raises(RuleViolation) as refused:
        record(people["office"], computer, user=person, level=Level.CONFIDENTIAL)
    assert refused.value.code == "clearance"
    assert record(people["office"], computer, user=person, level=Level.SECRET).pk


@pytest.mark.rule("D2")
def test_only_its_users_or_responsible_person_use_the_device(people, computer, book):
    with pytest.raises(RuleViolation) as refused:
        record(people["office"], computer, user=people["head"].person)  # cleared, not a user
    assert refused.value.code == "not_device_user"
    assert record(people["office"], computer, user=people["top"].person).pk  # responsible


@pytest.mark.rule("D5")
def test_who_records_a_use(people, computer, book):
    own = record(people["confidential"], computer, user=people["confidential"].person)
    assert own.recorded_by == people["confidential"]
    by_responsible = record(people["top"], computer, user=people["confidential"].person)
    assert by_responsible.pk
    with pytest.raises(AccessDenied) as refused:  # a user records only their own use
        record(people["confidential"], computer, user=people["top"].person)
    assert refused.value.code == "not_usage_recorder"


@pytest.mark.rule("D5")
@pytest.mark.parametrize("overrides, code", [
    ({"ended_at": at(LAST_YEAR, hour=8, minute=59)}, "end_before_start"),
    ({"started_at": timezone.now() + timedelta(hours=1), "ended_at": None}, "future_time"),
    ({"ended_at": timezone.now() + timedelta(hours=1)}, "future_time"),
    ({"work": "  "}, "required"),
    ({"work": "x" * 501}, "too_long"),
    ({"level": 7}, "invalid"),
    ({"started_at": datetime(LAST_YEAR, 6, 1, 9)}, "invalid"),  # naive
    ({"started_at": "2025-06-01 09:00"}, "invalid"),
])
def test_bad_input_is_refused(people, computer, book, overrides, code):
    with pytest.raises(InvalidInput) as refused:
        record(people["office"], computer, user=people["confidential"].person, **overrides)
    assert refused.value.code == code
    assert not UsageEntry.objects.exists()


@pytest.mark.rule("D5")
def test_an_equal_start_and_end_is_accepted(people, computer, book):
    moment = at(LAST_YEAR)
    assert record(people["office"], computer, user=people["confidential"].person,
                  started_at=moment, ended_at=moment).pk


@pytest.mark.rule("D5")
def test_recorded_from_a_book_the_use_belongs_to_it(people, computer, book):
    this_year = services.open_usage_book(people["office"], computer, year=today().year)
    with pytest.raises(InvalidInput) as refused:
        record(people["office"], computer, user=people["confidential"].person, book=this_year)
    assert refused.value.code == "wrong_book"
    assert record(people["office"], computer, user=people["confidential"].person,
                  book=book).book == book


# --- ending a use ------------------------------------------------------------------------------


@pytest.mark.rule("D5")
def test_ending_an_open_use(people, computer, book):
    entry = record(people["confidential"], computer, user=people["confidential"].person,
                   ended_at=None)
    with pytest.raises(InvalidInput) as refused:
        services.end_usage(people["confidential"], entry, ended_at=at(LAST_YEAR, hour=8))
    assert refused.value.code == "end_before_start"
    services.end_usage(people["confidential"], entry, ended_at=at(LAST_YEAR, hour=12))
    assert UsageEntry.objects.get().ended_at == at(LAST_YEAR, hour=12)
    with pytest.raises(Conflict) as refused:
        services.end_usage(people["office"], entry, ended_at=at(LAST_YEAR, hour=13))
    assert refused.value.code == "already_ended"
    assert AuditEvent.objects.filter(action="DEVICE_USAGE_ENDED").count() == 1


@pytest.mark.rule("D5")
def test_another_user_does_not_end_my_use(people, computer, book, make_user):
    other = make_user("other_user", roles=[Role.STAFF], category=Category.IMPORTANT,
                      department_=computer.department)
    services.add_device_user(people["office"], computer, other.person)
    entry = record(people["confidential"], computer, user=people["confidential"].person,
                   ended_at=None)
    with pytest.raises(AccessDenied):
        services.end_usage(other, entry, ended_at=at(LAST_YEAR, hour=12))
    assert UsageEntry.objects.get().ended_at is None


# --- closing a book ----------------------------------------------------------------------------


@pytest.mark.rule("D5")
def test_a_book_is_closed_after_its_year_by_the_office(people, computer, book):
    this_year = services.open_usage_book(people["office"], computer, year=today().year)
    with pytest.raises(RuleViolation) as refused:
        close(people["office"], this_year)
    assert refused.value.code == "year_not_over"
    with pytest.raises(AccessDenied) as refused:
        close(people["top"], book)  # the responsible person does not file it
    assert refused.value.code == "not_secrecy_office"
    close(people["office"], book)
    book.refresh_from_db()
    assert (book.closed_on, book.closed_by) == (today(), people["office"])
    with pytest.raises(Conflict) as refused:
        close(people["office"], book)
    assert refused.value.code == "already_closed"
    assert AuditEvent.objects.filter(action="DEVICE_USAGE_BOOK_CLOSED").count() == 1


@pytest.mark.rule("D5")
def test_a_book_with_an_open_use_is_not_closed(people, computer, book):
    entry = record(people["office"], computer, user=people["confidential"].person,
                   ended_at=None)
    with pytest.raises(Conflict) as refused:
        close(people["office"], book)
    assert refused.value.code == "open_entries"
    services.end_usage(people["office"], entry, ended_at=at(LAST_YEAR, hour=10))
    assert close(people["office"], book).closed_on == today()


# --- retention and discarding (rule D5: 5 years after the year) -------------------------------


@pytest.fixture
def old_books(people, computer):
    """Closed books of 2020 and 2021, with two and one entries; an open book of 2019."""
    books = {}
    for year, uses in ((2020, 2), (2021, 1), (2019, 0)):
        books[year] = services.open_usage_book(people["office"], computer, year=year)
        for hour in range(uses):
            record(people["office"], computer, user=people["confidential"].person,
                   started_at=at(year, hour=9 + hour), ended_at=at(year, hour=10 + hour))
        if year != 2019:
            close(people["office"], books[year])
    return books


@pytest.mark.rule("D5")
def test_the_retention_boundary(people, unit, old_books):
    assert services.discardable_from(2020, 5) == date(2026, 1, 1)
    assert services.discard_usage_books(people["office"], unit, today=date(2025, 12, 31)) == 0
    assert UsageBook.objects.count() == 3
    assert services.discard_usage_books(people["office"], unit, today=date(2026, 1, 1)) == 1
    assert set(UsageBook.objects.values_list("year", flat=True)) == {2019, 2021}
    assert UsageEntry.objects.count() == 1  # the 2021 entry stays
    event = AuditEvent.objects.get(action="DEVICE_USAGE_BOOK_DISCARDED")
    before = json.loads(event.before)
    assert (before["year"], before["entries"], before["number"]) == (
        2020, 2, old_books[2020].device.number)


@pytest.mark.rule("D5")
def test_an_open_book_is_never_discarded(people, unit, old_books):
    assert services.discard_usage_books(people["office"], unit, today=date(2040, 1, 1)) == 2
    assert list(UsageBook.objects.values_list("year", flat=True)) == [2019]
    assert AuditEvent.objects.filter(action="DEVICE_USAGE_BOOK_DISCARDED").count() == 2


@pytest.mark.rule("D5")
def test_retention_follows_the_unit_policy(people, unit, old_books):
    unit.policy_overrides = {"devices.usage_log_retention_years": 6}
    unit.save()
    assert services.discard_usage_books(people["office"], unit, today=date(2026, 1, 1)) == 0
    assert services.discard_usage_books(people["office"], unit, today=date(2027, 1, 1)) == 1


@pytest.mark.rule("D5")
def test_only_the_office_discards_and_only_what_it_sees(people, unit, old_books,
                                                        register_device):
    with pytest.raises(AccessDenied):
        services.discard_usage_books(people["top"], unit, today=date(2030, 1, 1))
    with pytest.raises(AccessDenied):
        services.discard_usage_books(people["office2"], unit, today=date(2030, 1, 1))
    top = register_device(level=Level.TOP_SECRET)
    top_book = services.open_usage_book(people["office"], top, year=2019)
    close(people["office"], top_book)
    # a 保密办 cleared 机密 does not see — nor discard — the 绝密 computer's book (rule L5)
    assert services.discard_usage_books(people["office_important"], unit,
                                        today=date(2030, 1, 1)) == 2
    assert UsageBook.objects.filter(pk=top_book.pk).exists()


@pytest.mark.rule("D5")
def test_retention_years_come_from_the_policy(unit):
    assert usage_services.retention_years(unit) == 5
    assert usage_services.last_year_discardable(date(2026, 1, 1), 5) == 2020
    assert usage_services.last_year_discardable(date(2025, 12, 31), 5) == 2019
