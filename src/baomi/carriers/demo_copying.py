"""Demo copying (rule C4) and print log (rule C10) of 华信电子科技研究院, on the demo ledger of
`carriers.demo`:

- 孙立新 (dingmi), in the 知悉范围 of 某型雷达关键技术参数, had two copies made of
  某型雷达分系统设计报告 for the review panel: approved by 张伟 (bumen) and the 保密办, made by
  保密办干事 (baomiyuan) — HXDZ-ZT-2026-002-F1 and -F2 on the ledger with their 复制戳记, kept
  by him in the 研发一部 file cabinet, his contact with the item recorded (rule S8);
- 周敏 (yuangong) asks to extract from 结构件外协加工技术要求, which she has on loan: waiting
  in bumen's inbox;
- four printouts logged: two by the people who printed them, two by the 保密办 for people
  without a login — one of them kept and registered as a carrier.

Everything goes through the services. Idempotent: nothing is written when the unit already has
copy orders or print records.
"""

import datetime
from typing import Any

from django.utils import timezone

from baomi.accounts.models import Person, Unit
from baomi.approvals.services import decide
from baomi.core.demo import DemoContext
from baomi.core.labels import Level
from baomi.secrets.choices import PeriodKind
from baomi.secrets.models import SecretItem

from . import services
from .models import Carrier, Container, CopyOrder, PrintRecord
from .models.copying import CopyKind

MADE = "HXDZ-ZT-2026-002"      # 某型雷达分系统设计报告, 机密, kept by 孙立新
PENDING = "HXDZ-ZT-2026-004"   # 结构件外协加工技术要求, 秘密, on loan to 周敏
KEPT_PRINT = "HXDZ-DY-2026-001"
PRINTER_YF1 = "研发一部涉密打印机（YF1-PR-01）"
PRINTER_BMB = "保密办涉密打印机（BMB-PR-01）"
PRINTER_XX = "信息中心涉密机房打印机（XX-PR-02）"


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("baomiban")
    clerk = ctx.users.get("baomiyuan")
    if office is None or clerk is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if CopyOrder.objects.filter(carrier__unit=unit).exists() \
            or PrintRecord.objects.filter(unit=unit).exists():
        ctx.say("carriers: demo copies and print log already loaded")
        return
    carriers = {c.number: c for c in Carrier.objects.filter(unit=unit,
                                                            number__in=[MADE, PENDING])}
    if len(carriers) < 2:
        ctx.say("carriers: no demo ledger, no copies")
        return
    _made_order(ctx, clerk, carriers[MADE])
    _pending_order(ctx, carriers[PENDING])
    _prints(ctx, office, clerk, unit)
    ctx.say("carriers: 1 copy order made (2 copies on the ledger), 1 awaiting the department "
            "head, 4 printouts logged (1 kept as a carrier)")


def _made_order(ctx: DemoContext, clerk: Any, original: Carrier) -> None:
    order = services.request_copy(ctx.users["dingmi"], original, kind=CopyKind.COPY, copies=2,
                                  purpose="型号方案评审会分发评审组专家，会后收回")
    request = order.request
    assert request is not None  # request_copy always files the request
    for decider in (ctx.users["bumen"], ctx.users["baomiban"]):
        request = decide(decider, request, "approve", comment="同意复制2份，会后收回登记。")
    services.make_copies(clerk, CopyOrder.objects.get(pk=order.pk),
                         made_on=timezone.localdate())


def _pending_order(ctx: DemoContext, original: Carrier) -> None:
    services.request_copy(ctx.users["yuangong"], original, kind=CopyKind.EXTRACT, copies=1,
                          purpose="摘抄外协加工关键尺寸要求，用于工艺评审")


def _prints(ctx: DemoContext, office: Any, clerk: Any, unit: Unit) -> None:
    people = {p.name: p for p in Person.objects.filter(unit=unit)}
    now = timezone.now()

    def ago(days: int, hours: int = 0) -> datetime.datetime:
        return now - datetime.timedelta(days=days, hours=hours)

    head = ctx.users["bumen"].person
    services.record_print(
        ctx.users["dingmi"], title="某型雷达分系统设计报告（修改稿）", scheme="state",
        level=Level.CONFIDENTIAL, pages=88, copies=1, device=PRINTER_YF1, printed_at=ago(2, 3),
        approved_by=head)
    services.record_print(
        ctx.users["yuangong"], title="外协加工技术要求（工艺评审稿）", scheme="state",
        level=Level.SECRET, pages=12, copies=2, device=PRINTER_YF1, printed_at=ago(1, 5),
        approved_by=head, recipient=people["何振宇"])
    services.record_print(
        clerk, title="试验数据处理软件设计说明（打印件）", scheme="state", level=Level.SECRET,
        pages=35, copies=1, device=PRINTER_XX, printed_at=ago(1, 2),
        printed_by=people["韩磊"], approved_by=office.person)
    item = SecretItem.objects.filter(unit=unit, number="HXDZ-DM-001").first()
    cabinet = Container.objects.filter(unit=unit, number="HXDZ-WJG-01").first()
    services.record_print(
        office, title="型号总体技术方案（第二版）评审稿", scheme="state",
        level=Level.CONFIDENTIAL, pages=156, copies=3, device=PRINTER_BMB,
        printed_at=ago(0, 4), printed_by=office.person, approved_by=head,
        recipient=people["郭婷"], register_carrier=True, number=KEPT_PRINT,
        period_kind=PeriodKind.YEARS, period_value=20, secret_item=item, container=cabinet)
