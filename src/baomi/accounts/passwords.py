"""Password rules of the unit's policy (rules T3 and D6), used by the account services.

The policy supplies every number: `password.min_length`, `password.min_classes`,
`password.history` and `password.max_age_days`. Nothing here writes to the database.
"""

import string
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import check_password
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.core.errors import InvalidInput
from baomi.core.policy.loader import Policy

# Hashing cost grows with the input; nobody needs a longer password than this.
MAX_PASSWORD_LENGTH = 128

CLASSES = (
    ("upper", frozenset(string.ascii_uppercase)),
    ("lower", frozenset(string.ascii_lowercase)),
    ("digit", frozenset(string.digits)),
)


def character_classes(password: str) -> set[str]:
    """The classes a password mixes: upper, lower, digit, symbol (anything else)."""
    found = {name for name, chars in CLASSES if any(c in chars for c in password)}
    if any(c not in string.ascii_letters + string.digits for c in password):
        found.add("symbol")
    return found


def validate_strength(policy: Policy, password: str, field: str = "new_password") -> None:
    """rule T3/D6: long enough and mixing enough character classes; raise InvalidInput."""
    min_length = int(policy["password.min_length"])
    min_classes = int(policy["password.min_classes"])
    if len(password) < min_length:  # rule D6
        message = _("The password must have at least %(n)s characters.") % {"n": min_length}
        raise InvalidInput(message, code="password_too_short", fields={field: message})
    if len(password) > MAX_PASSWORD_LENGTH:
        message = _("The password must have at most %(n)s characters.") % {
            "n": MAX_PASSWORD_LENGTH
        }
        raise InvalidInput(message, code="password_too_long", fields={field: message})
    if len(character_classes(password)) < min_classes:  # rule D6
        message = _(
            "The password must mix at least %(n)s of: upper-case letters, lower-case letters, "
            "digits, symbols."
        ) % {"n": min_classes}
        raise InvalidInput(message, code="password_too_simple", fields={field: message})


def recently_used(password: str, current_hash: str, earlier_hashes: list[str],
                  history: int) -> bool:
    """rule T3: whether `password` is one of the last `history` passwords.

    The current password counts as the most recent one; `earlier_hashes` are the history
    entries, newest first.
    """
    if history <= 0:
        return False
    candidates = [current_hash, *earlier_hashes][:history]
    return any(encoded and check_password(password, encoded) for encoded in candidates)


def password_expires_at(policy: Policy, changed_at: datetime | None) -> datetime | None:
    """When a password set at `changed_at` must be changed (rule T3); None when never."""
    max_age = int(policy["password.max_age_days"])
    if max_age <= 0:
        return None
    if changed_at is None:
        return timezone.now()
    return changed_at + timedelta(days=max_age)


def password_change_required(user: Any, policy: Policy) -> bool:
    """True when the user must change the password before doing anything else (rule T3)."""
    if user.must_change_password:
        return True
    expires = password_expires_at(policy, user.password_changed_at)
    return expires is not None and expires <= timezone.now()
