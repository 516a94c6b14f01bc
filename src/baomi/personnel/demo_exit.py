"""Demo exits and 脱密期 (rules P10–P14), in 研发一部 of 华信电子科技研究院:

- 杨帆 (设计员) resigns: approved by 部门负责人 and 保密办, waiting for the unit leader
  (in lingdao's inbox).
- 徐志远 (型号总师, 重要) left the unit seven months ago to teach: 承诺书, reminder talk and
  door access recorded, two return visits; the next one falls due in about two months.
- 赵雅琴 (设计员) moved to a non-classified post four months ago: only the 承诺书 is
  recorded (talk and door access missing) and the first return visit is overdue.
- 吴建国 (设计员) retired fourteen months ago: the 12-month 脱密期 is over and the 撤销备案
  is filed, he is released.

The four were appointed long before the system existed: they enter it through the ledger
import, in post. Exits are filed by 保密办干事 (baomiyuan) and decided by bumen, baomiban and
lingdao; the approvals run today through the services and are then back-dated (the only
direct writes, demo data only) so that the formalities and visits can be recorded on past
dates through the services. Idempotent.
"""

import datetime
from typing import Any

from django.utils import timezone

from baomi.accounts.models import Department, Person, Unit
from baomi.approvals.services import decide
from baomi.core.calendar import add_months
from baomi.core.demo import DemoContext

from .choices import ExitKind, VisitMethod
from .models import ExitCase, PersonnelFile, Post, PostHolding
from .services import exit as services
from .services.people import LedgerRow, import_ledger

UNIT = "HX-DZ"
DEPARTMENT = "YF1"
TEXT_VERSION = "2026-1"
TALKERS = ["刘晓燕（保密办主任）", "钱晓东（保密办干事）"]
VISITORS = ["钱晓东（保密办干事）"]
# name, employee number, post, started in post
LEAVERS = [
    ("杨帆", "HX-DZ-0301", "设计员", datetime.date(2019, 3, 11)),
    ("徐志远", "HX-DZ-0302", "型号总师", datetime.date(2015, 7, 1)),
    ("赵雅琴", "HX-DZ-0303", "设计员", datetime.date(2018, 9, 3)),
    ("吴建国", "HX-DZ-0304", "设计员", datetime.date(2008, 4, 1)),
]


def load(context: DemoContext) -> None:
    office = context.users["baomiban"]
    unit = Unit.objects.get(pk=office.person.unit_id)
    if ExitCase.objects.filter(file__unit=unit).exists():
        context.say("personnel: demo exits already loaded")
        return
    filer = context.users.get("baomiyuan")
    if filer is None:
        return
    deciders = [context.users[name] for name in ("bumen", "baomiban", "lingdao")]
    files = _in_post(office, unit)
    today = timezone.localdate()

    _pending(filer, deciders, files["杨帆"], today)
    _left_to_teach(filer, deciders, files["徐志远"], today)
    _moved_post(filer, deciders, files["赵雅琴"], today)
    _retired(filer, deciders, files["吴建国"], today)
    context.say("personnel: 4 exits (1 awaiting the unit leader, 2 in the declassification "
                "period — one with a return visit overdue — and 1 released)")


def _in_post(office: Any, unit: Unit) -> dict[str, PersonnelFile]:
    """The four people, imported from the existing ledger: in post since their start."""
    department = Department.objects.get(unit=unit, code=DEPARTMENT)
    levels = dict(Post.objects.filter(department=department).values_list("name", "level"))
    rows = [LedgerRow(line=line, name=name, employee_no=number, department=department,
                      post_name=post, level=levels[post], started_on=started)
            for line, (name, number, post, started) in enumerate(LEAVERS, start=2)]
    import_ledger(office, unit, rows)
    people = Person.objects.filter(unit=unit, employee_no__in=[row[1] for row in LEAVERS])
    return {file.person.name: file for file in
            PersonnelFile.objects.select_related("person").filter(person__in=people)}


def _file(filer: Any, file: PersonnelFile, kind: str, leave_on: datetime.date, reason: str,
          destination: str) -> ExitCase:
    return services.file_exit(filer, file, kind=kind, leave_on=leave_on, reason=reason,
                              destination=destination)


def _decided(case: ExitCase, deciders: list[Any]) -> ExitCase:
    request = case.request
    assert request is not None  # file_exit always submits the request
    for decider in deciders:
        request = decide(decider, request, "approve", comment="同意。")
    return ExitCase.objects.select_related("file", "file__person").get(pk=case.pk)


def _approved_on(case: ExitCase, approved_on: datetime.date) -> ExitCase:
    """Back-date an exit approved today (demo only): filed ten days before `approved_on`,
    the 脱密期, the first visit, the end of the posts recomputed by the services' rules."""
    assert case.period_months is not None
    ends_on = services.period_end(approved_on, case.period_months)
    next_due = services.next_visit_due(case.file, approved_on, ends_on)
    filed_at = timezone.make_aware(datetime.datetime.combine(
        approved_on - datetime.timedelta(days=10), datetime.time(9, 30)))
    ExitCase.objects.filter(pk=case.pk).update(
        created_at=filed_at, approved_on=approved_on, ends_on=ends_on,
        next_visit_due_on=next_due)
    PersonnelFile.objects.filter(pk=case.file_id).update(
        left_on=approved_on, declassification_ends_on=ends_on)
    PostHolding.objects.filter(person_id=case.file.person_id,
                               ended_on=timezone.localdate()).update(ended_on=approved_on)
    return ExitCase.objects.select_related("file", "file__person").get(pk=case.pk)


def _formalities(filer: Any, case: ExitCase, day: datetime.date, *, talk: bool = True,
                 door: bool = True) -> ExitCase:
    case = services.record_exit_commitment(filer, case, signed_on=day,
                                           text_version=TEXT_VERSION)
    if talk:
        case = services.record_exit_talk(
            filer, case, held_on=day, talkers=TALKERS,
            notes="提醒脱密期内不得违规使用、泄露所知悉的国家秘密，不得到境外驻华机构、组织或"
                  "外资企业工作，出境须经审批，并按要求接受回访。")
    if door:
        case = services.record_door_access_revoked(filer, case, revoked_on=day)
    return case


def _visit(filer: Any, case: ExitCase, day: datetime.date, method: str, employer: str,
           findings: str) -> None:
    services.record_declassification_visit(filer, case, visited_on=day, method=method,
                                           visitors=VISITORS, current_employer=employer,
                                           findings=findings)


def _pending(filer: Any, deciders: list[Any], file: PersonnelFile,
             today: datetime.date) -> None:
    case = _file(filer, file, ExitKind.LEAVE_UNIT, today + datetime.timedelta(days=30),
                 "本人申请辞职，拟赴深圳从事民用通信产品研发。",
                 "深圳某通信技术有限公司（民营，境内）")
    _decided(case, deciders[:2])  # waits for the unit leader


def _left_to_teach(filer: Any, deciders: list[Any], file: PersonnelFile,
                   today: datetime.date) -> None:
    approved_on = add_months(today, -7)
    case = _file(filer, file, ExitKind.LEAVE_UNIT, approved_on + datetime.timedelta(days=14),
                 "辞职，受聘到高校任教。", "西安某大学电子工程学院（教师）")
    case = _approved_on(_decided(case, deciders), approved_on)
    case = _formalities(filer, case, approved_on + datetime.timedelta(days=5))
    employer = "西安某大学电子工程学院 讲师"
    _visit(filer, case, add_months(approved_on, 3) - datetime.timedelta(days=4),
           VisitMethod.IN_PERSON, employer, "在校从事本科教学，未接触境外机构，遵守脱密期规定。")
    _visit(filer, case, add_months(approved_on, 6) - datetime.timedelta(days=2),
           VisitMethod.PHONE, employer, "电话回访，本人表示无出境计划，未发现异常。")


def _moved_post(filer: Any, deciders: list[Any], file: PersonnelFile,
                today: datetime.date) -> None:
    approved_on = add_months(today, -4) - datetime.timedelta(days=10)
    case = _file(filer, file, ExitKind.LEAVE_POST, approved_on + datetime.timedelta(days=7),
                 "调往非涉密岗位（综合办公室行政岗）。", "本院综合办公室（非涉密岗位）")
    case = _approved_on(_decided(case, deciders), approved_on)
    _formalities(filer, case, approved_on + datetime.timedelta(days=3), talk=False,
                 door=False)


def _retired(filer: Any, deciders: list[Any], file: PersonnelFile,
             today: datetime.date) -> None:
    approved_on = add_months(today, -14)
    case = _file(filer, file, ExitKind.LEAVE_UNIT, approved_on + datetime.timedelta(days=20),
                 "到龄退休。", "退休（居住于西安市雁塔区）")
    case = _approved_on(_decided(case, deciders), approved_on)
    case = _formalities(filer, case, approved_on + datetime.timedelta(days=15))
    for months, method in ((3, VisitMethod.PHONE), (6, VisitMethod.IN_PERSON),
                           (9, VisitMethod.PHONE)):
        _visit(filer, case, add_months(approved_on, months), method, "退休",
               "退休在家，未受聘于任何单位，遵守脱密期规定。")
    assert case.ends_on is not None
    withdrawn_on = case.ends_on + datetime.timedelta(days=12)
    services.release_from_declassification(
        filer, case, withdrawn_on=withdrawn_on,
        reference=f"撤备〔{withdrawn_on.year}〕{withdrawn_on.month:02d}号")
