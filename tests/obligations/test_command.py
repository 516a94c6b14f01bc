from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from baomi.obligations.models import Obligation, SweepRun


def row(unit, today):
    return {"subject_type": "x", "subject_id": 1, "unit_id": unit.pk, "due_date": today}


def test_sweep_prints_counts_and_totals(rules, unit):
    rules.add("test.ok", lambda today: [row(unit, today)])
    out = StringIO()
    call_command("sweep", "--today", "2026-03-02", stdout=out)
    lines = out.getvalue().splitlines()
    assert "2026-03-02" in lines[0]
    assert lines[-2].split() == ["test.ok", "1", "0", "0", "1", "0"]
    assert lines[-1].split() == ["total", "1", "0", "0", "1", "0"]
    assert Obligation.objects.get().due_date == date(2026, 3, 2)
    assert SweepRun.objects.get().today == date(2026, 3, 2)


def test_sweep_fails_when_a_rule_fails(rules, unit):
    def broken(today):
        raise RuntimeError("no table")

    rules.add("test.broken", broken)
    rules.add("test.ok", lambda today: [row(unit, today)])
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("sweep", stdout=out)
    assert failure.value.returncode == 1 and "test.broken" in str(failure.value)
    assert "no table" in out.getvalue()
    assert Obligation.objects.filter(rule_code="test.ok").exists()


@pytest.mark.parametrize("value", ["yesterday", "2026-02-30", ""])
def test_sweep_refuses_a_bad_date(rules, value):
    with pytest.raises(CommandError):
        call_command("sweep", "--today", value, stdout=StringIO())
    if value:
        assert not SweepRun.objects.exists()
