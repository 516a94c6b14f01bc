"""Signed checkpoints of the chain's head (DESIGN.md 'Audit trail', rule T4).

A checkpoint signs (seq, head hash, time) with an Ed25519 key kept in a file outside the
database (settings.AUDIT_SIGNING_KEY_PATH), so that whoever can write to the database still
cannot rewrite the chain and re-sign it. Its text is printed and countersigned on paper: the
paper copy, with the key's fingerprint, is the anchor nobody can reach from the server.
"""

import hashlib
import os
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.roles import Role
from baomi.core.errors import AccessDenied, RuleViolation

from .models import AuditCheckpoint
from .services import label_of, record_event

CHECKPOINT_SIGNED = "AUDIT_CHECKPOINT_SIGNED"
MESSAGE_PREFIX = "baomi-audit-checkpoint"


def checkpoint_message(seq: int, head_hash: str, signed_at: datetime) -> bytes:
    """The exact bytes signed: `baomi-audit-checkpoint|seq|head_hash|signed_at (UTC ISO)`."""
    at = signed_at.astimezone(UTC).isoformat(timespec="microseconds")
    return f"{MESSAGE_PREFIX}|{seq}|{head_hash}|{at}".encode()


def key_path() -> Path:
    return Path(settings.AUDIT_SIGNING_KEY_PATH)


def signing_key() -> Ed25519PrivateKey:
    """The signing key, generated on first use (file mode 0600, its directory 0700)."""
    path = key_path()
    if not path.exists():
        _generate_key(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuleViolation(_("The audit signing key is not an Ed25519 key."),
                            code="audit_key_invalid", rule="T4")
    return key


def _generate_key(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        # O_EXCL: of two processes generating at once, one key wins and both use it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def public_key_hex(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    return raw.hex()


def current_public_key() -> str | None:
    """This system's public key (hex), or None when no key was made yet. Never creates one."""
    if not key_path().exists():
        return None
    return public_key_hex(signing_key())


def fingerprint(public_key: str) -> str:
    """SHA-256 of the raw public key, first 16 bytes, in groups of four hex digits."""
    try:
        raw = bytes.fromhex(public_key)
    except ValueError:  # not a key at all: the checkpoint row was tampered with
        return "—"
    digest = hashlib.sha256(raw).hexdigest()[:32]
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


def signature_is_valid(checkpoint: AuditCheckpoint) -> bool:
    """True when the stored signature verifies with the stored public key."""
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(checkpoint.public_key))
        public.verify(bytes.fromhex(checkpoint.signature),
                      checkpoint_message(checkpoint.seq, checkpoint.head_hash,
                                         checkpoint.signed_at))
    except (InvalidSignature, ValueError):
        return False
    return True


def create_checkpoint(actor: Any) -> str:
    """Sign the chain's head and return the text to print and countersign."""
    return checkpoint_text(sign_checkpoint(actor))


def sign_checkpoint(actor: Any) -> AuditCheckpoint:
    """Sign the chain's head: store the checkpoint and record AUDIT_CHECKPOINT_SIGNED.

    Only the 安全审计员 signs in the UI (rule T2); the CLI runs as the operator (actor None).
    The segment since the previous checkpoint is verified first: a broken chain is never
    signed (rule T4) — it is reported instead.
    """
    if actor is not None and not actor.has_role(Role.AUDITOR):  # rule T2
        raise AccessDenied(_("Only the security auditor signs audit checkpoints."))
    from .verify import verify_since_last_checkpoint

    key = signing_key()
    # Outside the transaction: on SQLite it would hold the write lock for the whole walk.
    result = verify_since_last_checkpoint()
    if not result.ok:  # rule T4
        raise RuleViolation(
            _("The audit trail is broken at sequence %(seq)s (%(reason)s); it cannot be "
              "signed. Report it and run a full verification.")
            % {"seq": result.first_broken_seq, "reason": result.reason_label},
            code="audit_chain_broken", rule="T4",
        )
    with transaction.atomic():
        # The head signed is the last event verified, not whatever was appended since.
        checkpoint = _sign(key, actor, result.head_seq, result.head_hash)
        record_event(actor, CHECKPOINT_SIGNED, checkpoint,
                     after={"seq": checkpoint.seq, "head_hash": checkpoint.head_hash,
                            "public_key": checkpoint.public_key})
    return checkpoint


def _sign(key: Ed25519PrivateKey, actor: Any, seq: int, head_hash: str) -> AuditCheckpoint:
    signed_at = timezone.now()
    signature = key.sign(checkpoint_message(seq, head_hash, signed_at)).hex()
    checkpoint = AuditCheckpoint(seq=seq, head_hash=head_hash, signed_at=signed_at,
                                 public_key=public_key_hex(key), signature=signature,
                                 signer_label=label_of(actor))
    checkpoint.save(force_insert=True)
    return checkpoint


def checkpoint_text(checkpoint: AuditCheckpoint) -> str:
    """The printable statement: what was signed, by which key, and lines to countersign."""
    local = timezone.localtime(checkpoint.signed_at)
    signature = checkpoint.signature
    signed_at_utc = checkpoint.signed_at.astimezone(UTC).isoformat(timespec="microseconds")
    signed_text = "|".join(
        [MESSAGE_PREFIX, _("sequence number"), _("head hash"), _("signed at (UTC)")]
    )
    blank = "____________________"
    fields = [
        (_("Signed at"),
         f"{local:%Y-%m-%d %H:%M:%S} ({timezone.get_current_timezone_name()})"),
        (_("Signed at (UTC, as signed)"), signed_at_utc),
        (_("Generated by"), checkpoint.signer_label),
        (_("Last sequence number"), checkpoint.seq),
        (_("Head hash (SHA-256)"), checkpoint.head_hash),
        (_("Public key (Ed25519, hex)"), checkpoint.public_key),
        (_("Key fingerprint"), fingerprint(checkpoint.public_key)),
        (_("Signature (Ed25519, hex)"), ""),
    ]
    lines = [_("Audit trail checkpoint"), "=" * 40]
    lines += [f"{label}: {value}".rstrip() for label, value in fields]
    lines += [
        f"  {signature[:64]}",
        f"  {signature[64:]}",
        "{}: {}".format(_("Signed text"), signed_text),
        "",
        *textwrap.wrap(_("To check: `baomi audit verify` checks this signature and that the "
                         "event at this sequence number still has this hash; the key "
                         "fingerprint must be the one printed on earlier checkpoints."),
                       width=78),
        "",
        "{}: {}    {}: ______________".format(_("Checked by (name)"), blank, _("Date")),
        "{}: {}    {}: ______________".format(_("Countersigned by (name)"), blank, _("Date")),
    ]
    return "\n".join(lines) + "\n"
