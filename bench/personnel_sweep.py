"""Figure: the personnel obligation rules in `baomi sweep` over 100,000 people in post.

One unit, 100,000 people with files in post (bulk-created: the services are not what is
measured), training records (most with 2 sessions and 16 学时 this year, some short), signed
commitments, this year's 责任书 and the mobile-device commitment (M3) for most, 复审 dates
spread over five years; one in ten has left and is in the 脱密期 (an approved exit, some
formalities missing, return visits and period ends spread around today). Then
`run_sweep()` twice: the first run opens every obligation, the second finds them open and
changes nothing (the daily case). Target ≤ 5 s on SQLite and PostgreSQL.

    .venv/bin/python bench/personnel_sweep.py [--people 100000]
    scripts/with-postgres.sh .venv/bin/python bench/personnel_sweep.py
"""

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bench_database  # noqa: E402

DEPARTMENTS = 20
BATCH = 5000


def populate(people: int, today: datetime.date) -> None:
    from django.db import connection, transaction

    from baomi.accounts.models import Department, Person, Unit
    from baomi.core.labels import Category
    from baomi.core.testing.factories import UserFactory
    from baomi.personnel.choices import CommitmentKind, ExamResult, FileState
    from baomi.personnel.models import Commitment, PersonnelFile, TrainingRecord

    unit = Unit.objects.create(name="基准单位", code="BENCH")
    office = UserFactory(person__unit=unit, person__employee_no="BENCH-OFFICE")
    departments = Department.objects.bulk_create(
        Department(unit=unit, name=f"部门{i:02d}", code=f"D{i:02d}") for i in range(DEPARTMENTS))
    rng = random.Random(11)
    year_start = datetime.date(today.year, 1, 1)
    span = max(1, (today - year_start).days)
    for start in range(0, people, BATCH):
        with transaction.atomic():
            batch = Person.objects.bulk_create(
                Person(unit=unit, department=departments[n % DEPARTMENTS], name=f"人员{n}",
                       employee_no=f"E{n:06d}", category=Category.GENERAL)
                for n in range(start, min(start + BATCH, people)))
            files = PersonnelFile.objects.bulk_create(
                PersonnelFile(person=p, unit=unit, state=FileState.IN_POST,
                              category=rng.choice(list(Category)[1:]),
                              in_post_since=datetime.date(2020, 1, 1),
                              last_review_on=datetime.date(2024, 1, 1),
                              rereview_due_on=today + datetime.timedelta(
                                  days=rng.randint(-60, 5 * 365)))
                for p in batch)
            TrainingRecord.objects.bulk_create(
                TrainingRecord(person=p, course="保密教育", hours=8,
                               held_on=year_start + datetime.timedelta(days=rng.randrange(span)),
                               exam_result=ExamResult.PASSED)
                for p in batch for _ in range(1 if rng.random() < 0.2 else 2))
            Commitment.objects.bulk_create(
                Commitment(person=p, kind=kind, year=year, signed_on=datetime.date(year, 1, 5),
                           text_version="2026-1")
                for p in batch
                for kind, year in ((CommitmentKind.COMMITMENT, 2020),
                                   (CommitmentKind.RESPONSIBILITY, today.year),
                                   (CommitmentKind.MOBILE, 2020))
                if kind == CommitmentKind.COMMITMENT or rng.random() < 0.85)
            leave(files[::10], office, today, rng)
    with connection.cursor() as cursor:  # fresh statistics, as after a real load
        cursor.execute("ANALYZE")


def leave(files: list, office: object, today: datetime.date, rng: random.Random) -> None:
    """Put these files in the 脱密期: approved exits around today, some formalities missing."""
    from baomi.personnel.choices import ExitKind, ExitState, FileState
    from baomi.personnel.models import ExitCase, PersonnelFile

    def day(low: int, high: int) -> datetime.date:
        return today + datetime.timedelta(days=rng.randint(low, high))

    cases = []
    for file in files:
        approved, ends = day(-700, -1), day(-30, 700)
        cases.append(ExitCase(
            file=file, kind=rng.choice(list(ExitKind)), state=ExitState.APPROVED,
            leave_on=approved, reason="调离", category=file.category, approved_on=approved,
            period_months=12, ends_on=ends, committed_on=approved,
            talk_on=approved if rng.random() < 0.9 else None, talkers=["甲", "乙"],
            door_access_revoked_on=approved if rng.random() < 0.9 else None,
            next_visit_due_on=day(-20, 90), created_by=office))
        file.state, file.left_on, file.declassification_ends_on = (
            FileState.DECLASSIFYING, approved, ends)
    ExitCase.objects.bulk_create(cases)
    PersonnelFile.objects.bulk_update(files, ["state", "left_on", "declassification_ends_on"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    with bench_database() as vendor:
        from django.utils import timezone

        from baomi.obligations.services import run_sweep

        today = timezone.localdate()
        populate(args.people, today)
        began = time.perf_counter()
        first = run_sweep(today)
        first_s = time.perf_counter() - began
        began = time.perf_counter()
        second = run_sweep(today)
        second_s = time.perf_counter() - began
        personnel = {code: counts for code, counts in first.counts.items()
                     if code.startswith("personnel.")}
        print(f"first run (opens every obligation): {first_s:.1f} s; {personnel}")
        print(f"second run (nothing changed): {second_s:.1f} s; "
              f"{ {c: v for c, v in second.counts.items() if c.startswith('personnel.')} }")
        print(f"personnel_sweep: {max(first_s, second_s):.1f} s for {args.people} people "
              f"({vendor})")


if __name__ == "__main__":
    main()
