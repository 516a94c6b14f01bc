"""Populating the device ledger and the usage log for the device benchmarks: raw bulk inserts
(`executemany` in batches, COPY on PostgreSQL) — the services are not what is measured.

    fleet = load(unit, devices=200_000, usage_rows=10_000_000)

In `unit`: 20 departments, 2,000 people (the responsible persons and users of the devices),
one 保密办 user `office` (核心, sees every device) and one ordinary user `staff` (重要 → 机密
clearance, department 0), responsible for one device in a thousand and a registered user of
another one in a thousand. The devices: computers (desktop, portable, server, 中间机), office
equipment and security products, 非密 to 绝密, mostly in use. Every classified computer that is
in use or idle has a closed usage-log book (rule D5) for last year and an open one for this
year, except one in a hundred which has no book for this year (the obligation
`devices.usage_book_missing` fires for those in use). The `usage_rows` entries go to the
classified computers in use, ENTRIES_PER_DEVICE per computer (half in each year's book) until
they are all placed, so one device's book for a year holds about 250 entries, as a computer
used twice a working day would.
"""

import datetime
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

DEPARTMENTS = 20
PEOPLE = 2_000
BATCH = 20_000
ENTRIES_PER_DEVICE = 500
# kinds by position in a cycle of 20: mostly desktops, as in a real unit
KIND_CYCLE = (["desktop"] * 12 + ["portable"] * 2 + ["server", "intermediary", "printer",
                                                      "copier", "multifunction", "security"])
COMPUTERS = frozenset({"desktop", "portable", "server", "intermediary"})
WORKS = ("起草项目方案", "编制技术报告", "审校设计文档", "整理会议纪要", "绘制工程图纸",
         "编写测试大纲", "汇总统计数据", "修改合同附件")


@dataclass
class Fleet:
    """What the benchmarks need to know of the loaded data."""

    office: Any
    staff: Any
    departments: list[int]
    devices: int = 0
    books: int = 0
    entries: int = 0
    # ids of the full last-year books with entries: all of them, and those `staff` may see
    busy_books: list[int] = field(default_factory=list)
    staff_books: list[int] = field(default_factory=list)
    year: int = 0


def _columns(model: Any, names: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in names]


def insert(model: Any, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (tuples in the order of the field `names`) into `model`'s table."""
    from django.db import connection, transaction

    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _columns(model, names))
    count = 0
    iterator: Iterator[Sequence[Any]] = iter(rows)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in iterator:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        while batch := list(islice(iterator, BATCH)):
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _stamp(moment: datetime.datetime) -> str:
    """A UTC timestamp as each database takes it in a raw insert (Django stores naive UTC
    text on SQLite)."""
    from django.db import connection

    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    return text + "+00:00" if connection.vendor == "postgresql" else text


def _people(unit: Any, departments: list[Any]) -> tuple[Any, Any, dict[int, list[int]]]:
    """The 保密办 user, the ordinary user, and the ids of the other people by category."""
    from baomi.accounts.models import Person, RoleAssignment, User
    from baomi.accounts.roles import Role
    from baomi.core.labels import Category

    def account(username: str, category: int, role: str) -> Any:
        person = Person.objects.create(unit=unit, department=departments[0], name=username,
                                       employee_no=username.upper(), category=category)
        user = User.objects.create(username=username, person=person,
                                   must_change_password=False)
        RoleAssignment.objects.create(user=user, role=role, unit=unit)
        return user

    office = account("office", Category.CORE, Role.SECRECY_OFFICE)
    staff = account("staff", Category.IMPORTANT, Role.STAFF)
    categories = [Category.GENERAL] * 4 + [Category.IMPORTANT] * 4 + [Category.CORE] * 2
    people = Person.objects.bulk_create(
        Person(unit=unit, department=departments[n % DEPARTMENTS], name=f"人员{n}",
               employee_no=f"P{n:05d}", category=categories[n % 10]) for n in range(PEOPLE))
    cleared: dict[int, list[int]] = {level: [] for level in range(4)}
    for person in people:
        for level in range(person.category + 1):
            cleared[level].append(person.pk)
    return office, staff, cleared


def load(unit: Any, devices: int = 200_000, usage_rows: int = 10_000_000,
         seed: int = 5) -> Fleet:
    """Fill `unit` with `devices` devices and `usage_rows` usage-log entries (see the module
    docstring); ANALYZE at the end, as after a real load."""
    from django.db import connection

    from baomi.accounts.models import Department
    from baomi.devices.models import Device, DeviceUser

    rng = random.Random(seed)
    departments = Department.objects.bulk_create(
        Department(unit=unit, name=f"部门{i:02d}", code=f"BD{i:02d}") for i in range(DEPARTMENTS))
    office, staff, cleared = _people(unit, departments)
    today = datetime.date.today()
    year = today.year
    fleet = Fleet(office=office, staff=staff, departments=[d.pk for d in departments],
                  year=year)
    now = _stamp(datetime.datetime.now(datetime.UTC))
    levels = [0] + [1] * 6 + [2] * 3
    states = ["in_use"] * 90 + ["idle"] * 8 + ["away", "retired"]
    specs: list[tuple[int, str, int, str, int]] = []  # (n, kind, level, state, responsible)

    def device_rows() -> Iterator[tuple[Any, ...]]:
        for n in range(devices):
            kind = KIND_CYCLE[n % len(KIND_CYCLE)]
            level = rng.choice(levels) if n % 50 else 3
            state = rng.choice(states)
            if n % 1000 == 7:  # the ordinary user's own devices, within their clearance
                level, state, responsible = max(1, min(level, 2)), "in_use", staff.person_id
            else:
                responsible = rng.choice(cleared[level])
            specs.append((n, kind, level, state, responsible))
            yield (unit.pk, fleet.departments[n % DEPARTMENTS], f"BM-{n:07d}", kind, level,
                   f"型号{n % 37}", f"SN{n:09d}", f"ZC{n:08d}", f"DISK{n:09d}",
                   f"00:1A:{n % 256:02X}:{n // 256 % 256:02X}:{n // 65536 % 256:02X}:01",
                   "银河麒麟 V10", "2024-03-01", responsible, f"主楼{n % 9 + 1}层",
                   "2024-03-01", False, state, office.pk, now, now)

    fleet.devices = insert(Device, (
        "unit", "department", "number", "kind", "level", "model", "serial_no", "asset_no",
        "disk_serial", "mac", "os", "os_installed_on", "responsible", "location", "in_use_on",
        "phone_line", "state", "registered_by", "created_at", "updated_at"), device_rows())
    ids = dict(Device.objects.filter(unit=unit).values_list("number", "pk"))
    by_n = {n: ids[f"BM-{n:07d}"] for n, *_ in specs}
    computers = [(by_n[n], level, state, responsible) for n, kind, level, state, responsible
                 in specs if kind in COMPUTERS and level > 0 and state in ("in_use", "idle")]
    added = today.isoformat()
    insert(DeviceUser, ("device", "person", "added_on", "added_by"), (
        [(pk, responsible, added, office.pk) for pk, _, _, responsible in computers]
        + [(by_n[n], staff.person_id, added, office.pk) for n, kind, level, state, _ in specs
           if n % 1000 == 13 and level <= 2 and kind in COMPUTERS]))
    _books(fleet, computers, year, office.pk)
    fleet.entries = _entries(fleet, computers, usage_rows, year, office.pk, staff.person_id,
                             rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return fleet


def _books(fleet: Fleet, computers: list[tuple[int, int, str, int]], year: int,
           recorder: int) -> None:
    from baomi.devices.models import UsageBook

    last_closed = datetime.date(year, 1, 5).isoformat()

    def rows() -> Iterator[tuple[Any, ...]]:
        for index, (pk, *_rest) in enumerate(computers):
            yield (pk, year - 1, f"{year - 1}-01-02", recorder, last_closed, recorder)
            if index % 100 != 99:  # one in a hundred misses this year's book (rule D5)
                yield (pk, year, f"{year}-01-02", recorder, None, None)

    fleet.books = insert(UsageBook, ("device", "year", "opened_on", "opened_by", "closed_on",
                                     "closed_by"), rows())


def _entries(fleet: Fleet, computers: list[tuple[int, int, str, int]], usage_rows: int,
             year: int, recorder: int, staff_person: int, rng: random.Random) -> int:
    """ENTRIES_PER_DEVICE entries (more if `usage_rows` needs it) for each classified computer
    in use until `usage_rows` are placed, half in last year's book, half in this year's (up to
    today)."""
    from baomi.devices.models import UsageBook, UsageEntry

    books = dict(((device, book_year), pk) for pk, device, book_year in
                 UsageBook.objects.values_list("pk", "device_id", "year"))
    in_use = [c for c in computers if c[2] == "in_use" and (c[0], year) in books]
    per_device = max(ENTRIES_PER_DEVICE, -(-usage_rows // max(1, len(in_use))))
    start_last = datetime.datetime(year - 1, 1, 2, 0, 30, tzinfo=datetime.UTC)
    start_this = datetime.datetime(year, 1, 2, 0, 30, tzinfo=datetime.UTC)
    days_this = max(1, (datetime.datetime.now(datetime.UTC) - start_this).days)

    def rows() -> Iterator[tuple[Any, ...]]:
        left = usage_rows
        for device, level, _state, responsible in in_use:
            if left <= 0:
                return
            count = min(left, per_device)
            left -= count
            book_last, book_this = books[(device, year - 1)], books[(device, year)]
            if responsible == staff_person:
                fleet.staff_books.append(book_last)
            fleet.busy_books.append(book_last)
            half = count // 2 + count % 2
            for book, first, span, number in ((book_last, start_last, 360, half),
                                              (book_this, start_this, days_this, count - half)):
                step = span * 86_400 / max(1, number)
                for i in range(number):
                    began = first + datetime.timedelta(seconds=int(i * step))
                    ended = began + datetime.timedelta(minutes=30 + 15 * (i % 12))
                    yield (book, responsible, _stamp(began), _stamp(ended),
                           WORKS[(device + i) % len(WORKS)], 1 + (i % level), recorder,
                           _stamp(ended))

    return insert(UsageEntry, ("book", "user", "started_at", "ended_at", "work", "level",
                               "recorded_by", "created_at"), rows())
