"""Demo secret items of 华信电子科技研究院 (rules S1–S10, L4), in every state a visitor should
see. The unit's 定密权限 is 机密 (国保发〔2023〕12号); 孙立新 (dingmi) is its 定密责任人,
陈建华 (lingdao) its leader, 刘晓燕 (baomiban) its 保密办.

- 型号研制任务书及技术方案 (机密★20年): classified, named people, knowledge recorded;
- 某型雷达关键技术参数 (机密★20年): classified almost a year ago, the annual review falls due
  within the notice period, knowledge recorded;
- 年度保密检查工作方案 (工作秘密, until the inspection is over) and 客户名单及报价策略
  (核心商密★5年): classified under their own schemes (rule L4), the first with a department
  in its 知悉范围;
- 新一代电子对抗系统总体方案 (绝密★长期, with its declassification condition): above the
  unit's authority, so only provisionally classified (先行拟定, rule S3), the superior
  decision due within 10 working days;
- 某型号试验数据分析报告 (秘密): proposed, waiting in dingmi's inbox (rule S4);
- 外协加工技术要求 (秘密★5年): classified, a period extension waiting for dingmi (rule S10);
- 重大项目招投标底价 (秘密★6个月): classified four months ago, declassified by decision after
  the bid opening (rule S10).

Everything goes through the services; the only direct writes back-date decisions taken today
(demo data only, `decided_days_ago`), as the personnel demos do. Idempotent: nothing is written when the
unit already has items.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from baomi.accounts.models import Department, Person, Unit
from baomi.approvals.models import Request, Step
from baomi.approvals.services import decide
from baomi.core.demo import DemoContext
from baomi.core.labels import Level, Scheme

from . import services
from .choices import ChangeKind, KnowledgeKind, PeriodKind
from .models import Authority, ItemChange, SecretItem

UNIT = "HX-DZ"
AUTHORITY_DOCUMENT = "国保发〔2023〕12号"
AUTHORITY_GRANTED_ON = datetime.date(2023, 3, 15)
STATE_BASIS = "《国防科技工业国家秘密范围的规定》"


@dataclass
class Spec:
    """One demo item as its 承办人 proposes it; people by login or by name."""

    number: str
    title: str
    proposer: str
    department: str
    level: int
    period_kind: str
    period_value: int | None
    basis: str
    description: str = ""
    scheme: str = Scheme.STATE
    condition: str = ""
    issued_days_ago: int | None = 0
    decided_days_ago: int = 0  # a decision taken today is back-dated by this many days
    people: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)


TASK_BOOK = Spec(
    "HXDZ-DM-001", "型号研制任务书及技术方案", "bumen", "YF1", Level.CONFIDENTIAL,
    PeriodKind.YEARS, 20, f"{STATE_BASIS}：武器装备型号研制任务书及总体技术方案",
    "XX型号研制任务书、总体技术方案及分系统技术要求", issued_days_ago=45, decided_days_ago=40,
    people=["郭婷", "dingmi"])
RADAR = Spec(
    "HXDZ-DM-002", "某型雷达关键技术参数", "bumen", "YF1", Level.CONFIDENTIAL,
    PeriodKind.YEARS, 20, f"{STATE_BASIS}：武器装备关键战术技术指标和参数",
    "探测距离、分辨率、抗干扰等关键战术技术参数", issued_days_ago=351,
    decided_days_ago=350,  # the annual review (rule S5) falls due in about two weeks
    people=["郭婷", "林海峰", "dingmi"])
INSPECTION = Spec(
    "HXDZ-DM-003", "年度保密检查工作方案", "baomiban", "BMB", Level.SECRET,
    PeriodKind.CONDITION, None, "本单位工作秘密事项目录：尚未实施的检查工作安排",
    "年度保密检查的对象、时间和重点内容，检查结束前不得提前告知被检查部门",
    scheme=Scheme.WORK, condition="检查结束并通报结果后", people=["lingdao"],
    departments=["BMB"])
CUSTOMERS = Spec(
    "HXDZ-DM-004", "客户名单及报价策略", "lingdao", "ZH", Level.CONFIDENTIAL,
    PeriodKind.YEARS, 5, "《公司商业秘密保护管理办法》：客户名单、报价策略属核心商密",
    "民品业务重点客户名单、历年合同价格及报价策略", scheme=Scheme.COMMERCIAL,
    issued_days_ago=30, decided_days_ago=25, people=["bumen"])
COUNTERMEASURES = Spec(
    "HXDZ-DM-005", "新一代电子对抗系统总体方案", "lingdao", "YF1", Level.TOP_SECRET,
    PeriodKind.LONG_TERM, None, f"{STATE_BASIS}：尚未公开的重大武器装备总体方案",
    "上级下达的预先研究项目总体方案；本单位定密权限为机密，先行拟定为绝密并报上级确定",
    condition="该系统退役并经上级主管部门批准后解密",  # rule S9: 长期 only with a condition
    issued_days_ago=None, people=["baomiban"])
TEST_DATA = Spec(
    "HXDZ-DM-006", "某型号试验数据分析报告", "yuangong", "YF1", Level.SECRET,
    PeriodKind.YEARS, 5, f"{STATE_BASIS}：武器装备科研试验数据",
    "分系统联试的原始数据及分析结论", issued_days_ago=None,
    people=["何振宇", "马骏", "林海峰"])
OUTSOURCING = Spec(
    "HXDZ-DM-007", "外协加工技术要求", "yuangong", "YF1", Level.SECRET,
    PeriodKind.YEARS, 5, f"{STATE_BASIS}：涉及武器装备性能的外协加工技术要求",
    "结构件外协加工的材料、工艺及检验要求", issued_days_ago=20, decided_days_ago=15,
    departments=["YF1"])
BID = Spec(
    "HXDZ-DM-008", "重大项目招投标底价", "lingdao", "ZH", Level.SECRET,
    PeriodKind.MONTHS, 6, "本单位国家秘密事项一览表：重大项目招投标标底",
    "信息中心涉密网络改造项目招标底价", issued_days_ago=125, decided_days_ago=120,
    people=["bumen"])

SPECS = [TASK_BOOK, RADAR, INSPECTION, CUSTOMERS, COUNTERMEASURES, TEST_DATA, OUTSOURCING, BID]
APPROVED = "同意定密，按拟定密级、保密期限和知悉范围执行。"


def load(context: DemoContext) -> None:
    demo_secrets(context)


def demo_secrets(ctx: DemoContext) -> None:
    unit = Unit.objects.get(code=UNIT)
    if SecretItem.objects.filter(unit=unit).exists():
        ctx.say("secrets: demo secret items already loaded")
        return
    with transaction.atomic():
        _load(ctx, unit)
    ctx.say(f"secrets: 定密权限 机密 and {len(SPECS)} secret items (1 provisional 绝密, "
            "1 awaiting the classification officer, 1 change pending, 1 declassified, "
            "1 annual review due)")


def _load(ctx: DemoContext, unit: Unit) -> None:
    users = ctx.users
    office, officer, leader = users["baomiban"], users["dingmi"], users["lingdao"]
    today = timezone.localdate()
    if not Authority.objects.filter(unit=unit).exists():
        services.set_authority(office, unit, max_level=Level.CONFIDENTIAL,
                               document=AUTHORITY_DOCUMENT, granted_on=AUTHORITY_GRANTED_ON)
    items = {spec.number: _propose(ctx, unit, spec, today) for spec in SPECS}

    for spec in (TASK_BOOK, RADAR, INSPECTION, CUSTOMERS, OUTSOURCING, BID):
        _determine(officer, items[spec.number])
        if spec.decided_days_ago:
            _decided_on(items[spec.number], today - datetime.timedelta(days=spec.decided_days_ago))

    _knowledge(ctx, items[TASK_BOOK.number], today - datetime.timedelta(days=30), [
        ("郭婷", KnowledgeKind.KNOW, "型号方案评审会"),
        ("dingmi", KnowledgeKind.KNOW, "定密审核"),
        ("bumen", KnowledgeKind.CONTACT, "编制任务书")])
    radar = SecretItem.objects.get(pk=items[RADAR.number].pk)
    assert radar.decided_on is not None
    _knowledge(ctx, radar, radar.decided_on + datetime.timedelta(days=20), [
        ("林海峰", KnowledgeKind.CONTACT, "外场试验数据处理"),
        ("郭婷", KnowledgeKind.KNOW, "总体设计协调会")])

    services.request_change(
        users[OUTSOURCING.proposer], items[OUTSOURCING.number], kind=ChangeKind.PERIOD,
        period_kind=PeriodKind.YEARS, period_value=10,
        reason="外协合同延期至型号设计定型，技术要求在定型前须继续保密，申请将保密期限延长至10年")
    declassify = services.request_change(
        leader, items[BID.number], kind=ChangeKind.DECLASSIFY,
        reason="项目已公开开标，中标结果已公示，底价不再需要保密")
    decide(officer, declassify, "approve", comment="同意解密，请在原标志附近作出解密标志。")


def _person(ctx: DemoContext, unit: Unit, who: str) -> Person:
    if who in ctx.users:
        return Person.objects.get(pk=ctx.users[who].person_id)
    return Person.objects.get(unit=unit, name=who)


def _propose(ctx: DemoContext, unit: Unit, spec: Spec, today: datetime.date) -> SecretItem:
    departments = {d.code: d for d in Department.objects.filter(unit=unit)}
    issued_on = (None if spec.issued_days_ago is None
                 else today - datetime.timedelta(days=spec.issued_days_ago))
    return services.propose_item(
        ctx.users[spec.proposer], unit=unit, scheme=spec.scheme, number=spec.number,
        title=spec.title, level=spec.level, period_kind=spec.period_kind,
        period_value=spec.period_value, declassify_condition=spec.condition, basis=spec.basis,
        issued_on=issued_on, department=departments[spec.department],
        description=spec.description,
        scope_people=[_person(ctx, unit, who) for who in spec.people],
        scope_departments=[departments[code] for code in spec.departments])


def _determine(officer: Any, item: SecretItem) -> None:
    """rule S4: the 定密责任人 approves the determination request from their inbox."""
    decide(officer, Request.objects.get(secret_item=item), "approve", comment=APPROVED)


def _decided_on(item: SecretItem, day: datetime.date) -> None:
    """Back-date a decision taken today (demo only): the item, its history entry and the
    determination request all read `day`."""
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    SecretItem.objects.filter(pk=item.pk).update(decided_on=day)
    ItemChange.objects.filter(item_id=item.pk, kind=ChangeKind.DETERMINED).update(decided_on=day)
    Request.objects.filter(secret_item=item).update(
        created_at=at - datetime.timedelta(days=1), decided_at=at)
    Step.objects.filter(request__secret_item=item).update(decided_at=at)


def _knowledge(ctx: DemoContext, item: SecretItem, known_on: datetime.date,
               rows: list[tuple[str, str, str]]) -> None:
    """rule S8: who came to know a 机密 item, approved by the unit leader."""
    unit = Unit.objects.get(pk=item.unit_id)
    for who, kind, source in rows:
        services.record_knowledge(ctx.users["baomiban"], item, person=_person(ctx, unit, who),
                                  kind=kind, known_on=known_on,
                                  approved_by=ctx.users["lingdao"], source=source)
