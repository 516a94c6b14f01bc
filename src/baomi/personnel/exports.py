"""The person ledger as .xlsx (openpyxl write_only: rows go to a temporary file as they
come, never held in memory as a workbook)."""

import tempfile
from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .models import PersonnelFile

# One header row plus Excel's 1,048,576-row limit.
MAX_ROWS = 1_048_575


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
    return [*(_text(sheet, t) for t in texts), file.in_post_since, file.rereview_due_on]


def _text(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """A cell that is always text: a name starting with "=" must not become a formula."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def write_ledger(files: Iterable[PersonnelFile]) -> IO[bytes]:
    """The workbook in a temporary file, positioned at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Classified personnel ledger")[:31])
    sheet.append([_text(sheet, h) for h in ledger_headers()])
    for count, file in enumerate(files):
        if count >= MAX_ROWS:
            break
        sheet.append(_row(sheet, file))
    output = tempfile.TemporaryFile()  # noqa: SIM115 -- the caller (a FileResponse) closes it
    workbook.save(output)
    output.seek(0)
    return output
