"""Demo 资质/备案 records of 华信电子科技研究院 (rules Q3, Q4, Q6), written by its 保密办
(baomiban) through the services:

- a 涉密业务咨询服务安全保密条件备案 二级 issued 2024-03-01, valid to 2027-02-28 (three
  years, rule Q4);
- a 武器装备科研生产单位保密资格 三级 whose renewal deadline (60 working days before expiry)
  falls in about three weeks: the sweep raises `compliance.requalification_due`;
- a 涉密信息系统集成资质 application of 2025 that failed its review: the page shows from
  when the unit may apply again (rule Q3);
- a new legal representative reported in time, and a move of the registered address not yet
  reported: the sweep raises `compliance.change_report_due` (rule Q6).

Idempotent: nothing is written when the unit already holds a qualification.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from baomi.accounts.models import Unit
from baomi.core.calendar import add_working_days, add_years
from baomi.core.demo import DemoContext

from . import services_qualification as services
from .choices_qualification import (
    ApplicationKind,
    QualificationGrade,
    QualificationType,
    UnitChangeKind,
)
from .models import Qualification

# The renewal deadline of the 保密资格 falls this many days after the demo is loaded.
WEAPONRY_DEADLINE_IN_DAYS = 20


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("baomiban")
    if office is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if Qualification.objects.filter(unit=unit).exists():
        ctx.say("compliance: demo qualifications already loaded")
        return
    today = timezone.localdate()
    services.register_qualification(
        office, unit=unit, type=QualificationType.CONSULTING_FILING,
        grade=QualificationGrade.SECOND, certificate_number="JGBA-2024-0156",
        issuing_authority="国家国防科技工业局", issued_on=dt.date(2024, 3, 1),
        note="军工涉密业务咨询服务安全保密条件备案合格证书")
    expires = add_working_days(today + dt.timedelta(days=WEAPONRY_DEADLINE_IN_DAYS), 60).date
    services.register_qualification(
        office, unit=unit, type=QualificationType.WEAPONRY, grade=QualificationGrade.THIRD,
        certificate_number="WBZ-三-2021-0342", issuing_authority="省国防科技工业办公室",
        issued_on=add_years(expires, -5) + dt.timedelta(days=1), expires_on=expires,
        note="武器装备科研生产单位三级保密资格证书，有效期5年")
    _failed_integration_application(office, unit)
    _changes(office, unit, today)
    ctx.say("compliance: 2 qualifications (保密资格 renewal due soon), a failed 2025 "
            "application, 2 unit changes (one not yet reported)")


def _failed_integration_application(office: object, unit: Unit) -> None:
    application = services.file_application(
        office, unit=unit, type=QualificationType.SYSTEM_INTEGRATION,
        kind=ApplicationKind.NEW, applied_on=dt.date(2025, 9, 8),
        note="申请涉密信息系统集成乙级资质（系统集成）")
    services.record_review(office, application, reviewed_on=dt.date(2025, 11, 20),
                           passed=False, score=Decimal("82.50"))


def _changes(office: object, unit: Unit, today: dt.date) -> None:
    occurred = today - dt.timedelta(days=75)
    change = services.record_unit_change(
        office, unit=unit, kind=UnitChangeKind.LEGAL_REPRESENTATIVE,
        description="法定代表人变更（董事会决议）", old_value="陈建华", new_value="周立新",
        occurred_on=occurred)
    services.report_unit_change(
        office, change, reported_on=add_working_days(occurred, 6).date,
        reported_to="省国防科技工业办公室")
    services.record_unit_change(
        office, unit=unit, kind=UnitChangeKind.ADDRESS,
        description="注册地址迁至高新区新园区", old_value="科技路18号",
        new_value="高新区创新大道66号", occurred_on=today - dt.timedelta(days=3))
