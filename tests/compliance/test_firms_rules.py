"""Obligation rules of the outside firms (rule Q11): a reported change re-reviewed within 20
working days of the report (by the official calendar), a yearly report for a year with
classified work received by the end of the first quarter."""

import datetime as dt

import pytest

from baomi.accounts.roles import Role
from baomi.compliance import services_firms as services
from baomi.compliance.rules_firms import firm_change_review_due, firm_year_report_due
from baomi.core.labels import Category, Level
from baomi.obligations.models import Obligation
from baomi.obligations.registry import Severity
from baomi.obligations.services import run_sweep

from .test_firms import firm, qualify, sign

REPORTED = dt.date(2026, 9, 25)  # a Friday before the National Day holiday
# 20 working days by the official calendar: 28–30 Sep, 8–9 Oct, the make-up Saturday 10 Oct,
# 12–16, 19–23, 26–29 Oct. Monday to Friday alone would give 23 October.
DUE = dt.date(2026, 10, 29)


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


@pytest.mark.rule("Q11")
@pytest.mark.parametrize(("today", "severity"), [
    (dt.date(2026, 9, 25), Severity.WARNING), (DUE, Severity.WARNING),
    (DUE + dt.timedelta(days=1), Severity.CRITICAL)])
def test_a_change_is_due_twenty_working_days_after_its_report(unit, office, today, severity):
    change = services.report_change(office, firm(office, unit), occurred_on=REPORTED,
                                    reported_on=REPORTED, description="股权结构变更")
    rows = list(firm_change_review_due(today))
    assert [(r["subject_id"], r["due_date"], r["severity"], r["estimated"]) for r in rows] == [
        (change.pk, DUE, severity, False)]
    assert services.change_review_due(change) == DUE


@pytest.mark.rule("Q11")
def test_a_re_reviewed_change_closes_its_obligation(unit, office):
    change = services.report_change(office, firm(office, unit), occurred_on=REPORTED,
                                    reported_on=REPORTED, description="股权结构变更")
    run_sweep(DUE + dt.timedelta(days=1))
    assert Obligation.objects.get(rule_code="compliance.firm_change_review_due").due_date == DUE
    services.rereview_change(office, change, rereviewed_on=DUE, passed=True)
    assert list(firm_change_review_due(DUE + dt.timedelta(days=1))) == []
    run_sweep(DUE + dt.timedelta(days=2))
    assert not Obligation.objects.filter(rule_code="compliance.firm_change_review_due",
                                         state=Obligation.State.OPEN).exists()


def _with_contract(office, unit, signed_on, level=Level.SECRET, ended_on=None):
    the_firm = qualify(office, firm(office, unit), on=dt.date(2025, 1, 2))
    contract = sign(office, the_firm, level=level, on=signed_on)
    if ended_on:
        services.end_contract(office, contract, ended_on=ended_on)
    return the_firm


@pytest.mark.rule("Q11")
@pytest.mark.parametrize(("signed_on", "ended_on", "level", "due"), [
    (dt.date(2026, 12, 31), None, Level.SECRET, True),
    (dt.date(2027, 1, 1), None, Level.SECRET, False),
    (dt.date(2025, 5, 1), dt.date(2026, 1, 1), Level.SECRET, True),
    (dt.date(2025, 5, 1), dt.date(2025, 12, 31), Level.SECRET, False),
    (dt.date(2026, 5, 1), None, Level.NONSECRET, False),
])
def test_a_yearly_report_is_due_for_a_year_with_classified_work(unit, office, signed_on,
                                                                 ended_on, level, due):
    the_firm = _with_contract(office, unit, signed_on, level, ended_on)
    rows = list(firm_year_report_due(dt.date(2027, 1, 5)))
    expected = [(the_firm.pk, dt.date(2027, 3, 31), Severity.WARNING)] if due else []
    assert [(r["subject_id"], r["due_date"], r["severity"]) for r in rows] == expected


@pytest.mark.rule("Q11")
@pytest.mark.parametrize("today", [dt.date(2027, 3, 31), dt.date(2027, 4, 1)])
def test_the_report_received_closes_it_and_stays_open_after_the_due_day(unit, office, today):
    the_firm = _with_contract(office, unit, dt.date(2026, 4, 1))
    assert [r["due_date"] for r in firm_year_report_due(today)] == [dt.date(2027, 3, 31)]
    services.record_year_report(office, the_firm, year=2026, received_on=today)
    assert list(firm_year_report_due(today)) == []


@pytest.mark.rule("Q11")
def test_the_report_month_is_a_policy_setting(unit, office):
    unit.policy_overrides = {services.YEAR_REPORT_MONTH_KEY: 4}
    unit.save()
    _with_contract(office, unit, dt.date(2026, 4, 1))
    assert [r["due_date"] for r in firm_year_report_due(dt.date(2027, 1, 5))] == [
        dt.date(2027, 4, 30)]
