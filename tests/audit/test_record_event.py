import pytest
from django.db import DatabaseError, connection, transaction

from baomi.audit.chain import row_hash
from baomi.audit.guard import guard_enforced
from baomi.audit.models import GENESIS_HASH, AuditEvent
from baomi.audit.services import hashed_values, record_event


@pytest.mark.rule("T4")
def test_events_are_chained(unit, secadmin):
    first = record_event(secadmin, "TEST_DONE", unit, after={"b": 1, "a": "甲"})
    second = record_event(None, "TEST_DONE", object_type="x", object_id=7)
    assert (first.seq, second.seq) == (first.seq, first.seq + 1)
    assert first.prev_hash == GENESIS_HASH or first.seq > 1
    assert second.prev_hash == first.hash
    stored = AuditEvent.objects.get(seq=second.seq)
    assert row_hash(stored.prev_hash, hashed_values(stored)) == stored.hash
    assert AuditEvent.objects.get(seq=first.seq).after == '{"a":"甲","b":1}'
    assert first.unit_id == unit.pk


@pytest.mark.rule("T4")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("statement", [
    "UPDATE audit_auditevent SET reason = 'forged'",
    "DELETE FROM audit_auditevent",
])
def test_triggers_refuse_update_and_delete(statement):
    record_event(None, "TEST_DONE", object_type="x", object_id=1)
    with guard_enforced(), pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.filter(reason="forged").count() == 0
    assert AuditEvent.objects.count() == 1
