"""The canonical form of an audit row and its hash; shared by appending and verifying."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any


def canonical_json(value: Any) -> str:
    """Stable JSON text: sorted keys, no spaces, UTF-8 kept, non-JSON values as strings."""
    if value is None:
        return ""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def canonical_time(at: datetime | str) -> str:
    """UTC with microseconds, whatever form the database hands back."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


# The columns covered by the hash, in this order.
HASHED_COLUMNS = (
    "seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "unit_id",
    "before", "after", "reason", "request_id", "ip",
)


def row_hash(prev_hash: str, row: tuple[Any, ...]) -> str:
    """sha256(prev_hash ‖ canonical JSON of the row's HASHED_COLUMNS values)."""
    values = list(row)
    values[1] = canonical_time(values[1])
    body = json.dumps(values, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()
