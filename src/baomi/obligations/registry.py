"""The obligation rule registry (DESIGN.md 'Obligations').

A rule is one set-based query: given today's date it returns rows (dicts) describing every
obligation that is open today, without a per-object Python loop. `baomi sweep` runs them all,
upserts the Obligation table and closes what no rule yields any more.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict


class Severity:
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class ObligationRow(TypedDict, total=False):
    """What a rule yields per obligation. `estimated` marks a due date computed with a guessed
    working-day calendar (calendar.WorkingDay.estimated)."""

    subject_type: str  # e.g. "accounts.user"
    subject_id: int
    subject_label: str
    unit_id: int
    responsible_id: int | None  # the user who must act; None = the unit's 保密办
    due_date: date
    severity: str
    estimated: bool


@dataclass(frozen=True)
class ObligationRule:
    code: str  # stable identifier, e.g. "accounts.password_age"
    rule_id: str  # the RULES.md ID, e.g. "T3"
    title: Any  # lazy-translated text shown on the dashboard
    query: Callable[[date], Iterable[ObligationRow]]


_RULES: dict[str, ObligationRule] = {}


def register(rule: ObligationRule) -> ObligationRule:
    _RULES[rule.code] = rule
    return rule


def obligation_rule(code: str, rule_id: str, title: Any) -> Callable[
    [Callable[[date], Iterable[ObligationRow]]], Callable[[date], Iterable[ObligationRow]]
]:
    """Decorator form of `register`."""

    def wrap(query: Callable[[date], Iterable[ObligationRow]]) -> Callable[
        [date], Iterable[ObligationRow]
    ]:
        register(ObligationRule(code, rule_id, title, query))
        return query

    return wrap


def all_rules() -> list[ObligationRule]:
    return [_RULES[code] for code in sorted(_RULES)]


def get_rule(code: str) -> ObligationRule | None:
    return _RULES.get(code)
