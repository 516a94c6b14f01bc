"""Verifying the audit trail against tampering at any time (rule T4).

`verify_chain()` walks every event in sequence order and recomputes each hash from the
previous one: an edited row no longer matches its hash, a row re-hashed after an edit no
longer links to its successor, a deleted row leaves a gap in the sequence. Each signed
checkpoint is checked too: its signature, and that the event it names still has the hash it
signed, so that rewriting the whole chain, or cutting its tail, shows as well.

The walk is read-only and built for speed (≥ 100,000 events/s): a raw cursor, keyset batches
on `seq` (flat memory, index order), the time column rendered in canonical form where the
database can do it, and no model instances.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from django.db import DatabaseError, connection
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from .chain import HASHED_COLUMNS, canonical_time, encode_row, row_hash
from .models import GENESIS_HASH, AuditCheckpoint, AuditEvent

DEFAULT_BATCH = 20_000


class Break(TextChoices):
    """Why the chain is broken at a sequence number (values are stable, used by the CLI)."""

    HASH_MISMATCH = "hash mismatch", _("hash mismatch: the event was changed")
    LINK_BROKEN = "link broken", _("link broken: the previous hash does not match")
    MISSING_SEQUENCE = "missing sequence", _("missing sequence: an event was deleted")
    CHECKPOINT_SIGNATURE = "checkpoint signature invalid", _(
        "checkpoint signature invalid")
    CHECKPOINT_KEY = "checkpoint key unknown", _(
        "checkpoint signed by a key other than this system's")
    CHECKPOINT_MISMATCH = "checkpoint mismatch", _(
        "checkpoint mismatch: the event no longer has the signed hash")


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of a walk. `head_*` name the last event verified intact."""

    ok: bool
    count: int
    first_broken_seq: int | None
    reason: str
    head_seq: int
    head_hash: str
    checkpoints: int = 0

    @property
    def reason_label(self) -> str:
        return str(Break(self.reason).label) if self.reason else ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Walk:
    count: int
    last_seq: int
    last_hash: str
    broken: tuple[int, str] | None


def verify_chain(batch: int = DEFAULT_BATCH) -> VerifyResult:
    """Verify the whole chain from its first event, and every checkpoint."""
    checkpoints = list(AuditCheckpoint.objects.order_by("seq", "id"))
    problems = _checkpoint_signature_problems(checkpoints)
    anchors = {cp.seq: cp.head_hash for cp in checkpoints if cp.seq > 0}
    problems += [(0, Break.CHECKPOINT_MISMATCH) for cp in checkpoints
                 if cp.seq == 0 and cp.head_hash != GENESIS_HASH]
    walk = _walk(0, GENESIS_HASH, batch, anchors, problems)
    return _result(walk, problems, len(checkpoints))


def verify_since_last_checkpoint(batch: int = DEFAULT_BATCH) -> VerifyResult:
    """Verify the events after the latest checkpoint, starting from the hash it signed.

    Cheap enough to run before signing a new checkpoint: a checkpoint never blesses a chain
    whose new segment is broken. `count` counts the new segment only.
    """
    latest = AuditCheckpoint.objects.order_by("-seq", "-id").first()
    if latest is None or latest.seq == 0:
        return verify_chain(batch)
    problems = _checkpoint_signature_problems([latest])
    start_hash = AuditEvent.objects.filter(seq=latest.seq).values_list("hash", flat=True).first()
    if start_hash != latest.head_hash:
        reason = Break.MISSING_SEQUENCE if start_hash is None else Break.CHECKPOINT_MISMATCH
        problems.append((latest.seq, reason))
    walk = _walk(latest.seq, latest.head_hash, batch, {}, problems)
    return _result(walk, problems, 1)


def _result(walk: _Walk, problems: list[tuple[int, str]], checkpoints: int) -> VerifyResult:
    candidates = sorted(problems)
    if walk.broken is not None:
        # At the same seq the chain's own reason is the more precise one.
        candidates = sorted([walk.broken, *candidates], key=lambda p: p[0])
    if candidates:
        seq, reason = candidates[0]
        return VerifyResult(False, walk.count, seq, str(reason), walk.last_seq, walk.last_hash,
                            checkpoints)
    return VerifyResult(True, walk.count, None, "", walk.last_seq, walk.last_hash, checkpoints)


def _checkpoint_signature_problems(checkpoints: list[AuditCheckpoint]) -> list[tuple[int, str]]:
    from .checkpoint import current_public_key, signature_is_valid

    trusted = current_public_key()
    problems: list[tuple[int, str]] = []
    for checkpoint in checkpoints:
        if not signature_is_valid(checkpoint):
            problems.append((checkpoint.seq, Break.CHECKPOINT_SIGNATURE))
        elif trusted is not None and checkpoint.public_key != trusted:
            # A valid signature by another key proves nothing: anyone can make a key.
            problems.append((checkpoint.seq, Break.CHECKPOINT_KEY))
    return problems


def _walk(start_seq: int, start_hash: str, batch: int, anchors: dict[int, str],
          problems: list[tuple[int, str]]) -> _Walk:
    """Check every event after `start_seq`; anchors (seq → signed hash) are checked on the way.

    Anchors the walk never reached mean the tail was cut: reported at the first missing seq.
    """
    expected, prev, count = start_seq + 1, start_hash, 0
    pending = dict(anchors)
    for rows in _batches(start_seq, batch):
        broken, verified, prev = _check_rows(rows, expected, prev)
        count += verified
        if verified:
            first = rows[0][0]
            for seq in [s for s in pending if first <= s < first + verified]:
                if rows[seq - first][2] != pending.pop(seq):
                    problems.append((seq, Break.CHECKPOINT_MISMATCH))
            expected = first + verified
        if broken is not None:
            return _Walk(count, expected - 1, prev, broken)
    if pending:
        problems.append((expected, Break.MISSING_SEQUENCE))
    return _Walk(count, expected - 1, prev, None)


def _check_rows(rows: list[tuple[Any, ...]], expected: int,
                prev: str) -> tuple[tuple[int, str] | None, int, str]:
    """The hot loop: (first break or None, rows verified, hash of the last verified row).

    Rows are (seq, prev_hash, hash, canonical JSON body of the hashed columns).
    """
    sha256, verified = hashlib.sha256, 0
    for seq, prev_hash, stored_hash, body in rows:
        if seq != expected:
            return (expected, Break.MISSING_SEQUENCE), verified, prev
        if prev_hash != prev:
            return (seq, Break.LINK_BROKEN), verified, prev
        digest = sha256((prev + body).encode()).hexdigest()
        if digest != stored_hash and _recomputed_hash(seq, prev) != stored_hash:
            return (seq, Break.HASH_MISMATCH), verified, prev
        prev, expected, verified = stored_hash, seq + 1, verified + 1
    return None, verified, prev


def _recomputed_hash(seq: int, prev: str) -> str | None:
    """The hash of one row computed from its columns in Python, the reference definition.

    Called only when the fast path disagrees, so a difference between the database's JSON
    rendering and Python's can never be reported as tampering.
    """
    with connection.cursor() as cursor:
        cursor.execute(_columns_sql(single=True), [seq])
        row = cursor.fetchone()
    if row is None:
        return None
    try:
        return row_hash(prev, row[:len(HASHED_COLUMNS)])
    except (TypeError, ValueError, AttributeError):  # a value no legitimate event can hold
        return None


def _batches(after_seq: int, batch: int) -> Iterator[list[tuple[Any, ...]]]:
    """Keyset batches in seq order, as (seq, prev_hash, hash, canonical body) rows."""
    with connection.cursor() as cursor:
        while True:
            rows = _fetch_batch(cursor, after_seq, batch)
            if not rows:
                return
            yield rows
            if len(rows) < batch:
                return
            after_seq = rows[-1][0]


def _fetch_batch(cursor: Any, after_seq: int, batch: int) -> list[tuple[Any, ...]]:
    json_sql = _json_sql(cursor)
    if json_sql:
        # The database renders the row's canonical JSON (exactly Python's compact form, checked
        # by tests; any disagreement falls back to _recomputed_hash): 4 values per row
        # instead of 15, and on PostgreSQL the rendering runs in the server's process.
        try:
            cursor.execute(json_sql, [after_seq, batch])
            return cursor.fetchall()
        except DatabaseError:
            if connection.vendor != "sqlite":
                raise
            # A BLOB smuggled into a text column makes json_array fail: judge it in Python.
    cursor.execute(_columns_sql(), [after_seq, batch])
    return [_with_body(row) for row in cursor.fetchall()]


def _with_body(row: tuple[Any, ...]) -> tuple[Any, ...]:
    n = len(HASHED_COLUMNS)
    at = row[1]
    if type(at) is str and len(at) == 26 and at[10] == "T" and at[19] == ".":
        values: Any = row[:n]
    else:
        values = list(row[:n])
        try:
            values[1] = canonical_time(at)
        except (TypeError, ValueError, AttributeError):
            values[1] = str(at)  # cannot match its hash: reported as a mismatch
    try:
        body = encode_row(values)
    except (TypeError, ValueError):
        body = ""
    return (row[0], row[n], row[n + 1], body)


_json_support: dict[str, bool] = {}


def _json_sql(cursor: Any) -> str | None:
    """The fast query for this database, or None where only Python can render the JSON."""
    if connection.vendor == "postgresql":
        return _postgresql_json_sql()
    if connection.vendor != "sqlite":
        return None
    if "sqlite" not in _json_support:
        try:  # json_array is built in since SQLite 3.38, optional before
            cursor.execute("SELECT json_array(1, 'a', NULL)")
            _json_support["sqlite"] = cursor.fetchone()[0] == '[1,"a",null]'
        except DatabaseError:
            _json_support["sqlite"] = False
    return _sqlite_json_sql() if _json_support["sqlite"] else None


def _time_sql() -> str:
    """The `at` column in canonical form (YYYY-MM-DDTHH:MM:SS.ffffff, UTC) where SQL can."""
    at = connection.ops.quote_name("at")
    if connection.vendor == "sqlite":
        # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC. As an expression the value also
        # escapes the driver's datetime converter (it has no declared type).
        return (f"CASE length({at}) "
                f"WHEN 26 THEN substr({at}, 1, 10) || 'T' || substr({at}, 12) "
                f"WHEN 19 THEN substr({at}, 1, 10) || 'T' || substr({at}, 12) || '.000000' "
                f"ELSE CAST({at} AS TEXT) END")
    if connection.vendor == "postgresql":
        return f"""to_char({at} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')"""
    return at


def _sqlite_json_sql() -> str:
    quote = connection.ops.quote_name
    values = [quote(c) for c in HASHED_COLUMNS]
    values[1] = _time_sql()
    return _json_select(f"json_array({', '.join(values)})")


# Integer columns render as numbers, the others as JSON strings (to_json escapes like Python).
_INTEGER_COLUMNS = frozenset({"seq", "actor_id", "unit_id"})


def _postgresql_json_sql() -> str:
    quote = connection.ops.quote_name
    parts = []
    for column in HASHED_COLUMNS:
        value = _time_sql() if column == "at" else quote(column)
        rendered = f"{value}::text" if column in _INTEGER_COLUMNS else f"to_json({value})::text"
        parts.append(f"coalesce({rendered}, 'null')")
    return _json_select("'[' || " + " || ',' || ".join(parts) + " || ']'")


def _json_select(body: str) -> str:
    quote = connection.ops.quote_name
    return (f"SELECT {quote('seq')}, {quote('prev_hash')}, {quote('hash')}, {body} "
            f"FROM {quote(AuditEvent._meta.db_table)} "
            f"WHERE {quote('seq')} > %s ORDER BY {quote('seq')} LIMIT %s")


def _columns_sql(single: bool = False) -> str:
    quote = connection.ops.quote_name
    columns = [quote(c) for c in (*HASHED_COLUMNS, "prev_hash", "hash")]
    columns[1] = _time_sql()
    where = (f"WHERE {quote('seq')} = %s" if single
             else f"WHERE {quote('seq')} > %s ORDER BY {quote('seq')} LIMIT %s")
    return f"SELECT {', '.join(columns)} FROM {quote(AuditEvent._meta.db_table)} {where}"
