"""Verifying the audit trail: events/s of verify_chain() over a long valid chain.

Usage: .venv/bin/python bench/audit_verify.py [--events N] [--batch N]
       scripts/with-postgres.sh .venv/bin/python bench/audit_verify.py   (PostgreSQL)
The chain is generated in bulk (hashes computed with row_hash, not through record_event),
then verified once. Target ≥ 100,000 events/s on SQLite. The last line is the figure.
"""

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta

from common import bench_database

CHUNK = 20_000


def generate(count: int) -> None:
    """Insert `count` chained events as fast as the database takes them."""
    from django.db import connection, transaction

    from baomi.audit.chain import HASHED_COLUMNS, row_hash
    from baomi.audit.models import GENESIS_HASH

    start = datetime(2026, 1, 1, tzinfo=UTC)
    prev = GENESIS_HASH
    adapt = connection.ops.adapt_datetimefield_value
    columns = [*HASHED_COLUMNS, "prev_hash", "hash"]
    for first in range(1, count + 1, CHUNK):
        rows = []
        for seq in range(first, min(first + CHUNK, count + 1)):
            at = start + timedelta(milliseconds=seq * 37, microseconds=seq % 1000)
            values = (
                seq, at, seq % 500 + 1, f"用户{seq % 500}(user{seq % 500})",
                ("CARRIER_ISSUED", "USER_LOGGED_IN", "ROLE_ASSIGNED")[seq % 3],
                "carriers.carrier", str(seq // 3), 1, "",
                f'{{"level":2,"no":"JM-{seq:08d}","title":"载体{seq}"}}', "", "", "10.0.0.1",
            )
            digest = row_hash(prev, values)
            rows.append((seq, adapt(at), *values[2:], prev, digest))
            prev = digest
        with transaction.atomic():
            _insert(connection, columns, rows)


def _insert(connection, columns: list[str], rows: list[tuple]) -> None:  # noqa: ANN001
    table = "audit_auditevent"
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        # COPY: the fastest way into PostgreSQL.
        with connection.connection.cursor() as cursor, cursor.copy(
            f"COPY {table} ({quoted}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})", rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=None)
    args = parser.parse_args()
    with bench_database() as vendor:
        run(args, vendor)


def run(args: argparse.Namespace, vendor: str) -> None:
    from baomi.audit.verify import DEFAULT_BATCH, verify_chain

    started = time.perf_counter()
    generate(args.events)
    print(f"generated {args.events} events in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    started = time.perf_counter()
    result = verify_chain(batch=args.batch or DEFAULT_BATCH)
    elapsed = time.perf_counter() - started
    assert result.ok and result.count == args.events, result
    print(f"audit_verify: {result.count / elapsed:.0f} events/s "
          f"({result.count} events, {vendor}, {elapsed:.2f} s)")


if __name__ == "__main__":
    main()
