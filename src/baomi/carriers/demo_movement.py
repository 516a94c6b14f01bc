"""Demo carriers leaving 华信电子科技研究院 (rules C2, C6), on the demo ledger of
`carriers.demo` and the copies of `carriers.demo_copying`:

- 孙立新 (dingmi) took 某型雷达分系统设计报告 to the design review at 十四所 this morning and
  brought it back in the afternoon (carried out and returned);
- 郭婷 carries 型号总体技术方案（第二版） to the 集团 review in Beijing, with 何振宇: filed for
  her by 保密办干事 (baomiyuan), handed over an hour ago, due back in three days;
- copy 1 of the design report went to an expert of the review panel by 机要通信 and was
  signed for (rule C2: 签收);
- copy 2 went by 机要交通 thirteen days ago and nobody has signed for it yet: past the 10 days
  of `rules_movement.RECEIPT_DAYS`, the sweep chases the receipt (obligation);
- 孙立新 asks to take the radar antenna sample to the subcontractor's joint test: waiting in
  bumen's inbox.

A 绝密 movement is not in the demo: its chain (部门负责人 → 保密办 → 单位领导, rule C6) needs a
部门负责人 cleared 绝密 besides the person carrying it, and the demo unit has none (张伟, the
only 部门负责人, is 重要); `submit_request` would refuse it (`no_approver`).

Everything goes through the services: requests, the approvals chain (bumen, then baomiban),
hand-over by the clerk, return and receipt. Idempotent: nothing is written when the unit
already has movements.
"""

import datetime
from typing import Any

from django.utils import timezone

from baomi.accounts.models import Person, Unit
from baomi.approvals.services import decide
from baomi.core.demo import DemoContext

from . import services
from .choices import CarrierState
from .models import Carrier, Movement
from .models.movement import MovementChannel, MovementKind

RETURNED = "HXDZ-ZT-2026-002"      # 某型雷达分系统设计报告, 机密
OUT_NOW = "HXDZ-ZT-2026-001"       # 型号总体技术方案（第二版）, 机密
SIGNED = "HXDZ-ZT-2026-002-F1"     # copy 1 of the design report
UNSIGNED = "HXDZ-ZT-2026-002-F2"   # copy 2, sent 13 days ago
PENDING = "HXDZ-CP-2026-001"       # 某型雷达天线样件, 机密
NUMBERS = (RETURNED, OUT_NOW, SIGNED, UNSIGNED, PENDING)
UNSIGNED_DAYS_AGO = 13


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("baomiban")
    clerk = ctx.users.get("baomiyuan")
    if office is None or clerk is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if Movement.objects.filter(carrier__unit=unit).exists():
        ctx.say("carriers: demo movements already loaded")
        return
    carriers = {c.number: c for c in Carrier.objects.filter(
        unit=unit, number__in=NUMBERS, state=CarrierState.IN_STORE)}
    if len(carriers) < len(NUMBERS):
        ctx.say("carriers: no demo ledger or copies, no movements")
        return
    _returned(ctx, clerk, carriers[RETURNED])
    _out_now(ctx, clerk, unit, carriers[OUT_NOW])
    _sent(ctx, clerk, carriers[SIGNED], carriers[UNSIGNED])
    _pending(ctx, carriers[PENDING])
    ctx.say("carriers: 5 movements — 1 carried out and back, 1 out until "
            f"{timezone.localdate() + datetime.timedelta(days=3):%Y-%m-%d}, 1 sent and signed "
            "for, 1 sent 13 days ago without a receipt, 1 awaiting the department head")


def _approved(ctx: DemoContext, movement: Movement, comment: str) -> Movement:
    """The chain `carrier_movement` below 绝密: the head of 研发一部, then the 保密办."""
    request = movement.request
    assert request is not None  # request_movement always files the request
    for decider in (ctx.users["bumen"], ctx.users["baomiban"]):
        request = decide(decider, request, "approve", comment=comment)
    return Movement.objects.select_related("carrier").get(pk=movement.pk)


def _returned(ctx: DemoContext, clerk: Any, carrier: Carrier) -> None:
    now = timezone.now()
    movement = services.request_movement(
        ctx.users["dingmi"], carrier, kind=MovementKind.CARRY_OUT,
        destination="中国电子科技集团第十四研究所 型号设计评审会",
        purpose="分系统设计评审汇报，当日返回", escorts=["孙立新"],
        due_back_on=timezone.localdate())
    movement = _approved(ctx, movement, "同意携带外出，载体不离身，当日交回。")
    services.hand_over(clerk, movement, out_at=now - datetime.timedelta(hours=6))
    services.record_return(clerk, movement, returned_at=now - datetime.timedelta(minutes=30))


def _out_now(ctx: DemoContext, clerk: Any, unit: Unit, carrier: Carrier) -> None:
    carrier_person = Person.objects.get(unit=unit, name="郭婷")
    movement = services.request_movement(
        clerk, carrier, kind=MovementKind.CARRY_OUT,
        destination="华信集团总部（北京） 型号总体方案审查会", purpose="型号总体方案审查汇报",
        escorts=["郭婷", "何振宇"], carried_by=carrier_person,
        due_back_on=timezone.localdate() + datetime.timedelta(days=3))
    movement = _approved(ctx, movement, "同意。二人同行，住宿期间存放于驻地保密柜。")
    services.hand_over(clerk, movement, out_at=timezone.now() - datetime.timedelta(hours=1))


def _sent(ctx: DemoContext, clerk: Any, signed: Carrier, unsigned: Carrier) -> None:
    """rule C2: through 机要 channels only; the recipient signs for it."""
    now = timezone.now()
    first = services.request_movement(
        ctx.users["dingmi"], signed, kind=MovementKind.SEND_OUT,
        destination="中国电子科技集团第十四研究所 评审组专家王建军",
        purpose="型号方案评审会会前送审", channel=MovementChannel.CONFIDENTIAL_MAIL,
        escorts=[])
    first = _approved(ctx, first, "同意通过机要通信发送，回执存档。")
    services.hand_over(clerk, first, out_at=now - datetime.timedelta(days=6))
    services.record_receipt(clerk, first, signed_by_name="王建军",
                            received_on=timezone.localdate() - datetime.timedelta(days=4))
    second = services.request_movement(
        ctx.users["dingmi"], unsigned, kind=MovementKind.SEND_OUT,
        destination="南京电子技术研究所 评审组专家李明", purpose="型号方案评审会会前送审",
        channel=MovementChannel.CONFIDENTIAL_TRAFFIC, escorts=[])
    second = _approved(ctx, second, "同意通过机要交通发送。")
    services.hand_over(clerk, second, out_at=now - datetime.timedelta(days=UNSIGNED_DAYS_AGO))


def _pending(ctx: DemoContext, carrier: Carrier) -> None:
    services.request_movement(
        ctx.users["dingmi"], carrier, kind=MovementKind.CARRY_OUT,
        destination="成都某外协厂 天线联调试验场", purpose="天线样件联调试验",
        escorts=["孙立新", "郭婷"],
        due_back_on=timezone.localdate() + datetime.timedelta(days=5))
