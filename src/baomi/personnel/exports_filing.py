"""The 保密津贴 sheet (rule P15) for payroll and the 备案 workbook (rule P16) as .xlsx,
written with openpyxl write_only into a temporary file; text cells never become formulas."""

from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from baomi.core.xlsx import MAX_ROWS, saved_workbook, text_cell

from .filing import AllowanceSheet, FilingReport
from .models import PersonnelFile


def allowance_headers() -> list[str]:
    return [_("Real name"), _("Employee number"), _("Department"), _("Category"),
            _("In post since"), _("Exit date"), _("Monthly amount (yuan)"), _("Days in post"),
            _("Days in month"), _("Amount (yuan)")]


def change_headers() -> list[str]:
    return [_("Date"), _("Change"), _("Real name"), _("Employee number"), _("Department"),
            _("Details"), _("Recorded at")]


def roster_headers() -> list[str]:
    return [_("Real name"), _("Employee number"), _("Department"), _("Category"),
            _("In post since"), _("Re-review due on")]


def declassifying_headers() -> list[str]:
    return [_("Real name"), _("Employee number"), _("Department"), _("Category"),
            _("Exit date"), _("Declassification period ends on")]


def _sheet(workbook: Workbook, title: str, headers: list[str]) -> WriteOnlyWorksheet:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([text_cell(sheet, h) for h in headers])
    return sheet


def _texts(sheet: WriteOnlyWorksheet, *values: Any) -> list[Any]:
    return [text_cell(sheet, str(v)) for v in values]


def _file_texts(sheet: WriteOnlyWorksheet, file: PersonnelFile) -> list[Any]:
    """Name, employee number, department and category of a file's person."""
    person = file.person
    department = person.department.name if person.department else ""
    return _texts(sheet, person.name, person.employee_no, department,
                  file.get_category_display())


def write_allowance(allowance: AllowanceSheet) -> IO[bytes]:
    """One sheet: a row per person and the total."""
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, _("Confidentiality allowance %(month)s") % {
        "month": f"{allowance.month:%Y-%m}"}, allowance_headers())
    for row in allowance.rows[:MAX_ROWS - 1]:
        sheet.append([*_texts(sheet, row.name, row.employee_no, row.department,
                              row.category_label),
                      row.in_post_since, row.left_on, row.monthly, row.days_in_post,
                      row.days_in_month, row.amount])
    sheet.append([text_cell(sheet, _("Total")), *[None] * 8, allowance.total])
    return saved_workbook(workbook)


def write_filing(report: FilingReport) -> IO[bytes]:
    """Three sheets: 变动情况 (the changes in the range), 在岗涉密人员名单 (the roster) and
    脱密期人员 (rules P11, P16)."""
    workbook = Workbook(write_only=True)
    changes = _sheet(workbook, _("Changes"), change_headers())
    for change in report.changes[:MAX_ROWS]:
        recorded = change.recorded_at.replace(tzinfo=None) if change.recorded_at else None
        changes.append([change.on, *_texts(changes, change.kind, change.name, change.employee_no,
                                            change.department, change.detail), recorded])
    roster = _sheet(workbook, _("Classified personnel in post"), roster_headers())
    for file in report.roster[:MAX_ROWS]:
        roster.append([*_file_texts(roster, file), file.in_post_since, file.rereview_due_on])
    declassifying = _sheet(workbook, _("People in the declassification period"),
                           declassifying_headers())
    for file in report.declassifying[:MAX_ROWS]:
        declassifying.append([*_file_texts(declassifying, file), file.left_on,
                              file.declassification_ends_on])
    return saved_workbook(workbook)
