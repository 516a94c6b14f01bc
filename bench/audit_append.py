"""Appending to the audit trail: events/s through record_event, each in its own transaction.

Usage: .venv/bin/python bench/audit_append.py [--events N]
Target ≥ 5,000 events/s on SQLite (file database in WAL mode). The last line is the figure.
"""

import argparse
import time

from common import bench_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    with bench_database() as vendor:
        run(args, vendor)


def run(args: argparse.Namespace, vendor: str) -> None:
    from django.db import transaction

    from baomi.audit.services import record_event
    from baomi.audit.verify import verify_chain

    started = time.perf_counter()
    for i in range(args.events):
        # As a service does: its own change and the event, in one transaction.
        with transaction.atomic():
            record_event(None, "BENCH_EVENT", object_type="bench.item", object_id=i,
                         after={"n": i, "name": "载体"}, reason="benchmark")
    elapsed = time.perf_counter() - started
    result = verify_chain()
    assert result.ok and result.count == args.events, result
    print(f"audit_append: {args.events / elapsed:.0f} events/s "
          f"({args.events} events, {vendor})")


if __name__ == "__main__":
    main()
