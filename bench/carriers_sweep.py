"""Figure: the carrier and secret-item rules in `baomi sweep` over 1,000,000 carriers.

The ledger of carriers_common.py (1,000,000 carriers, 500 secret items) plus 20,000 loans out,
a tenth of them overdue (rule C5), and the items' review and expiry dates spread around
today (rules S5, S6). Then `run_sweep()` twice: the first opens every obligation, the second
changes nothing (the daily case). Target ≤ 10 s.

    .venv/bin/python bench/carriers_sweep.py [--carriers 1000000]
    scripts/with-postgres.sh .venv/bin/python bench/carriers_sweep.py
"""

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from carriers_common import populate  # noqa: E402
from common import bench_database  # noqa: E402

LOANS = 20_000


def lend(ledger: object, today: datetime.date) -> None:
    """Loans out of carriers on loan, due around today; item dates spread around today."""
    from django.db import transaction

    from baomi.carriers.choices import CarrierState, LoanKind, LoanState
    from baomi.carriers.models import Carrier, Loan
    from baomi.secrets.models import SecretItem

    rng = random.Random(5)
    office = ledger.office  # type: ignore[attr-defined]
    on_loan = Carrier.objects.filter(state=CarrierState.ON_LOAN).values_list("pk", flat=True)
    with transaction.atomic():
        Loan.objects.bulk_create(
            Loan(carrier_id=pk, borrower=office.person, kind=LoanKind.BORROW, purpose="查阅",
                 state=LoanState.OUT, due_on=today + datetime.timedelta(days=rng.randint(-3, 27)),
                 created_by=office)
            for pk in on_loan[:LOANS])
        items = list(SecretItem.objects.all())
        for item in items:
            item.decided_on = today - datetime.timedelta(days=rng.randint(300, 400))
            item.expires_on = today + datetime.timedelta(days=rng.randint(-5, 3000))
        SecretItem.objects.bulk_update(items, ["decided_on", "expires_on"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--carriers", type=int, default=1_000_000)
    args = parser.parse_args()
    with bench_database() as vendor:
        from django.utils import timezone

        from baomi.obligations.services import run_sweep

        today = timezone.localdate()
        ledger = populate(args.carriers)
        lend(ledger, today)
        timings = []
        for label in ("first run", "second run (nothing changed)"):
            began = time.perf_counter()
            run = run_sweep(today)
            timings.append(time.perf_counter() - began)
            mine = {code: counts for code, counts in run.counts.items()
                    if code.startswith(("carriers.", "secrets."))}
            print(f"{label}: {timings[-1]:.1f} s; {mine}")
        print(f"carriers_sweep: {max(timings):.1f} s for {args.carriers} carriers ({vendor})")


if __name__ == "__main__":
    main()
