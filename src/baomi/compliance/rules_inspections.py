"""Obligation rules of inspections (rules Q9, Q10), one set-based query each:

- `compliance.self_assessment_due`: a unit whose current year has no completed
  self-assessment on the 条例§58 library (rule Q9) — a warning, due on the policy day
  `compliance.self_assessment_due_mmdd` of the year (default 12-15, before the annual report
  is due at the end of December, rule Q5); closed once one is completed.
- `compliance.rectification_overdue`: a rectification still open after its due day (rule
  Q10) — critical, for its owner (the 保密办 sees it among the unit's obligations).
"""

import datetime as dt
import re
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Unit
from baomi.core.policy import units_by_policy
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .choices_inspections import RectificationState
from .models import Rectification
from .selectors_inspections import self_assessments_completed

DUE_MMDD_KEY = "compliance.self_assessment_due_mmdd"
DEFAULT_DUE_MMDD = (12, 15)
MMDD = re.compile(r"^(\d{2})-(\d{2})$")


def self_assessment_due_on(year: int, mmdd: str) -> dt.date:
    """rule Q9: the day of `year` the self-assessment is due, from the policy "MM-DD"; a
    value that is no day of that year (a typo, 02-29 in a common year) falls back to the
    last valid day before it or to 12-15."""
    match = MMDD.match(str(mmdd or "").strip())
    month, day = (int(match.group(1)), int(match.group(2))) if match else DEFAULT_DUE_MMDD
    if not 1 <= month <= 12:
        month, day = DEFAULT_DUE_MMDD
    while day > 0:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1
    return dt.date(year, *DEFAULT_DUE_MMDD)


@obligation_rule("compliance.self_assessment_due", "Q9",
                 _("Complete the yearly self-assessment (自查自评)"))
def self_assessment_due(today: dt.date) -> Iterator[ObligationRow]:
    """rule Q9: one completed self-assessment on the 条例§58 library per year."""
    done = self_assessments_completed(today.year).values("unit_id")
    for (mmdd,), unit_ids in units_by_policy(DUE_MMDD_KEY).items():
        due = self_assessment_due_on(today.year, str(mmdd))
        units = (Unit.objects.filter(pk__in=unit_ids, kind=Unit.Kind.UNIT)
                 .exclude(pk__in=done).values("id", "name"))
        for unit in units.iterator(chunk_size=5000):
            yield {
                "subject_type": "accounts.unit",
                "subject_id": unit["id"],
                "subject_label": f"{unit['name']} · {today.year}"[:200],
                "unit_id": unit["id"],
                "responsible_id": None,  # the 保密办 organises the self-assessment
                "due_date": due,
                "severity": Severity.WARNING,
            }


@obligation_rule("compliance.rectification_overdue", "Q10",
                 _("Carry out an overdue rectification"))
def rectification_overdue(today: dt.date) -> Iterator[ObligationRow]:
    """rule Q10: open past its due day; the due day itself is still in time."""
    rows = (Rectification.objects.filter(state=RectificationState.OPEN, due_on__lt=today)
            .values("id", "problem", "due_on", "unit_id", "owner_id"))
    for row in rows.iterator(chunk_size=5000):
        yield {
            "subject_type": "compliance.rectification",
            "subject_id": row["id"],
            "subject_label": str(row["problem"])[:200],
            "unit_id": row["unit_id"],
            "responsible_id": row["owner_id"],
            "due_date": row["due_on"],
            "severity": Severity.CRITICAL,
        }
