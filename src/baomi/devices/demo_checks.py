"""Demo checks of the classified computers of 华信电子科技研究院 (rules D3, D11), on the ledgers of
`devices.demo`, dated back from today:

- 机密 HXDZ-JSJ-001 was checked twice, both passed and signed by the checker (刘晓燕), its user
  郭婷 and the head of 研发一部 张伟;
- 秘密 HXDZ-JSJ-002 had unrelated software installed: its responsible person 周敏 rectified it
  and the 保密办 verified it at the re-check; the record is signed;
- 机密 HXDZ-JSJ-003 of 研发二部 has a usage log with gaps, an open rectification item past its
  due day (`devices.finding_overdue`), and no department head to sign
  (`devices.check_unsigned`);
- the 秘密 portable HXDZ-BJB-001 still had its built-in wireless card: a suspected leak was
  recorded with the check (rule D3) and the card is to be removed;
- the 中间机 HXDZ-ZJJ-001 was never checked: the sweep raises `devices.check_due`.

The 保密办 (baomiban) records the checks, signatures and re-checks, 周敏 (yuangong) her
rectification, all through the services. Idempotent: nothing is written when a device of the
unit already has a check; a device no longer in use (sent away or retired) is skipped.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from baomi.accounts.models import Person, Unit
from baomi.core.demo import DemoContext

from . import services
from .checklist import CHECK_ITEMS
from .choices import DeviceState
from .models import CheckFinding, Device, DeviceCheck

TOOL, TOOL_VERSION = "计算机终端保密检查系统", "V5.0.3"
CHECKABLE = (DeviceState.IN_USE, DeviceState.IDLE)


@dataclass
class DemoCheck:
    """One demo check: the device, how many days ago, the checker, the items not met
    (key → note), the attestation flags, who signs as user and as head (None: not signed)."""

    number: str
    days_ago: int
    checker: str
    not_met: dict[str, str] = field(default_factory=dict)
    user: str | None = None
    head: str | None = None
    rectified_by: str | None = None  # a login: rectified and verified a few days later
    rectification: str = ""


CHECKS = [
    DemoCheck("HXDZ-JSJ-001", 200, "刘晓燕", user="郭婷", head="张伟"),
    DemoCheck("HXDZ-JSJ-001", 40, "刘晓燕", user="郭婷", head="张伟"),
    DemoCheck("HXDZ-JSJ-002", 100, "韩磊", {"no_unrelated_software": "安装有与工作无关的游戏软件"},
              user="周敏", head="张伟", rectified_by="yuangong",
              rectification="已卸载无关软件，重新用检查工具检查无异常"),
    DemoCheck("HXDZ-JSJ-003", 60, "刘晓燕", {"usage_log": "9月至10月使用登记不全"},
              user="林海峰"),
    DemoCheck("HXDZ-BJB-001", 20, "韩磊", {"no_wireless": "内置无线网卡未拆除"}, user="刘晓燕"),
]


def _items(not_met: dict[str, str]) -> list[dict[str, Any]]:
    return [{"item": item.key, "ok": item.key not in not_met, "note": not_met.get(item.key, "")}
            for item in CHECK_ITEMS]


def _record(office: Any, device: Device, spec: DemoCheck, people: dict[str, Person],
            today: datetime.date) -> DeviceCheck:
    items = _items(spec.not_met)
    flags = {key: next(r["ok"] for r in items if r["item"] == key)
             for key in ("no_internet", "no_wireless", "ports_sealed")}
    day = today - datetime.timedelta(days=spec.days_ago)
    check = services.record_check(office, device, checked_on=day, tool=TOOL,
                                  tool_version=TOOL_VERSION, checker=people[spec.checker],
                                  items=items, **flags)
    for role, name in (("checker", spec.checker), ("user", spec.user), ("head", spec.head)):
        if name is not None:
            services.sign_check(office, check, role=role, person=people[name], signed_on=day)
    return check


def _rectify(ctx: DemoContext, office: Any, check: DeviceCheck, spec: DemoCheck) -> None:
    owner = ctx.users.get(spec.rectified_by or "")
    if owner is None:
        return
    for finding in CheckFinding.objects.filter(check_record=check):
        day = check.checked_on + datetime.timedelta(days=5)
        services.record_rectification(owner, finding, rectified_on=day,
                                      rectification=spec.rectification)
        services.verify_finding(office, finding, verified_on=day + datetime.timedelta(days=3),
                                passed=True)


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("baomiban")
    if office is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if DeviceCheck.objects.filter(device__unit=unit).exists():
        ctx.say("devices: demo device checks already recorded")
        return
    today = timezone.localdate()
    people = {p.name: p for p in Person.objects.filter(unit=unit, active=True)}
    devices = {d.number: d for d in Device.objects.filter(
        unit=unit, number__in={spec.number for spec in CHECKS}, state__in=CHECKABLE)}
    recorded = 0
    for spec in CHECKS:
        device = devices.get(spec.number)
        if device is None:
            continue
        check = _record(office, device, spec, people, today)
        _rectify(ctx, office, check, spec)
        recorded += 1
    ctx.say(f"devices: {recorded} device checks, one rectified and verified, one item overdue, "
            "a wireless card found (suspected leak), HXDZ-ZJJ-001 never checked")
