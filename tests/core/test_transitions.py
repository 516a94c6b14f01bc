"""The declarative transition engine: legal moves, guards, and compare-and-set."""

import pytest

from baomi.accounts.models import Unit
from baomi.core.errors import Conflict, RuleViolation
from baomi.core.transitions import table


def refuse_code_x(unit):
    if unit.code == "X":
        raise RuleViolation("no", code="guarded")


KIND = table("kind", [("unit", "group", refuse_code_x)])


def test_legal_transition_applies(unit):
    KIND.apply(unit, "group")
    unit.refresh_from_db()
    assert unit.kind == "group"


def test_illegal_transition_raises(unit):
    unit.kind = "group"
    with pytest.raises(Conflict) as error:
        KIND.check(unit, "unit")
    assert error.value.code == "illegal_transition"


def test_guard_refuses(unit):
    unit.code = "X"
    with pytest.raises(RuleViolation):
        KIND.check(unit, "group")


def test_stale_object_loses_the_compare_and_set(unit):
    stale = Unit.objects.get(pk=unit.pk)
    KIND.apply(unit, "group")
    with pytest.raises(Conflict) as error:
        # The stale copy still believes it is a unit: the table allows the move, the UPDATE finds
        # nothing in that state and the second action fails.
        KIND.apply(stale, "group")
    assert error.value.code == "concurrent_change"
    assert KIND.targets_from("unit") == ["group"]
