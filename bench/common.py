"""Shared set-up for benchmark scripts: a fresh database in a temporary directory.

Each bench script calls `setup_django()` before importing models. SQLite by default;
set BAOMI_DATABASE_URL (e.g. through scripts/with-postgres.sh) to measure PostgreSQL.
"""

import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(migrate: bool = True) -> str:
    """Configure Django on a fresh data dir and migrate; returns the database vendor."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("BAOMI_DATA_DIR", tempfile.mkdtemp(prefix="baomi-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "baomi.settings.base"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if migrate:
        call_command("migrate", verbosity=0)
    return connection.vendor


@contextmanager
def bench_database() -> Iterator[str]:
    """`setup_django()` on a fresh temporary data directory, removed afterwards (it can be
    large) unless BAOMI_DATA_DIR was given. Yields the database vendor."""
    own_data_dir = "BAOMI_DATA_DIR" not in os.environ
    vendor = setup_django()
    try:
        yield vendor
    finally:
        if own_data_dir:
            from django.db import connections

            connections.close_all()
            shutil.rmtree(os.environ["BAOMI_DATA_DIR"], ignore_errors=True)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0–100) by nearest rank."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def median(values: list[float]) -> float:
    return statistics.median(values)
