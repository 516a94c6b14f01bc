"""The 保密期限 at its boundaries: a period or a condition (S1), the maximum of each level and
the statement in years or months (S2), 长期 only for 绝密 with a condition (S9), and the last
day of the period counted from the issue date, else the decision date (S2)."""

from datetime import date

import pytest

from baomi.approvals.services import decide
from baomi.core.errors import RuleViolation
from baomi.core.labels import Level
from baomi.secrets import services
from baomi.secrets.models import SecretItem

from . import services_support as support
from .services_support import on_day, propose

pytestmark = pytest.mark.django_db

people, yf, authority = support.people, support.yf, support.authority

# 绝密 is proposed by `core` (核心); 机密 and 秘密 by the proposer (重要).
PROPOSER = {Level.TOP_SECRET: "core", Level.CONFIDENTIAL: "proposer", Level.SECRET: "proposer"}


def refused(people, code, **overrides):
    level = overrides.get("level", Level.CONFIDENTIAL)
    with pytest.raises(RuleViolation) as raised:
        propose(people, actor=PROPOSER[level], scope=(), **overrides)
    assert raised.value.code == code, raised.value.code
    assert not SecretItem.objects.exists()
    return raised.value


@pytest.mark.rule("S2")
@pytest.mark.parametrize("level,maximum", [
    (Level.SECRET, 10), (Level.CONFIDENTIAL, 20), (Level.TOP_SECRET, 30)])
def test_the_longest_period_of_each_level(people, authority, level, maximum):
    error = refused(people, "period_too_long", level=level, period_value=maximum + 1)
    assert error.rule == "S2" and "period_value" in error.fields
    item = propose(people, actor=PROPOSER[level], scope=(), level=level, period_value=maximum)
    assert item.period_value == maximum


@pytest.mark.rule("S2")
def test_months_under_a_year_and_years_from_one(people, authority):
    error = refused(people, "months_over_a_year", period_kind="months", period_value=12)
    assert error.rule == "S2"
    assert propose(people, scope=(), period_kind="months", period_value=11).period_value == 11
    assert propose(people, number="JM-002", scope=(), period_kind="years",
                   period_value=1).period_value == 1


@pytest.mark.rule("S2")
def test_a_unit_policy_lowers_the_maximum(people, authority, unit):
    unit.policy_overrides = {"secrets.max_period_years.confidential": 15}
    unit.save()
    refused(people, "period_too_long", period_value=16)
    assert propose(people, scope=(), period_value=15).period_value == 15


@pytest.mark.rule("S1")
def test_no_period_and_no_condition_is_refused(people, authority):
    error = refused(people, "period_required", period_kind="years", period_value=None)
    assert error.rule == "S1" and "period_value" in error.fields
    error = refused(people, "condition_required", period_kind="condition", period_value=None,
                    declassify_condition="  ")
    assert error.rule == "S1" and "declassify_condition" in error.fields
    item = propose(people, scope=(), period_kind="condition", period_value=5,
                   declassify_condition="型号定型后解密")
    assert (item.period_kind, item.period_value) == ("condition", None)  # a value is dropped


@pytest.mark.rule("S9")
def test_long_term_only_for_top_secret_with_a_condition(people, authority):
    error = refused(people, "long_term_top_secret_only", period_kind="long_term",
                    period_value=None, declassify_condition="永久")
    assert error.rule == "S9" and "period_kind" in error.fields
    error = refused(people, "condition_required", level=Level.TOP_SECRET,
                    period_kind="long_term", period_value=None, declassify_condition="")
    assert error.rule == "S9"
    item = propose(people, actor="core", scope=(), level=Level.TOP_SECRET,
                   period_kind="long_term", period_value=None,
                   declassify_condition="经原定密机关批准后解密")
    assert item.period_kind == "long_term"


def determined_on(people, day, **overrides):
    item = propose(people, scope=(), **overrides)
    with on_day(day):
        decide(people["officer"], item.request, "approve")
    item.refresh_from_db()
    return item


@pytest.mark.rule("S2")
@pytest.mark.parametrize("issued_on,kind,value,expires_on", [
    (date(2020, 3, 1), "years", 10, date(2030, 2, 28)),     # the last day, not 1 March
    (date(2020, 2, 29), "years", 1, date(2021, 2, 28)),     # from a leap day
    (date(2020, 8, 31), "months", 6, date(2021, 2, 28)),    # the month's end
    (date(2021, 1, 15), "months", 11, date(2021, 12, 14)),
])
def test_the_period_ends_on_its_last_day_counted_from_the_issue_date(
        people, authority, issued_on, kind, value, expires_on):
    item = determined_on(people, date(2026, 6, 1), issued_on=issued_on, period_kind=kind,
                         period_value=value, level=Level.SECRET)
    assert item.expires_on == expires_on


@pytest.mark.rule("S2")
def test_without_an_issue_date_the_period_runs_from_the_decision(people, authority):
    item = determined_on(people, date(2026, 1, 15), issued_on=None, period_value=1,
                         level=Level.SECRET)
    assert item.expires_on == date(2027, 1, 14)


@pytest.mark.rule("S2")
def test_a_condition_or_long_term_has_no_last_day(people, authority):
    item = determined_on(people, date(2026, 1, 15), period_kind="condition", period_value=None,
                         declassify_condition="产品退役后解密")
    assert item.expires_on is None


def test_period_end_helper():
    assert services.period_end("years", 10, date(2020, 3, 1)) == date(2030, 2, 28)
    assert services.period_end("months", 6, date(2020, 8, 31)) == date(2021, 2, 28)
    assert services.period_end("long_term", None, date(2020, 3, 1)) is None
