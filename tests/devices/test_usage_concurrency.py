"""Two people acting on one usage-log book at the same moment: exactly one wins (rule D5).

Each thread has its own connection: SQLite's IMMEDIATE transactions queue the second writer;
on PostgreSQL the unique constraint `usage_book_one_per_year`, the book's row lock and the
conditional updates of an entry's end and a book's closing do."""

from datetime import datetime

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.core.errors import Conflict
from baomi.core.labels import Category, Level
from baomi.core.testing.concurrency import race
from baomi.devices import services
from baomi.devices.models import UsageBook, UsageEntry

from . import support
from .support import today

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)

LAST_YEAR = today().year - 1


@pytest.fixture
def second_officer(make_user):
    return make_user("office_b", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


def one_won(results, kind):
    won = [r for r in results if isinstance(r, kind)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    return won[0], lost[0]


@pytest.mark.rule("D5")
@pytest.mark.django_db(transaction=True)
def test_two_openings_of_one_book_at_once(people, register_device, second_officer):
    device = register_device(level=Level.CONFIDENTIAL)

    def open_book(actor):
        return lambda: services.open_usage_book(actor, device, year=today().year)

    won, lost = one_won(race(open_book(people["office"]), open_book(second_officer)),
                        UsageBook)
    assert isinstance(lost, Conflict) and lost.code == "book_exists", lost
    assert UsageBook.objects.get() == won
    assert AuditEvent.objects.filter(action="DEVICE_USAGE_BOOK_OPENED").count() == 1


@pytest.mark.rule("D5")
@pytest.mark.django_db(transaction=True)
def test_two_ends_of_one_use_at_once(people, register_device, second_officer):
    device = register_device(level=Level.CONFIDENTIAL)
    services.open_usage_book(people["office"], device, year=LAST_YEAR)
    entry = services.record_usage(
        people["office"], device, user=people["top"].person,
        started_at=timezone.make_aware(datetime(LAST_YEAR, 3, 2, 9)), ended_at=None,
        work="编制技术报告", level=Level.SECRET)

    def end(actor, hour):
        return lambda: services.end_usage(
            actor, UsageEntry.objects.get(pk=entry.pk),
            ended_at=timezone.make_aware(datetime(LAST_YEAR, 3, 2, hour)))

    won, lost = one_won(race(end(people["office"], 10), end(second_officer, 11)), UsageEntry)
    assert isinstance(lost, Conflict) and lost.code == "already_ended", lost
    assert UsageEntry.objects.get().ended_at == won.ended_at
    assert AuditEvent.objects.filter(action="DEVICE_USAGE_ENDED").count() == 1


@pytest.mark.rule("D5")
@pytest.mark.django_db(transaction=True)
def test_a_use_recorded_while_the_book_is_closed(people, register_device, second_officer):
    """Either the use lands before the closing, or it is refused: never in a closed book."""
    device = register_device(level=Level.CONFIDENTIAL)
    book = services.open_usage_book(people["office"], device, year=LAST_YEAR)

    def record():
        return services.record_usage(
            second_officer, device, user=people["top"].person,
            started_at=timezone.make_aware(datetime(LAST_YEAR, 5, 6, 9)),
            ended_at=timezone.make_aware(datetime(LAST_YEAR, 5, 6, 10)), work="整理会议纪要",
            level=Level.SECRET)

    results = race(record, lambda: services.close_usage_book(
        people["office"], UsageBook.objects.get(pk=book.pk)))
    book.refresh_from_db()
    assert book.closed_on is not None  # the use has ended: nothing keeps the book open
    closed = AuditEvent.objects.get(action="DEVICE_USAGE_BOOK_CLOSED")
    recorded = AuditEvent.objects.filter(action="DEVICE_USAGE_RECORDED")
    if isinstance(results[0], UsageEntry):
        assert recorded.get().seq < closed.seq  # written before the closing, not after
        assert UsageEntry.objects.get().book_id == book.pk
    else:
        assert results[0].code == "book_closed", results
        assert not recorded.exists() and not UsageEntry.objects.exists()
