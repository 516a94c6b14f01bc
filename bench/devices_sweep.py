"""Figure: the device rules in `baomi sweep` over 200,000 devices.

The fleet of devices_common.py (200,000 devices of every kind and level, mostly in use, with
their usage-log books — one classified computer in a hundred misses this year's book, rule D5 —
and `--usage-rows` entries, which no rule reads), then the rest of a unit's device data, bulk
inserted (the services are not what is measured):

- passwords (rule D6): the last change of every device recorded up to a fifth past the interval
  of its level ago — 秘密 is changed monthly, 机密 and 绝密 weekly — so that about one in six
  is overdue, and never recorded on one in a hundred;
- removable media (rule D4): 50,000 media, each bound to one computer it may be used on;
  10,000 checked out, one in ten past its due day;
- classified systems (rule D10): 2,000 systems of 5 devices each, their last risk assessment
  0 to 30 months ago;
- checks (rule D11): every classified computer in use or idle checked 0 to 200 days ago (due
  every 6), signed by checker, user and department head except one check in twenty missing
  the head's signature; a rectification item for one check in twenty, due around today, most
  of them open.

Then `run_sweep()` twice with only the device rules registered (every rule whose code starts
with `devices.`): the first run opens every obligation, the second finds them open and changes
nothing (the daily case). Target ≤ 5 s.

    .venv/bin/python bench/devices_sweep.py [--devices 200000] [--usage-rows 200000]
    scripts/with-postgres.sh .venv/bin/python bench/devices_sweep.py
"""

import argparse
import datetime
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bench_database  # noqa: E402
from devices_common import COMPUTERS, Fleet, _stamp, insert, load  # noqa: E402

MEDIA = 50_000
MEDIA_OUT = 10_000
SYSTEMS = 2_000
DEVICES_PER_SYSTEM = 5
CHANGE_DAYS = {0: 30, 1: 30, 2: 7, 3: 7}  # the policy's defaults (devices.password.*)
CHECK_SPREAD_DAYS = 200  # 6½ months: one computer in eleven past the 6 of the policy
MEDIUM_KINDS = ("usb", "usb", "usb", "disk", "optical", "card")


def _cleared(unit: Any) -> dict[int, list[int]]:
    """The ids of the people of the unit cleared for each level."""
    from baomi.accounts.models import Person

    cleared: dict[int, list[int]] = {level: [] for level in range(4)}
    for pk, category in Person.objects.filter(unit=unit).values_list("pk", "category"):
        for level in range(category + 1):
            cleared[level].append(pk)
    return cleared


def _computers(unit: Any, states: tuple[str, ...]) -> list[tuple[int, int, int, int]]:
    """(id, level, department, responsible) of the classified computers in `states`."""
    from baomi.devices.models import Device

    return list(Device.objects.filter(unit=unit, kind__in=COMPUTERS, level__gt=0,
                                      state__in=states)
                .order_by("pk").values_list("pk", "level", "department_id", "responsible_id"))


def passwords(unit: Any, today: datetime.date) -> None:
    """rule D6: each device's last change recorded 0 to a fifth past its level's interval ago
    (spread by id, so about one in six is overdue); never recorded on one in a hundred."""
    from django.db import transaction
    from django.db.models import F
    from django.db.models.functions import Mod

    from baomi.devices.models import Device

    with transaction.atomic():
        for level, interval in CHANGE_DAYS.items():
            span = interval + interval // 5 + 1
            devices = Device.objects.filter(unit=unit, level=level).annotate(
                spread=Mod(F("pk"), span), never=Mod(F("pk"), 100)).exclude(never=0)
            for days in range(span):
                devices.filter(spread=days).update(
                    password_changed_on=today - datetime.timedelta(days=days))


def media(fleet: Fleet, unit: Any, today: datetime.date, rng: random.Random) -> None:
    """rule D4: MEDIA media bound each to a computer it may be used on (classified at or
    above the medium's level), MEDIA_OUT of them checked out, one in ten overdue."""
    from baomi.devices.models import Medium, MediumBinding, MediumLoan

    computers = _computers(unit, ("in_use", "idle"))
    cleared = _cleared(unit)
    now = datetime.datetime.now(datetime.UTC)
    stamp = _stamp(now)
    office = fleet.office.pk
    bound_to: list[int] = []

    def medium_rows() -> Iterator[tuple[Any, ...]]:
        for n in range(MEDIA):
            device, level, department, _responsible = computers[n % len(computers)]
            level = rng.randint(1, level)  # never above the computer it is bound to
            bound_to.append(device)
            state = "out" if n < MEDIA_OUT else "in_store"
            yield (unit.pk, department, f"JZ-{n:07d}", MEDIUM_KINDS[n % len(MEDIUM_KINDS)],
                   level, "朗科 U208", f"U{n:08d}", "64GB", rng.choice(cleared[level]),
                   "保密柜", state, office, stamp, stamp)

    insert(Medium, ("unit", "department", "number", "kind", "level", "model", "serial_no",
                    "capacity", "responsible", "location", "state", "registered_by",
                    "created_at", "updated_at"), medium_rows())
    ids = list(Medium.objects.filter(unit=unit).order_by("number").values_list("pk", "level",
                                                                              "responsible"))
    bound_on = (today - datetime.timedelta(days=100)).isoformat()
    insert(MediumBinding, ("medium", "device", "bound_on", "bound_by"),
           ((pk, device, bound_on, office) for (pk, _l, _r), device in zip(ids, bound_to,
                                                                          strict=True)))

    def loan_rows() -> Iterator[tuple[Any, ...]]:
        for n, (pk, _level, responsible) in enumerate(ids[:MEDIA_OUT]):
            if n % 10:  # out 1 to 7 days, due back within the week
                days_out, due = rng.randint(1, 7), today + datetime.timedelta(days=rng.randint(0, 6))
            else:  # out 11 to 20 days, due back 1 to 10 days ago
                days_out, due = rng.randint(11, 20), today - datetime.timedelta(
                    days=rng.randint(1, 10))
            yield (pk, responsible, "拷贝资料", _stamp(now - datetime.timedelta(days=days_out)),
                   due.isoformat(), office, "out", "", "")

    insert(MediumLoan, ("medium", "person", "purpose", "out_at", "due_on", "handed_by", "state",
                        "content_check", "content_note"), loan_rows())


def systems(fleet: Fleet, unit: Any, today: datetime.date, rng: random.Random) -> None:
    """rule D10: SYSTEMS systems of DEVICES_PER_SYSTEM computers at or above their level, the
    last assessment 0 to 30 months ago."""
    from baomi.devices.models import ClassifiedSystem, RiskAssessment

    computers = _computers(unit, ("in_use",))
    cleared = _cleared(unit)
    stamp = _stamp(datetime.datetime.now(datetime.UTC))
    office = fleet.office.pk
    levels = [rng.choice((1, 1, 2, 3)) for _ in range(SYSTEMS)]
    insert(ClassifiedSystem, ("unit", "name", "level", "responsible", "in_use_on",
                              "registered_by", "created_at"),
           ((unit.pk, f"涉密信息系统{n:04d}", level, rng.choice(cleared[level]), "2020-01-01",
             office, stamp) for n, level in enumerate(levels)))
    made = list(ClassifiedSystem.objects.filter(unit=unit).order_by("pk")
                .values_list("pk", "level"))
    by_level = {level: [pk for pk, device_level, _d, _r in computers if device_level >= level]
                for level in (1, 2, 3)}
    through = ClassifiedSystem.devices.through
    insert(through, ("classifiedsystem", "device"),
           ((pk, device) for pk, level in made
            for device in rng.sample(by_level[level], DEVICES_PER_SYSTEM)))
    insert(RiskAssessment, ("system", "assessed_on", "assessor", "report_no", "passed",
                            "findings", "recorded_by", "created_at"),
           ((pk, (today - datetime.timedelta(days=rng.randint(0, 900))).isoformat(), "测评中心",
             f"R-{pk}", True, "", office, stamp) for pk, _level in made))


def checks(fleet: Fleet, unit: Any, today: datetime.date, rng: random.Random) -> None:
    """rule D11: one check of every classified computer in use or idle, 0 to
    CHECK_SPREAD_DAYS days ago, signed three times except one in twenty; a rectification item
    for one check in twenty."""
    from baomi.devices.models import CheckFinding, CheckSignOff, DeviceCheck

    computers = _computers(unit, ("in_use", "idle"))
    stamp = _stamp(datetime.datetime.now(datetime.UTC))
    office, checker = fleet.office.pk, fleet.office.person_id
    insert(DeviceCheck, ("device", "checked_on", "tool", "tool_version", "checker",
                         "no_internet", "no_wireless", "ports_sealed", "items", "passed", "note",
                         "recorded_by", "created_at"),
           ((pk, (today - datetime.timedelta(days=rng.randint(0, CHECK_SPREAD_DAYS)))
             .isoformat(), "计算机终端保密检查系统", "V5.2", checker, True, True, True, "[]",
             True, "", office, stamp) for pk, _l, _d, _r in computers))
    made = list(DeviceCheck.objects.filter(device__unit=unit).order_by("pk")
                .values_list("pk", "checked_on", "device__responsible_id"))

    def sign_offs() -> Iterator[tuple[Any, ...]]:
        for n, (pk, checked_on, responsible) in enumerate(made):
            roles = ("checker", "user") if n % 20 == 0 else ("checker", "user", "head")
            for role in roles:
                person = checker if role != "user" else responsible
                yield (pk, role, person, checked_on.isoformat(), office)

    insert(CheckSignOff, ("check_record", "role", "person", "signed_on", "recorded_by"),
           sign_offs())
    insert(CheckFinding, ("check_record", "description", "owner", "due_on", "state",
                          "rectified_on", "rectification", "verified_on", "verified_by"),
           ((pk, "安装有与工作无关的软件", responsible,
             (today + datetime.timedelta(days=rng.randint(-30, 30))).isoformat(),
             "open" if n % 5 else "rectified", None if n % 5 else today.isoformat(),
             "" if n % 5 else "已卸载", None, None)
            for n, (pk, _day, responsible) in enumerate(made[::20])))


def device_rules_only() -> list[str]:
    """Unregister every rule but the device rules (the figure is theirs); their codes."""
    from baomi.obligations.registry import all_rules, unregister

    for rule in all_rules():
        if not rule.code.startswith("devices."):
            unregister(rule.code)
    return [rule.code for rule in all_rules()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=200_000)
    parser.add_argument("--usage-rows", type=int, default=200_000)
    args = parser.parse_args()
    with bench_database() as vendor:
        from django.db import connection
        from django.utils import timezone

        from baomi.accounts.models import Unit
        from baomi.obligations.services import run_sweep

        today = timezone.localdate()
        rng = random.Random(9)
        began = time.perf_counter()
        unit = Unit.objects.create(name="基准单位", code="BENCH")
        fleet = load(unit, devices=args.devices, usage_rows=args.usage_rows)
        passwords(unit, today)
        media(fleet, unit, today, rng)
        systems(fleet, unit, today, rng)
        checks(fleet, unit, today, rng)
        with connection.cursor() as cursor:  # fresh statistics, as after a real load
            cursor.execute("ANALYZE")
        print(f"loaded {fleet.devices} devices in {time.perf_counter() - began:.0f} s")
        print("rules:", ", ".join(device_rules_only()))
        timings = []
        for label in ("first run", "second run (nothing changed)"):
            began = time.perf_counter()
            run = run_sweep(today)
            timings.append(time.perf_counter() - began)
            counts = {code.removeprefix("devices."): (c.get("open"), c.get("errors"))
                      for code, c in run.counts.items() if code.startswith("devices.")}
            print(f"{label}: {timings[-1]:.1f} s; (open, errors) {counts}")
        print(f"devices_sweep: {max(timings):.1f} s for {fleet.devices} devices ({vendor})")


if __name__ == "__main__":
    main()
