"""Obligation rule accounts.password_age (rule T3)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from baomi.accounts.rules import password_age
from baomi.core.testing.factories import UnitFactory
from baomi.obligations.registry import Severity, get_rule

UTC = ZoneInfo("UTC")


@pytest.mark.rule("T3")
def test_registered():
    rule = get_rule("accounts.password_age")
    assert rule is not None and rule.rule_id == "T3"


@pytest.mark.rule("T3")
def test_no_obligation_without_max_age(make_user):
    make_user("u")
    assert list(password_age(date(2026, 1, 1))) == []


@pytest.mark.rule("T3")
def test_due_date_is_the_local_expiry_date(make_user, unit):
    unit.policy_overrides = {"password.max_age_days": 30}
    unit.save()
    # 2026-01-01 17:00 UTC is already 2026-01-02 01:00 in Asia/Shanghai.
    user = make_user("u", password_changed_at=datetime(2026, 1, 1, 17, 0, tzinfo=UTC))
    (row,) = password_age(date(2026, 1, 15))
    assert row["due_date"] == date(2026, 2, 1)
    assert (row["subject_type"], row["subject_id"], row["responsible_id"]) == (
        "accounts.user", user.pk, user.pk)
    assert row["unit_id"] == unit.pk and row["severity"] == Severity.WARNING
    (row,) = password_age(date(2026, 2, 1))
    assert row["severity"] == Severity.CRITICAL


@pytest.mark.rule("T3")
def test_one_query_per_distinct_policy_value(make_user, unit, django_assert_num_queries):
    unit.policy_overrides = {"password.max_age_days": 30}
    unit.save()
    monthly = UnitFactory(code="M2", policy_overrides={"password.max_age_days": 30})
    weekly = UnitFactory(code="W", policy_overrides={"password.max_age_days": 7})
    UnitFactory(code="NEVER")
    changed = datetime(2026, 3, 1, 4, 0, tzinfo=UTC)
    for n, where in enumerate([unit, unit, monthly, weekly, weekly]):
        make_user(f"u{n}", unit=where, password_changed_at=changed)
    make_user("off", unit=weekly, is_active=False, password_changed_at=changed)
    with django_assert_num_queries(3):  # the units, then one per value (30 and 7)
        rows = list(password_age(date(2026, 3, 2)))
    due = {row["subject_label"].split("（")[1].rstrip("）"): row["due_date"] for row in rows}
    assert due == {"u0": date(2026, 3, 31), "u1": date(2026, 3, 31), "u2": date(2026, 3, 31),
                   "u3": date(2026, 3, 8), "u4": date(2026, 3, 8)}
