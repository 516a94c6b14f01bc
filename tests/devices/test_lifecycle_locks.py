"""A retired device or medium is locked (rule D8): every write on it is refused with the code
`locked` and leaves nothing behind; the same writes pass on a device in use (the boundary)."""

import pytest

from baomi.audit.models import AuditEvent
from baomi.core.errors import RuleViolation
from baomi.core.labels import Level
from baomi.devices import services
from baomi.devices.choices import DeviceState, MaintenanceMode
from baomi.devices.models import Device, DeviceUser, Medium

from . import lifecycle_support as lc
from .lifecycle_support import approved_retirement, ask_repair, today

people, yf1, other_unit, register_device, register_medium = (
    lc.people, lc.yf1, lc.other_unit, lc.register_device, lc.register_medium)


def device_writes(people, register_device, register_medium, unit):
    """Each write on a device, by name, taking the device."""
    office = people["office"]
    return {
        "ledger update": lambda d: services.update_device(
            office, d, location="库房", responsible=people["top"].person, state=d.state),
        "user add": lambda d: services.add_device_user(office, d, people["confidential"].person),
        "level change": lambda d: services.change_device_level(office, d, Level.TOP_SECRET),
        "binding": lambda d: services.bind_medium(office, register_medium(), d),
        "password change": lambda d: services.record_password_change(
            office, d, changed_on=today(), length=16, classes=4),
        "system add": lambda d: services.add_system_device(office, services.register_system(
            office, unit=unit, name=f"系统-{d.pk}-{Device.objects.count()}",
            level=Level.SECRET, responsible=people["top"].person, in_use_on=today()), d),
        "system registered with it": lambda d: services.register_system(
            office, unit=unit, name=f"新系统-{d.pk}", level=Level.SECRET,
            responsible=people["top"].person, in_use_on=today(), devices=[d]),
        "repair": lambda d: ask_repair(people, d, MaintenanceMode.SENT_OUT),
    }


WRITES = ["ledger update", "user add", "level change", "binding", "password change",
          "system add", "system registered with it", "repair"]


@pytest.mark.rule("D8")
@pytest.mark.parametrize("write", WRITES)
def test_a_retired_device_refuses_each_write(people, register_device, register_medium, unit,
                                             write):
    act = device_writes(people, register_device, register_medium, unit)[write]
    in_use = register_device()
    act(in_use)  # the boundary: allowed while in use
    retired = register_device()
    approved_retirement(people, device=retired)
    retired = Device.objects.get(pk=retired.pk)
    assert retired.state == DeviceState.RETIRED
    events = AuditEvent.objects.count()
    with pytest.raises(RuleViolation) as refused:
        act(retired)
    assert refused.value.code == "locked" and refused.value.rule == "D8"
    assert Device.objects.get(pk=retired.pk).state == DeviceState.RETIRED
    # Only the setup of the write (a medium, a system) may have been recorded.
    assert not AuditEvent.objects.filter(seq__gt=events, object_id=str(retired.pk),
                                         object_type="devices.device").exists()


@pytest.mark.rule("D8")
def test_a_retired_device_keeps_its_users(people, register_device):
    device = register_device()
    services.add_device_user(people["office"], device, people["confidential"].person)
    approved_retirement(people, device=device)
    device = Device.objects.get(pk=device.pk)
    with pytest.raises(RuleViolation) as refused:
        services.remove_device_user(people["office"], device, people["confidential"].person)
    assert refused.value.code == "locked"
    assert DeviceUser.objects.filter(device=device).exists()
    assert not services.may_record_password(people["office"], device)
    assert not services.may_record_password(people["top"], device)


@pytest.mark.rule("D8")
def test_a_retired_medium_refuses_each_write(people, register_device, register_medium):
    medium = register_medium(level=Level.SECRET)
    approved_retirement(people, medium=medium)
    medium = Medium.objects.get(pk=medium.pk)
    office = people["office"]
    writes = {
        "update": lambda: services.update_medium(office, medium, location="别处",
                                                 responsible=people["top"].person),
        "binding": lambda: services.bind_medium(office, medium, register_device()),
        "check-out": lambda: services.check_out_medium(office, medium,
                                                       person=people["top"].person,
                                                       purpose="拷贝"),
        "retirement": lambda: services.request_retirement(office, medium=medium,
                                                          reason="再次"),
    }
    for name, write in writes.items():
        with pytest.raises(RuleViolation) as refused:
            write()
        assert refused.value.code == "locked", name
    # The boundary: the same writes pass on a medium in store.
    other = register_medium(level=Level.SECRET)
    services.update_medium(office, other, location="别处", responsible=people["top"].person)
    services.bind_medium(office, other, register_device())
    services.check_out_medium(office, other, person=people["top"].person, purpose="拷贝")


def test_a_retired_device_is_not_retired_twice(people, register_device):
    device = register_device()
    approved_retirement(people, device=device)
    with pytest.raises(RuleViolation) as refused:
        services.request_retirement(people["office"], device=Device.objects.get(pk=device.pk),
                                    reason="再次")
    assert refused.value.code == "locked"
