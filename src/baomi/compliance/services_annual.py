"""Writes of the annual self-inspection report (rule Q5): the 保密办 generates the year's report
from the year's data as often as it likes, then records it as filed with the 保密局 — from then
on it is archived exactly as filed and never generated again."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Unit
from baomi.audit.services import record_event
from baomi.core.access import clearance
from baomi.core.errors import Conflict
from baomi.core.validation import clean_text

from .annual import annual_figures
from .docx_annual import build_annual_report_docx
from .models import AnnualReport
from .models.reports import AnnualReportState
from .services import invalid, require_office

FIRST_YEAR = 2000
FILED_TO_MAX = 200


def _filed() -> Conflict:
    return Conflict(_("This year's report has been filed and is archived as filed."),
                    code="filed")


def checked_year(year: Any, today: dt.date) -> int:
    """A year from 2000 to the current one: next year's report has no data yet."""
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= today.year:
        raise invalid("year", _("Choose a year from %(first)d to %(last)d.")
                       % {"first": FIRST_YEAR, "last": today.year})
    return year


def generate_annual_report(actor: Any, *, unit: Unit, year: int,
                           today: dt.date | None = None) -> AnnualReport:
    """rule Q5: (re)generate `unit`'s report for `year` from the data as it stands, up to the
    generator's clearance (rule L5). Refused once the year's report is filed."""
    user = require_office(actor, unit)
    today = today or timezone.localdate()
    year = checked_year(year, today)
    figures = annual_figures(unit, year, int(clearance(user)), today)
    values = {"content": build_annual_report_docx(figures), "figures": figures,
              "max_level": figures["max_level"], "generated_at": timezone.now(),
              "generated_by": user}
    try:
        with transaction.atomic():
            report = _store(unit, year, values)
            record_event(actor, "ANNUAL_REPORT_GENERATED", report,
                         after={"year": year, "max_level": report.max_level})
    except IntegrityError:  # generated at the same moment by someone else: theirs stands
        raise Conflict(_("Someone else generated this report at the same time; reload."),
                       code="concurrent_change") from None
    return report


def _store(unit: Unit, year: int, values: dict[str, Any]) -> AnnualReport:
    """Replace the unfiled report of the year, or create it; a filed one is never touched."""
    existing = AnnualReport.objects.filter(unit=unit, year=year)
    if existing.filter(state=AnnualReportState.GENERATED).update(**values):
        return existing.get()
    if existing.exists():
        raise _filed()
    return AnnualReport.objects.create(unit=unit, year=year, **values)


def file_annual_report(actor: Any, report: AnnualReport, *, filed_on: dt.date, filed_to: str,
                       today: dt.date | None = None) -> AnnualReport:
    """rule Q5: record the report as filed on `filed_on` with `filed_to` (the 保密局 or the
    superior); it is archived from then on. Of two concurrent filings one wins."""
    require_office(actor, report.unit)
    today = today or timezone.localdate()
    if not isinstance(filed_on, dt.date) or isinstance(filed_on, dt.datetime) or filed_on > today:
        raise invalid("filed_on", _("Enter the day it was filed, not a day in the future."))
    if filed_on < timezone.localdate(report.generated_at):
        raise invalid("filed_on", _("A report cannot be filed before it was generated."))
    filed_to = clean_text(filed_to, "filed_to", FILED_TO_MAX)
    with transaction.atomic():
        updated = AnnualReport.objects.filter(
            pk=report.pk, state=AnnualReportState.GENERATED, generated_at=report.generated_at
        ).update(state=AnnualReportState.FILED, filed_on=filed_on, filed_to=filed_to,
                 filed_by=actor)
        if not updated:
            raise Conflict(_("The report was filed or generated again meanwhile; reload."),
                           code="concurrent_change")
        report.refresh_from_db()
        record_event(actor, "ANNUAL_REPORT_FILED", report,
                     after={"year": report.year, "filed_on": filed_on.isoformat(),
                            "filed_to": filed_to})
    return report
