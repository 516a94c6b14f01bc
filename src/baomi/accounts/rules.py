"""Obligation rules of the accounts app (DESIGN.md 'Obligations')."""

from collections.abc import Iterator
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.policy import units_by_policy
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .models import User


@obligation_rule("accounts.password_age", "T3", _("Change your password"))
def password_age(today: date) -> Iterator[ObligationRow]:
    """rule T3: every active login changes its password within `password.max_age_days`.

    One query per distinct policy value; the due date is the local date the password expires.
    """
    for (max_age,), unit_ids in units_by_policy("password.max_age_days").items():
        if not max_age:  # 0: the unit sets no maximum age
            continue
        users = User.objects.filter(is_active=True, person__unit_id__in=unit_ids).values(
            "id", "username", "person__name", "person__unit_id", "password_changed_at",
            "created_at",
        )
        for user in users.iterator(chunk_size=2000):
            changed = user["password_changed_at"] or user["created_at"]
            due = timezone.localdate(changed + timedelta(days=max_age))
            yield {
                "subject_type": "accounts.user",
                "subject_id": user["id"],
                "subject_label": f"{user['person__name']}（{user['username']}）",
                "unit_id": user["person__unit_id"],
                "responsible_id": user["id"],
                "due_date": due,
                "severity": Severity.CRITICAL if due <= today else Severity.WARNING,
                "estimated": False,
            }
