"""Appending to the audit trail. Called by every service, inside its transaction."""

from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from baomi.core.context import current_request

from .chain import HASHED_COLUMNS, canonical_json, row_hash
from .models import GENESIS_HASH, AuditEvent

# Any constant identifies the chain's lock on PostgreSQL (pg_advisory_xact_lock).
_CHAIN_LOCK_KEY = 0x6A0B_A0D1

AUDIT_EXPORTED = "AUDIT_EXPORTED"


def record_event(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: Any = "",
    unit_id: int | None = None,
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    The chain is serialised: on PostgreSQL by a transaction-scoped advisory lock, on SQLite by
    the IMMEDIATE transactions the settings ask for. The unique `seq` refuses a fork anyway.
    No savepoint: if the event cannot be written, the caller's whole change must fail too.
    Two raw statements (head, insert) instead of the ORM: every write of the system pays this.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        unit_id = unit_id if unit_id is not None else _unit_of(obj)
    if len(action) > 60 or len(object_type) > 60:
        raise ValueError(f"audit action or object type too long: {action!r} {object_type!r}")
    context = current_request.get()
    values: list[Any] = [
        0, None, getattr(actor, "pk", None), label_of(actor)[:200], action, object_type,
        str(object_id)[:64] if object_id not in (None, "") else "", unit_id,
        canonical_json(before), canonical_json(after), reason or "",
        context.request_id[:36], context.ip[:45],
    ]
    db = connections[DEFAULT_DB_ALIAS]
    with transaction.atomic(savepoint=False), db.cursor() as cursor:
        _lock_chain(cursor)
        cursor.execute(_head_sql())
        head = cursor.fetchone()
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
        values[0], values[1] = seq, timezone.now()
        digest = row_hash(prev_hash, values)
        stored = list(values)
        stored[1] = db.ops.adapt_datetimefield_value(values[1])
        cursor.execute(_insert_sql(), [*stored, prev_hash, digest])
    event = AuditEvent(prev_hash=prev_hash, hash=digest,
                       **dict(zip(HASHED_COLUMNS, values, strict=True)))
    event._state.adding, event._state.db = False, db.alias
    return event


def _lock_chain(cursor: Any) -> None:
    """Take the chain's lock for the rest of the transaction (PostgreSQL; SQLite's IMMEDIATE
    transactions hold the database's write lock already)."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def record_export(actor: Any, filters: dict[str, Any], newest_seq: int | None,
                  fmt: str = "xlsx") -> AuditEvent:
    """Record that `actor` exported the trail: the filters, and the newest event included."""
    with transaction.atomic():
        return record_event(actor, AUDIT_EXPORTED, object_type="audit.auditevent",
                            after={"format": fmt, "filters": filters, "newest_seq": newest_seq})


def hashed_values(event: AuditEvent) -> tuple[Any, ...]:
    """The values of HASHED_COLUMNS of an event, in order."""
    return tuple(getattr(event, column) for column in HASHED_COLUMNS)


def label_of(actor: Any) -> str:
    """How an actor is named in the trail: 'name(username)', or 'system' for the operator."""
    if actor is None:
        return "system"
    person = getattr(actor, "person", None)
    name = getattr(person, "name", "")
    return f"{name}({actor.get_username()})" if name else str(actor.get_username())


def _unit_of(obj: models.Model) -> int | None:
    """The unit of the object: its `unit_id`, or `audit_unit_id` for a model that reaches its
    unit through a parent (a trip through its personnel file)."""
    unit_id = getattr(obj, "unit_id", None)
    if unit_id is None:
        unit_id = getattr(obj, "audit_unit_id", None)
    if unit_id is None and obj._meta.label_lower == "accounts.unit":
        return int(obj.pk)
    return unit_id


@cache
def _head_sql() -> str:
    quote = connection.ops.quote_name
    return (f"SELECT {quote('seq')}, {quote('hash')} FROM {quote(AuditEvent._meta.db_table)} "
            f"ORDER BY {quote('seq')} DESC LIMIT 1")


@cache
def _insert_sql() -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in (*HASHED_COLUMNS, "prev_hash", "hash"))
    placeholders = ", ".join(["%s"] * (len(HASHED_COLUMNS) + 2))
    return (f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) "
            f"VALUES ({placeholders})")
