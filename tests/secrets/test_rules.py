"""Obligation rules of the 定密 app and the daily job at their boundaries: the provisional
decision due (S3), the annual review (S5), the expiry day and the expiry review (S6)."""

import json
from datetime import date, timedelta

import pytest

from baomi.accounts.services import set_policy_profile
from baomi.approvals.services import decide
from baomi.audit.models import AuditEvent
from baomi.core.labels import Level
from baomi.obligations.models import Obligation
from baomi.obligations.registry import Severity, all_jobs, get_rule
from baomi.obligations.services import run_sweep
from baomi.secrets import services
from baomi.secrets.choices import ChangeKind, ItemState
from baomi.secrets.models import ItemChange, SecretItem
from baomi.secrets.rules import annual_review, expiry_review, provisional_decision

from . import services_support as support
from .services_support import on_day, propose

pytestmark = pytest.mark.django_db

people, yf, authority = support.people, support.yf, support.authority
DAY = timedelta(days=1)


def rows_of(rule, today, item):
    return [row for row in rule(today) if row["subject_id"] == item.pk]


def one_row(rule, today, item):
    (row,) = rows_of(rule, today, item)
    assert row["subject_type"] == "secrets.secretitem" and row["unit_id"] == item.unit_id
    assert row["subject_label"] == f"{item.number} {item.title}"
    return row


def decided_on(people, day, **overrides):
    item = propose(people, **overrides)
    with on_day(day):
        decide(people["officer"], item.request, "approve")
    item.refresh_from_db()
    return item


def test_rules_and_job_are_registered():
    assert get_rule("secrets.provisional_decision").rule_id == "S3"
    assert get_rule("secrets.annual_review").rule_id == "S5"
    assert get_rule("secrets.expiry_review").rule_id == "S6"
    assert "secrets.expire" in dict(all_jobs())


# --- the provisional decision (rule S3) --------------------------------------------------------


@pytest.mark.rule("S3")
def test_provisional_item_due_by_its_working_day_deadline(people):
    with on_day(date(2026, 9, 28)):
        item = propose(people, issued_on=None)
    row = one_row(provisional_decision, date(2026, 9, 28), item)
    assert row["due_date"] == date(2026, 10, 16) and row["estimated"] is False
    assert row["responsible_id"] is None and row["level"] == Level.CONFIDENTIAL
    assert row["severity"] == Severity.WARNING
    assert one_row(provisional_decision, date(2026, 10, 16), item)["severity"] == \
        Severity.CRITICAL
    services.record_superior_decision(
        people["office"], item, classified=True, level=Level.CONFIDENTIAL, period_kind="years",
        period_value=10, declassify_condition="", document="复函", decided_on=date(2026, 10, 9))
    assert rows_of(provisional_decision, date(2026, 10, 16), item) == []


@pytest.mark.rule("S3")
def test_estimated_due_date_is_flagged(people):
    with on_day(date(2035, 3, 1)):
        item = propose(people, issued_on=None)
    assert one_row(provisional_decision, date(2035, 3, 1), item)["estimated"] is True


# --- the annual review (rule S5) ----------------------------------------------------------------


@pytest.mark.rule("S5")
def test_annual_review_due_a_year_after_the_decision_shown_from_the_notice(people, authority):
    item = decided_on(people, date(2025, 3, 10))
    due = date(2026, 3, 10)
    assert rows_of(annual_review, due - timedelta(days=31), item) == []
    row = one_row(annual_review, due - timedelta(days=30), item)
    assert row["due_date"] == due and row["responsible_id"] == people["officer"].pk
    assert row["level"] == Level.CONFIDENTIAL and row["severity"] == Severity.WARNING
    assert one_row(annual_review, due + DAY, item)["severity"] == Severity.CRITICAL


@pytest.mark.rule("S5")
def test_the_review_moves_the_next_due_date(people, authority):
    item = decided_on(people, date(2025, 3, 10))
    with on_day(date(2026, 3, 1)):
        services.review_item(people["officer2"], item)
    assert rows_of(annual_review, date(2026, 3, 10), item) == []
    assert rows_of(annual_review, date(2027, 1, 29), item) == []
    assert one_row(annual_review, date(2027, 1, 30), item)["due_date"] == date(2027, 3, 1)


@pytest.mark.rule("S5")
def test_unit_policy_sets_the_notice(people, authority, unit):
    unit.policy_overrides = {"secrets.review_notice_days": 0}
    unit.save()
    item = decided_on(people, date(2024, 2, 29))  # due on the last day of February
    assert rows_of(annual_review, date(2025, 2, 27), item) == []
    assert one_row(annual_review, date(2025, 2, 28), item)["due_date"] == date(2025, 2, 28)


@pytest.mark.rule("S5")
def test_only_classified_items_are_reviewed_yearly(people, authority):
    item = propose(people)
    assert rows_of(annual_review, date(2099, 1, 1), item) == []
    work = decided_on(people, date(2025, 3, 10), number="GM-1", scheme="work", level=1)
    assert one_row(annual_review, date(2026, 3, 10), work)["level"] == 0  # rule L4


# --- the expiry day (rule S6) ----------------------------------------------------------------


@pytest.fixture
def expiring(people, authority):
    """秘密, 1 year from 1 March 2025: the last day is 28 February 2026."""
    item = decided_on(people, date(2025, 3, 1), issued_on=date(2025, 3, 1), level=Level.SECRET,
                      period_value=1)
    assert item.expires_on == date(2026, 2, 28)
    return item


@pytest.mark.rule("S6")
def test_on_the_last_day_in_force_the_next_day_declassified(people, expiring):
    last = expiring.expires_on
    assert services.expire_items(last) == 0
    assert SecretItem.objects.get(pk=expiring.pk).state == ItemState.DETERMINED
    assert services.expire_items(last + DAY) == 1
    item = SecretItem.objects.get(pk=expiring.pk)
    assert item.state == ItemState.DECLASSIFIED
    assert item.declassified_on == date(2026, 3, 1) and item.declassified_how == "expired"
    change = ItemChange.objects.get(item=item, kind=ChangeKind.EXPIRED)
    assert change.before == {"state": "determined", "expires_on": "2026-02-28"}
    assert change.after["state"] == "declassified" and change.decided_on == date(2026, 3, 1)
    event = AuditEvent.objects.get(action="SECRET_ITEM_EXPIRED")
    assert event.object_id == str(item.pk) and event.unit_id == item.unit_id
    assert json.loads(event.after)["declassified_how"] == "expired"
    assert services.expire_items(last + 2 * DAY) == 0  # once


@pytest.mark.rule("S6")
def test_a_late_run_still_declassifies_as_of_the_day_after_the_last(people, expiring):
    services.expire_items(date(2026, 3, 20))
    assert SecretItem.objects.get(pk=expiring.pk).declassified_on == date(2026, 3, 1)


@pytest.mark.rule("S6")
def test_an_extension_before_expiry_keeps_it_in_force(people, expiring):
    with on_day(date(2026, 2, 1)):
        request = services.request_change(people["proposer"], expiring, kind="period",
                                          period_kind="years", period_value=3, reason="延长")
        support.approve(people["officer"], request)
    assert services.expire_items(date(2026, 3, 1)) == 0
    assert SecretItem.objects.get(pk=expiring.pk).expires_on == date(2028, 2, 29)


@pytest.mark.rule("S6")
def test_consulting_unit_opens_the_expiry_review_instead(people, unit, expiring):
    set_policy_profile(None, unit, "consulting-unit")
    assert services.expire_items(date(2026, 2, 28)) == 0
    assert rows_of(expiry_review, date(2026, 2, 28), expiring) == []
    assert services.expire_items(date(2026, 3, 1)) == 1
    item = SecretItem.objects.get(pk=expiring.pk)
    assert item.state == ItemState.EXPIRY_REVIEW and item.declassified_on is None
    row = one_row(expiry_review, date(2026, 3, 1), item)
    assert row["due_date"] == date(2026, 3, 1) and row["responsible_id"] is None
    assert row["level"] == Level.SECRET and row["severity"] == Severity.CRITICAL
    assert AuditEvent.objects.filter(action="SECRET_EXPIRY_REVIEW_OPENED").count() == 1
    assert rows_of(annual_review, date(2027, 3, 1), item) == []  # under review instead


@pytest.mark.rule("S6")
def test_each_unit_by_its_own_policy(people, expiring, make_user):
    other_unit = support.DepartmentFactory().unit
    set_policy_profile(None, other_unit, "consulting-unit")
    assert services.expire_items(date(2026, 3, 1)) == 1
    assert SecretItem.objects.get(pk=expiring.pk).state == ItemState.DECLASSIFIED


@pytest.mark.rule("S6")
def test_the_sweep_runs_the_job_before_the_rules(people, unit, expiring):
    set_policy_profile(None, unit, "consulting-unit")
    run = run_sweep(today=date(2026, 3, 1))
    assert run.counts["secrets.expire"] == {"updated": 1, "errors": 0}
    obligation = Obligation.objects.get(rule_code="secrets.expiry_review")
    assert obligation.subject_id == expiring.pk and obligation.due_date == date(2026, 3, 1)
