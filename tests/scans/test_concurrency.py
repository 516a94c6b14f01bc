"""Two uploads of one report at the same moment: exactly one is received (rule D11).

Each thread has its own connection: SQLite's IMMEDIATE transactions queue the second writer;
on PostgreSQL the unique constraint (unit, sha256) refuses the second insert."""

import pytest

from baomi.compliance.models import Rectification
from baomi.core.errors import Conflict
from baomi.core.testing.concurrency import race
from baomi.scans import services
from baomi.scans.models import ScanReport

from . import support
from .support import make_report

people, yf1, other_unit = support.people, support.yf1, support.other_unit


@pytest.mark.rule("D11")
@pytest.mark.django_db(transaction=True)
def test_two_uploads_of_one_report_at_once(people):
    report = make_report(2)

    def send(number):
        return lambda: services.receive_report(people["office"], number, report)

    results = race(send("BM-1"), send("BM-2"))
    won = [r for r in results if isinstance(r, ScanReport)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], Conflict) and lost[0].code == "duplicate_report", lost
    assert ScanReport.objects.get() == won[0]
    assert Rectification.objects.count() == 2
