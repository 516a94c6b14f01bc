"""`baomi audit verify` / `baomi audit checkpoint` (rule T4)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from baomi.audit.models import AuditCheckpoint, AuditEvent

pytestmark = pytest.mark.rule("T4")


def run(*args):
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def test_verify_ok(make_chain):
    events = make_chain(3)
    assert run("verify").strip() == f"OK: 3 events verified, head #3 {events[-1].hash}"
    assert AuditEvent.objects.count() == 3  # read-only


def test_verify_broken_exits_non_zero(make_chain, raw_sql):
    make_chain(4)
    raw_sql("UPDATE audit_auditevent SET reason = 'forged' WHERE seq = 2")
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify", stdout=out)
    assert failed.value.returncode == 1
    assert out.getvalue().strip() == "BROKEN at seq 2: hash mismatch"


def test_verify_gap(make_chain, raw_sql):
    make_chain(4)
    raw_sql("DELETE FROM audit_auditevent WHERE seq = 3")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == "BROKEN at seq 3: missing sequence"


def test_verify_json(make_chain, raw_sql):
    make_chain(2)
    body = json.loads(run("verify", "--json"))
    assert body["ok"] is True and body["count"] == 2 and body["head_seq"] == 2
    raw_sql("UPDATE audit_auditevent SET hash = %s WHERE seq = 2", ["0" * 64])
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert (body["ok"], body["first_broken_seq"], body["reason"]) == (False, 2, "hash mismatch")


def test_verify_refuses_a_bad_batch(db):
    with pytest.raises(CommandError):
        run("verify", "--batch", "0")


def test_checkpoint_prints_the_text(make_chain):
    events = make_chain(2)
    text = run("checkpoint")
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.seq == events[-1].seq
    assert checkpoint.head_hash in text and checkpoint.public_key in text
    assert checkpoint.signer_label == "system"
    assert run("verify").startswith("OK: 3 events verified")


def test_checkpoint_of_a_broken_chain_fails(make_chain, raw_sql):
    make_chain(2)
    raw_sql("UPDATE audit_auditevent SET reason = 'forged' WHERE seq = 1")
    with pytest.raises(CommandError) as failed:
        run("checkpoint")
    assert failed.value.returncode == 1
    assert not AuditCheckpoint.objects.exists()


def test_subcommand_is_required(db):
    with pytest.raises(CommandError):
        run()
