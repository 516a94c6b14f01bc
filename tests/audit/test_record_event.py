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
    with (guard_enforced(), pytest.raises(DatabaseError), transaction.atomic(),
          connection.cursor() as cursor):
        cursor.execute(statement)
    assert AuditEvent.objects.filter(reason="forged").count() == 0
    assert AuditEvent.objects.count() == 1


def test_returned_event_is_what_was_stored(unit, secadmin):
    event = record_event(secadmin, "TEST_DONE", unit, before={"x": 1}, reason="why")
    stored = AuditEvent.objects.get(seq=event.seq)
    fields = [f.attname for f in AuditEvent._meta.concrete_fields]
    assert [getattr(event, f) for f in fields] == [getattr(stored, f) for f in fields]
    assert event.pk == event.seq and not event._state.adding
    assert stored.actor_label == f"{secadmin.person.name}({secadmin.username})"


def test_too_long_action_is_a_programming_error(db):
    with pytest.raises(ValueError):
        record_event(None, "A" * 61)
    assert not AuditEvent.objects.exists()


@pytest.mark.rule("T4")
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_fork_the_chain():
    """Writers in several threads (each its own connection) append one valid chain."""
    import threading

    from django.db import connections

    from baomi.audit.verify import verify_chain

    errors = []

    def append(worker):
        try:
            for i in range(15):
                with transaction.atomic():
                    record_event(None, "TEST_DONE", object_type="worker", object_id=f"{worker}-{i}")
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = verify_chain()
    assert result.ok and result.count == 60
