"""The 保密办's overview of a unit (issue 6 'Overview'): people by category, carriers by level
and state, open obligations by the month they fall due, assessment scores by year — each as a
chart with its table. Every figure stops at the reader's clearance (rule L5)."""

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from baomi.accounts.models import Unit
from baomi.carriers.choices import CarrierState
from baomi.core.labels import Category, Level
from baomi.obligations.models import Obligation
from baomi.obligations.registry import Severity

from .annual import carriers_by_level_state, people_by_category
from .charts import Chart, bar_chart
from .selectors_assessments import assessment_scores_by_year

MONTHS_AHEAD = 12
CATEGORIES = (Category.CORE, Category.IMPORTANT, Category.GENERAL)
STATES = [state for state in CarrierState if state != CarrierState.DESTROYED]
SEVERITIES = (Severity.CRITICAL, Severity.WARNING, Severity.INFO)


def people_chart(unit: Unit) -> Chart:
    people = people_by_category(unit)
    return bar_chart("people", _("Classified personnel in post by category"), [_("People")],
                     [(str(category.label), [people[str(int(category))]])
                      for category in CATEGORIES])


def carriers_chart(unit: Unit, max_level: int) -> Chart:
    by_level = carriers_by_level_state(unit, max_level)
    data = [(str(level.label), [by_level.get(str(int(level)), {}).get(str(state), 0)
                                for state in STATES])
            for level in Level if level <= max_level]
    return bar_chart("carriers", _("Carriers on the ledger by level and state"),
                     [str(state.label) for state in STATES], data)


def _month_key(day: dt.date) -> tuple[int, int]:
    return day.year, day.month


def obligations_chart(unit: Unit, today: dt.date, max_level: int) -> Chart:
    """Open obligations: those overdue, then by the month they fall due, a year ahead."""
    counts: Counter[tuple[Any, str]] = Counter()
    last = _month_key(today)
    months = [last]
    for _step in range(MONTHS_AHEAD - 1):
        year, month = months[-1]
        months.append((year + month // 12, month % 12 + 1))
    rows = (Obligation.objects.filter(unit=unit, state=Obligation.State.OPEN,
                                      level__lte=max_level)
            .values("due_date", "severity").annotate(n=Count("id")))
    for row in rows:
        due: dt.date = row["due_date"]
        bucket: Any = "overdue" if due < today else _month_key(due)
        if bucket != "overdue" and bucket not in months:
            bucket = "later"
        counts[(bucket, row["severity"])] += int(row["n"])
    labels = [("overdue", _("Overdue")),
              *((key, f"{key[0]}-{key[1]:02d}") for key in months), ("later", _("Later"))]
    data = [(label, [counts[(key, str(severity))] for severity in SEVERITIES])
            for key, label in labels]
    return bar_chart("obligations", _("Open obligations by month due"),
                     [str(severity.label) for severity in SEVERITIES], data)


def assessments_chart(unit: Unit) -> Chart:
    """rule Q3: the score of each year's completed assessment, passed or failed."""
    data = [(str(year), [float(score), 0.0] if passed else [0.0, float(score)])
            for year, score, passed in assessment_scores_by_year(unit)]
    return bar_chart("assessments", _("Assessment scores by year"),
                     [_("Passed"), _("Failed")], data)


def overview_charts(unit: Unit, today: dt.date, max_level: int) -> list[Chart]:
    return [people_chart(unit), carriers_chart(unit, max_level),
            obligations_chart(unit, today, max_level), assessments_chart(unit)]

