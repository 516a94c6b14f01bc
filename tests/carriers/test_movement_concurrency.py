"""Two officers handing over one movement at the same moment (rules C2, C6): one wins."""

import datetime as dt

import pytest

from baomi.approvals.services import decide
from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.carriers.choices import CarrierState
from baomi.carriers.models import Carrier, Movement
from baomi.carriers.models.movement import MovementKind, MovementState
from baomi.core.errors import Conflict
from baomi.core.testing.concurrency import race

from . import service_support as support
from .service_support import today

people, yf1, keeper, safe, item, register = (
    support.people, support.yf1, support.keeper, support.safe, support.item, support.register)


@pytest.mark.rule("C6")
@pytest.mark.django_db(transaction=True)
def test_two_hand_overs_of_one_movement_one_wins(people, item, register):
    carrier = register(secret_item=item)
    movement = services.request_movement(
        people["reader"], carrier, kind=MovementKind.CARRY_OUT, destination="评审会",
        purpose="方案评审", escorts=["张三"], due_back_on=today() + dt.timedelta(days=1))
    request = movement.request
    for name in ("head", "office2"):
        request = decide(people[name], request, "approve")

    def handing(actor):
        seen = Movement.objects.get(pk=movement.pk)
        return lambda: services.hand_over(actor, seen)

    results = race(handing(people["office"]), handing(people["office2"]))
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(lost) == 1, results
    assert isinstance(lost[0], Conflict)
    assert lost[0].code in ("illegal_transition", "concurrent_change")
    assert Movement.objects.get(pk=movement.pk).state == MovementState.OUT
    assert Carrier.objects.get(pk=carrier.pk).state == CarrierState.OUT
    assert AuditEvent.objects.filter(action="CARRIER_MOVEMENT_HANDED_OVER").count() == 1
