"""The sweep: run every obligation rule and bring the Obligation table up to date.

Set-based at every step (DESIGN.md 'Scale'): per rule one query for what the rule yields,
one `values_list` for the open obligations it yielded before, a diff in memory, then
one prepared INSERT for the new ones and one prepared UPDATE for the changed ones, each run
over all rows by `executemany`, and a chunked UPDATE for the ones to close. No query per
obligation, so it runs over 100,000 people and millions of carriers.
"""

import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from baomi.audit.services import record_event
from baomi.core.labels import Level

from .models import Obligation, SweepRun
from .registry import DailyJob, ObligationRow, ObligationRule, Severity, all_jobs, all_rules

logger = logging.getLogger(__name__)

# Bounded batches bound memory (rows to write) and the IN lists of the closing UPDATE.
WRITE_BATCH = 5000
CLOSE_BATCH = 1000
# Any constant identifies the sweep's per-rule lock on PostgreSQL (pg_advisory_xact_lock).
_SWEEP_LOCK_KEY = 0x5EE9
_LABEL_MAX = Obligation._meta.get_field("subject_label").max_length or 200
_TYPE_MAX = Obligation._meta.get_field("subject_type").max_length or 60
_SEVERITIES = frozenset(str(s) for s in Severity)
_LEVELS = frozenset(int(level) for level in Level)
# The fields a rule determines; a change of any of them is written back by the sweep.
_TRACKED = ("rule_id", "unit_id", "subject_label", "responsible_id", "due_date", "severity",
            "estimated", "level")

Key = tuple[str, int]


@dataclass(frozen=True, slots=True)
class Wanted:
    """An obligation as the rule wants it today (the tracked fields, in `_TRACKED` order)."""

    rule_id: str
    unit_id: int
    subject_label: str
    responsible_id: int | None
    due_date: date
    severity: str
    estimated: bool
    level: int

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _TRACKED)


def run_sweep(today: date | None = None, actor: Any = None) -> SweepRun:
    """Run every registered rule for `today` (default: the local date) and record the run.

    Each rule runs in its own transaction: a rule that raises is rolled back, its error is
    recorded in the run's counts, and the other rules go on. One SWEEP_RUN audit event holds
    the counts of the whole run.
    """
    today = today or timezone.localdate()
    run = SweepRun.objects.create(started_at=timezone.now(), today=today, counts={})
    counts: dict[str, dict[str, Any]] = {}
    for code, job in all_jobs():
        counts[code] = _run_job_safely(code, job, today, actor)
    for rule in all_rules():
        counts[rule.code] = _sweep_rule_safely(rule, today)
    retired = _close_retired_rules({rule.code for rule in all_rules()})
    counts.update(retired)
    with transaction.atomic():
        run.counts = counts
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at"])
        record_event(actor, "SWEEP_RUN", run, after={
            "today": today.isoformat(), "totals": run.totals(), "rules": counts,
        })
    return run


def _run_job_safely(code: str, job: DailyJob, today: date, actor: Any) -> dict[str, Any]:
    """A daily job's count of changed objects as `updated`; a failing job is rolled back and
    recorded like a failing rule."""
    try:
        with transaction.atomic():
            return {"updated": int(job(today, actor)), "errors": 0}
    except Exception as exc:
        logger.exception("daily job %s failed", code)
        return {"updated": 0, "errors": 1, "error": f"{type(exc).__name__}: {exc}"[:500]}


def _sweep_rule_safely(rule: ObligationRule, today: date) -> dict[str, Any]:
    try:
        # The rule's query runs before the write transaction: on SQLite a transaction holds
        # the database's only write lock from BEGIN, and users' writes must not wait for it.
        with _read_guard():
            wanted = _collect(rule, today)
        with transaction.atomic():
            _lock_rule(rule.code)
            return _apply(rule.code, wanted)
    except Exception as exc:  # one failing rule must not stop the others
        logger.exception("obligation rule %s failed", rule.code)
        open_now = Obligation.objects.filter(rule_code=rule.code,
                                             state=Obligation.State.OPEN).count()
        return {"opened": 0, "updated": 0, "closed": 0, "open": open_now, "errors": 1,
                "error": f"{type(exc).__name__}: {exc}"[:500]}


def _read_guard() -> AbstractContextManager[Any]:
    """Inside a caller's transaction, a savepoint keeps a failing query from poisoning it;
    in autocommit mode no transaction (and so no SQLite write lock) is needed."""
    return transaction.atomic() if connection.in_atomic_block else nullcontext()


def _lock_rule(code: str) -> None:
    """Serialise two sweeps of the same rule (SQLite: the IMMEDIATE transaction does it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                           [_SWEEP_LOCK_KEY, code])


def _apply(code: str, wanted: dict[Key, Wanted]) -> dict[str, Any]:
    """Upsert the obligations of one rule against its open ones; the caller holds the
    transaction and the rule's lock."""
    now = timezone.now()
    existing = _open_obligations(code)
    new_keys = wanted.keys() - existing.keys()
    gone_ids = [existing[key][0] for key in existing.keys() - wanted.keys()]
    changed = [
        (existing[key][0], wanted[key]) for key in wanted.keys() & existing.keys()
        if existing[key][1] != wanted[key].values()
    ]
    _create(code, ((key, wanted[key]) for key in new_keys), now)
    _update(changed, now)
    _close(gone_ids, now)
    return {"opened": len(new_keys), "updated": len(changed), "closed": len(gone_ids),
            "open": len(wanted), "errors": 0}


def _collect(rule: ObligationRule, today: date) -> dict[Key, Wanted]:
    """What the rule yields, one entry per subject (the earliest due date wins a duplicate)."""
    wanted: dict[Key, Wanted] = {}
    for row in rule.query(today):
        key, item = _parse_row(rule, row)
        previous = wanted.get(key)
        if previous is None or item.due_date < previous.due_date:
            wanted[key] = item
    return wanted


def _parse_row(rule: ObligationRule, row: ObligationRow) -> tuple[Key, Wanted]:
    """Check one row of a rule and give it canonical types; a bad row fails the rule."""
    severity = str(row.get("severity") or Severity.WARNING)
    if severity not in _SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")
    responsible = row.get("responsible_id")
    key = (str(row["subject_type"]), int(row["subject_id"]))
    if not 0 < len(key[0]) <= _TYPE_MAX:
        raise ValueError(f"subject_type must have 1 to {_TYPE_MAX} characters: {key[0]!r}")
    level = int(row.get("level") or 0)
    if level not in _LEVELS:
        raise ValueError(f"unknown level {level!r}")
    return key, Wanted(
        rule_id=rule.rule_id,
        unit_id=int(row["unit_id"]),
        subject_label=str(row.get("subject_label") or "")[:_LABEL_MAX],
        responsible_id=int(responsible) if responsible is not None else None,
        due_date=_as_date(row["due_date"]),
        severity=severity,
        estimated=bool(row.get("estimated", False)),
        level=level,
    )


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise TypeError(f"due_date must be a date, not {type(value).__name__}")


def _open_obligations(code: str) -> dict[Key, tuple[int, tuple[Any, ...]]]:
    """The rule's open obligations: key → (id, tracked values), with one query."""
    rows = (
        Obligation.objects.filter(rule_code=code, state=Obligation.State.OPEN)
        .order_by()
        .values_list("id", "subject_type", "subject_id", *_TRACKED)
    )
    return {(row[1], row[2]): (row[0], tuple(row[3:])) for row in rows.iterator(chunk_size=5000)}


def _create(code: str, items: Iterable[tuple[Key, Wanted]], now: datetime) -> None:
    """Insert the new obligations: COPY on PostgreSQL, one prepared INSERT over all rows on
    SQLite."""
    columns = ("rule_code", "subject_type", "subject_id", "state", "opened_at", "updated_at",
               *_TRACKED)
    rows = ((code, key[0], key[1], str(Obligation.State.OPEN), now, now, *item.values())
            for key, item in items)
    if connection.vendor == "postgresql":
        _copy(columns, rows)
    else:
        _execute_many(columns, None, rows)


def _copy(columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
    """PostgreSQL's COPY … FROM STDIN: the first sweep of a large unit opens tens of thousands
    of obligations, and COPY writes them several times faster than a pipelined INSERT."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(getattr(Obligation._meta.get_field(name), "column", name)))
                      for name in columns)
    sql = f"COPY {quote(Obligation._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _update(changed: list[tuple[int, Wanted]], now: datetime) -> None:
    """Write the changed fields back: one prepared UPDATE executed over all changed rows."""
    _execute_many((*_TRACKED, "updated_at"), "id",
                  ((*item.values(), now, pk) for pk, item in changed))


def _execute_many(columns: tuple[str, ...], where: str | None,
                  rows: Iterable[tuple[Any, ...]]) -> None:
    """INSERT (where=None) or UPDATE … WHERE `where` = last value, for many rows at once.

    Measured on SQLite over 200,000 obligations: bulk_create costs ~180 µs a row and
    bulk_update (CASE WHEN per field) ~1.3 ms a row; a prepared statement run by executemany
    a few µs. psycopg runs executemany in pipeline mode: no round trip per row.
    """
    quote = connection.ops.quote_name
    fields = [Obligation._meta.get_field(name) for name in columns]
    names = [str(getattr(field, "column", name)) for field, name in zip(fields, columns,
                                                                           strict=True)]
    table = quote(Obligation._meta.db_table)
    if where is None:
        sql = (f"INSERT INTO {table} ({', '.join(quote(name) for name in names)}) "
               f"VALUES ({', '.join(['%s'] * len(names))})")
    else:
        assignments = ", ".join(f"{quote(name)} = %s" for name in names)
        sql = f"UPDATE {table} SET {assignments} WHERE {quote(where)} = %s"
    adapters = [_adapter(field) for field in fields]

    def params(row: tuple[Any, ...]) -> list[Any]:
        return [adapt(value) if adapt else value
                for adapt, value in zip([*adapters, None], row, strict=False)]

    with connection.cursor() as cursor:
        for batch in _batches((params(row) for row in rows), WRITE_BATCH):
            cursor.executemany(sql, batch)


def _adapter(field: Any) -> Callable[[Any], Any] | None:
    """How the ORM would hand a value of `field` to the driver (str, int, bool pass as they are)."""
    if isinstance(field, models.DateTimeField):
        # the same instant on every row of a sweep: adapt it once
        return functools.lru_cache(maxsize=4)(connection.ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def _close(ids: list[int], now: datetime) -> None:
    for batch in _batches(iter(ids), CLOSE_BATCH):
        Obligation.objects.filter(id__in=batch, state=Obligation.State.OPEN).update(
            state=Obligation.State.CLOSED, closed_at=now, updated_at=now)


def _close_retired_rules(registered: set[str]) -> dict[str, dict[str, Any]]:
    """Close the open obligations of rules no longer registered: nobody can fulfil them."""
    retired = (
        Obligation.objects.filter(state=Obligation.State.OPEN)
        .exclude(rule_code__in=registered).order_by().values_list("rule_code", flat=True)
        .distinct()
    )
    counts: dict[str, dict[str, Any]] = {}
    now = timezone.now()
    for code in list(retired):
        with transaction.atomic():
            closed = Obligation.objects.filter(rule_code=code, state=Obligation.State.OPEN).update(
                state=Obligation.State.CLOSED, closed_at=now, updated_at=now)
        counts[code] = {"opened": 0, "updated": 0, "closed": closed, "open": 0, "errors": 0,
                        "retired": True}
    return counts


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def record_obligation_export(actor: Any, filters: dict[str, Any], rows: int) -> None:
    """Record that `actor` exported the unit obligation list (exports are audited)."""
    with transaction.atomic():
        record_event(actor, "OBLIGATIONS_EXPORTED", object_type="obligations.obligation",
                     after={"filters": filters, "rows": rows})
