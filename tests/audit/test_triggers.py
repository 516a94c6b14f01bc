"""The append-only triggers: present after all migrations, refusing changes (rules T2, T4)."""

import pytest
from django.db import DatabaseError, connection, transaction

from baomi.audit.checkpoint import sign_checkpoint
from baomi.audit.guard import guard_enforced
from baomi.audit.models import AuditCheckpoint, AuditEvent
from baomi.audit.services import record_event
from baomi.audit.triggers import EXPECTED


def installed_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name IN ('audit_auditevent', 'audit_auditcheckpoint')")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND "
                           "tgrelid::regclass::text IN ('audit_auditevent', "
                           "'audit_auditcheckpoint')")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.rule("T4")
def test_triggers_exist_after_all_migrations(db):
    assert installed_triggers() == EXPECTED[connection.vendor]


@pytest.mark.rule("T2")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("statement", [
    "UPDATE audit_auditcheckpoint SET head_hash = 'forged'",
    "DELETE FROM audit_auditcheckpoint",
])
def test_checkpoints_are_append_only(statement):
    record_event(None, "TEST_DONE", object_type="x", object_id=1)
    sign_checkpoint(None)
    with (guard_enforced(), pytest.raises(DatabaseError), transaction.atomic(),
          connection.cursor() as cursor):
        cursor.execute(statement)
    assert AuditCheckpoint.objects.exclude(head_hash="forged").count() == 1


@pytest.mark.rule("T2")
@pytest.mark.django_db(transaction=True)
def test_orm_cannot_change_an_event_either():
    event = record_event(None, "TEST_DONE", object_type="x", object_id=1)
    with guard_enforced():
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(seq=event.seq).update(reason="forged")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(seq=event.seq).delete()
    assert AuditEvent.objects.get(seq=event.seq).reason == ""


@pytest.mark.rule("T4")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_truncate_is_refused():
    record_event(None, "TEST_DONE", object_type="x", object_id=1)
    with (guard_enforced(), pytest.raises(DatabaseError), transaction.atomic(),
          connection.cursor() as cursor):
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 1
