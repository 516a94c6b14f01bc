"""Obligation rules of the outside firms (rule Q11), one set-based query each (per group of
units sharing the policy values):

- `compliance.firm_change_review_due`: a reported change of a firm's conditions not yet
  re-reviewed; due 20 working days after the report (`compliance.firm_change_review_days`), a
  warning until then, critical after it.
- `compliance.firm_year_report_due`: a firm with a classified contract running during last year
  and no yearly report for it; due the last day of the first quarter
  (`compliance.firm_year_report_month`), a warning.
"""

import datetime as dt
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from baomi.core.calendar import add_working_days
from baomi.core.labels import Level, Scheme
from baomi.core.policy import units_by_policy
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .choices_firms import ContractState, ReviewResult
from .models import FirmChange, FirmContract, FirmYearReport
from .services_firms import CHANGE_REVIEW_DAYS_KEY, YEAR_REPORT_MONTH_KEY, report_month_end


@obligation_rule("compliance.firm_change_review_due", "Q11",
                 _("Re-review a reported change of an outside firm"))
def firm_change_review_due(today: dt.date) -> Iterator[ObligationRow]:
    """rule Q11: re-reviewed within 20 working days of the report; the due day itself is still
    in time. Open from the report until the re-review is recorded."""
    for (days,), unit_ids in units_by_policy(CHANGE_REVIEW_DAYS_KEY).items():
        changes = (FirmChange.objects
                   .filter(firm__unit_id__in=unit_ids, result=ReviewResult.PENDING,
                           reported_on__lte=today)
                   .values("id", "reported_on", "firm__name", "firm__unit_id"))
        for change in changes.iterator(chunk_size=5000):
            due = add_working_days(change["reported_on"], int(days))
            yield {
                "subject_type": "compliance.firmchange",
                "subject_id": change["id"],
                "subject_label": f"{change['firm__name']} · {change['reported_on']}"[:200],
                "unit_id": change["firm__unit_id"],
                "responsible_id": None,  # the 保密办 re-reviews
                "due_date": due.date,
                "estimated": due.estimated,
                "severity": Severity.CRITICAL if due.date < today else Severity.WARNING,
            }


@obligation_rule("compliance.firm_year_report_due", "Q11",
                 _("Obtain the yearly report of an outside firm"))
def firm_year_report_due(today: dt.date) -> Iterator[ObligationRow]:
    """rule Q11: a firm that had classified work during last year (a 国家秘密 contract above
    非密 signed by 31 December and not ended before 1 January) reports on that year by the end
    of the first quarter. The obligation stands the whole year after, until the report is
    recorded."""
    year = today.year - 1
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    running = (Q(state=ContractState.ACTIVE) | Q(ended_on__gte=start)) & Q(signed_on__lte=end)
    for (month,), unit_ids in units_by_policy(YEAR_REPORT_MONTH_KEY).items():
        due = report_month_end(year, int(month))
        classified = FirmContract.objects.filter(
            running, firm_id=OuterRef("firm_id"), scheme=Scheme.STATE,
            level__gt=Level.NONSECRET)
        reported = FirmYearReport.objects.filter(firm_id=OuterRef("firm_id"), year=year)
        firms = (FirmContract.objects.filter(firm__unit_id__in=unit_ids)
                 .filter(Exists(classified)).exclude(Exists(reported))
                 .values("firm_id", "firm__name", "firm__unit_id").distinct())
        for firm in firms.iterator(chunk_size=5000):
            yield {
                "subject_type": "compliance.firm",
                "subject_id": firm["firm_id"],
                "subject_label": f"{firm['firm__name']} · {year}"[:200],
                "unit_id": firm["firm__unit_id"],
                "responsible_id": None,  # the 保密办 obtains the report
                "due_date": due,
                "severity": Severity.WARNING,
            }

