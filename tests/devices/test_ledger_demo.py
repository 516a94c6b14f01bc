"""The demo device and media ledgers load through the services and only once."""

from io import StringIO

import pytest
from django.core.management import call_command

from baomi.compliance.services import q7_shortfalls
from baomi.core.labels import Level, clearance_of
from baomi.devices.choices import DeviceKind
from baomi.devices.demo import DEVICES, MEDIA
from baomi.devices.models import Device, DeviceUser, Medium

MEDIA_NUMBERS = [medium[0] for medium in MEDIA]


@pytest.mark.rule("D2")
@pytest.mark.django_db(transaction=True)
def test_demo_ledgers_are_loaded_once_and_follow_the_rules():
    out = StringIO()
    call_command("demo", stdout=out)
    devices = Device.objects.filter(unit__code="HX-DZ", number__in=[d.number for d in DEVICES])
    assert devices.count() == 10 and Medium.objects.filter(number__in=MEDIA_NUMBERS).count() == 5
    # rule D4: a 非密 computer on the ledger, with the 非密 U盘 bound to it alone
    internet = devices.get(level=Level.NONSECRET)
    assert internet.kind == DeviceKind.DESKTOP and internet.department.name == "综合办公室"
    assert [b.medium.level for b in internet.media_bindings.all()] == [Level.NONSECRET]
    assert {d.kind for d in devices} >= {DeviceKind.DESKTOP, DeviceKind.PORTABLE,
                                         DeviceKind.INTERMEDIARY, DeviceKind.PRINTER,
                                         DeviceKind.MULTIFUNCTION, DeviceKind.SECURITY_PRODUCT}
    assert not devices.filter(kind=DeviceKind.MULTIFUNCTION, phone_line=True).exists()  # D9
    server = devices.get(kind=DeviceKind.SERVER)  # rule Q7: in a room meeting Q7
    assert server.level == Level.CONFIDENTIAL and server.room is not None
    assert q7_shortfalls(server.room) == []
    assert Medium.objects.filter(level=Level.NONSECRET).count() == 1
    for entry in DeviceUser.objects.select_related("device", "person"):
        assert clearance_of(entry.person.category) >= entry.device.level  # rule D2
    for device in devices.select_related("responsible"):
        assert clearance_of(device.responsible.category) >= device.level
    users, count = DeviceUser.objects.count(), Device.objects.count()
    assert users >= 6
    call_command("demo", stdout=StringIO())
    assert Device.objects.count() == count and DeviceUser.objects.count() == users
    assert "devices:" in out.getvalue()
