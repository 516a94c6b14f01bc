"""Demo password changes of the classified devices of 华信电子科技研究院 (rule D6), on the
ledgers of `devices.demo`: every classified device in use has its last change recorded — only
the day, the length and the character classes. 机密 HXDZ-JSJ-003 was last changed twelve days
ago, five days past its weekly change: the sweep raises `devices.password_change_due`.

The 保密办 (baomiban) records them through the service. Idempotent: nothing is written when a
device of the unit already has a change recorded.
"""

import datetime

from django.utils import timezone

from baomi.accounts.models import Unit
from baomi.core.demo import DemoContext

from . import services
from .choices import DeviceState
from .models import Device

# number -> (days since the change, length of the new password)
CHANGES = {
    "HXDZ-JSJ-001": (2, 12),
    "HXDZ-JSJ-002": (10, 10),
    "HXDZ-JSJ-003": (12, 12),  # overdue: 机密 weekly
    "HXDZ-BJB-001": (20, 9),
    "HXDZ-ZJJ-001": (5, 14),
    "HXDZ-DYJ-001": (3, 10),
    "HXDZ-DGN-001": (15, 8),
    "HXDZ-AQ-001": (1, 16),
    "HXDZ-FWQ-001": (4, 16),
}


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("baomiban")
    if office is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    devices = Device.objects.filter(unit=unit, number__in=CHANGES, state=DeviceState.IN_USE)
    if devices.filter(password_changed_on__isnull=False).exists():
        ctx.say("devices: demo password changes already recorded")
        return
    recorded = 0
    for device in devices.select_related("unit"):
        days, length = CHANGES[device.number]
        changed_on = max(timezone.localdate() - datetime.timedelta(days=days), device.in_use_on)
        services.record_password_change(office, device, changed_on=changed_on, length=length,
                                        classes=4)
        recorded += 1
    ctx.say(f"devices: {recorded} password changes recorded, HXDZ-JSJ-003 overdue")
