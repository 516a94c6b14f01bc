"""Demo maintenance (rule D7) and retirement (rule D8) of 华信电子科技研究院, on the ledgers of
`devices.demo`:

- the 机密 printer HXDZ-DYJ-001 was repaired on site by the vendor's engineer under the eyes
  of 郭婷 (filed by 保密办干事 钱晓东, approved by the head of 研发一部 and the 保密办);
- the 秘密 laptop HXDZ-BJB-002 of 周敏 had to be sent out: its disk was removed and put in the
  保密办's cabinet first, and it is away at the repairer now;
- 周敏 asks for the in-house repair of HXDZ-JSJ-002, supervised by 马骏: waiting in bumen's
  inbox;
- the old 秘密 desktop HXDZ-JSJ-010 was retired, its disk degaussed and handed over to the
  designated destruction body against a certificate;
- the 秘密 U盘 HXDZ-U-010 was retired (approved) and awaits the clearing.

The laptop, the old desktop and the U盘 are registered here, so that the other demos keep
their devices. Everything goes through the services and the approvals chain. Idempotent:
nothing is written when the unit already has a maintenance.
"""

import datetime
from typing import Any

from django.utils import timezone

from baomi.accounts.models import Department, Person, Unit
from baomi.approvals.services import decide
from baomi.core.demo import DemoContext
from baomi.core.labels import Level

from . import services
from .choices import ClearingMethod, DeviceKind, MaintenanceMode, MediumKind
from .models import Device, Maintenance

PRINTER = "HXDZ-DYJ-001"
LAPTOP = "HXDZ-BJB-002"
PENDING = "HXDZ-JSJ-002"
OLD_DESKTOP = "HXDZ-JSJ-010"
OLD_USB = "HXDZ-U-010"
DESTRUCTION_BODY = "省国家保密局涉密载体销毁中心"


def load(ctx: DemoContext) -> None:
    office, clerk = ctx.users.get("baomiban"), ctx.users.get("baomiyuan")
    head, staff = ctx.users.get("bumen"), ctx.users.get("yuangong")
    if office is None or clerk is None or head is None or staff is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if Maintenance.objects.filter(device__unit=unit).exists():
        ctx.say("devices: demo maintenance and retirements already loaded")
        return
    devices = {d.number: d for d in Device.objects.filter(unit=unit,
                                                          number__in=(PRINTER, PENDING))}
    if len(devices) < 2:
        ctx.say("devices: no demo ledger, no maintenance")
        return
    people = {p.name: p for p in Person.objects.filter(unit=unit, active=True)}
    yf1 = Department.objects.get(unit=unit, code="YF1")
    _on_site(ctx, devices[PRINTER], people)
    _sent_out(ctx, unit, yf1, people)
    _pending(ctx, devices[PENDING], people)
    _destroyed(ctx, unit, yf1, people)
    _usb_awaiting_clearing(ctx, unit, yf1, people)
    ctx.say("devices: 3 maintenances (1 on site done, 1 laptop away for repair, 1 awaiting "
            "approval), 2 retirements (a desktop destroyed with its certificate, a U盘 awaiting "
            "the clearing of its information)")


def _approved(ctx: DemoContext, request: Any, *deciders: str) -> None:
    for name in deciders:
        request = decide(ctx.users[name], request, "approve", comment="同意。")


def _on_site(ctx: DemoContext, printer: Device, people: dict[str, Person]) -> None:
    """rule D7: on site, under a supervisor cleared for 机密."""
    maintenance = services.request_maintenance(
        ctx.users["baomiyuan"], printer, mode=MaintenanceMode.ON_SITE,
        fault="打印时卡纸并提示定影单元故障", repairer="奔图授权服务商 工程师李强",
        supervisor=people["郭婷"])
    _approved(ctx, maintenance.request, "bumen", "baomiban")
    services.record_repaired(ctx.users["baomiyuan"], maintenance,
                             done_on=timezone.localdate(),
                             result="现场更换定影组件，维修人员未接触存储部件，监修人全程在场")


def _register(ctx: DemoContext, unit: Unit, yf1: Department, number: str, kind: str,
              responsible: Person, days: int, **extra: Any) -> Device:
    return services.register_device(
        ctx.users["baomiban"], unit=unit, department=yf1, number=number, kind=kind,
        level=Level.SECRET, responsible=responsible, location="科研楼二层 205（研发一部资料室）",
        in_use_on=timezone.localdate() - datetime.timedelta(days=days), **extra)


def _sent_out(ctx: DemoContext, unit: Unit, yf1: Department,
              people: dict[str, Person]) -> None:
    """rule D7: the disk is removed and kept in the unit before the laptop leaves."""
    laptop = _register(ctx, unit, yf1, LAPTOP, DeviceKind.PORTABLE, people["周敏"], 700,
                       model="联想 昭阳K4e", serial_no="LX-K4E-8812",
                       disk_serial="SAMSUNG-PM9A1-8812", os="中标麒麟 V7.0")
    maintenance = services.request_maintenance(
        ctx.users["yuangong"], laptop, mode=MaintenanceMode.SENT_OUT,
        fault="主板供电故障，无法开机，本单位无法修复", repairer="联想涉密设备定点维修中心（西安）")
    _approved(ctx, maintenance.request, "bumen", "baomiban")
    today = timezone.localdate()
    clerk = ctx.users["baomiyuan"]
    services.record_disk_removed(clerk, maintenance, removed_on=today,
                                 kept_at="保密办公室 密码文件柜 A-03")
    services.send_out(clerk, maintenance, left_on=today)


def _pending(ctx: DemoContext, desktop: Device, people: dict[str, Person]) -> None:
    services.request_maintenance(
        ctx.users["yuangong"], desktop, mode=MaintenanceMode.IN_HOUSE,
        fault="系统运行缓慢，疑似硬盘坏道", repairer="信息中心 韩磊", supervisor=people["马骏"])


def _destroyed(ctx: DemoContext, unit: Unit, yf1: Department,
               people: dict[str, Person]) -> None:
    """rule D8: approved, degaussed, handed over to the designated body with a certificate."""
    desktop = _register(ctx, unit, yf1, OLD_DESKTOP, DeviceKind.DESKTOP, people["何振宇"],
                        2900, model="联想 启天M4350", serial_no="PC0A0F77",
                        disk_serial="ST500DM002-0F77", os="Windows 7 专业版")
    retirement = services.request_retirement(
        ctx.users["baomiban"], device=desktop, reason="使用超过八年，主板老化频繁死机，已无维修价值")
    _approved(ctx, retirement.request, "bumen", "baomiyuan")
    today = timezone.localdate()
    clerk = ctx.users["baomiyuan"]
    services.record_clearing(clerk, retirement, cleared_on=today, method=ClearingMethod.DEGAUSS,
                             cleared_by="保密办 钱晓东、信息中心 韩磊（消磁机 XC-2000）")
    services.record_destruction(
        clerk, retirement, destruction_body=services.designated_body(unit) or DESTRUCTION_BODY,
        handed_over_on=today, certificate_no=f"XHZM-{today.year}-0117")


def _usb_awaiting_clearing(ctx: DemoContext, unit: Unit, yf1: Department,
                           people: dict[str, Person]) -> None:
    usb = services.register_medium(
        ctx.users["baomiban"], unit=unit, department=yf1, number=OLD_USB,
        kind=MediumKind.USB_DRIVE, level=Level.SECRET, responsible=people["周敏"],
        capacity="16GB", model="朗科 U208 加密型", serial_no="NTK-16-0310",
        location="研发一部 密码文件柜")
    retirement = services.request_retirement(ctx.users["yuangong"], medium=usb,
                                             reason="存储芯片故障，无法正常读写")
    _approved(ctx, retirement.request, "bumen", "baomiban")
