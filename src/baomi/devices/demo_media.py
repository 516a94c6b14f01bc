"""Demo removable media in use at 华信电子科技研究院 (rule D4), on the ledgers of
`devices.demo`:

- the media are bound to the computers they may be used on — never a higher-level medium on
  a lower-level computer, never across classified and non-classified (the 非密 U盘 HXDZ-U-003
  is bound to the 非密 互联网计算机 HXDZ-HLW-001 only);
- 机密 U盘 HXDZ-U-001 is checked out to 郭婷 since two days ago, due back in five days;
- 秘密 移动硬盘 HXDZ-YP-001 went to 高雪 twelve days ago and is five days overdue: the sweep
  raises `devices.medium_overdue`;
- 秘密 U盘 HXDZ-U-002 was checked out to 周敏 (yuangong) three days ago and came back today,
  the data written on it cleared (返回信息清除情况).

The 保密办 (baomiban) does everything through the services. Idempotent: nothing is written
when a medium of the unit is already bound.
"""

import datetime

from django.utils import timezone

from baomi.accounts.models import Person, Unit
from baomi.core.demo import DemoContext

from . import services
from .choices import ContentCheck
from .models import Device, Medium, MediumBinding

# medium -> the computers it may be used on
BINDINGS = {
    "HXDZ-U-001": ("HXDZ-JSJ-001", "HXDZ-JSJ-003"),
    "HXDZ-U-002": ("HXDZ-JSJ-002", "HXDZ-BJB-001"),
    "HXDZ-YP-001": ("HXDZ-JSJ-003", "HXDZ-ZJJ-001"),
    "HXDZ-GP-001": ("HXDZ-JSJ-001",),
    "HXDZ-U-003": ("HXDZ-HLW-001",),  # 非密 on 非密 only (rule D4)
}
# medium, person, purpose, days since it left
OUT = ("HXDZ-U-001", "郭婷", "将型号总体方案修改稿拷至研发二部 HXDZ-JSJ-003 会签", 2)
OVERDUE = ("HXDZ-YP-001", "高雪", "拷贝天线联调试验原始数据至中间机导出分析", 12)
RETURNED = ("HXDZ-U-002", "周敏", "拷贝试验数据至 HXDZ-JSJ-002 整理", 3)
CLEARED_NOTE = "试验数据已导入 HXDZ-JSJ-002，介质上的文件已用保密办专用工具清除，保密办现场核验"


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("baomiban")
    if office is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if MediumBinding.objects.filter(medium__unit=unit).exists():
        ctx.say("devices: demo media bindings and check-outs already loaded")
        return
    media = {m.number: m for m in Medium.objects.filter(unit=unit)}
    devices = {d.number: d for d in Device.objects.filter(unit=unit)}
    wanted = set(BINDINGS) | {number for pair in BINDINGS.values() for number in pair}
    if not set(BINDINGS) <= set(media) or not wanted - set(BINDINGS) <= set(devices):
        ctx.say("devices: no demo ledgers, no media bindings")
        return
    bound = 0
    for medium_number, computers in BINDINGS.items():
        for device_number in computers:
            services.bind_medium(office, media[medium_number], devices[device_number],
                                 bound_on=timezone.localdate() - datetime.timedelta(days=30))
            bound += 1
    people = {p.name: p for p in Person.objects.filter(unit=unit, active=True)}
    for number, name, purpose, days in (OUT, OVERDUE, RETURNED):
        loan = services.check_out_medium(
            office, media[number], person=people[name], purpose=purpose,
            out_at=timezone.now() - datetime.timedelta(days=days))
        if number == RETURNED[0]:
            services.return_medium(office, loan, content_check=ContentCheck.CLEARED,
                                   content_note=CLEARED_NOTE)
    ctx.say(f"devices: {bound} media bindings; 3 check-outs — 1 out, 1 overdue, 1 returned "
            "with its data cleared")
