"""Demo destruction lists of 华信电子科技研究院 (rule C7), on the demo ledger's carriers:

- XH-<year>-001, destroyed: the 国家保密局 self-inspection notice and the 保密技术规范 disc,
  their work done, delivered to the group's designated destruction centre by 刘晓燕 and
  钱晓东, certificate on file; approved by 保密办干事 钱晓东 and the leader 陈建华;
- XH-<year>-002, awaiting the leader: the superseded 联试试验大纲 and the removable disk of
  its test data, checked by the 保密办干事, waiting in lingdao's inbox.

The 保密办 (baomiban) draws up, submits and records; everything goes through the services.
Idempotent: nothing is written when the unit already has a destruction list. A carrier the
other demos have since lent out or moved is left off; a list left empty is not opened.
"""

from typing import Any

from django.utils import timezone

from baomi.accounts.models import Unit
from baomi.approvals.services import decide
from baomi.core.demo import DemoContext

from . import services
from .choices import CarrierState, LoanState
from .models import Carrier, DestructionBatch
from .models.destruction import DestructionMethod

CENTRE = "华信集团涉密载体销毁中心（国家保密行政管理部门指定的销毁机构）"
DESTROYED = ["HXDZ-SW-2026-003", "HXDZ-GP-2026-002"]
WAITING = ["HXDZ-ZT-2026-005", "HXDZ-CZ-2026-001"]


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("baomiban")
    clerk, leader = ctx.users.get("baomiyuan"), ctx.users.get("lingdao")
    if office is None or clerk is None or leader is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if DestructionBatch.objects.filter(unit=unit).exists():
        ctx.say("carriers: demo destruction lists already loaded")
        return
    destroyed = _destroyed_list(office, clerk, leader, unit)
    waiting = _waiting_list(office, clerk, unit)
    ctx.say(f"carriers: destruction lists — {destroyed} destroyed (certificate on file), "
            f"{waiting} awaiting the unit leader")


def _available(unit: Unit, numbers: list[str]) -> list[Carrier]:
    """The carriers still in store and promised to nobody."""
    return list(Carrier.objects.filter(unit=unit, number__in=numbers,
                                       state=CarrierState.IN_STORE)
                .exclude(loans__state__in=(LoanState.APPROVED, LoanState.OUT))
                .order_by("number"))


def _listed(office: Any, unit: Unit, carriers: list[Carrier], reason: str
            ) -> DestructionBatch:
    batch = services.create_batch(office, unit=unit, reason=reason,
                                  planned_method=DestructionMethod.BODY,
                                  planned_place=CENTRE)
    for carrier in carriers:
        services.add_to_batch(office, batch, carrier)
    return batch


def _destroyed_list(office: Any, clerk: Any, leader: Any, unit: Unit) -> str:
    carriers = _available(unit, DESTROYED)
    if not carriers:
        return "0"
    batch = _listed(office, unit, carriers,
                    "年度保密自查自评工作已完成，上级来文及光盘已无保存价值，按规定集中销毁。")
    request = services.submit_batch(office, batch)
    request = decide(clerk, request, "approve", comment="已清点核对，帐物相符。")
    decide(leader, request, "approve", comment="同意销毁，由两人送指定销毁机构。")
    batch.refresh_from_db()
    services.record_destruction(
        office, batch, destroyed_at=timezone.now(), place="华信集团涉密载体销毁中心",
        method=DestructionMethod.BODY, executors=["刘晓燕", "钱晓东"], body=CENTRE,
        certificate_no=f"HXXH-{timezone.localdate().year}-0315")
    return "1"


def _waiting_list(office: Any, clerk: Any, unit: Unit) -> str:
    carriers = _available(unit, WAITING)
    if not carriers:
        return "0"
    batch = _listed(office, unit, carriers,
                    "联试试验大纲已被新版替代，试验数据已归档，原载体不再保留。")
    request = services.submit_batch(office, batch)
    decide(clerk, request, "approve", comment="已清点核对，帐物相符，拟送指定机构销毁。")
    return "1"
