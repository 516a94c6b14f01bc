"""Obligations of inspections: the yearly self-assessment (rule Q9) due on the policy day,
closed once completed; an open rectification past its due day (rule Q10), critical, for its
owner."""

import datetime as dt

import pytest

from baomi.compliance import services_inspections as services
from baomi.compliance.models import Rectification
from baomi.compliance.rules_inspections import (
    rectification_overdue,
    self_assessment_due,
    self_assessment_due_on,
)
from baomi.obligations.models import Obligation
from baomi.obligations.services import run_sweep

from .inspections_support import (  # noqa: F401
    STARTED_ON,
    check_all,
    inspection,
    items,
    office,
    other_unit,
    outsider,
    owner,
)


def rows(rule, day, subject_id):
    return [row for row in rule(day) if row["subject_id"] == subject_id]


@pytest.mark.rule("Q9")
def test_the_self_assessment_is_due_on_the_policy_day(unit):
    [row] = rows(self_assessment_due, dt.date(2026, 3, 1), unit.pk)
    assert (row["due_date"], row["severity"], row["responsible_id"]) == (
        dt.date(2026, 12, 15), "warning", None)
    unit.policy_overrides = {"compliance.self_assessment_due_mmdd": "06-30"}
    unit.save(update_fields=["policy_overrides"])
    [row] = rows(self_assessment_due, dt.date(2026, 3, 1), unit.pk)
    assert row["due_date"] == dt.date(2026, 6, 30)


@pytest.mark.rule("Q9")
def test_the_due_day_falls_back_on_a_bad_policy_value():
    assert self_assessment_due_on(2027, "02-29") == dt.date(2027, 2, 28)
    assert self_assessment_due_on(2028, "02-29") == dt.date(2028, 2, 29)
    assert self_assessment_due_on(2026, "13-01") == dt.date(2026, 12, 15)
    assert self_assessment_due_on(2026, "soon") == dt.date(2026, 12, 15)


@pytest.mark.rule("Q9")
def test_a_completed_self_assessment_closes_the_year_only(office, inspection, unit):
    check_all(office, inspection)
    assert rows(self_assessment_due, dt.date(2026, 12, 31), unit.pk)  # still a draft
    services.complete_inspection(office, inspection, finished_on=STARTED_ON)
    assert rows(self_assessment_due, dt.date(2026, 12, 31), unit.pk) == []
    assert rows(self_assessment_due, dt.date(2026, 1, 1), unit.pk) == []
    [next_year] = rows(self_assessment_due, dt.date(2027, 1, 1), unit.pk)
    assert next_year["due_date"] == dt.date(2027, 12, 15)


@pytest.mark.rule("Q9")
def test_a_department_check_does_not_count(office, unit, department):
    check = services.start_inspection(office, unit=unit, kind="department",
                                      library="department_self_check",
                                      department=department, started_on=STARTED_ON)
    check_all(office, check)
    services.complete_inspection(office, check, finished_on=STARTED_ON)
    assert rows(self_assessment_due, dt.date(2026, 6, 1), unit.pk)


@pytest.mark.rule("Q10")
def test_a_rectification_is_overdue_the_day_after_its_due_day(office, owner, inspection):
    due = STARTED_ON + dt.timedelta(days=20)
    check_all(office, inspection, problems={"A07-02"}, rectify_owner=owner, due_on=due)
    rectification = Rectification.objects.get()
    assert rows(rectification_overdue, due, rectification.pk) == []
    [late] = rows(rectification_overdue, due + dt.timedelta(days=1), rectification.pk)
    assert (late["severity"], late["responsible_id"], late["due_date"]) == (
        "critical", owner.pk, due)
    services.record_measures(owner, rectification, measures="已断开外网连接")
    assert rows(rectification_overdue, due + dt.timedelta(days=1), rectification.pk) == []


@pytest.mark.rule("Q10")
def test_the_sweep_opens_and_closes_the_obligations(office, owner, inspection, unit):
    due = STARTED_ON + dt.timedelta(days=5)
    check_all(office, inspection, problems={"A07-02"}, rectify_owner=owner, due_on=due)
    run_sweep(today=due + dt.timedelta(days=1))
    codes = set(Obligation.objects.filter(state="open").values_list("rule_code", flat=True))
    assert {"compliance.rectification_overdue", "compliance.self_assessment_due"} <= codes
    services.complete_inspection(office, inspection, finished_on=due)
    services.record_measures(owner, Rectification.objects.get(), measures="已整改")
    run_sweep(today=due + dt.timedelta(days=2))
    assert not Obligation.objects.filter(
        state="open", rule_code__startswith="compliance.", unit_id=unit.pk).exists()
