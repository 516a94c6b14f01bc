"""Passwords of classified devices (rule D6): recording a change — its day, length and
character classes, never the password — and the obligation `devices.password_change_due`."""

import datetime as dt
import json

import pytest

from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level
from baomi.devices import services
from baomi.devices.choices import DeviceState
from baomi.devices.models import Device
from baomi.obligations.registry import Severity, get_rule

from . import support
from .support import today

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)

MIN_LENGTH = {Level.SECRET: 8, Level.CONFIDENTIAL: 10, Level.TOP_SECRET: 12}
CHANGE_DAYS = {Level.SECRET: 30, Level.CONFIDENTIAL: 7, Level.TOP_SECRET: 7}
LONG_AGO = 100


@pytest.fixture
def device(register_device):
    """A 机密 desktop in use for 100 days, responsible 郭绝密 (`top`)."""
    return register_device(in_use_on=today() - dt.timedelta(days=LONG_AGO))


def record(actor, device, *, days_ago=0, length=12, classes=4):
    return services.record_password_change(actor, device,
                                           changed_on=today() - dt.timedelta(days=days_ago),
                                           length=length, classes=classes)


def changed_on(device):
    return Device.objects.get(pk=device.pk).password_changed_on


# --- the record --------------------------------------------------------------------------------


@pytest.mark.rule("D6")
@pytest.mark.parametrize("level", [Level.SECRET, Level.CONFIDENTIAL, Level.TOP_SECRET])
def test_minimum_length_by_level(people, register_device, level):
    device = register_device(level=level, in_use_on=today() - dt.timedelta(days=LONG_AGO))
    with pytest.raises(RuleViolation) as refused:
        record(people["office"], device, length=MIN_LENGTH[level] - 1)
    assert refused.value.code == "password_too_short" and "length" in refused.value.fields
    assert changed_on(device) is None
    record(people["office"], device, length=MIN_LENGTH[level])
    assert changed_on(device) == today()


@pytest.mark.rule("D6")
def test_all_four_character_classes_are_required(people, device):
    with pytest.raises(RuleViolation) as refused:
        record(people["office"], device, classes=3)
    assert refused.value.code == "password_classes"
    assert changed_on(device) is None
    record(people["office"], device, classes=4)
    assert changed_on(device) == today()


@pytest.mark.rule("D6")
def test_the_unit_policy_may_ask_for_longer_passwords(people, unit, device):
    unit.policy_overrides = {"devices.password.min_length.confidential": 14}
    unit.save(update_fields=["policy_overrides"])
    device = Device.objects.get(pk=device.pk)
    with pytest.raises(RuleViolation):
        record(people["office"], device, length=13)
    record(people["office"], device, length=14)


@pytest.mark.rule("D6")
def test_a_nonsecret_device_needs_no_record(people, register_device):
    device = register_device(level=Level.NONSECRET, responsible=people["none"].person)
    with pytest.raises(InvalidInput) as refused:
        record(people["office"], device)
    assert refused.value.code == "not_classified"


@pytest.mark.parametrize("days_ago, code", [(-1, "future_date"), (LONG_AGO + 1, "before_in_use")])
def test_the_day_is_between_the_day_in_use_and_today(people, device, days_ago, code):
    with pytest.raises(InvalidInput) as refused:
        record(people["office"], device, days_ago=days_ago)
    assert refused.value.code == code and "changed_on" in refused.value.fields
    record(people["office"], device, days_ago=LONG_AGO)  # the day it came into use is fine
    assert changed_on(device) == device.in_use_on


@pytest.mark.parametrize("field, value", [
    ("length", 0), ("length", 257), ("length", "12"), ("length", True),
    ("classes", 0), ("classes", 5), ("changed_on", "2024-01-01"),
    ("changed_on", dt.datetime(2024, 1, 1, 8, 0)),
])
def test_bad_input_is_refused_on_its_field(people, device, field, value):
    values = {"changed_on": today(), "length": 12, "classes": 4, field: value}
    with pytest.raises(InvalidInput) as refused:
        services.record_password_change(people["office"], device, **values)
    assert field in refused.value.fields


@pytest.mark.rule("D6")
def test_the_audit_keeps_the_day_length_and_classes_only(people, device):
    record(people["top"], device, days_ago=1, length=15)  # the responsible person
    event = AuditEvent.objects.get(action="DEVICE_PASSWORD_CHANGED")
    assert json.loads(event.after) == {
        "changed_on": (today() - dt.timedelta(days=1)).isoformat(), "length": 15, "classes": 4}
    assert json.loads(event.before) == {"changed_on": None}


def test_a_refusal_writes_nothing(people, device):
    with pytest.raises(RuleViolation):
        record(people["office"], device, length=3)
    assert not AuditEvent.objects.filter(action="DEVICE_PASSWORD_CHANGED").exists()


def test_an_older_change_recorded_late_keeps_the_latest_day(people, device):
    record(people["office"], device, days_ago=2)
    record(people["office"], device, days_ago=5)
    assert changed_on(device) == today() - dt.timedelta(days=2)
    assert AuditEvent.objects.filter(action="DEVICE_PASSWORD_CHANGED").count() == 2


@pytest.mark.parametrize("who, error, code", [
    ("head", AccessDenied, "not_office_or_responsible"),  # sees it, keeps it not
    ("leader", NotFound, None),  # neither
    ("office2", NotFound, None),  # another unit
    ("secret", NotFound, None),  # below the device's level (rule L5)
])
def test_only_the_office_or_the_responsible_person_records(people, device, who, error, code):
    with pytest.raises(error) as refused:
        record(people[who], device)
    assert code is None or refused.value.code == code
    assert changed_on(device) is None


def test_the_due_day_follows_the_level(people, register_device):
    secret = register_device(level=Level.SECRET, in_use_on=today() - dt.timedelta(days=50))
    assert services.password_due_on(secret) == secret.in_use_on  # nothing recorded: due now
    secret = record(people["office"], secret, days_ago=10)
    assert services.password_due_on(secret) == today() + dt.timedelta(days=20)


# --- the obligation -----------------------------------------------------------------------------


def rows(day):
    return list(get_rule("devices.password_change_due").query(day))


@pytest.mark.rule("D6")
def test_never_recorded_is_due_from_the_day_in_use(people, device):
    [row] = rows(today())
    assert (row["subject_id"], row["due_date"], row["unit_id"]) == (
        device.pk, device.in_use_on, device.unit_id)
    assert row["responsible_id"] == people["top"].pk
    assert row["level"] == Level.CONFIDENTIAL and row["severity"] == Severity.CRITICAL
    assert get_rule("devices.password_change_due").rule_id == "D6"


@pytest.mark.rule("D6")
@pytest.mark.parametrize("level", [Level.SECRET, Level.CONFIDENTIAL, Level.TOP_SECRET])
def test_due_after_the_days_of_the_level(people, register_device, level):
    device = register_device(level=level, in_use_on=today() - dt.timedelta(days=LONG_AGO))
    record(people["office"], device, length=MIN_LENGTH[level])
    days = CHANGE_DAYS[level]
    assert rows(today() + dt.timedelta(days=days)) == []  # `days` later: still in time
    [row] = rows(today() + dt.timedelta(days=days + 1))
    assert row["due_date"] == today() + dt.timedelta(days=days)


@pytest.mark.rule("D6")
def test_nonsecret_and_idle_devices_are_no_obligation(people, register_device, device):
    register_device(level=Level.NONSECRET, responsible=people["none"].person)
    services.update_device(people["office"], device, location=device.location,
                           responsible=device.responsible, state=DeviceState.IDLE)
    assert rows(today() + dt.timedelta(days=365)) == []


def test_one_query_per_policy_group(people, register_device, other_unit,
                                    django_assert_num_queries):
    for level in (Level.SECRET, Level.CONFIDENTIAL, Level.TOP_SECRET):
        register_device(level=level)
    with django_assert_num_queries(2):  # the units and their policies, then the devices
        assert len(rows(today())) == 3
