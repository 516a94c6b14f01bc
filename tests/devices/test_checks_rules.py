"""Obligations of device checks (rule D11): a classified computer due for its check (warning
before the due day, critical after it), a check missing a signature, a rectification item past
its due day; and the sweep opening and closing them."""

from datetime import date, timedelta

import pytest

from baomi.core.calendar import add_months
from baomi.core.labels import Level
from baomi.core.testing.factories import SecureRoomFactory
from baomi.devices import services
from baomi.devices.choices import DeviceKind, DeviceState
from baomi.devices.models import CheckFinding, Device
from baomi.devices.rules_checks import check_due, check_unsigned, finding_overdue
from baomi.obligations.models import Obligation
from baomi.obligations.services import run_sweep

from . import checks_support, support
from .checks_support import CHECKED_ON, IN_USE_ON, items_with, sign_all

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)
device, record = checks_support.device, checks_support.record


def rows(rule, day, subject_id):
    return [row for row in rule(day) if row["subject_id"] == subject_id]


@pytest.mark.rule("D11")
def test_check_due_on_its_boundaries(device, record):
    last = date(2025, 8, 31)
    record(checked_on=last)
    due = add_months(last, 6)
    assert due == date(2026, 2, 28)
    assert rows(check_due, due - timedelta(days=31), device.pk) == []
    [soon] = rows(check_due, due - timedelta(days=30), device.pk)
    assert (soon["due_date"], soon["severity"]) == (due, "warning")
    [on_the_day] = rows(check_due, due, device.pk)
    assert on_the_day["severity"] == "warning"  # the due day itself is still in time
    [late] = rows(check_due, due + timedelta(days=1), device.pk)
    assert late["severity"] == "critical" and late["level"] == Level.CONFIDENTIAL
    assert late["responsible_id"] is None  # the 保密办 arranges it


@pytest.mark.rule("D11")
def test_a_computer_never_checked_is_due_six_months_after_it_came_into_use(device):
    due = add_months(IN_USE_ON, 6)
    assert rows(check_due, due - timedelta(days=31), device.pk) == []
    assert rows(check_due, due + timedelta(days=1), device.pk)[0]["due_date"] == due


@pytest.mark.rule("D11")
def test_the_check_interval_follows_the_policy(device, record, unit):
    unit.policy_overrides = {"devices.check_months": 3}
    unit.save(update_fields=["policy_overrides"])
    record(checked_on=CHECKED_ON)
    [row] = rows(check_due, add_months(CHECKED_ON, 3) + timedelta(days=1), device.pk)
    assert row["due_date"] == add_months(CHECKED_ON, 3) and row["severity"] == "critical"


@pytest.mark.rule("D11")
def test_only_classified_computers_in_use_are_due(register_device, device, unit):
    late = add_months(IN_USE_ON, 12)
    others = [register_device(level=Level.NONSECRET, in_use_on=IN_USE_ON),
              register_device(kind=DeviceKind.PRINTER, in_use_on=IN_USE_ON),
              register_device(kind=DeviceKind.SERVER, in_use_on=IN_USE_ON,
                              room=SecureRoomFactory(unit=unit))]  # rule Q7
    due = {row["subject_id"] for row in check_due(late)}
    assert due == {device.pk, others[2].pk}
    Device.objects.filter(pk=device.pk).update(state=DeviceState.RETIRED)
    assert device.pk not in {row["subject_id"] for row in check_due(late)}


@pytest.mark.rule("D11")
def test_a_check_missing_a_signature(people, record):
    check = record()
    deadline = CHECKED_ON + timedelta(days=7)
    assert rows(check_unsigned, deadline, check.pk) == []
    [row] = rows(check_unsigned, deadline + timedelta(days=1), check.pk)
    assert (row["due_date"], row["severity"], row["subject_type"]) == (
        deadline, "warning", "devices.devicecheck")
    sign_all(check, people)
    assert rows(check_unsigned, deadline + timedelta(days=1), check.pk) == []


@pytest.mark.rule("D11")
def test_a_finding_past_its_due_day(people, record):
    record(items=items_with(password="口令过短"))
    finding = CheckFinding.objects.get()
    assert rows(finding_overdue, finding.due_on, finding.pk) == []
    [row] = rows(finding_overdue, finding.due_on + timedelta(days=1), finding.pk)
    assert row["severity"] == "critical" and row["responsible_id"] == people["top"].pk
    services.record_rectification(people["top"], finding, rectified_on=CHECKED_ON,
                                  rectification="已更换口令")
    assert rows(finding_overdue, finding.due_on + timedelta(days=1), finding.pk) == []


@pytest.mark.rule("D11")
def test_the_sweep_opens_the_obligations(people, device, record):
    record(checked_on=CHECKED_ON, items=items_with(password="口令过短"))
    run_sweep(date(2026, 11, 24))
    opened = set(Obligation.objects.filter(state="open").values_list("rule_code", flat=True))
    assert {"devices.check_due", "devices.check_unsigned", "devices.finding_overdue"} <= opened
