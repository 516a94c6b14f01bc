"""The 资质/备案台帐 as .xlsx: three sheets — the qualifications with their state and renewal
deadline (rule Q4), the applications with their reviews (rule Q3) and the changes of the unit
with their reports (rule Q6). A unit holds a handful of each: written in write_only mode all
the same, as every export is."""

import datetime as dt
from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from baomi.accounts.models import Unit
from baomi.core.xlsx import saved_workbook, text_cell

from . import services_qualification as services
from .choices_qualification import QualificationState
from .models import Qualification, QualificationApplication, UnitChange


def qualification_ledger_filename(unit: Unit) -> str:
    return f"资质备案台帐-{unit.code}.xlsx"


def qualification_headers() -> list[str]:
    return [_("Type"), _("Grade"), _("Certificate number"), _("Issuing authority"),
            _("Certificate issued on"), _("Expires on"), _("State"), _("Renewal due by")]


def application_headers() -> list[str]:
    return [_("Type"), _("Kind"), _("Applied on"), _("Reviewed on"), _("Review score"),
            _("Result"), _("Certificate number")]


def change_headers() -> list[str]:
    return [_("Kind"), _("Description"), _("Old value"), _("New value"), _("Occurred on"),
            _("Report due on"), _("Reported on"), _("Reported to"), _("Reported late"),
            _("Filing")]


def _texts(sheet: Any, values: Iterable[str]) -> list[Any]:
    return [text_cell(sheet, value) for value in values]


def filing_note(change: UnitChange) -> str:
    if change.requires_new_filing:
        return _("New filing required")
    if change.requires_filing_amendment:
        return _("Amended filing required")
    return ""


def _qualification_row(sheet: Any, q: Qualification, today: dt.date) -> list[Any]:
    state = services.effective_state(q, today)
    deadline = (services.requalification_deadline(q).date
                if state == QualificationState.VALID else None)
    return [*_texts(sheet, [q.get_type_display(), q.get_grade_display() if q.grade else "",
                            q.certificate_number, q.issuing_authority]),
            q.issued_on, q.expires_on, text_cell(sheet, str(QualificationState(state).label)),
            deadline]


def write_qualification_ledger(qualifications: Iterable[Qualification],
                               applications: Iterable[QualificationApplication],
                               changes: Iterable[UnitChange], today: dt.date) -> IO[bytes]:
    """The ledger in a temporary file positioned at its start (a FileResponse closes it)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Qualifications"))
    sheet.append(_texts(sheet, qualification_headers()))
    for q in qualifications:
        sheet.append(_qualification_row(sheet, q, today))
    sheet = workbook.create_sheet(title=_("Applications"))
    sheet.append(_texts(sheet, application_headers()))
    for a in applications:
        sheet.append([*_texts(sheet, [a.get_type_display(), a.get_kind_display()]),
                      a.applied_on, a.reviewed_on,
                      float(a.score) if a.score is not None else None,
                      *_texts(sheet, [a.get_result_display(),
                                      a.certificate.certificate_number if a.certificate
                                      else ""])])
    sheet = workbook.create_sheet(title=_("Unit changes"))
    sheet.append(_texts(sheet, change_headers()))
    for c in changes:
        sheet.append([*_texts(sheet, [c.get_kind_display(), c.description, c.old_value,
                                      c.new_value]),
                      c.occurred_on, c.report_due_on, c.reported_on,
                      *_texts(sheet, [c.reported_to, _("yes") if c.reported_late else "",
                                      filing_note(c)])])
    return saved_workbook(workbook)
