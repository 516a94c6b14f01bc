"""Figure: the 定密 rules and the expiry job in `baomi sweep` over 100,000 secret items.

One unit with 定密权限 机密, 100,000 items bulk-created (the services are not what is
measured): most in force with decisions and reviews spread over the last two years (so that
some annual reviews fall due, rule S5), periods ending around today (so that the expiry job
declassifies some, rule S6), a few provisional items waiting for a decision (rule S3). Then
`run_sweep()` twice: the first declassifies what expired and opens every obligation, the
second changes nothing (the daily case).

    .venv/bin/python bench/secrets_sweep.py [--items 100000]
    scripts/with-postgres.sh .venv/bin/python bench/secrets_sweep.py
"""

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bench_database  # noqa: E402

BATCH = 5000


def populate(items: int, today: datetime.date) -> None:
    from django.db import connection, transaction

    from baomi.accounts.models import Unit
    from baomi.core.labels import Level, Scheme
    from baomi.core.testing.factories import UserFactory
    from baomi.secrets.choices import ItemState, PeriodKind
    from baomi.secrets.models import SecretItem

    unit = Unit.objects.create(name="基准单位", code="BENCH")
    officer = UserFactory(person__unit=unit, person__employee_no="BENCH-OFFICER")
    rng = random.Random(7)

    def day(low: int, high: int) -> datetime.date:
        return today + datetime.timedelta(days=rng.randint(low, high))

    def item(n: int) -> SecretItem:
        provisional = n % 200 == 0
        decided = day(-730, -1)
        return SecretItem(
            unit=unit, scheme=Scheme.STATE, number=f"DM-{n:07d}", title=f"事项{n}",
            level=rng.choice((Level.SECRET, Level.CONFIDENTIAL)), period_kind=PeriodKind.YEARS,
            period_value=5, basis="保密事项范围", issued_on=decided,
            expires_on=None if provisional else day(-10, 3650),
            state=ItemState.PROVISIONAL if provisional else ItemState.DETERMINED,
            proposer=officer.person, decider=None if provisional else officer,
            decided_on=None if provisional else decided,
            provisional_due_on=day(-5, 10) if provisional else None,
            last_reviewed_on=None if provisional or rng.random() < 0.5 else day(-365, -1),
            created_by=officer)

    for start in range(0, items, BATCH):
        with transaction.atomic():
            SecretItem.objects.bulk_create(item(n) for n in range(start, min(start + BATCH, items)))
    with connection.cursor() as cursor:  # fresh statistics, as after a real load
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    with bench_database() as vendor:
        from django.utils import timezone

        from baomi.obligations.services import run_sweep

        today = timezone.localdate()
        populate(args.items, today)
        timings = []
        for label in ("first run (declassifies and opens)", "second run (nothing changed)"):
            began = time.perf_counter()
            run = run_sweep(today)
            timings.append(time.perf_counter() - began)
            secrets = {code: counts for code, counts in run.counts.items()
                       if code.startswith("secrets.")}
            print(f"{label}: {timings[-1]:.1f} s; {secrets}")
        print(f"secrets_sweep: {max(timings):.1f} s for {args.items} items ({vendor})")


if __name__ == "__main__":
    main()
