"""Demo inspections of 华信电子科技研究院 (rules Q9, Q10), dated back from today:

- the self-assessment (自查自评) of this year on the 条例§58 library, completed, with three
  problems and their rectifications: the training hours of 研发一部 (周敏) — verified after a
  failed first re-check; removable media used across classified and office computers
  (张伟) — done, awaiting the re-check; the video of the archive room kept too short (孙立新)
  — open past its due day (`compliance.rectification_overdue`);
- an inspection by the municipal 保密局 last year, completed without problems;
- a self-check of 研发一部 on the department list, still a draft.

The 保密办 (baomiban) records the inspections and re-checks, the owners their measures, all
through the services. Idempotent: nothing is written when the unit already has an inspection.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from baomi.accounts.models import Department, Unit
from baomi.core.demo import DemoContext

from . import services_inspections as services
from .models import Inspection, InspectionItem, Rectification

# item code → (finding, owner login, days after the start it is due)
PROBLEMS = {
    "A03-02": ("研发一部3名涉密人员年度保密教育培训学时不足15学时", "yuangong", 20),
    "A07-03": ("研发一部发现1个移动存储介质在涉密计算机和办公计算机之间交叉使用", "bumen", 70),
    "A09-02": ("档案室视频监控录像仅保存15日，不满30日", "dingmi", 50),
}
SELF_ASSESSMENT_DAYS_AGO = 60


def _record_all(office: Any, inspection: Inspection, problems: dict[str, str],
                not_applicable: frozenset[str] = frozenset()) -> list[InspectionItem]:
    checked = []
    for item in InspectionItem.objects.filter(inspection=inspection).order_by("position"):
        if item.code in problems:
            result, finding = "problem", problems[item.code]
        elif item.code in not_applicable:
            result, finding = "not_applicable", "本年度未召开涉密会议"
        else:
            result, finding = "pass", ""
        checked.append(services.record_item_result(office, item, result=result,
                                                   finding=finding))
    return checked


def _self_assessment(ctx: DemoContext, office: Any, unit: Unit, today: dt.date) -> None:
    started = today - dt.timedelta(days=SELF_ASSESSMENT_DAYS_AGO)
    inspection = services.start_inspection(
        office, unit=unit, kind="self", library="self_assessment_58", started_on=started,
        title=f"{started.year}年度保密工作自查自评", inspectors="刘晓燕、韩磊、宋佳")
    findings = {code: finding for code, (finding, _, _) in PROBLEMS.items()}
    for item in _record_all(office, inspection, findings):
        if item.code in PROBLEMS:
            _, login, due_days = PROBLEMS[item.code]
            services.open_rectification(office, item, owner=ctx.users[login],
                                        due_on=started + dt.timedelta(days=due_days))
    services.complete_inspection(office, inspection, finished_on=started + dt.timedelta(days=3))
    rectifications = {r.item.code: r for r in Rectification.objects.filter(
        item__inspection=inspection).select_related("item") if r.item is not None}
    training = rectifications["A03-02"]
    services.record_measures(ctx.users["yuangong"], training, done_on=started + dt.timedelta(
        days=15), measures="组织3人参加单位集中保密教育，补足学时")
    services.recheck_rectification(
        office, training, passed=False, checked_on=started + dt.timedelta(days=18),
        note="仍有1人学时不足15学时", new_due_on=started + dt.timedelta(days=35))
    training.refresh_from_db()
    services.record_measures(ctx.users["yuangong"], training, done_on=started + dt.timedelta(
        days=30), measures="安排其参加网上保密教育课程4学时，考试合格")
    services.recheck_rectification(office, training, passed=True,
                                   checked_on=started + dt.timedelta(days=33),
                                   note="培训台帐核对无误，学时均已达标")
    services.record_measures(ctx.users["bumen"], rectifications["A07-03"],
                             done_on=today - dt.timedelta(days=2),
                             measures="收回该介质，重新登记标识；对部门人员进行专项提醒教育")


def _bureau_inspection(office: Any, unit: Unit, today: dt.date) -> None:
    started = dt.date(today.year - 1, 10, 15)
    inspection = services.start_inspection(
        office, unit=unit, kind="bureau", library="self_assessment_58", started_on=started,
        title=f"{started.year}年度市国家保密局保密检查",
        inspectors="市国家保密局检查组：王建国、李明")
    _record_all(office, inspection, {}, not_applicable=frozenset({"A11-01", "A11-02",
                                                                  "A11-03"}))
    services.complete_inspection(office, inspection, finished_on=started + dt.timedelta(days=1))


def _department_check(office: Any, unit: Unit, today: dt.date) -> None:
    department = Department.objects.filter(unit=unit, code="YF1").first()
    if department is None:
        return
    inspection = services.start_inspection(
        office, unit=unit, kind="department", library="department_self_check",
        department=department, started_on=today - dt.timedelta(days=5),
        title=f"{department.name}{today.year}年第四季度保密自查")
    for item in InspectionItem.objects.filter(inspection=inspection).order_by("position")[:4]:
        services.record_item_result(office, item, result="pass")


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("baomiban")
    if office is None or any(login not in ctx.users for _, login, _ in PROBLEMS.values()):
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if Inspection.objects.filter(unit=unit).exists():
        ctx.say("compliance: demo inspections already recorded")
        return
    today = timezone.localdate()
    _self_assessment(ctx, office, unit, today)
    _bureau_inspection(office, unit, today)
    _department_check(office, unit, today)
    ctx.say("compliance: this year's self-assessment with 3 rectifications (one verified after "
            "a failed re-check, one awaiting re-check, one overdue), last year's 保密局 "
            "inspection, a department self-check in draft")
