"""Demo carrier ledger of 华信电子科技研究院 (rules C1–C5, C9): three containers (a 密码保险柜
rated 绝密, two 密码文件柜 rated 机密), twenty carriers — received documents with their
sending units and 文号, technical reports produced in the unit, an optical disc, a removable
disk and a product sample, a 工作秘密 and a 商业秘密 carrier (rule L4) — several of them
carrying the 定密 demo's items, and three loans:

- 周敏 (yuangong) borrowed 结构件外协加工技术要求 three days ago and has not brought it back
  (overdue, rule C5: back the same day);
- 孙立新 (dingmi) asks to borrow 某型雷达关键参数测试报告: waiting in bumen's inbox;
- 郭婷 had 关于加强国防科技工业保密管理工作的通知 circulated to her, read it in the 保密阅览室
  and returned it.

杨帆, whose exit waits for the unit leader in the personnel demo, is still the custodian of
分系统接口设计说明: the leader's approval of that exit is refused until it is handed back
(rule C9).

The 保密办 (baomiban) registers, 保密办干事 (baomiyuan) files loans for people without a login
and hands out and takes back; everything goes through the services. The only direct writes
back-date the overdue loan (demo data only), as the personnel demos do. Idempotent: nothing is
written when the unit already has containers.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from baomi.accounts.models import Department, Person, Unit
from baomi.approvals.services import decide
from baomi.compliance.models import SecureRoom
from baomi.compliance.services import register_room
from baomi.core.demo import DemoContext
from baomi.core.labels import Level, Scheme
from baomi.secrets.choices import PeriodKind
from baomi.secrets.models import SecretItem

from . import services
from .choices import CarrierKind, CarrierOrigin, ContainerKind, LoanKind
from .models import Carrier, Container, Loan
from .selectors import carriers_visible_to

UNIT = "HX-DZ"
# number, kind, rating, location, department, custodian
# Secure rooms (rule Q7): name, location, video kept (days), alarm. The 综合办公室 文件室
# keeps video 15 days and has no alarm: it holds only a plain cabinet for 工作秘密.
ROOMS = [
    ("机要室", "行政楼三层 保密办公室内", 90, True),
    ("研发一部资料室", "科研楼二层 205", 30, True),
    ("研发二部资料室", "科研楼四层 402", 60, True),
    ("综合办公室文件室", "行政楼一层 106", 15, False),
]
CONTAINERS = [
    ("HXDZ-MX-01", ContainerKind.SAFE, Level.TOP_SECRET, "保密办公室 机要室", "BMB", "刘晓燕",
     "机要室"),
    ("HXDZ-WJG-01", ContainerKind.CODED_CABINET, Level.CONFIDENTIAL, "研发一部 资料室", "YF1",
     "郭婷", "研发一部资料室"),
    ("HXDZ-WJG-02", ContainerKind.CODED_CABINET, Level.CONFIDENTIAL, "研发二部 资料室", "YF2",
     "林海峰", "研发二部资料室"),
    ("HXDZ-BMG-01", ContainerKind.CABINET, Level.NONSECRET, "综合办公室 文件室", "ZH", "陈建华",
     "综合办公室文件室"),
]
YEARS, MONTHS, LONG = PeriodKind.YEARS, PeriodKind.MONTHS, PeriodKind.LONG_TERM


@dataclass
class Spec:
    """One demo carrier; people by name, the container and the 定密 item by number."""

    number: str
    title: str
    kind: str
    level: int
    period: tuple[str, int | None]
    department: str
    custodian: str
    container: str | None
    days_ago: int
    source: tuple[str, str] | None = None  # (来文单位, 文号) of a received carrier
    item: str | None = None
    scheme: str = Scheme.STATE
    pages: int | None = None
    capacity: str = ""
    copies: int = 1
    copy_no: str = ""
    location: str = ""


SAFE, CABINET1, CABINET2, PLAIN_CABINET = (c[0] for c in CONTAINERS)
PAPER, DISC = CarrierKind.PAPER, CarrierKind.OPTICAL
SECRET, CONFIDENTIAL, TOP = Level.SECRET, Level.CONFIDENTIAL, Level.TOP_SECRET
TASK_BOOK, RADAR, COUNTERMEASURES = "HXDZ-DM-001", "HXDZ-DM-002", "HXDZ-DM-005"
CARRIERS = [
    Spec("HXDZ-SW-2026-001", "关于加强国防科技工业保密管理工作的通知", PAPER, CONFIDENTIAL,
         (YEARS, 10), "BMB", "刘晓燕", SAFE, 60, ("国防科工局", "科工密〔2026〕15号"),
         pages=8, copies=3, copy_no="第2份"),
    Spec("HXDZ-SW-2026-002", "XX型号研制总要求", PAPER, CONFIDENTIAL, (YEARS, 20), "YF1",
         "郭婷", CABINET1, 52, ("华信集团", "华信密〔2026〕3号"), item=TASK_BOOK, pages=46),
    Spec("HXDZ-SW-2026-003", "关于开展年度保密自查自评工作的通知", PAPER, SECRET, (YEARS, 5),
         "BMB", "刘晓燕", SAFE, 40, ("国家保密局", "国保发〔2026〕2号"), pages=6),
    Spec("HXDZ-SW-2026-004", "某型雷达研制合同技术附件", PAPER, CONFIDENTIAL, (YEARS, 20), "YF1",
         "张伟", CABINET1, 33, ("国防科工局", "科工密〔2026〕21号"), item=RADAR, pages=64),
    Spec("HXDZ-SW-2026-005", "新一代电子对抗系统预先研究任务书", PAPER, TOP, (LONG, None), "BMB",
         "刘晓燕", SAFE, 21, ("上级主管部门", "装发密〔2026〕7号"), item=COUNTERMEASURES,
         pages=30, copies=2, copy_no="第1份"),
    Spec("HXDZ-SW-2026-006", "关于做好涉密人员离岗离职管理工作的通知", PAPER, SECRET,
         (YEARS, 5), "BMB", "钱晓东", SAFE, 14, ("华信集团", "华信密〔2026〕9号"), pages=5),
    Spec("HXDZ-ZT-2026-001", "型号总体技术方案（第二版）", PAPER, CONFIDENTIAL, (YEARS, 20),
         "YF1", "郭婷", CABINET1, 38, item=TASK_BOOK, pages=156),
    Spec("HXDZ-ZT-2026-002", "某型雷达分系统设计报告", PAPER, CONFIDENTIAL, (YEARS, 20), "YF1",
         "孙立新", CABINET1, 30, item=RADAR, pages=88),
    Spec("HXDZ-ZT-2026-003", "某型雷达关键参数测试报告", PAPER, CONFIDENTIAL, (YEARS, 20), "YF2",
         "林海峰", CABINET2, 25, item=RADAR, pages=42),
    Spec("HXDZ-ZT-2026-004", "结构件外协加工技术要求", PAPER, SECRET, (YEARS, 5), "YF1",
         "何振宇", CABINET1, 18, item="HXDZ-DM-007", pages=12),
    Spec("HXDZ-ZT-2026-005", "分系统联试试验大纲", PAPER, SECRET, (YEARS, 5), "YF2", "黄丽",
         CABINET2, 16, pages=24),
    Spec("HXDZ-ZT-2026-006", "试验数据处理软件设计说明", PAPER, SECRET, (YEARS, 5), "XX", "韩磊",
         None, 12, pages=35, location="信息中心 涉密机房"),
    Spec("HXDZ-ZT-2026-007", "电子对抗系统总体方案论证报告", PAPER, TOP, (LONG, None), "YF1",
         "刘晓燕", SAFE, 9, item=COUNTERMEASURES, pages=120),
    Spec("HXDZ-ZT-2025-018", "分系统接口设计说明", PAPER, SECRET, (YEARS, 5), "YF1", "杨帆",
         CABINET1, 150, pages=28),
    Spec("HXDZ-GP-2026-001", "型号总体方案电子文档", DISC, CONFIDENTIAL, (YEARS, 20), "YF1",
         "郭婷", CABINET1, 37, item=TASK_BOOK, capacity="4.7GB"),
    Spec("HXDZ-GP-2026-002", "上级来文光盘（保密技术规范汇编）", DISC, SECRET, (YEARS, 10), "BMB",
         "钱晓东", SAFE, 28, ("国家保密局", "国保函〔2026〕11号"), capacity="700MB"),
    Spec("HXDZ-CZ-2026-001", "涉密移动硬盘（联试试验数据）", CarrierKind.ELECTRONIC, SECRET,
         (YEARS, 5), "YF2", "高雪", CABINET2, 10, capacity="1TB"),
    Spec("HXDZ-CP-2026-001", "某型雷达天线样件", CarrierKind.PRODUCT, CONFIDENTIAL, (YEARS, 20),
         "YF2", "林海峰", None, 7, item=RADAR, location="研发二部 涉密样品库（门禁管理）"),
    Spec("HXDZ-GZ-2026-001", "年度保密检查工作方案", PAPER, SECRET, (MONTHS, 6), "BMB",
         "刘晓燕", SAFE, 20, scheme=Scheme.WORK, pages=10),
    Spec("HXDZ-SM-2026-001", "重点客户名单及报价策略", PAPER, CONFIDENTIAL, (YEARS, 5), "ZH",
         "陈建华", PLAIN_CABINET, 24, item="HXDZ-DM-004", scheme=Scheme.COMMERCIAL, pages=16),
]
OVERDUE = "HXDZ-ZT-2026-004"
PENDING = "HXDZ-ZT-2026-003"
RETURNED = "HXDZ-SW-2026-001"


def load(context: DemoContext) -> None:
    demo_carriers(context)


def demo_carriers(ctx: DemoContext) -> None:
    office = ctx.users["baomiban"]
    unit = Unit.objects.get(pk=office.person.unit_id)
    if Container.objects.filter(unit=unit).exists():
        ctx.say("carriers: demo ledger already loaded")
        return
    clerk = ctx.users.get("baomiyuan")
    if clerk is None:
        return
    people = {p.name: p for p in Person.objects.filter(unit=unit)}
    departments = {d.code: d for d in Department.objects.filter(unit=unit)}
    rooms = _rooms(office, unit)
    containers = {
        number: services.register_container(
            office, unit=unit, number=number, kind=kind, rating=rating, location=location,
            department=departments[department], custodian=people[custodian], room=rooms[room])
        for number, kind, rating, location, department, custodian, room in CONTAINERS}
    items = {item.number: item for item in SecretItem.objects.filter(unit=unit)}
    carriers = {spec.number: _register(office, clerk, unit, spec, people, departments,
                                       containers, items) for spec in CARRIERS}
    _loans(ctx, clerk, carriers, people)
    ctx.say(f"carriers: {len(ROOMS)} secure rooms (one short of Q7), {len(CONTAINERS)} "
            f"containers and {len(CARRIERS)} carriers, 3 loans "
            "(1 overdue, 1 awaiting the department head, 1 returned); 杨帆 still holds a "
            "carrier")


def _rooms(office: Any, unit: Unit) -> dict[str, SecureRoom]:
    """rule Q7: the rooms the containers stand in, through the compliance services."""
    return {name: register_room(office, unit=unit, name=name, location=location,
                                access_control=True, video=True, video_retention_days=days,
                                camera_inside=False, alarm=alarm)
            for name, location, days, alarm in ROOMS}


def _register(office: Any, clerk: Any, unit: Unit, spec: Spec, people: dict[str, Person],
              departments: dict[str, Department], containers: dict[str, Container],
              items: dict[str, SecretItem]) -> Carrier:
    received_on = timezone.localdate() - datetime.timedelta(days=spec.days_ago)
    item = items.get(spec.item) if spec.item else None
    source_unit, document_no = spec.source or ("", "")
    # the 干事 signs for what comes in; a 绝密 document only the head of the office (rule L5)
    signer = office.person if spec.level == TOP else clerk.person
    return services.register_carrier(
        office, unit=unit, department=departments[spec.department], number=spec.number,
        title=spec.title, kind=spec.kind, scheme=spec.scheme, level=spec.level,
        period_kind=spec.period[0], period_value=spec.period[1],
        origin=CarrierOrigin.RECEIVED if spec.source else CarrierOrigin.PRODUCED,
        received_on=received_on, custodian=people[spec.custodian],
        container=containers[spec.container] if spec.container else None,
        location=spec.location, secret_item=item, source_unit=source_unit,
        source_document_no=document_no, pages=spec.pages, capacity=spec.capacity,
        copies=spec.copies, copy_no=spec.copy_no,
        signed_by=signer if spec.source else None)


def _ask(ctx: DemoContext, clerk: Any, borrower: str, carrier: Carrier, kind: str,
         purpose: str) -> Loan:
    """The borrower asks when they see the carrier (in the 知悉范围 of its item); otherwise
    (no 定密 demo loaded) the 保密办干事 files for them."""
    user = ctx.users[borrower]
    if carriers_visible_to(user).filter(pk=carrier.pk).exists():
        return services.request_loan(user, carrier, kind=kind, purpose=purpose,
                                     room="保密阅览室")
    return services.request_loan(clerk, carrier, kind=kind, purpose=purpose, room="保密阅览室",
                                 borrower=user.person)


def _approved(loan: Loan, deciders: list[Any]) -> Loan:
    request = loan.request
    assert request is not None  # request_loan always files the request
    for decider in deciders:
        request = decide(decider, request, "approve", comment="同意，限保密阅览室内阅读。")
    return Loan.objects.get(pk=loan.pk)


def _loans(ctx: DemoContext, clerk: Any, carriers: dict[str, Carrier],
           people: dict[str, Person]) -> None:
    head, office = ctx.users["bumen"], ctx.users["baomiban"]
    today = timezone.localdate()

    overdue = _ask(ctx, clerk, "yuangong", carriers[OVERDUE], LoanKind.BORROW,
                   "核对外协加工技术要求")
    overdue = services.hand_out(clerk, _approved(overdue, [head, office]))
    three_days_ago = today - datetime.timedelta(days=3)
    Loan.objects.filter(pk=overdue.pk).update(  # demo only: it went out three days ago
        due_on=three_days_ago, handed_out_at=timezone.now() - datetime.timedelta(days=3))

    _ask(ctx, clerk, "dingmi", carriers[PENDING], LoanKind.BORROW, "审核雷达关键参数的定密依据")

    returned = services.request_loan(clerk, carriers[RETURNED], kind=LoanKind.CIRCULATE,
                                     purpose="型号方案评审前阅读", room="保密阅览室",
                                     borrower=people["郭婷"])
    returned = services.hand_out(clerk, _approved(returned, [head, office]))
    services.return_loan(clerk, returned)
