"""Two officers acting on destruction at the same moment: exactly one wins (rule C7).

Each thread has its own connection: SQLite's IMMEDIATE transactions queue the second writer;
on PostgreSQL the row locks (list first, then carriers), the transitions' compare-and-set and
the unique constraint `destruction_item_one_open` do."""

import pytest

from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.carriers.choices import CarrierState
from baomi.carriers.models import Carrier, DestructionBatch, DestructionItem
from baomi.carriers.models.destruction import BatchState
from baomi.core.errors import Conflict
from baomi.core.testing.concurrency import race

from . import service_support as support
from .destruction_support import approved, new_batch, record_fields

people, yf1, keeper, safe, register = (
    support.people, support.yf1, support.keeper, support.safe, support.register)


def outcome(results, kind):
    won = [r for r in results if isinstance(r, kind)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    return won[0], lost[0]


@pytest.mark.rule("C7")
@pytest.mark.django_db(transaction=True)
def test_two_records_of_one_destruction_one_wins(people, unit, register):
    carriers = [register(), register()]
    batch = approved(people, unit, carriers)

    def record(actor, executors):
        seen = DestructionBatch.objects.get(pk=batch.pk)  # each officer loaded the page
        return lambda: services.record_destruction(actor, seen,
                                                   **record_fields(executors=executors))

    results = race(record(people["office"], ["刘保密", "王保管"]),
                   record(people["office2"], ["张三", "李四"]))
    won, lost = outcome(results, DestructionBatch)
    assert isinstance(lost, Conflict) and lost.code == "already_destroyed", lost
    stored = DestructionBatch.objects.get(pk=batch.pk)
    assert stored.state == BatchState.DESTROYED and stored.executors == won.executors
    assert set(Carrier.objects.values_list("state", flat=True)) == {CarrierState.DESTROYED}
    assert AuditEvent.objects.filter(action="DESTRUCTION_RECORDED").count() == 1
    assert AuditEvent.objects.filter(action="CARRIER_DESTROYED").count() == 2


@pytest.mark.rule("C7")
@pytest.mark.django_db(transaction=True)
def test_two_lists_taking_one_carrier_one_wins(people, unit, register):
    carrier = register()
    first, second = new_batch(people, unit), new_batch(people, unit)

    def add(actor, batch):
        return lambda: services.add_to_batch(actor, batch, Carrier.objects.get(pk=carrier.pk))

    results = race(add(people["office"], first), add(people["office2"], second))
    won, lost = outcome(results, DestructionItem)
    assert isinstance(lost, Conflict), lost
    assert lost.code in ("already_listed", "concurrent_change"), lost.code
    assert list(DestructionItem.objects.values_list("batch_id", flat=True)) == [won.batch_id]
    assert Carrier.objects.get(pk=carrier.pk).state == CarrierState.TO_DESTROY
    assert AuditEvent.objects.filter(action="DESTRUCTION_CARRIER_LISTED").count() == 1
