"""Demo device and media ledgers of 华信电子科技研究院 (rules D1, D2, D4, D9, C9, Q7): ten
devices — 机密 and 秘密 desktops of the research departments, a 秘密 portable of the 保密办, a
机密 server, a 中间机 and a security product standing in the 信息中心's 涉密机房 (a secure room
meeting Q7, registered here through the compliance services: a 机密 server stands in one,
rule Q7), a 机密 printer, a 秘密 multifunction device off the phone line (rule D9), a
security product and the 非密 互联网计算机 of the 综合办公室 (on the ledger too, so that a 非密
medium has a computer to be used on) — with their users, all cleared for their levels (rule
D2), and five removable media: 机密 and 秘密 U盘, a 移动硬盘, an optical disc, and a 非密 U盘 for
the non-classified computer (rule D4).

The 保密办 (baomiban) registers everything through the services. Idempotent: nothing is
written when the unit already has devices.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from baomi.accounts.models import Department, Person, Unit
from baomi.compliance.models import SecureRoom
from baomi.compliance.services import register_room
from baomi.core.demo import DemoContext
from baomi.core.labels import Level

from . import services
from .choices import DeviceKind, MediumKind
from .models import Device

SECRET, CONFIDENTIAL, NONSECRET = Level.SECRET, Level.CONFIDENTIAL, Level.NONSECRET


@dataclass
class DeviceSpec:
    """One demo device; people by name, the department by code."""

    number: str
    kind: str
    level: int
    department: str
    responsible: str
    location: str
    days_ago: int
    model: str
    serial_no: str = ""
    asset_no: str = ""
    disk_serial: str = ""
    mac: str = ""
    os: str = ""
    users: list[str] = field(default_factory=list)
    room: str = ""  # the name of the secure room it stands in (rule Q7)


# rule Q7: the 信息中心's machine room — door access control, video kept 180 days from a
# camera at the door, an intrusion alarm. The carriers demo registers the other rooms.
MACHINE_ROOM = "信息中心涉密机房"
MACHINE_ROOM_LOCATION = "行政楼二层 信息中心"
MACHINE_ROOM_VIDEO_DAYS = 180


DEVICES = [
    DeviceSpec("HXDZ-JSJ-001", DeviceKind.DESKTOP, CONFIDENTIAL, "YF1", "张伟",
               "科研楼二层 203（研发一部涉密办公室）", 420, "联想 启天M437", "PC0A1B2C",
               "HXDZ-ZC-2024-0101", "WD-WX12A3456789", "00-1A-2B-3C-4D-01", "中标麒麟 V7.0",
               ["郭婷", "孙立新"]),
    DeviceSpec("HXDZ-JSJ-002", DeviceKind.DESKTOP, SECRET, "YF1", "周敏",
               "科研楼二层 205（研发一部资料室）", 2400, "联想 启天M437", "PC0A1B3D",
               "HXDZ-ZC-2020-0102", "WD-WX12A3456790", "00-1A-2B-3C-4D-02", "银河麒麟 V10",
               ["何振宇", "马骏"]),
    DeviceSpec("HXDZ-JSJ-003", DeviceKind.DESKTOP, CONFIDENTIAL, "YF2", "林海峰",
               "科研楼四层 402（研发二部资料室）", 300, "华为 擎云W515", "HW-5150021",
               "HXDZ-ZC-2024-0215", "HUAWEI-SSD-0021", "00-1A-2B-3C-4D-03", "统信UOS V20",
               ["林海峰"]),
    DeviceSpec("HXDZ-BJB-001", DeviceKind.PORTABLE, SECRET, "BMB", "刘晓燕",
               "行政楼三层 保密办公室（保密柜存放）", 200, "联想 昭阳K4e", "LX-K4E-7781",
               "HXDZ-ZC-2025-0007", "SAMSUNG-PM9A1-7781", "00-1A-2B-3C-4D-04",
               "中标麒麟 V7.0"),
    DeviceSpec("HXDZ-FWQ-001", DeviceKind.SERVER, CONFIDENTIAL, "XX", "刘晓燕",
               "信息中心 涉密机房 1号机柜", 380, "华为 FusionServer 2288H V6", "2102313LNC10",
               "HXDZ-ZC-2024-0301", "HUAWEI-SAS-0301", "00-1A-2B-3C-4D-07",
               "银河麒麟高级服务器操作系统 V10", room=MACHINE_ROOM),
    DeviceSpec("HXDZ-ZJJ-001", DeviceKind.INTERMEDIARY, SECRET, "XX", "韩磊",
               "信息中心 涉密机房", 260, "联想 启天M437", "PC0A1C10", "HXDZ-ZC-2024-0330",
               "WD-WX12A3456811", "00-1A-2B-3C-4D-05", "中标麒麟 V7.0", ["韩磊"],
               room=MACHINE_ROOM),
    DeviceSpec("HXDZ-DYJ-001", DeviceKind.PRINTER, CONFIDENTIAL, "YF1", "郭婷",
               "科研楼二层 203（研发一部涉密办公室）", 410, "奔图 P3301DN", "PT-3301-0451",
               "HXDZ-ZC-2024-0120"),
    DeviceSpec("HXDZ-DGN-001", DeviceKind.MULTIFUNCTION, SECRET, "BMB", "刘晓燕",
               "行政楼三层 机要室（未连接电话线）", 150, "奔图 M7160DW（已拆除传真模块）",
               "PT-7160-0099", "HXDZ-ZC-2025-0031"),
    DeviceSpec("HXDZ-AQ-001", DeviceKind.SECURITY_PRODUCT, CONFIDENTIAL, "XX", "刘晓燕",
               "信息中心 涉密机房", 500, "涉密计算机及移动存储介质保密管理系统（三合一）V3.0",
               "SM-3IN1-2023-118", "HXDZ-ZC-2023-0410", room=MACHINE_ROOM),
    DeviceSpec("HXDZ-HLW-001", DeviceKind.DESKTOP, NONSECRET, "ZH", "梁晨",
               "行政楼一层 综合办公室（互联网计算机，与涉密网物理隔离）", 330, "联想 扬天M4000",
               "PC0A1D77", "HXDZ-ZC-2024-0155", "WD-WX12A3457001", "00-1A-2B-3C-4D-06",
               "Windows 10 专业版", ["梁晨", "陈建华"]),
]

# number, kind, level, department, responsible, capacity, model, serial, location
MEDIA = [
    ("HXDZ-U-001", MediumKind.USB_DRIVE, CONFIDENTIAL, "YF1", "郭婷", "64GB",
     "朗科 U208 加密型", "NTK-64-0012", "研发一部 密码文件柜"),
    ("HXDZ-U-002", MediumKind.USB_DRIVE, SECRET, "YF1", "周敏", "32GB", "朗科 U208 加密型",
     "NTK-32-0044", "研发一部 密码文件柜"),
    ("HXDZ-YP-001", MediumKind.PORTABLE_DISK, SECRET, "YF2", "高雪", "1TB", "西部数据 My Passport",
     "WXA1E71BXXXX", "研发二部 密码文件柜"),
    ("HXDZ-GP-001", MediumKind.OPTICAL, CONFIDENTIAL, "BMB", "刘晓燕", "4.7GB",
     "清华同方 DVD-R", "", "保密办公室 机要室"),
    ("HXDZ-U-003", MediumKind.USB_DRIVE, NONSECRET, "ZH", "梁晨", "16GB", "金士顿 DT100",
     "KS-16-0907", "综合办公室"),
]


def load(context: DemoContext) -> None:
    office = context.users.get("baomiban")
    if office is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if Device.objects.filter(unit=unit).exists():
        context.say("devices: demo ledgers already loaded")
        return
    people = {p.name: p for p in Person.objects.filter(unit=unit, active=True)}
    departments = {d.code: d for d in Department.objects.filter(unit=unit)}
    rooms = {MACHINE_ROOM: _machine_room(office, unit)}
    for spec in DEVICES:
        _register_device(office, unit, spec, people, departments, rooms)
    for number, kind, level, department, responsible, capacity, model, serial, location \
            in MEDIA:
        services.register_medium(
            office, unit=unit, department=departments[department], number=number, kind=kind,
            level=level, responsible=people[responsible], capacity=capacity, model=model,
            serial_no=serial, location=location)
    context.say(f"devices: {len(DEVICES)} devices (computers, a server in the {MACHINE_ROOM}, "
                f"office equipment, a security product) with their users, {len(MEDIA)} "
                "removable media")


def _machine_room(office: Any, unit: Unit) -> SecureRoom:
    """rule Q7: the secure room the 机密 server stands in, through the compliance services
    (kept when a room of that name is already registered)."""
    room = SecureRoom.objects.filter(unit=unit, name=MACHINE_ROOM).first()
    return room or register_room(
        office, unit=unit, name=MACHINE_ROOM, location=MACHINE_ROOM_LOCATION,
        access_control=True, video=True, video_retention_days=MACHINE_ROOM_VIDEO_DAYS,
        camera_inside=False, alarm=True)


def _register_device(office: Any, unit: Unit, spec: DeviceSpec, people: dict[str, Person],
                     departments: dict[str, Department],
                     rooms: dict[str, SecureRoom]) -> Device:
    in_use_on = timezone.localdate() - datetime.timedelta(days=spec.days_ago)
    device = services.register_device(
        office, unit=unit, department=departments[spec.department], number=spec.number,
        kind=spec.kind, level=spec.level, responsible=people[spec.responsible],
        location=spec.location, in_use_on=in_use_on, model=spec.model,
        serial_no=spec.serial_no, asset_no=spec.asset_no, disk_serial=spec.disk_serial,
        mac=spec.mac, os=spec.os, os_installed_on=in_use_on if spec.os else None,
        room=rooms[spec.room] if spec.room else None)
    for name in spec.users:
        services.add_device_user(office, device, people[name])
    return device
