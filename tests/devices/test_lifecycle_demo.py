"""The demo maintenance and retirements (rules D7, D8) of `baomi demo`: a repair on site done
under supervision, a laptop away with its disk removed, a repair awaiting approval, a desktop
destroyed with its certificate and a U盘 retired awaiting the clearing; a second load adds
nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from baomi.audit.models import AuditEvent
from baomi.devices.choices import (
    DeviceState,
    MaintenanceMode,
    MaintenanceState,
    MediumState,
    RetirementState,
)
from baomi.devices.models import Maintenance, Retirement


@pytest.mark.rule("D7")
@pytest.mark.rule("D8")
@pytest.mark.django_db(transaction=True)
def test_demo_maintenance_and_retirements_load_once():
    call_command("demo", stdout=StringIO())
    repairs = {m.device.number: m for m in Maintenance.objects.select_related("device")}
    assert set(repairs) == {"HXDZ-DYJ-001", "HXDZ-BJB-002", "HXDZ-JSJ-002"}
    on_site, laptop, pending = (repairs["HXDZ-DYJ-001"], repairs["HXDZ-BJB-002"],
                                repairs["HXDZ-JSJ-002"])
    assert (on_site.mode, on_site.state) == (MaintenanceMode.ON_SITE, MaintenanceState.DONE)
    assert on_site.supervisor is not None and on_site.supervisor.name == "郭婷"
    assert laptop.state == MaintenanceState.AWAY and laptop.disk_removed_on is not None
    assert laptop.device.state == DeviceState.AWAY
    assert pending.state == MaintenanceState.REQUESTED
    assert pending.request.current_role == "department_head"
    retirements = {r.state: r for r in Retirement.objects.select_related("device", "medium")}
    destroyed = retirements[RetirementState.DESTROYED]
    assert destroyed.device.number == "HXDZ-JSJ-010" and destroyed.certificate_no
    assert destroyed.device.state == DeviceState.RETIRED
    usb = retirements[RetirementState.APPROVED]
    assert usb.medium.number == "HXDZ-U-010" and usb.medium.state == MediumState.RETIRED
    events = AuditEvent.objects.count()
    call_command("demo", stdout=StringIO())
    assert Maintenance.objects.count() == 3 and Retirement.objects.count() == 2
    assert not AuditEvent.objects.filter(seq__gt=events, action__in=[
        "DEVICE_MAINTENANCE_REQUESTED", "RETIREMENT_REQUESTED"]).exists()
