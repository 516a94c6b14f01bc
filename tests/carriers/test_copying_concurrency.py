"""Two people acting on one copy order, or one original, at the same moment (rule C4).

Each thread has its own connection: SQLite's IMMEDIATE transactions queue the second writer;
on PostgreSQL the row locks of the order and the original and the compare-and-set do."""

import pytest

from baomi.approvals.services import decide
from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.carriers.models import Carrier, CopyOrder, CopyStamp
from baomi.carriers.models.copying import CopyKind, CopyState
from baomi.core.errors import Conflict
from baomi.core.testing.concurrency import race
from baomi.secrets.models import KnowledgeRecord

from . import service_support as support
from .service_support import today

people, yf1, keeper, safe, item, register = (
    support.people, support.yf1, support.keeper, support.safe, support.item, support.register)


def approved_order(people, carrier, copies=2):
    order = services.request_copy(people["reader"], carrier, kind=CopyKind.COPY,
                                  copies=copies, purpose="分发评审组成员")
    request = order.request
    for name in ("head", "office2"):
        request = decide(people[name], request, "approve")
    return CopyOrder.objects.get(pk=order.pk)


@pytest.mark.rule("C4")
@pytest.mark.django_db(transaction=True)
def test_two_officers_make_the_copies_of_one_order_one_wins(people, item, register):
    original = register(secret_item=item)
    order = approved_order(people, original)

    def making(actor):
        seen = CopyOrder.objects.get(pk=order.pk)  # each officer loaded the page first
        return lambda: services.make_copies(actor, seen, made_on=today())

    results = race(making(people["office"]), making(people["office2"]))
    won = [r for r in results if isinstance(r, list)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], Conflict), lost
    assert lost[0].code in ("illegal_transition", "concurrent_change")
    assert Carrier.objects.filter(original=original).count() == 2
    assert CopyStamp.objects.count() == 2
    assert CopyOrder.objects.get(pk=order.pk).state == CopyState.MADE
    assert AuditEvent.objects.filter(action="CARRIER_COPIES_MADE").count() == 1
    assert KnowledgeRecord.objects.count() == 1  # rule S8: one contact, not two


@pytest.mark.rule("C4")
@pytest.mark.django_db(transaction=True)
def test_two_orders_of_one_original_made_at_once_number_on(people, item, register):
    original = register(secret_item=item)
    first, second = approved_order(people, original), approved_order(people, original)
    results = race(
        lambda: services.make_copies(people["office"], first, made_on=today()),
        lambda: services.make_copies(people["office2"], second, made_on=today()))
    assert all(isinstance(r, list) for r in results), results
    numbers = sorted(Carrier.objects.filter(original=original).values_list("number",
                                                                            flat=True))
    assert numbers == sorted(f"{original.number}-F{n}" for n in range(1, 5))
    copy_nos = sorted(Carrier.objects.filter(original=original).values_list("copy_no",
                                                                             flat=True))
    assert copy_nos == sorted(f"第{n}份" for n in range(1, 5))
