"""SQL of the append-only triggers on the audit tables, per database (DESIGN.md 'Audit trail').

Events (migration 0002) and checkpoints (migration 0003) refuse UPDATE, DELETE (and TRUNCATE
on PostgreSQL) unless the guard is lifted on that connection (tests only, see guard.py).

Note for future migrations: SQLite rebuilds a table to alter it, which drops its triggers.
Any migration that alters AuditEvent or AuditCheckpoint must run the matching `create_*`
function again (a test checks they exist after all migrations).
"""

from typing import Any

TABLE = "audit_auditevent"
CHECKPOINT_TABLE = "audit_auditcheckpoint"


def _sqlite_triggers(table: str, prefix: str) -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {prefix}_no_{op.lower()} BEFORE {op} ON {table}
        WHEN baomi_audit_lifted() IS NOT 1
        BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END"""
        for op in ("UPDATE", "DELETE")
    ]


def _postgresql_triggers(table: str, prefix: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {prefix}_no_change BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION baomi_audit_append_only()""",
        f"""CREATE TRIGGER {prefix}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION baomi_audit_append_only()""",
    ]


_POSTGRESQL_FUNCTION = """CREATE OR REPLACE FUNCTION baomi_audit_append_only() RETURNS trigger AS $$
    BEGIN
        IF current_setting('baomi.audit_lifted', true) = 'on' THEN
            IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit records are append-only';
    END $$ LANGUAGE plpgsql"""

SQLITE = _sqlite_triggers(TABLE, "audit_event")
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]
POSTGRESQL = [_POSTGRESQL_FUNCTION, *_postgresql_triggers(TABLE, "audit_event")]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS audit_event_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS baomi_audit_append_only()",
]

CHECKPOINT_SQLITE = _sqlite_triggers(CHECKPOINT_TABLE, "audit_checkpoint")
CHECKPOINT_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_update",
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_delete",
]
CHECKPOINT_POSTGRESQL = [_POSTGRESQL_FUNCTION,
                         *_postgresql_triggers(CHECKPOINT_TABLE, "audit_checkpoint")]
CHECKPOINT_POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS audit_checkpoint_no_change ON {CHECKPOINT_TABLE}",
    f"DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON {CHECKPOINT_TABLE}",
]

# The trigger names a healthy database has, per vendor (checked by the tests).
EXPECTED = {
    "sqlite": {"audit_event_no_update", "audit_event_no_delete",
               "audit_checkpoint_no_update", "audit_checkpoint_no_delete"},
    "postgresql": {"audit_event_no_change", "audit_event_no_truncate",
                   "audit_checkpoint_no_change", "audit_checkpoint_no_truncate"},
}


def _run(schema_editor: Any, statements: dict[str, list[str]]) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def create_triggers(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRESQL})


def drop_triggers(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})


def create_checkpoint_triggers(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": CHECKPOINT_SQLITE, "postgresql": CHECKPOINT_POSTGRESQL})


def drop_checkpoint_triggers(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": CHECKPOINT_SQLITE_DROP,
                         "postgresql": CHECKPOINT_POSTGRESQL_DROP})


def restore_sqlite_triggers(apps: Any, schema_editor: Any) -> None:
    """After a migration that rebuilt an audit table on SQLite (PostgreSQL keeps triggers)."""
    _run(schema_editor, {"sqlite": [*SQLITE, *CHECKPOINT_SQLITE]})
