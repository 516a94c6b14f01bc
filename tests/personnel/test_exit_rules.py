"""Obligation rules of the exit and the 脱密期 at their boundaries: formalities missing (P10),
the quarterly return visit (P13) and the 撤销备案 at the end of the period (P14).

An exit approved on 15 January 2026 by a unit on the company template, 一般 person: the
脱密期 runs to 14 July 2026, the first return visit is due on 15 April 2026."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from baomi.accounts.services import set_policy_profile
from baomi.obligations.registry import Severity, get_rule
from baomi.personnel.choices import VisitMethod
from baomi.personnel.models import ExitCase
from baomi.personnel.rules import declassification_visit, exit_formalities, filing_withdrawal
from baomi.personnel.services.exit import (
    extend_declassification,
    record_declassification_visit,
    record_door_access_revoked,
    record_exit_commitment,
    record_exit_talk,
    release_from_declassification,
)

from . import test_exit_support as support
from .test_exit_support import TALKERS, approved, filed

pytestmark = pytest.mark.django_db

# The shared fixtures of test_exit_support.
people, yf1, post, leaver, make_leaver = (
    support.people, support.yf1, support.post, support.leaver, support.make_leaver)

APPROVED_ON = date(2026, 1, 15)
ENDS_ON = date(2026, 7, 14)
FIRST_VISIT = date(2026, 4, 15)
DAY = timedelta(days=1)


@pytest.fixture
def case(people, leaver, unit):
    """Approved on 15 January 2026, leaving on 31 January 2026, nothing recorded yet."""
    set_policy_profile(None, unit, "company-template")
    return approved(people, leaver, day=APPROVED_ON, leave_on=date(2026, 1, 31))


def rows_of(rule, today, case):
    return [row for row in rule(today) if row["subject_id"] == case.pk]


def one_row(rule, today, case):
    (row,) = rows_of(rule, today, case)
    assert row["subject_type"] == "personnel.exitcase"
    assert row["unit_id"] == case.file.unit_id and row["responsible_id"] is None
    assert row["level"] == case.file.category
    assert row["subject_label"] == case.file.person.name
    return row


@pytest.mark.rule("P10")
@pytest.mark.parametrize(("code", "rule_id"), [("personnel.exit_formalities", "P10"),
                                               ("personnel.declassification_visit", "P13"),
                                               ("personnel.filing_withdrawal", "P14")])
def test_registered(code, rule_id):
    rule = get_rule(code)
    assert rule is not None and rule.rule_id == rule_id


# --- formalities (rule P10) --------------------------------------------------------------------


@pytest.mark.rule("P10")
@pytest.mark.parametrize(("today", "severity"), [
    (date(2026, 1, 30), Severity.WARNING),
    (date(2026, 1, 31), Severity.WARNING),   # the leaving day itself
    (date(2026, 2, 1), Severity.CRITICAL),
])
def test_formalities_due_on_the_leaving_day(case, today, severity):
    row = one_row(exit_formalities, today, case)
    assert row["due_date"] == date(2026, 1, 31) and row["severity"] == severity


@pytest.mark.rule("P10")
def test_formalities_due_on_approval_when_it_comes_after_leaving(people, leaver, unit):
    set_policy_profile(None, unit, "company-template")
    late = approved(people, leaver, day=APPROVED_ON, leave_on=date(2026, 1, 10))
    assert one_row(exit_formalities, APPROVED_ON, late)["severity"] == Severity.WARNING
    row = one_row(exit_formalities, APPROVED_ON + DAY, late)
    assert (row["due_date"], row["severity"]) == (APPROVED_ON, Severity.CRITICAL)


@pytest.mark.rule("P10")
def test_formalities_open_until_all_three_are_recorded(people, leaver):
    # recorded for real today (the services check the dates against today and the filing)
    case = approved(people, leaver, leave_on=date(2026, 1, 31))
    today = timezone.localdate()
    record_exit_commitment(people["office"], case, signed_on=today, text_version="2026-1")
    assert len(rows_of(exit_formalities, today, case)) == 1
    record_exit_talk(people["office"], case, held_on=today, talkers=TALKERS)
    assert len(rows_of(exit_formalities, today, case)) == 1
    record_door_access_revoked(people["office"], case, revoked_on=today)
    assert rows_of(exit_formalities, today, case) == []


@pytest.mark.rule("P10")
def test_no_formalities_before_approval(people, leaver):
    case = filed(people, leaver)
    for rule in (exit_formalities, declassification_visit, filing_withdrawal):
        assert rows_of(rule, date(2030, 1, 1), case) == []


# --- return visits (rule P13) ------------------------------------------------------------------


@pytest.mark.rule("P13")
@pytest.mark.parametrize(("today", "severity"), [
    (FIRST_VISIT - timedelta(days=31), None),     # not yet shown
    (FIRST_VISIT - timedelta(days=30), Severity.WARNING),
    (FIRST_VISIT, Severity.WARNING),              # due today
    (FIRST_VISIT + DAY, Severity.CRITICAL),
])
def test_visit_shown_30_days_ahead_and_critical_once_past(case, today, severity):
    rows = rows_of(declassification_visit, today, case)
    if severity is None:
        assert rows == []
        return
    (row,) = rows
    assert (row["due_date"], row["severity"]) == (FIRST_VISIT, severity)


@pytest.mark.rule("P13")
def test_a_visit_moves_the_due_date(people, case):
    record_declassification_visit(people["office"], case, visited_on=date(2026, 4, 10),
                                  method=VisitMethod.IN_PERSON, visitors=TALKERS)
    assert rows_of(declassification_visit, date(2026, 4, 20), case) == []
    row = one_row(declassification_visit, date(2026, 7, 10), case)
    assert (row["due_date"], row["severity"]) == (date(2026, 7, 10), Severity.WARNING)
    record_declassification_visit(people["office"], case, visited_on=date(2026, 7, 10),
                                  method=VisitMethod.PHONE, visitors=TALKERS)
    # the next one would fall after the end of the period: no more visits
    assert ExitCase.objects.get(pk=case.pk).next_visit_due_on is None
    assert rows_of(declassification_visit, date(2026, 7, 14), case) == []


# --- 撤销备案 (rule P14) ------------------------------------------------------------------------


@pytest.mark.rule("P14")
@pytest.mark.parametrize(("today", "severity"), [
    (ENDS_ON - timedelta(days=31), None),
    (ENDS_ON - timedelta(days=30), Severity.WARNING),
    (ENDS_ON, Severity.WARNING),
    (ENDS_ON + DAY, Severity.WARNING),            # the first day it may be filed
    (ENDS_ON + 2 * DAY, Severity.CRITICAL),
])
def test_filing_withdrawal_due_the_day_after_the_period(case, today, severity):
    rows = rows_of(filing_withdrawal, today, case)
    if severity is None:
        assert rows == []
        return
    (row,) = rows
    assert (row["due_date"], row["severity"]) == (ENDS_ON + DAY, severity)


@pytest.mark.rule("P14")
def test_extension_moves_the_filing_withdrawal(people, case):
    extend_declassification(people["office"], case, months=12, reason="知悉核心技术")
    assert rows_of(filing_withdrawal, ENDS_ON, case) == []
    row = one_row(filing_withdrawal, date(2027, 1, 14), case)
    assert row["due_date"] == date(2027, 1, 15)


@pytest.mark.rule("P14")
def test_release_closes_every_exit_obligation(people, case):
    release_from_declassification(people["office"], case, withdrawn_on=ENDS_ON + DAY,
                                  reference="保密局备〔2026〕9号")
    for rule in (exit_formalities, declassification_visit, filing_withdrawal):
        assert rows_of(rule, date(2026, 8, 1), case) == []


@pytest.mark.rule("P14")
def test_one_query_per_rule(case, django_assert_num_queries):
    for rule in (exit_formalities, declassification_visit, filing_withdrawal):
        with django_assert_num_queries(1):
            assert len(list(rule(date(2026, 8, 1)))) == 1


@pytest.mark.rule("P13")
def test_the_sweep_opens_the_exit_obligations(case):
    from baomi.obligations.models import Obligation
    from baomi.obligations.services import run_sweep

    run_sweep(date(2026, 8, 1))
    codes = set(Obligation.objects.filter(subject_type="personnel.exitcase",
                                          subject_id=case.pk, state="open")
                .values_list("rule_code", flat=True))
    assert codes == {"personnel.exit_formalities", "personnel.declassification_visit",
                     "personnel.filing_withdrawal"}
