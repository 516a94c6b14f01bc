"""Figure: the carrier and secret-item rules in `baomi sweep` over 1,000,000 carriers.

The ledger of carriers_common.py (1,000,000 carriers, 500 secret items) plus 20,000 loans out,
a tenth of them overdue (rule C5), 2,000 carriers missing with their cases discovered over
the last 70 days (rule C8: some past their 10/60-day deadline, so the first run records
incidents), the items' review and expiry dates spread around today (rules S5, S6), 2,000
containers each in its own secure room, one room in 20 without an alarm (rule Q7), and 2,000
carriers out of the unit, half of them late back or without a receipt (rules C2, C6). Then
`run_sweep()` twice: the first opens every obligation and records the incidents, the second
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
MISSING = 2_000
CONTAINERS = 2_000
MOVEMENTS = 2_000


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
        lose(office, today, rng)


def lose(office: object, today: datetime.date, rng: random.Random) -> None:
    """Carriers in store marked missing, each with its case (rule C8)."""
    from baomi.carriers.choices import CarrierState
    from baomi.carriers.models import Carrier, MissingCase
    from baomi.carriers.models.stocktake import MissingSource
    from baomi.core.labels import Level

    lost = list(Carrier.objects.filter(state=CarrierState.IN_STORE).order_by("pk")[:MISSING])
    cases = []
    for carrier in lost:
        discovered = today - datetime.timedelta(days=rng.randint(0, 70))
        days = 10 if carrier.level == Level.TOP_SECRET else 60
        cases.append(MissingCase(carrier=carrier, unit_id=carrier.unit_id,
                                 source=MissingSource.REPORT, discovered_on=discovered,
                                 deadline=discovered + datetime.timedelta(days=days),
                                 reported_by=office))
    Carrier.objects.filter(pk__in=[c.pk for c in lost]).update(state=CarrierState.MISSING)
    MissingCase.objects.bulk_create(cases)


def store(ledger: object, rng: random.Random) -> None:
    """Every carrier into one of `CONTAINERS` containers, each in its own room; one room in
    20 lacks its alarm (rule Q7)."""
    from django.db import connection, transaction
    from django.db.models import F
    from django.db.models.functions import Mod

    from baomi.carriers.choices import ContainerKind
    from baomi.carriers.models import Carrier, Container
    from baomi.compliance.models import SecureRoom
    from baomi.core.labels import Level

    unit_id = ledger.office.person.unit_id  # type: ignore[attr-defined]
    with transaction.atomic():
        rooms = SecureRoom.objects.bulk_create(
            SecureRoom(unit_id=unit_id, name=f"保密室{n}", location="库房", access_control=True,
                       video=True, video_retention_days=90, alarm=n % 20 != 0)
            for n in range(CONTAINERS))
        Container.objects.bulk_create(
            Container(unit_id=unit_id, number=f"MX-{n:04d}", kind=ContainerKind.SAFE,
                      rating=Level.TOP_SECRET, location="库房", room=room)
            for n, room in enumerate(rooms))
        first = Container.objects.order_by("pk").values_list("pk", flat=True).first()
        Carrier.objects.update(container_id=Mod(F("pk"), CONTAINERS) + first)
    with connection.cursor() as cursor:  # fresh statistics, as after a real load
        cursor.execute("ANALYZE")


def send_out(ledger: object, today: datetime.date, rng: random.Random) -> None:
    """Carriers in store taken out (due back around today) or sent out (out up to 20 days
    without a receipt)."""
    from django.db import transaction
    from django.utils import timezone

    from baomi.carriers.choices import CarrierState
    from baomi.carriers.models import Carrier, Movement
    from baomi.carriers.models.movement import MovementChannel, MovementKind, MovementState

    office = ledger.office  # type: ignore[attr-defined]
    out = list(Carrier.objects.filter(state=CarrierState.IN_STORE).order_by("-pk")
               .values_list("pk", flat=True)[:MOVEMENTS])
    now = timezone.now()
    with transaction.atomic():
        Movement.objects.bulk_create(
            Movement(carrier_id=pk, kind=MovementKind.SEND_OUT if n % 2 else MovementKind.CARRY_OUT,
                     destination="上级机关", purpose="报送", carried_by=office.person,
                     channel=MovementChannel.CONFIDENTIAL_TRAFFIC if n % 2 else "",
                     state=MovementState.OUT, out_at=now - datetime.timedelta(
                         days=rng.randint(0, 20)),
                     due_back_on=None if n % 2 else today + datetime.timedelta(
                         days=rng.randint(-5, 5)), created_by=office)
            for n, pk in enumerate(out))
        Carrier.objects.filter(pk__in=out).update(state=CarrierState.OUT)


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
        rng = random.Random(7)
        store(ledger, rng)
        send_out(ledger, today, rng)
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
