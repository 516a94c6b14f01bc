"""The demo device and media ledgers load through the services and only once."""

from io import StringIO

import pytest
from django.core.management import call_command

from baomi.core.labels import Level, clearance_of
from baomi.devices.choices import DeviceKind
from baomi.devices.models import Device, DeviceUser, Medium


@pytest.mark.rule("D2")
@pytest.mark.django_db(transaction=True)
def test_demo_ledgers_are_loaded_once_and_follow_the_rules():
    out = StringIO()
    call_command("demo", stdout=out)
    devices = Device.objects.filter(unit__code="HX-DZ")
    assert devices.count() == 8 and Medium.objects.filter(unit__code="HX-DZ").count() == 5
    assert {d.kind for d in devices} >= {DeviceKind.DESKTOP, DeviceKind.PORTABLE,
                                         DeviceKind.INTERMEDIARY, DeviceKind.PRINTER,
                                         DeviceKind.MULTIFUNCTION, DeviceKind.SECURITY_PRODUCT}
    assert not devices.filter(kind=DeviceKind.MULTIFUNCTION, phone_line=True).exists()  # D9
    assert Medium.objects.filter(level=Level.NONSECRET).count() == 1
    for entry in DeviceUser.objects.select_related("device", "person"):
        assert clearance_of(entry.person.category) >= entry.device.level  # rule D2
    for device in devices.select_related("responsible"):
        assert clearance_of(device.responsible.category) >= device.level
    users = DeviceUser.objects.count()
    assert users >= 6
    call_command("demo", stdout=StringIO())
    assert Device.objects.count() == 8 and DeviceUser.objects.count() == users
    assert "devices:" in out.getvalue()
