"""Demo stocktakes and missing carriers of 华信电子科技研究院 (rules C1, C8), on the demo
ledger of `carriers.demo`:

- the stocktake of the 研发一部 file cabinet (HXDZ-WJG-01), closed today: every carrier scanned
  but the disc 型号总体方案电子文档 (HXDZ-GP-2026-001), now missing — its case open, to be
  traced within 60 days;
- the design notes of the 试验数据处理软件 (HXDZ-ZT-2026-006, 秘密), lost at the 联试 site 70
  days ago and reported only now: past the 60 days of rule C8, it is a leak incident already;
- the stocktake of the 保密办's safe (HXDZ-MX-01), in progress: two carriers found so far.

The 保密办 (baomiban) does everything through the services. The one direct write back-dates
when the lost design notes came in (demo data only, as the other demos back-date their loans).
Idempotent: nothing is written when the unit already has a stocktake.
"""

import datetime
from typing import Any

from django.utils import timezone

from baomi.accounts.models import Unit
from baomi.core.demo import DemoContext

from . import services
from .choices import CarrierState
from .labels import label_payload
from .models import Carrier, Container, Stocktake
from .models.stocktake import LineResult

CABINET = "HXDZ-WJG-01"
SAFE = "HXDZ-MX-01"
NOT_FOUND = "HXDZ-GP-2026-001"
LOST = "HXDZ-ZT-2026-006"
LOST_DAYS_AGO = 70
FOUND_IN_SAFE = 2


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("baomiban")
    if office is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if Stocktake.objects.filter(unit=unit).exists():
        ctx.say("carriers: demo stocktakes already loaded")
        return
    containers = {c.number: c for c in Container.objects.filter(unit=unit,
                                                                 number__in=(CABINET, SAFE))}
    if len(containers) < 2:
        return  # no demo ledger
    missing = _closed_stocktake(office, unit, containers[CABINET])
    incident = _lost_long_ago(office, unit)
    found = _stocktake_in_progress(office, unit, containers[SAFE])
    ctx.say(f"carriers: stocktake of {CABINET} closed ({missing} not found, now missing); "
            f"{'a carrier lost 70 days ago is a leak incident; ' if incident else ''}"
            f"stocktake of {SAFE} in progress ({found} found)")


def _closed_stocktake(office: Any, unit: Unit, cabinet: Container) -> int:
    """Every carrier of the cabinet scanned but the disc: closed, the disc missing."""
    stocktake = services.start_stocktake(office, unit=unit, container=cabinet,
                                         note="季度清查盘点（研发一部资料室）")
    lines = list(stocktake.lines.select_related("carrier", "carrier__unit").order_by("id"))
    absent = [line for line in lines if line.carrier.number == NOT_FOUND] or lines[-1:]
    for line in lines:
        if line not in absent:
            services.check_carrier(office, stocktake, code=label_payload(line.carrier))
    return len(services.close_stocktake(office, stocktake).missing)


def _lost_long_ago(office: Any, unit: Unit) -> bool:
    """rule C8: reported after its 60 days, the loss is handled as a leak at once."""
    carrier = Carrier.objects.filter(unit=unit, number=LOST,
                                     state=CarrierState.IN_STORE).first()
    if carrier is None:
        return False
    today = timezone.localdate()
    discovered = today - datetime.timedelta(days=LOST_DAYS_AGO)
    if carrier.received_on > discovered:  # demo only: it came in last winter
        carrier.received_on = discovered - datetime.timedelta(days=90)
        Carrier.objects.filter(pk=carrier.pk).update(received_on=carrier.received_on)
    case = services.report_missing(
        office, carrier, discovered_on=discovered,
        note="联试现场撤场时清点发现缺失，经责任人韩磊及联试人员多次查找，仍查无下落")
    return case.incident_id is not None


def _stocktake_in_progress(office: Any, unit: Unit, safe: Container) -> int:
    stocktake = services.start_stocktake(office, unit=unit, container=safe,
                                         note="年度清查盘点（保密办机要室）")
    for line in stocktake.lines.select_related("carrier").order_by("id")[:FOUND_IN_SAFE]:
        services.check_carrier(office, stocktake, code=line.carrier.number)
    return stocktake.lines.filter(result=LineResult.FOUND).count()
