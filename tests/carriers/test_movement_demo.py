"""The demo movements (rules C2, C6): on the demo ledger, one carrier carried out and back, one
out now and due back in three days, one sent and signed for, one sent 13 days ago with no
receipt (its obligation open after the sweep), one awaiting the department head; a second load
adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from baomi.accounts.models import User
from baomi.approvals.selectors import inbox_for
from baomi.audit.models import AuditEvent
from baomi.carriers import demo_movement
from baomi.carriers.choices import CarrierState
from baomi.carriers.models import Movement
from baomi.carriers.models.movement import MovementKind, MovementState
from baomi.core.demo import DemoContext
from baomi.obligations.models import Obligation


def load() -> DemoContext:
    context = DemoContext(out=StringIO())
    context.users.update({u.username: u for u in User.objects.all()})
    demo_movement.load(context)
    return context


@pytest.mark.rule("C2")
@pytest.mark.rule("C6")
@pytest.mark.django_db(transaction=True)
def test_demo_movements_load_once():
    call_command("demo", stdout=StringIO())
    by_number = {m.carrier.number: m for m in Movement.objects.select_related("carrier")}
    assert set(by_number) == set(demo_movement.NUMBERS)

    back = by_number[demo_movement.RETURNED]
    assert back.state == MovementState.RETURNED and back.carrier.state == CarrierState.IN_STORE
    out = by_number[demo_movement.OUT_NOW]
    assert (out.state, out.carrier.state) == (MovementState.OUT, CarrierState.OUT)
    assert out.due_back_on > timezone.localdate() and out.carried_by.name == "郭婷"
    signed = by_number[demo_movement.SIGNED]
    assert (signed.state, signed.carrier.state) == (MovementState.DELIVERED, CarrierState.SENT)
    assert signed.receipt_signed_by
    unsigned = by_number[demo_movement.UNSIGNED]
    assert unsigned.kind == MovementKind.SEND_OUT and unsigned.state == MovementState.OUT
    # rule C2: no receipt after 10 days — the sweep of `baomi demo` opened its obligation
    assert Obligation.objects.filter(rule_code="carriers.movement_overdue",
                                     subject_id=unsigned.pk, state="open").exists()
    assert not Obligation.objects.filter(rule_code="carriers.movement_overdue",
                                         subject_id=out.pk).exists()
    pending = by_number[demo_movement.PENDING]
    assert pending.state == MovementState.REQUESTED
    assert pending.request in inbox_for(User.objects.get(username="bumen"))

    counts = [Movement.objects.count(), AuditEvent.objects.count()]
    load()
    assert [Movement.objects.count(), AuditEvent.objects.count()] == counts
