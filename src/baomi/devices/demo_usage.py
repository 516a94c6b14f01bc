"""Demo usage logs of 华信电子科技研究院 (rule D5), on the ledgers of `devices.demo`: the books
of last year (closed by the 保密办; for the computers in use then) and of this year (open) of
three classified computers — HXDZ-JSJ-001 (机密), HXDZ-JSJ-002 (秘密) and the 中间机
HXDZ-ZJJ-001 — with the uses of their users (起草方案, 编制报告 …, one of them going on right
now), this year's book of the 保密办's portable, an old book of six years ago closed and past
its retention (it shows on the 保密办's page of books to discard), and HXDZ-JSJ-003 in use
without a book for this year: the sweep raises `devices.usage_book_missing`.

Each use is recorded through the services by the user's own login when they have one, by the
保密办 otherwise (transcribed from the paper log). Idempotent: nothing is written when the unit
already has a usage-log book.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from baomi.accounts.models import Person, Unit
from baomi.core.demo import DemoContext
from baomi.core.labels import Level

from . import services
from .choices import DeviceState
from .models import Device, UsageBook

WORKS = {
    "HXDZ-JSJ-001": ["起草《某型雷达信号处理方案》", "编制《机载设备可靠性试验报告》",
                     "审校《总体设计说明书》第三章", "修改《研制任务书》技术指标"],
    "HXDZ-JSJ-002": ["编制《研发一部季度工作报告》", "整理项目评审会议纪要",
                     "起草《软件配置管理方案》", "汇总试验数据统计表"],
    "HXDZ-ZJJ-001": ["单向导入外来资料并查杀病毒", "刻录涉密光盘（登记后交保密办）",
                     "导出待审批文件至涉密U盘"],
    "HXDZ-BJB-001": ["外出检查时记录保密检查情况", "编制《保密自查报告》"],
}
# number, uses in last year's book, uses so far in this year's book
BOOKS = [("HXDZ-JSJ-001", 12, 10), ("HXDZ-JSJ-002", 10, 8), ("HXDZ-ZJJ-001", 6, 5),
         ("HXDZ-BJB-001", 0, 3)]
OLD_BOOK = ("HXDZ-JSJ-002", 4)  # kept past its retention: 4 uses six years ago
MISSING = "HXDZ-JSJ-003"  # in use, no book for this year


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("baomiban")
    if office is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if UsageBook.objects.filter(device__unit=unit).exists():
        ctx.say("devices: demo usage logs already loaded")
        return
    devices = {d.number: d for d in Device.objects.filter(unit=unit, state=DeviceState.IN_USE)}
    year = timezone.localdate().year
    for number, last_year_uses, this_year_uses in BOOKS:
        device = devices.get(number)
        if device is None:
            continue
        if last_year_uses and device.in_use_on.year < year:  # it was in use last year
            _book(office, device, year - 1, last_year_uses, close=True)
        _book(office, device, year, this_year_uses, close=False)
    number, uses = OLD_BOOK
    if number in devices:
        _book(office, devices[number], year - 6, uses, close=True)
    ctx.say(f"devices: usage logs of {len(BOOKS)} computers, one book past its retention, "
            f"{MISSING} without this year's book")


def _users(device: Device) -> list[Person]:
    """Who uses the computer: its registered users, else its responsible person."""
    users = [entry.person for entry in device.user_entries.select_related("person")
             .order_by("person__name")]
    return users or [device.responsible]


def _recorder(office: Any, person: Person) -> Any:
    """The user records their own use with their login; the 保密办 transcribes the others."""
    own = getattr(person, "user", None)
    return own if own is not None and own.is_active else office


def _moments(year: int, count: int, since: dt.date,
             ongoing: bool) -> list[tuple[dt.datetime, Any]]:
    """`count` uses spread over the year (from the day the computer came into use) up to
    yesterday, on working days in office hours; one more going on right now when
    `ongoing`."""
    now = timezone.localtime()
    first = timezone.make_aware(dt.datetime.combine(max(dt.date(year, 1, 5), since),
                                                    dt.time(8, 30)))
    last = min(timezone.make_aware(dt.datetime(year, 12, 28, 8, 30)),
               now - dt.timedelta(days=1))
    moments: list[tuple[dt.datetime, Any]] = []
    spread = [first + (last - first) / count * index for index in range(count)] \
        if count and last > first else []
    for index, start in enumerate(spread):
        start -= dt.timedelta(days=max(0, start.weekday() - 4))  # a weekend: that Friday
        start = start.replace(hour=8 + index % 3 * 2, minute=30)
        moments.append((start, start + dt.timedelta(hours=1, minutes=15 * (index % 4))))
    going_on_since = (now - dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    if ongoing and going_on_since.year == year:
        moments.append((going_on_since, None))
    return moments


def _book(office: Any, device: Device, year: int, uses: int, *, close: bool) -> UsageBook:
    book = services.open_usage_book(office, device, year=year)
    users, works = _users(device), WORKS[device.number]
    ongoing = not close and device.number == "HXDZ-JSJ-001"
    moments = _moments(year, uses, device.in_use_on, ongoing)
    for index, (start, end) in enumerate(moments):
        person = users[index % len(users)]
        level = int(device.level) if index % 3 else Level.SECRET  # some work below the level
        services.record_usage(_recorder(office, person), device, user=person,
                              started_at=start, ended_at=end, work=works[index % len(works)],
                              level=level, book=book)
    if close:
        services.close_usage_book(office, book)
    return book
