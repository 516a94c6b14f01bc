"""Obligation rule of the annual self-inspection report (rule Q5): `compliance.annual_report_due`
— each unit files its report of the year by December 31. Shown from
`compliance.annual_report_notice_days` days before (a warning). Last year's report, once the
unit was reminded of it here, stays chased (critical) until it is filed — a unit that came to
baomi after the year ended filed it elsewhere. One obligation per unit: last year's while it is
chased, else this year's."""

import datetime as dt
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Unit
from baomi.core.policy import units_by_policy
from baomi.obligations.models import Obligation
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .models import AnnualReport
from .models.reports import AnnualReportState

NOTICE_DAYS_KEY = "compliance.annual_report_notice_days"
CODE = "compliance.annual_report_due"


def report_due_on(year: int) -> dt.date:
    """rule Q5: the report of `year` is filed by the end of December of that year."""
    return dt.date(year, 12, 31)


def _row(unit_id: int, year: int, today: dt.date) -> ObligationRow:
    due = report_due_on(year)
    return {"subject_type": "accounts.unit", "subject_id": unit_id,
            "subject_label": f"{year}年度保密自查报告", "unit_id": unit_id,
            "responsible_id": None, "due_date": due,
            "severity": Severity.CRITICAL if due < today else Severity.WARNING}


@obligation_rule(CODE, "Q5",
                 _("File the annual self-inspection report"))
def annual_report_due(today: dt.date) -> Iterator[ObligationRow]:
    """rule Q5: the due day itself is still in time; filed means recorded as filed."""
    units = set(Unit.objects.filter(kind=Unit.Kind.UNIT).values_list("pk", flat=True))
    filed = set(AnnualReport.objects.filter(state=AnnualReportState.FILED,
                                            year__in=(today.year - 1, today.year))
                .values_list("unit_id", "year"))
    reminded = set(Obligation.objects.filter(rule_code=CODE,
                                             due_date=report_due_on(today.year - 1))
                   .values_list("unit_id", flat=True))
    for (days,), unit_ids in units_by_policy(NOTICE_DAYS_KEY).items():
        shows_this_year = today >= report_due_on(today.year) - dt.timedelta(days=int(days))
        for unit_id in sorted(units.intersection(unit_ids)):
            if unit_id in reminded and (unit_id, today.year - 1) not in filed:
                yield _row(unit_id, today.year - 1, today)
            elif shows_this_year and (unit_id, today.year) not in filed:
                yield _row(unit_id, today.year, today)
