"""The person ledger as .xlsx (openpyxl write_only: rows go to a temporary file as they
come, never held in memory as a workbook)."""

from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from baomi.core.xlsx import MAX_ROWS, saved_workbook, text_cell

from .models import PersonnelFile, TravelDocument

# One header row plus Excel's 1,048,576-row limit.


def ledger_headers() -> list[str]:
    return [_("Real name"), _("Employee number"), _("Department"), _("Classified posts"),
            _("Category"), _("State"), _("In post since"), _("Re-review due on")]


def _posts(file: PersonnelFile) -> str:
    holdings = getattr(file.person, "current", None)
    if holdings is None:
        holdings = list(file.person.post_holdings.filter(ended_on__isnull=True)
                        .select_related("post"))
    return "、".join(f"{h.post.name}（{h.post.get_level_display()}）" for h in holdings)


def _row(sheet: WriteOnlyWorksheet, file: PersonnelFile) -> list[Any]:
    person = file.person
    department = person.department.name if person.department else ""
    texts = [person.name, person.employee_no, department, _posts(file),
             str(file.get_category_display()), str(file.get_state_display())]
    return [*(text_cell(sheet, t) for t in texts), file.in_post_since, file.rereview_due_on]




def write_ledger(files: Iterable[PersonnelFile]) -> IO[bytes]:
    """The workbook in a temporary file, positioned at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Classified personnel ledger")[:31])
    sheet.append([text_cell(sheet, h) for h in ledger_headers()])
    for count, file in enumerate(files):
        if count >= MAX_ROWS:
            break
        sheet.append(_row(sheet, file))
    return saved_workbook(workbook)


def write_documents(documents: Iterable[TravelDocument]) -> IO[bytes]:
    """The passport and permit custody ledger (护照、通行证保管登记表)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Travel documents")[:31])
    headers = [_("Holder"), _("Department"), _("Kind"), _("Document number"),
               _("Date of issue"), _("Expiry date"), _("Custody state"),
               _("Last issued on"), _("Last handed back on")]
    sheet.append([text_cell(sheet, h) for h in headers])
    for doc in documents:
        department = doc.person.department.name if doc.person.department else ""
        texts = [doc.person.name, department, str(doc.get_kind_display()), doc.number]
        sheet.append([*(text_cell(sheet, t) for t in texts), doc.issued_on, doc.expires_on,
                      text_cell(sheet, str(doc.get_state_display())), doc.last_issued_on,
                      doc.last_returned_on])
    return saved_workbook(workbook)
