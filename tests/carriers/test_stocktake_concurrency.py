"""Two people acting on one stocktake or one missing carrier at the same moment: exactly one
wins (rules C1, C8). Each thread has its own connection: SQLite's IMMEDIATE transactions
queue the second writer; on PostgreSQL the row locks and the transitions' compare-and-set do."""

import pytest

from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.carriers.choices import CarrierState
from baomi.carriers.models import Carrier, MissingCase, Stocktake
from baomi.carriers.models.stocktake import LineResult, MissingState
from baomi.compliance.models import Incident
from baomi.core.errors import Conflict
from baomi.core.testing.concurrency import race

from . import stocktake_support as support
from .stocktake_support import DAY, three_in, today

people, register, safe, yf1, keeper = (
    support.people, support.register, support.safe, support.yf1, support.keeper)


def outcome(results, kind):
    won = [r for r in results if isinstance(r, kind)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    return won[0], lost[0]


@pytest.mark.rule("C1")
@pytest.mark.django_db(transaction=True)
def test_two_closings_at_once_one_wins(people, unit, register, safe):
    carriers = three_in(register, safe)
    stocktake = services.start_stocktake(people["office"], unit=unit, container=safe)
    services.check_carrier(people["office"], stocktake, code=carriers[0].number)

    def close(actor):
        seen = Stocktake.objects.get(pk=stocktake.pk)  # each loaded the page first
        return lambda: services.close_stocktake(actor, seen)

    results = race(close(people["office"]), close(people["office2"]))
    won, lost = outcome(results, services.StocktakeResult)
    assert isinstance(lost, Conflict) and lost.code in ("illegal_transition",
                                                        "concurrent_change"), lost
    assert won.found == 1 and len(won.missing) == 2
    assert MissingCase.objects.count() == 2  # not four
    assert AuditEvent.objects.filter(action="STOCKTAKE_CLOSED").count() == 1
    assert AuditEvent.objects.filter(action="CARRIER_MISSING").count() == 2


@pytest.mark.rule("C1")
@pytest.mark.django_db(transaction=True)
def test_a_scan_while_closing_is_counted_or_refused(people, unit, register, safe):
    carriers = three_in(register, safe)
    stocktake = services.start_stocktake(people["office"], unit=unit, container=safe)

    results = race(lambda: services.close_stocktake(people["office"], stocktake),
                   lambda: services.check_carrier(people["office2"], stocktake,
                                                  code=carriers[0].number))
    closed, scanned = results
    assert isinstance(closed, services.StocktakeResult), results
    state = Carrier.objects.get(pk=carriers[0].pk).state
    if isinstance(scanned, Conflict):  # the closing came first: not found, missing
        assert scanned.code == "stocktake_closed"
        assert state == CarrierState.MISSING and closed.found == 0
    else:  # the scan came first: found, and counted as found by the closing
        assert scanned.result == LineResult.FOUND
        assert state == CarrierState.IN_STORE and closed.found == 1
    assert MissingCase.objects.count() == 3 - closed.found


@pytest.mark.rule("C8")
@pytest.mark.django_db(transaction=True)
def test_found_while_the_daily_job_runs_it_is_found_or_a_leak_never_both_wrong(people,
                                                                               register):
    carrier = register()
    case = services.report_missing(people["office"], carrier, discovered_on=today(),
                                   note="遗失")
    day = today() + 61 * DAY

    def found():
        from unittest.mock import patch
        with patch("baomi.carriers.services.stocktake._today", return_value=day):
            return services.record_found(people["office"], case, found_on=day, note="找到")

    job, found_result = race(lambda: services.missing_to_incident(day), found)
    case = MissingCase.objects.get(pk=case.pk)
    assert case.state == MissingState.FOUND, (job, found_result)  # found either way
    assert Carrier.objects.get(pk=carrier.pk).state == CarrierState.IN_STORE
    # the job either came first (an incident, which stays) or found nothing to do
    assert Incident.objects.count() == job and case.incident_id == (
        Incident.objects.get().pk if job else None)


@pytest.mark.rule("C8")
@pytest.mark.django_db(transaction=True)
def test_two_reports_of_one_carrier_at_once_one_wins(people, register):
    carrier = register()

    def report(actor):
        seen = Carrier.objects.get(pk=carrier.pk)
        return lambda: services.report_missing(actor, seen, discovered_on=today(), note="遗失")

    results = race(report(people["office"]), report(people["office2"]))
    won, lost = outcome(results, MissingCase)
    assert isinstance(lost, Conflict), lost
    assert MissingCase.objects.count() == 1
