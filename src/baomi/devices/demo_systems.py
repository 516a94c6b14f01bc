"""Demo classified information systems of 华信电子科技研究院 (rule D10), on the ledgers of
`devices.demo`: the 机密 研发涉密网 made of the 机密 desktops, assessed thirteen months ago
(next due in eleven months, every 24 months), and the 秘密 涉密办公系统, assessed twenty-five
months ago — overdue: the sweep raises `devices.risk_assessment_due`.

The 保密办 (baomiban) registers them and records the assessments through the services.
Idempotent: nothing is written when the unit already has a system.
"""

import datetime

from django.utils import timezone

from baomi.accounts.models import Person, Unit
from baomi.core.calendar import add_months
from baomi.core.demo import DemoContext
from baomi.core.labels import Level

from . import services
from .models import ClassifiedSystem, Device

# name, level, responsible, days in use, devices, months since the assessment, assessor, report
SYSTEMS = [
    ("研发涉密网", Level.CONFIDENTIAL, "张伟", 420, ["HXDZ-JSJ-001", "HXDZ-JSJ-003"], 13,
     "国家保密科技测评中心", "GBCP-2024-机-0317"),
    ("涉密办公系统", Level.SECRET, "刘晓燕", 900, ["HXDZ-JSJ-002", "HXDZ-DGN-001"], 25,
     "省保密科技测评中心", "SBCP-2023-秘-0088"),
]


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("baomiban")
    if office is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if ClassifiedSystem.objects.filter(unit=unit).exists():
        ctx.say("devices: demo classified systems already loaded")
        return
    today = timezone.localdate()
    people = {p.name: p for p in Person.objects.filter(unit=unit, active=True)}
    for name, level, responsible, days, numbers, months, assessor, report_no in SYSTEMS:
        system = services.register_system(
            office, unit=unit, name=name, level=level, responsible=people[responsible],
            in_use_on=today - datetime.timedelta(days=days),
            devices=Device.objects.filter(unit=unit, number__in=numbers))
        services.record_assessment(
            office, system, assessed_on=add_months(today, -months), assessor=assessor,
            report_no=report_no, passed=True)
    ctx.say(f"devices: {len(SYSTEMS)} classified systems, 涉密办公系统 overdue for its risk "
            "assessment")
