"""The switch the append-only triggers consult.

The triggers (migration 0002) refuse UPDATE and DELETE on audit events unless the guard is
lifted on that connection. Only test set-up lifts it, so that the test runner can empty the
database between tests; on PostgreSQL through a session setting, on SQLite through a
function this process registers (any other SQLite client lacks it and is refused too).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

_lifted = False


def install_guard(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give a new connection the guard's current state."""
    _apply(connection)


def _apply(conn: Any) -> None:
    if conn.vendor == "sqlite":
        conn.connection.create_function("baomi_audit_lifted", 0, lambda: 1 if _lifted else 0)
    elif conn.vendor == "postgresql":
        with conn.connection.cursor() as cursor:
            cursor.execute("SELECT set_config('baomi.audit_lifted', %s, false)",
                           ["on" if _lifted else "off"])


def set_lifted(lifted: bool) -> None:
    """Lift or restore the guard for this process and its open connection (tests only)."""
    global _lifted
    _lifted = lifted
    if connection.connection is not None:
        _apply(connection)


@contextmanager
def guard_enforced() -> Iterator[None]:
    """Enforce the append-only guard inside the block, whatever the test set-up chose."""
    previous = _lifted
    set_lifted(False)
    try:
        yield
    finally:
        set_lifted(previous)
