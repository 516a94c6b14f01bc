"""The obligation `devices.usage_book_missing` (rule D5): a classified computer in use without
its book for the current year."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baomi.core.labels import Level
from baomi.devices import services
from baomi.devices.choices import DeviceKind, DeviceState
from baomi.devices.models import Device
from baomi.devices.rules_usage import first_working_day, usage_book_missing
from baomi.obligations.registry import Severity, get_rule

from . import support
from .support import today

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)


def rows_for(device, day=None):
    return [row for row in usage_book_missing(day or today()) if row["subject_id"] == device.pk]


@pytest.mark.rule("D5")
def test_last_years_book_only_leaves_the_obligation(people, register_device):
    device = register_device(level=Level.SECRET)
    services.open_usage_book(people["office"], device, year=today().year - 1)
    [row] = rows_for(device)
    assert row["subject_type"] == "devices.device" and row["level"] == Level.SECRET
    assert row["severity"] == Severity.WARNING
    assert row["responsible_id"] == people["top"].pk  # the responsible person opens it
    assert row["due_date"] == max(first_working_day(today().year).date, device.in_use_on)
    services.open_usage_book(people["office"], device, year=today().year)
    assert rows_for(device) == []


@pytest.mark.rule("D5")
def test_only_classified_computers_in_use(people, register_device):
    plain = register_device(level=Level.NONSECRET)
    printer = register_device(kind=DeviceKind.PRINTER, level=Level.CONFIDENTIAL)
    idle = register_device(level=Level.SECRET)
    Device.objects.filter(pk=idle.pk).update(state=DeviceState.IDLE)
    server = register_device(kind=DeviceKind.SERVER, level=Level.SECRET)
    assert rows_for(plain) == rows_for(printer) == rows_for(idle) == []
    assert len(rows_for(server)) == 1


@pytest.mark.rule("D5")
def test_due_on_the_first_working_day_or_when_it_came_into_use(people, register_device):
    early = register_device(level=Level.SECRET, in_use_on=date(2020, 5, 6))
    [row] = rows_for(early, date(2026, 3, 1))
    assert row["due_date"] == date(2026, 1, 4)  # 1–3 January 2026 are the 元旦 holiday
    assert first_working_day(2025).date == date(2025, 1, 2)


@pytest.mark.rule("D5")
def test_the_rule_is_one_query_and_registered(people, register_device):
    for _ in range(3):
        register_device(level=Level.SECRET)
    with CaptureQueriesContext(connection) as queries:
        assert len(list(usage_book_missing(today()))) == 3
    assert len(queries) == 1
    rule = get_rule("devices.usage_book_missing")
    assert rule is not None and rule.rule_id == "D5"
