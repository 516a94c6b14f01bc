"""Two people acting on one maintenance or retirement at the same moment (rules D7, D8):
exactly one wins, and what the loser tried leaves nothing behind.

Each thread has its own connection: SQLite's IMMEDIATE transactions queue the second writer;
on PostgreSQL the row locks, the compare-and-set on the states and the unique constraints
`maintenance_one_open` and `retirement_one_open_*` do."""

import pytest

from baomi.approvals.services import decide
from baomi.audit.models import AuditEvent
from baomi.core.errors import Conflict, RuleViolation
from baomi.core.labels import Level
from baomi.core.testing.concurrency import race
from baomi.devices import services
from baomi.devices.choices import (
    ClearingMethod,
    DeviceState,
    MaintenanceMode,
    MaintenanceState,
    MediumState,
    RetirementState,
)
from baomi.devices.models import Device, Maintenance, Medium, MediumBinding, Retirement

from . import lifecycle_support as lc
from .lifecycle_support import approve, approved_repair, approved_retirement, ask_repair, today

people, yf1, other_unit, register_device, register_medium, office_b = (
    lc.people, lc.yf1, lc.other_unit, lc.register_device, lc.register_medium, lc.office_b)


def one_won(results, kind):
    won = [r for r in results if isinstance(r, kind)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    return won[0], lost[0]


@pytest.mark.rule("D7")
@pytest.mark.django_db(transaction=True)
def test_two_send_outs_at_once(people, register_device, office_b):
    device = register_device()
    maintenance = approved_repair(people, device, MaintenanceMode.SENT_OUT)
    services.record_disk_removed(people["office"], maintenance, removed_on=today(),
                                 kept_at="保密柜")

    def sending(actor):
        return lambda: services.send_out(actor, Maintenance.objects.get(pk=maintenance.pk),
                                         left_on=today())

    _won, lost = one_won(race(sending(people["office"]), sending(office_b)), Maintenance)
    assert isinstance(lost, Conflict), lost
    assert lost.code in ("illegal_transition", "concurrent_change")
    assert Maintenance.objects.get(pk=maintenance.pk).state == MaintenanceState.AWAY
    assert Device.objects.get(pk=device.pk).state == DeviceState.AWAY
    assert AuditEvent.objects.filter(action="DEVICE_SENT_FOR_REPAIR").count() == 1


@pytest.mark.rule("D7")
@pytest.mark.django_db(transaction=True)
def test_two_repairs_asked_at_once(people, register_device):
    device = register_device()

    def asking(actor):
        return lambda: ask_repair(people, Device.objects.get(pk=device.pk), actor=actor)

    _won, lost = one_won(race(asking(people["top"]), asking(people["office"])), Maintenance)
    assert isinstance(lost, Conflict) and lost.code == "maintenance_open", lost
    assert Maintenance.objects.count() == 1
    assert AuditEvent.objects.filter(action="DEVICE_MAINTENANCE_REQUESTED").count() == 1


@pytest.mark.rule("D8")
@pytest.mark.django_db(transaction=True)
def test_two_clearings_at_once(people, register_device, office_b):
    retirement = approved_retirement(people, device=register_device())

    def clearing(actor):
        return lambda: services.record_clearing(
            actor, Retirement.objects.get(pk=retirement.pk), cleared_on=today(),
            method=ClearingMethod.SHRED, cleared_by=actor.person.name)

    won, lost = one_won(race(clearing(people["office"]), clearing(office_b)), Retirement)
    assert isinstance(lost, Conflict), lost
    stored = Retirement.objects.get(pk=retirement.pk)
    assert stored.state == RetirementState.CLEARED and stored.cleared_by == won.cleared_by
    assert AuditEvent.objects.filter(action="RETIREMENT_CLEARED").count() == 1


@pytest.mark.rule("D8")
@pytest.mark.django_db(transaction=True)
def test_a_binding_racing_the_retirement_leaves_no_open_binding(people, register_device,
                                                                register_medium):
    medium = register_medium(level=Level.SECRET)
    device = register_device(level=Level.SECRET)
    retirement = services.request_retirement(people["top"], medium=medium, reason="损坏")
    request = approve(retirement.request, people["head"])

    def binding():
        return services.bind_medium(people["office_important"],
                                    Medium.objects.get(pk=medium.pk),
                                    Device.objects.get(pk=device.pk))

    results = race(lambda: decide(people["office"], request, "approve"), binding)
    assert not isinstance(results[0], Exception), results
    if isinstance(results[1], Exception):  # the approval came first: the medium is locked
        assert isinstance(results[1], RuleViolation) and results[1].code == "locked"
    assert Medium.objects.get(pk=medium.pk).state == MediumState.RETIRED
    assert not MediumBinding.objects.filter(medium=medium, unbound_on__isnull=True).exists()
