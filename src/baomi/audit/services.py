"""Appending to the audit trail. Called by every service, inside its transaction."""

from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from baomi.core.context import current_request

from .chain import canonical_json, row_hash
from .models import GENESIS_HASH, AuditEvent

# Any constant identifies the chain's lock on PostgreSQL (pg_advisory_xact_lock).
_CHAIN_LOCK_KEY = 0x6A0B_A0D1


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
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        unit_id = unit_id if unit_id is not None else _unit_of(obj)
    context = current_request.get()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
        event = AuditEvent(
            seq=seq,
            at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_label=_label(actor),
            action=action,
            object_type=object_type,
            object_id=str(object_id) if object_id not in (None, "") else "",
            unit_id=unit_id,
            before=canonical_json(before),
            after=canonical_json(after),
            reason=reason or "",
            request_id=context.request_id,
            ip=context.ip,
            prev_hash=prev_hash,
        )
        event.hash = row_hash(prev_hash, hashed_values(event))
        event.save(force_insert=True)
    return event


def hashed_values(event: AuditEvent) -> tuple[Any, ...]:
    return (
        event.seq, event.at, event.actor_id, event.actor_label, event.action, event.object_type,
        event.object_id, event.unit_id, event.before, event.after, event.reason,
        event.request_id, event.ip,
    )


def _label(actor: Any) -> str:
    if actor is None:
        return "system"
    person = getattr(actor, "person", None)
    name = getattr(person, "name", "")
    return f"{name}({actor.get_username()})" if name else actor.get_username()


def _unit_of(obj: models.Model) -> int | None:
    unit_id = getattr(obj, "unit_id", None)
    if unit_id is None and obj._meta.label_lower == "accounts.unit":
        return int(obj.pk)
    return unit_id
