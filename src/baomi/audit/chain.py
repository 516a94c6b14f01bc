"""The canonical form of an audit row and its hash; shared by appending and verifying."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

# One encoder built once: json.dumps with keyword arguments builds a new one per call.
encode_row = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


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


def row_hash(prev_hash: str, row: tuple[Any, ...] | list[Any]) -> str:
    """sha256(prev_hash ‖ canonical JSON of the row's HASHED_COLUMNS values)."""
    values = list(row)
    values[1] = canonical_time(values[1])
    return canonical_row_hash(prev_hash, values)


def canonical_row_hash(prev_hash: str, values: tuple[Any, ...] | list[Any]) -> str:
    """row_hash for values whose time is already canonical (the verifier's fast path)."""
    return hashlib.sha256((prev_hash + encode_row(values)).encode()).hexdigest()
