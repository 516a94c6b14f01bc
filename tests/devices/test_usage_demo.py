"""The demo usage logs (rule D5): last year's books closed and this year's open on three
computers, one use going on, an old book past its retention, HXDZ-JSJ-003 without this year's
book and its obligation open after the sweep of `baomi demo`; a second load adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from baomi.accounts.models import User
from baomi.core.labels import clearance_of
from baomi.devices.models import Device, UsageBook, UsageEntry
from baomi.devices.services.usage import books_past_retention
from baomi.obligations.models import Obligation


@pytest.mark.rule("D5")
@pytest.mark.django_db(transaction=True)
def test_demo_usage_logs_load_once_and_follow_the_rules():
    out = StringIO()
    call_command("demo", stdout=out)
    year = timezone.localdate().year
    books = {(b.device.number, b.year): b for b in UsageBook.objects.select_related("device")}
    for number in ("HXDZ-JSJ-001", "HXDZ-JSJ-002", "HXDZ-ZJJ-001"):
        assert books[(number, year)].closed_on is None
        if Device.objects.get(number=number).in_use_on.year < year:  # in use last year
            assert books[(number, year - 1)].closed_on is not None
            assert books[(number, year - 1)].entries.count() >= 6
        else:
            assert (number, year - 1) not in books
    assert ("HXDZ-JSJ-003", year) not in books
    for entry in UsageEntry.objects.select_related("book__device", "user"):
        assert entry.level <= entry.book.device.level  # rule D2
        assert clearance_of(entry.user.category) >= entry.level
        assert timezone.localtime(entry.started_at).year == entry.book.year
    assert UsageEntry.objects.filter(ended_at__isnull=True).count() == 1
    office = User.objects.get(username="baomiban")
    past = list(books_past_retention(office, office.person.unit))
    assert [(b.device.number, b.year) for b in past] == [("HXDZ-JSJ-002", year - 6)]
    missing = Obligation.objects.filter(rule_code="devices.usage_book_missing", state="open")
    numbers = {Device.objects.get(pk=o.subject_id).number for o in missing}
    assert "HXDZ-JSJ-003" in numbers
    assert not numbers & {"HXDZ-JSJ-001", "HXDZ-JSJ-002", "HXDZ-ZJJ-001", "HXDZ-BJB-001"}
    assert "usage logs" in out.getvalue()
    counts = (UsageBook.objects.count(), UsageEntry.objects.count())
    call_command("demo", stdout=StringIO())
    assert (UsageBook.objects.count(), UsageEntry.objects.count()) == counts
