"""Temporary obligation rules over real models, removed after each test.

`rules` empties the registry for the test (the apps' own rules would make the counts depend
on their data) and restores it afterwards.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from baomi.accounts.models import User
from baomi.obligations import registry
from baomi.obligations.models import Obligation
from baomi.obligations.registry import ObligationRule

PASSWORD_RULE = "test.password_age"
PASSWORD_DAYS = 90


def password_age(today: date):
    """One obligation per active user: change the password 90 days after the last change.

    Set-based: one query; deactivating the user fulfils it, a new password moves the date.
    """
    users = User.objects.filter(is_active=True, password_changed_at__isnull=False).values(
        "id", "username", "person__unit_id", "password_changed_at")
    for row in users:
        yield {
            "subject_type": "accounts.user",
            "subject_id": row["id"],
            "subject_label": row["username"],
            "unit_id": row["person__unit_id"],
            "responsible_id": row["id"],
            "due_date": timezone.localdate(row["password_changed_at"])
            + timedelta(days=PASSWORD_DAYS),
        }


class Rules:
    def add(self, code, query, rule_id="T3", title="Test rule"):
        return registry.register(ObligationRule(code, rule_id, title, query))

    def add_password_age(self):
        return self.add(PASSWORD_RULE, password_age, title="Change your password")


@pytest.fixture
def rules(db):
    with registry.emptied():
        yield Rules()


@pytest.fixture
def make_obligation(unit):
    """Obligation rows written directly (tests of selectors and views bypass the sweep)."""
    counter = iter(range(1, 1_000_000))

    def make(due_date, responsible=None, rule_code="test.rule", unit_=None, **kwargs):
        now = timezone.now()
        fields = {
            "rule_code": rule_code, "rule_id": "T3", "unit": unit_ or unit,
            "subject_type": "test.subject", "subject_id": next(counter),
            "subject_label": "subject", "responsible": responsible, "due_date": due_date,
            "opened_at": now, "updated_at": now,
        }
        fields.update(kwargs)
        return Obligation.objects.create(**fields)

    return make
