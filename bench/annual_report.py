"""Figures: the annual self-inspection report (rule Q5) and the 保密办's overview page for a unit
with 5,000 people, 200,000 carriers and 20,000 devices.

The unit (bulk inserts: the services are not what is measured): the device fleet of
devices_common.py (20,000 devices of every kind and level, the 保密办 user `office` and 2,000
people), 3,000 more people, a classified-personnel file for each of the 5,000 (mostly in post,
核心/重要/一般), two training sessions a person this year, 200,000 carriers of every level and
state received over two years, 10,000 loans this year, and 5,000 open obligations due over the
year. Then, as the 保密办:

- `generate_annual_report` for this year, `--runs` times (each builds the .docx from scratch and
  replaces the stored one): median and slowest. Target ≤ 10 s.
- the overview page through Django's test Client, `--requests` times: median and p99. Target
  median ≤ 300 ms.

    .venv/bin/python bench/annual_report.py [--carriers 200000] [--people 5000] [--devices 20000]
    scripts/with-postgres.sh .venv/bin/python bench/annual_report.py
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

from common import bench_database, median, percentile  # noqa: E402
from devices_common import load  # noqa: E402

OBLIGATIONS = 5_000
LOANS = 10_000


BATCH = 10_000


def _bulk(model: Any, objects: Iterator[Any]) -> None:
    from itertools import islice

    from django.db import transaction

    while batch := list(islice(objects, BATCH)):
        with transaction.atomic():
            model.objects.bulk_create(batch)


def _people(unit: Any, departments: list[int], extra: int, rng: random.Random) -> int:
    """`extra` more people, then a file and two training sessions for everyone of the unit."""
    from baomi.accounts.models import Person
    from baomi.personnel.models import PersonnelFile, TrainingRecord

    _bulk(Person, (Person(unit=unit, department_id=departments[n % len(departments)],
                          name=f"职工{n}", employee_no=f"X{n:05d}", category=1 + n % 3)
                   for n in range(extra)))
    people = list(Person.objects.filter(unit=unit).values_list("pk", "category"))
    states = ["in_post"] * 8 + ["leaving", "declassifying"]
    today = datetime.date.today()
    _bulk(PersonnelFile, (
        PersonnelFile(person_id=pk, unit=unit, state=rng.choice(states),
                      category=max(1, category),
                      in_post_since=today - datetime.timedelta(days=rng.randrange(900)))
        for pk, category in people))
    _bulk(TrainingRecord, (
        TrainingRecord(person_id=pk, course=course, held_on=today.replace(month=month, day=10),
                       hours=2)
        for pk, _ in people for course, month in (("保密法律法规", 3), ("保密技术防护", 9))))
    return len(people)


def _carriers(unit: Any, office: Any, departments: list[int], count: int,
              rng: random.Random) -> None:
    from baomi.carriers.models import Carrier, Loan

    today = datetime.date.today()
    levels = [1] * 6 + [2] * 3 + [3]
    states = ["in_store"] * 14 + ["on_loan", "to_destroy", "destroyed", "destroyed", "out",
                                  "missing"]
    _bulk(Carrier, (
        Carrier(unit=unit, department_id=departments[n % len(departments)],
                number=f"ZT-{n:07d}", title=f"载体{n}", kind="paper", scheme="state",
                level=rng.choice(levels), period_kind="years", period_value=10,
                origin="received", received_on=today - datetime.timedelta(days=rng.randrange(730)),
                custodian_id=office.person_id, state=rng.choice(states), registered_by=office)
        for n in range(count)))
    now = datetime.datetime.now(datetime.UTC)
    ids = list(Carrier.objects.filter(unit=unit).values_list("pk", flat=True)[:LOANS])
    _bulk(Loan, (Loan(carrier_id=pk, borrower_id=office.person_id, kind="borrow", purpose="查阅",
                      state="returned", due_on=today, handed_out_at=now, created_by=office)
                      for pk in ids))


def _obligations(unit: Any, rng: random.Random) -> None:
    from baomi.obligations.models import Obligation

    today = datetime.date.today()
    now = datetime.datetime.now(datetime.UTC)
    _bulk(Obligation, (
        Obligation(rule_code="bench.rule", rule_id="C1", unit=unit, subject_type="bench.subject",
                   subject_id=n, subject_label=f"事项{n}",
                   due_date=today + datetime.timedelta(days=rng.randrange(-60, 365)),
                   severity=rng.choice(["warning", "critical", "info"]),
                   level=rng.randrange(4), opened_at=now, updated_at=now)
        for n in range(OBLIGATIONS)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--carriers", type=int, default=200_000)
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--devices", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with bench_database() as vendor:
        from django.db import connection
        from django.test import Client
        from django.test.utils import setup_test_environment

        from baomi.accounts.models import Unit
        from baomi.compliance.services_annual import generate_annual_report

        setup_test_environment()  # the test Client's host is allowed
        rng = random.Random(11)
        unit = Unit.objects.create(name="基准单位", code="BENCH")
        started = time.perf_counter()
        fleet = load(unit, devices=args.devices, usage_rows=0)
        people = _people(unit, fleet.departments, max(0, args.people - 2_002), rng)
        _carriers(unit, fleet.office, fleet.departments, args.carriers, rng)
        _obligations(unit, rng)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"{vendor}: {people} people, {args.carriers} carriers, {fleet.devices} devices "
              f"loaded in {time.perf_counter() - started:.0f} s")

        year = datetime.date.today().year
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            generate_annual_report(fleet.office, unit=unit, year=year)
            timings.append(time.perf_counter() - started)
        client = Client()
        client.force_login(fleet.office)
        for _ in range(3):  # warm up
            client.get("/compliance/overview/")
        latencies = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get("/compliance/overview/")
            latencies.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        print(f"overview page: median {median(latencies):.1f} ms, "
              f"p99 {percentile(latencies, 99):.1f} ms (target median ≤ 300 ms)")
        print(f"annual report ({vendor}): median {median(timings):.2f} s, slowest "
              f"{max(timings):.2f} s over {args.runs} runs (target ≤ 10 s); overview page "
              f"median {median(latencies):.1f} ms")


if __name__ == "__main__":
    main()
