"""Signed checkpoints: key handling, signatures, and checkpoints that no longer match (T4, T2)."""

import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from baomi.accounts.roles import Role
from baomi.audit.checkpoint import (
    CHECKPOINT_SIGNED,
    checkpoint_message,
    create_checkpoint,
    fingerprint,
    sign_checkpoint,
    signature_is_valid,
    signing_key,
)
from baomi.audit.models import GENESIS_HASH, AuditCheckpoint, AuditEvent
from baomi.audit.verify import Break, verify_chain, verify_since_last_checkpoint
from baomi.core.errors import AccessDenied, RuleViolation


@pytest.mark.rule("T4")
def test_key_is_made_on_first_use_with_mode_0600(db, signing_key_path):
    assert not signing_key_path.exists()
    key = signing_key()
    assert stat.S_IMODE(signing_key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(signing_key_path.parent.stat().st_mode) == 0o700
    # The same key is used from then on.
    assert signing_key().public_key().public_bytes_raw() == key.public_key().public_bytes_raw()


@pytest.mark.rule("T4")
def test_checkpoint_signs_the_head(make_chain, auditor):
    events = make_chain(3)
    text = create_checkpoint(auditor)
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.seq, checkpoint.head_hash) == (events[-1].seq, events[-1].hash)
    assert signature_is_valid(checkpoint)
    public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(checkpoint.public_key))
    public.verify(bytes.fromhex(checkpoint.signature),
                  f"baomi-audit-checkpoint|{checkpoint.seq}|{checkpoint.head_hash}|"
                  f"{checkpoint.signed_at.isoformat(timespec='microseconds')}".encode())
    for part in (checkpoint.head_hash, checkpoint.public_key, fingerprint(checkpoint.public_key),
                 checkpoint.signature[:64], checkpoint.signature[64:], str(checkpoint.seq)):
        assert part in text
    assert text.count("____") >= 4  # lines to write the checker's name and date
    recorded = AuditEvent.objects.order_by("-seq").first()
    assert recorded.action == CHECKPOINT_SIGNED
    assert recorded.actor_id == auditor.pk
    assert verify_chain().ok


@pytest.mark.rule("T4")
def test_checkpoint_of_an_empty_chain(db):
    checkpoint = sign_checkpoint(None)
    assert (checkpoint.seq, checkpoint.head_hash) == (0, GENESIS_HASH)
    assert verify_chain().ok


@pytest.mark.rule("T2")
@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.STAFF, Role.SECRECY_OFFICE])
def test_only_the_auditor_signs(make_user, role):
    with pytest.raises(AccessDenied):
        create_checkpoint(make_user(roles=[role]))
    assert not AuditCheckpoint.objects.exists()


@pytest.mark.rule("T4")
def test_forged_signature_is_detected(make_chain, raw_sql):
    make_chain(2)
    checkpoint = sign_checkpoint(None)
    raw_sql("UPDATE audit_auditcheckpoint SET signature = %s WHERE id = %s",
            ["00" * 64, checkpoint.pk])
    checkpoint.refresh_from_db()
    assert not signature_is_valid(checkpoint)
    result = verify_chain()
    assert (result.ok, result.first_broken_seq, result.reason) == (
        False, checkpoint.seq, Break.CHECKPOINT_SIGNATURE)


@pytest.mark.rule("T4")
def test_moved_checkpoint_fails_its_signature(make_chain, raw_sql):
    events = make_chain(3)
    checkpoint = sign_checkpoint(None)
    raw_sql("UPDATE audit_auditcheckpoint SET seq = %s, head_hash = %s WHERE id = %s",
            [events[0].seq, events[0].hash, checkpoint.pk])
    result = verify_chain()
    assert (result.first_broken_seq, result.reason) == (events[0].seq,
                                                        Break.CHECKPOINT_SIGNATURE)


@pytest.mark.rule("T4")
def test_checkpoint_that_no_longer_matches(make_chain, raw_sql):
    """The whole chain rewritten consistently from seq 2 on: links and hashes all fit, but the
    signed checkpoint still names the old hash."""
    from baomi.audit.chain import HASHED_COLUMNS, row_hash

    make_chain(4)
    checkpoint = sign_checkpoint(None)
    prev = AuditEvent.objects.get(seq=1).hash
    for event in AuditEvent.objects.filter(seq__gte=2).order_by("seq"):
        values = [getattr(event, c) for c in HASHED_COLUMNS]
        values[HASHED_COLUMNS.index("reason")] = f"{event.reason} (rewritten)"
        digest = row_hash(prev, values)
        raw_sql("UPDATE audit_auditevent SET reason = %s, prev_hash = %s, hash = %s "
                "WHERE seq = %s", [values[HASHED_COLUMNS.index("reason")], prev, digest,
                                   event.seq])
        prev = digest
    result = verify_chain()
    assert (result.ok, result.first_broken_seq, result.reason) == (
        False, checkpoint.seq, Break.CHECKPOINT_MISMATCH)


@pytest.mark.rule("T4")
def test_cut_tail_below_a_checkpoint_is_reported(make_chain, raw_sql):
    make_chain(5)
    checkpoint = sign_checkpoint(None)
    raw_sql("DELETE FROM audit_auditevent WHERE seq >= 4")
    result = verify_chain()
    assert (result.ok, result.first_broken_seq, result.reason) == (
        False, 4, Break.MISSING_SEQUENCE)
    assert checkpoint.seq == 5


@pytest.mark.rule("T4")
def test_checkpoint_by_another_key_is_not_trusted(make_chain, settings, tmp_path):
    make_chain(2)
    settings.AUDIT_SIGNING_KEY_PATH = tmp_path / "other" / "key.pem"
    sign_checkpoint(None)  # valid signature, by a key this system does not hold
    settings.AUDIT_SIGNING_KEY_PATH = tmp_path / "ours" / "key.pem"
    signing_key()
    result = verify_chain()
    assert (result.ok, result.reason) == (False, Break.CHECKPOINT_KEY)


@pytest.mark.rule("T4")
def test_broken_chain_is_never_signed(make_chain, raw_sql, auditor):
    events = make_chain(3)
    raw_sql("UPDATE audit_auditevent SET reason = 'x' WHERE seq = %s", [events[1].seq])
    with pytest.raises(RuleViolation) as refused:
        create_checkpoint(auditor)
    assert refused.value.code == "audit_chain_broken"
    assert not AuditCheckpoint.objects.exists()


@pytest.mark.rule("T4")
def test_next_checkpoint_verifies_only_the_new_segment(make_chain, raw_sql):
    make_chain(3)
    first = sign_checkpoint(None)
    make_chain(2)
    result = verify_since_last_checkpoint()
    assert result.ok
    assert result.count == AuditEvent.objects.filter(seq__gt=first.seq).count()
    # A break after the last checkpoint stops the next one.
    raw_sql("UPDATE audit_auditevent SET reason = 'x' WHERE seq = %s", [first.seq + 2])
    with pytest.raises(RuleViolation):
        sign_checkpoint(None)


def test_message_format(db):
    from datetime import UTC, datetime

    at = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert checkpoint_message(7, "ab", at) == (
        b"baomi-audit-checkpoint|7|ab|2026-01-02T03:04:05.000006+00:00")
