"""verify_chain: a normal chain passes; every kind of tampering is named at its seq (rule T4)."""

import json
import sqlite3

import pytest
from django.db import connection

from baomi.audit.chain import HASHED_COLUMNS, encode_row, row_hash
from baomi.audit.models import GENESIS_HASH, AuditEvent
from baomi.audit.verify import Break, verify_chain

pytestmark = pytest.mark.rule("T4")


def test_empty_chain_is_ok(db):
    result = verify_chain()
    assert (result.ok, result.count, result.head_seq, result.head_hash) == (
        True, 0, 0, GENESIS_HASH)


@pytest.mark.parametrize("batch", [1, 2, 3, 20_000])
def test_normal_chain_verifies_across_batches(make_chain, batch):
    events = make_chain(7)
    result = verify_chain(batch=batch)
    assert result.ok, result
    assert result.count == 7
    assert (result.head_seq, result.head_hash) == (events[-1].seq, events[-1].hash)
    assert result.first_broken_seq is None and result.reason == ""


def test_verify_appends_nothing(make_chain):
    make_chain(3)
    verify_chain()
    assert AuditEvent.objects.count() == 3


@pytest.mark.parametrize("batch", [2, 20_000])
def test_updated_reason_is_reported_at_its_seq(make_chain, raw_sql, batch):
    events = make_chain(6)
    raw_sql("UPDATE audit_auditevent SET reason = %s WHERE seq = %s", ["forged", events[3].seq])
    result = verify_chain(batch=batch)
    assert not result.ok
    assert (result.first_broken_seq, result.reason) == (events[3].seq, Break.HASH_MISMATCH)
    assert result.count == 3
    assert result.head_seq == events[2].seq


def test_deleted_row_is_a_missing_sequence(make_chain, raw_sql):
    events = make_chain(5)
    raw_sql("DELETE FROM audit_auditevent WHERE seq = %s", [events[2].seq])
    result = verify_chain()
    assert (result.ok, result.first_broken_seq, result.reason) == (
        False, events[2].seq, Break.MISSING_SEQUENCE)


def test_deleted_first_row_is_a_missing_sequence(make_chain, raw_sql):
    make_chain(3)
    raw_sql("DELETE FROM audit_auditevent WHERE seq = 1")
    result = verify_chain()
    assert (result.first_broken_seq, result.reason) == (1, Break.MISSING_SEQUENCE)


def test_forged_hash_is_a_mismatch(make_chain, raw_sql):
    events = make_chain(4)
    raw_sql("UPDATE audit_auditevent SET hash = %s WHERE seq = %s", ["f" * 64, events[1].seq])
    result = verify_chain()
    assert (result.first_broken_seq, result.reason) == (events[1].seq, Break.HASH_MISMATCH)


def test_rehashed_row_breaks_the_next_link(make_chain, raw_sql):
    """An attacker who edits a row and recomputes its hash is caught by the next row."""
    events = make_chain(4)
    target = events[1]
    values = [getattr(target, c) for c in HASHED_COLUMNS]
    values[HASHED_COLUMNS.index("reason")] = "rewritten"
    raw_sql("UPDATE audit_auditevent SET reason = %s, hash = %s WHERE seq = %s",
            ["rewritten", row_hash(target.prev_hash, values), target.seq])
    result = verify_chain()
    assert (result.first_broken_seq, result.reason) == (events[2].seq, Break.LINK_BROKEN)


def test_wrong_genesis_link_is_reported(make_chain, raw_sql):
    make_chain(2)
    raw_sql("UPDATE audit_auditevent SET prev_hash = %s WHERE seq = 1", ["1" * 64])
    result = verify_chain()
    assert (result.first_broken_seq, result.reason) == (1, Break.LINK_BROKEN)


def test_time_without_microseconds_still_verifies(make_chain, raw_sql):
    """Django stores a time with microsecond 0 without its fraction; the chain must not care."""
    event = make_chain(1)[0]
    at = event.at.replace(microsecond=0)
    values = [getattr(event, c) for c in HASHED_COLUMNS]
    values[1] = at
    raw_sql("UPDATE audit_auditevent SET at = %s, hash = %s WHERE seq = %s",
            [connection.ops.adapt_datetimefield_value(at), row_hash(GENESIS_HASH, values),
             event.seq])
    assert verify_chain().ok


def test_awkward_text_verifies(db):
    from baomi.audit.services import record_event

    record_event(None, "TEST_DONE", object_type="x", object_id="a\"b\\c",
                 after={"t": "\x00\x01\n\t\u2028😀中文", "n": -1, "f": 1.5, "none": None},
                 reason="line\nbreak \"quoted\" \\ back")
    assert verify_chain().ok


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's json_array fast path")
@pytest.mark.parametrize("text", ['a"b', "back\\slash", "nl\nx", "\b\f\r\t", "\x00\x01\x1f\x7f",
                                  "中文😀", "\u2028\u2029", "/", "{\"a\":1}", ""])
def test_sqlite_json_array_renders_like_python(text):
    """The verifier's fast path relies on this; if it ever breaks, rows fall back to Python
    (slower) but are still judged right."""
    db = sqlite3.connect(":memory:")
    values = (1, text, None, 9223372036854775807, -5)
    rendered = db.execute("SELECT json_array(?, ?, ?, ?, ?)", values).fetchone()[0]
    assert rendered == encode_row(list(values))
    assert json.loads(rendered) == list(values)


def test_database_renders_the_canonical_json(db):
    """The fast path (JSON rendered by the database) must agree with Python's rendering, or
    every awkward row would cost a fallback query."""
    from baomi.audit.services import record_event
    from baomi.audit.verify import _columns_sql, _fetch_batch, _with_body

    record_event(None, "TEST_DONE", object_type="x", object_id="a\"b\\c/d",
                 after={"t": "\x01\x1f\x7f\n\t\b\f\r\u2028😀中文"},
                 reason="line\nbreak \"quoted\" \\ back")
    record_event(None, "TEST_DONE", object_type="", object_id="", unit_id=2**62)
    with connection.cursor() as cursor:
        fast = _fetch_batch(cursor, 0, 10)
        cursor.execute(_columns_sql(), [0, 10])
        reference = [_with_body(row) for row in cursor.fetchall()]
    assert fast == reference


@pytest.mark.parametrize("tamper", [False, True])
def test_fast_path_disagreement_falls_back_to_python(make_chain, raw_sql, monkeypatch, tamper):
    """Should the database ever render a row differently, the row is judged by Python."""
    from baomi.audit import verify

    events = make_chain(3)
    monkeypatch.setattr(verify, "_json_sql", lambda cursor: verify._json_select("'[]'"))
    if tamper:
        raw_sql("UPDATE audit_auditevent SET reason = 'forged' WHERE seq = %s", [events[1].seq])
    result = verify_chain()
    if tamper:
        assert (result.first_broken_seq, result.reason) == (events[1].seq, Break.HASH_MISMATCH)
    else:
        assert result.ok and result.count == 3


@pytest.mark.parametrize("column, value", [
    ("reason", b"\x00\xff"), ("at", 12345), ("at", "not a time"), ("unit_id", "text"),
    ("object_id", 7),
])
def test_values_of_the_wrong_type_are_mismatches_not_crashes(make_chain, raw_sql, column, value):
    events = make_chain(3)
    if (not isinstance(value, str) or column != "reason") and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's column types refuse the value itself")
    raw_sql(f"UPDATE audit_auditevent SET {column} = %s WHERE seq = %s", [value, events[1].seq])
    result = verify_chain()
    assert (result.first_broken_seq, result.reason) == (events[1].seq, Break.HASH_MISMATCH)
