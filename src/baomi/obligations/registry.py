"""The obligation rule registry (DESIGN.md 'Obligations').

A rule is one set-based query: given today's date it returns rows (dicts) describing every
obligation that is open today, without a per-object Python loop. `baomi sweep` runs them all,
upserts the Obligation table and closes what no rule yields any more.

Rules live in each app's `rules.py` (autodiscovered by ObligationsConfig.ready):

    @obligation_rule("accounts.password_age", "T3", _("Change your password"))
    def password_age(today: date) -> Iterable[ObligationRow]:
        return User.objects.filter(...).values(subject_id=F("id"), ...)
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    """How pressing an obligation is; the dashboard orders and colours by due date first."""

    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    CRITICAL = "critical", _("Critical")


class ObligationRow(TypedDict, total=False):
    """What a rule yields per obligation. `estimated` marks a due date computed with a guessed
    working-day calendar (calendar.WorkingDay.estimated).

    Required: subject_type, subject_id, unit_id, due_date. Optional: subject_label (""),
    responsible_id (None), severity (warning), estimated (False), level (0 = 非密: the
    secrecy level of the subject; the unit view hides rows above the reader's clearance, L5).
    """

    subject_type: str  # e.g. "accounts.user"
    subject_id: int
    subject_label: str
    unit_id: int
    responsible_id: int | None  # the user who must act; None = the unit's 保密办
    due_date: date
    severity: str
    estimated: bool
    level: int


RuleQuery = Callable[[date], Iterable[ObligationRow]]


@dataclass(frozen=True)
class ObligationRule:
    code: str  # stable identifier, e.g. "accounts.password_age"
    rule_id: str  # the RULES.md ID, e.g. "T3"
    title: Any  # lazy-translated text shown on the dashboard
    query: RuleQuery


_RULES: dict[str, ObligationRule] = {}


CODE_MAX = 80  # Obligation.rule_code
RULE_ID_MAX = 10  # Obligation.rule_id


def register(rule: ObligationRule) -> ObligationRule:
    if not 0 < len(rule.code) <= CODE_MAX or not 0 < len(rule.rule_id) <= RULE_ID_MAX:
        raise ValueError(f"obligation rule {rule.code!r}: code or rule id empty or too long")
    _RULES[rule.code] = rule
    return rule


def unregister(code: str) -> None:
    """Remove a rule (tests register temporary rules and remove them afterwards)."""
    _RULES.pop(code, None)


def obligation_rule(code: str, rule_id: str, title: Any) -> Callable[[RuleQuery], RuleQuery]:
    """Decorator form of `register`."""

    def wrap(query: RuleQuery) -> RuleQuery:
        register(ObligationRule(code, rule_id, title, query))
        return query

    return wrap


def all_rules() -> list[ObligationRule]:
    return [_RULES[code] for code in sorted(_RULES)]


def get_rule(code: str) -> ObligationRule | None:
    return _RULES.get(code)


def rule_title(code: str) -> Any:
    """The registered title of a rule, or its code when the rule is no longer registered."""
    rule = _RULES.get(code)
    return rule.title if rule else code


# --- daily jobs ------------------------------------------------------------------------------
# A few rules change state on a date by themselves (rule S6: a secret is declassified when its
# period ends). Such a job is a service call registered here; `baomi sweep` runs every job,
# each in its own transaction, before the rules, so that the rules see the changed state.

DailyJob = Callable[[date, Any], int]  # (today, actor) -> number of objects changed
_JOBS: dict[str, tuple[str, DailyJob]] = {}


def daily_job(code: str, rule_id: str) -> Callable[[DailyJob], DailyJob]:
    def wrap(job: DailyJob) -> DailyJob:
        if not 0 < len(code) <= CODE_MAX:
            raise ValueError(f"daily job {code!r}: code empty or too long")
        _JOBS[code] = (rule_id, job)
        return job

    return wrap


def all_jobs() -> list[tuple[str, DailyJob]]:
    return [(code, _JOBS[code][1]) for code in sorted(_JOBS)]


@contextmanager
def emptied() -> Iterator[None]:
    """Tests: no rule and no job registered inside the block; the registry restored after."""
    saved_rules, saved_jobs = dict(_RULES), dict(_JOBS)
    _RULES.clear()
    _JOBS.clear()
    try:
        yield
    finally:
        _RULES.clear()
        _RULES.update(saved_rules)
        _JOBS.clear()
        _JOBS.update(saved_jobs)
