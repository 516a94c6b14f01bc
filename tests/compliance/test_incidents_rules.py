"""Obligations of leak incidents: `compliance.incident_report_due` (rule I1, due the day the 24
hours after the discovery end) and `compliance.incident_open` (rule I2, reported but not closed
`compliance.incident_close_days` days after the report)."""

import datetime as dt

import pytest
from django.utils import timezone

from baomi.compliance import services
from baomi.compliance import services_incidents as handling
from baomi.compliance.rules_incidents import incident_open, incident_report_due
from baomi.core.labels import Level
from baomi.obligations.registry import Severity, get_rule

from . import incidents_support as support

people, other_unit, reported, handled = (
    support.people, support.other_unit, support.reported, support.handled)


def local(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def rows_of(rule, today):
    return {row["subject_id"]: row for row in rule(today)}


def test_both_rules_are_registered():
    assert get_rule("compliance.incident_report_due").rule_id == "I1"
    assert get_rule("compliance.incident_open").rule_id == "I2"


@pytest.mark.rule("I1")
@pytest.mark.parametrize(("discovered", "due"), [
    ((2026, 3, 1, 0, 0), dt.date(2026, 3, 2)),  # 24 hours later is 00:00 of the next day
    ((2026, 3, 1, 23, 59), dt.date(2026, 3, 2)),
    ((2026, 3, 2, 0, 0), dt.date(2026, 3, 3)),
])
def test_an_unreported_incident_is_due_24_hours_after_discovery(reported, discovered, due):
    incident = reported(discovered_at=local(*discovered))
    row = rows_of(incident_report_due, dt.date(2026, 3, 1))[incident.pk]
    assert (row["due_date"], row["severity"], row["level"]) == (due, Severity.CRITICAL,
                                                                Level.SECRET)
    assert (row["subject_type"], row["unit_id"], row["responsible_id"]) == (
        "compliance.incident", incident.unit_id, None)


@pytest.mark.rule("C8")
def test_a_missing_carrier_handled_as_a_leak_counts_from_that_day(unit):
    """The loss was reported under C8 when discovered; the leak it became on the deadline is
    reported within 24 hours of that day (rule I1), not flagged late from the start."""
    incident = services.record_incident(
        None, unit=unit, kind="leak", scheme="state", level=Level.CONFIDENTIAL,
        title="涉密载体下落不明逾期未查清", discovered_on=dt.date(2026, 1, 1),
        created_on=dt.date(2026, 3, 2), source_type="carriers.carrier", source_id=12)
    assert incident.discovered_at == local(2026, 1, 1, 0, 0)
    assert incident.report_due_at == local(2026, 3, 3, 0, 0)
    row = rows_of(incident_report_due, dt.date(2026, 3, 2))[incident.pk]
    assert row["due_date"] == dt.date(2026, 3, 3)
    by_check = services.record_incident(  # rule D3: found at the check, reported from then
        None, unit=unit, kind="suspected_leak", scheme="state", level=Level.SECRET,
        title="便携机内置无线网卡未拆除", discovered_on=dt.date(2026, 1, 1),
        created_on=dt.date(2026, 3, 2), source_type="devices.devicecheck", source_id=3)
    assert by_check.report_due_at == local(2026, 1, 2, 0, 0)


@pytest.mark.rule("I1")
def test_a_reported_incident_is_no_longer_due(people, reported):
    incident = reported(discovered_at=local(2026, 3, 1, 9, 0))
    handling.record_bureau_report(people["office"], incident,
                                  reported_at=local(2026, 3, 2, 9, 0), reported_to="保密局")
    assert incident.pk not in rows_of(incident_report_due, dt.date(2026, 3, 5))


@pytest.mark.rule("I2")
def test_a_reported_incident_is_open_after_the_policy_days(people, reported, unit):
    incident = reported(discovered_at=local(2026, 3, 1, 8, 0))
    handling.record_bureau_report(people["office"], incident,
                                  reported_at=local(2026, 3, 1, 23, 30), reported_to="保密局")
    assert incident.pk not in rows_of(incident_open, dt.date(2026, 3, 31))  # day 30: in time
    row = rows_of(incident_open, dt.date(2026, 4, 1))[incident.pk]
    assert (row["due_date"], row["severity"]) == (dt.date(2026, 3, 31), Severity.WARNING)
    unit.policy_overrides = {"compliance.incident_close_days": 10}
    unit.save()
    assert incident.pk not in rows_of(incident_open, dt.date(2026, 3, 11))
    assert rows_of(incident_open, dt.date(2026, 3, 12))[incident.pk]["due_date"] == dt.date(
        2026, 3, 11)


@pytest.mark.rule("I2")
def test_a_closed_or_unreported_incident_is_not_open(people, reported, handled):
    closed = handling.close_incident(people["office"], handled())
    unreported = reported()
    later = timezone.localdate() + dt.timedelta(days=400)
    found = rows_of(incident_open, later)
    assert closed.pk not in found and unreported.pk not in found
    assert closed.pk not in rows_of(incident_report_due, later)
