"""The unit obligation list as an xlsx file, streamed row by row (openpyxl write_only)."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from baomi.core.xlsx import MAX_ROWS, text_cell

from .models import Obligation
from .registry import rule_title

# One header row plus Excel's 1,048,576-row limit.


def headers() -> list[str]:
    return [
        _("Rule"), _("Obligation"), _("Unit"), _("Subject"), _("Responsible"), _("Due date"),
        _("Days left"), _("Due date estimated?"), _("Severity"), _("State"), _("Opened at"),
        _("Closed at"),
    ]


def write_obligations_xlsx(obligations: Iterable[Obligation], today: date, out: IO[bytes]) -> int:
    """Write the obligations to `out` as xlsx; returns the number of data rows written.

    `obligations` should be an iterator (`.iterator()`): rows go to disk as they come, so
    memory stays flat whatever the size of the unit.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Obligations")[:31])
    sheet.append([text_cell(sheet, header) for header in headers()])
    count = 0
    for obligation in obligations:
        if count >= MAX_ROWS:
            break
        sheet.append(_row(sheet, obligation, today))
        count += 1
    workbook.save(out)
    return count


def _row(sheet: WriteOnlyWorksheet, obligation: Obligation, today: date) -> list[Any]:
    responsible = obligation.responsible
    return [
        text_cell(sheet, obligation.rule_id),
        text_cell(sheet, str(rule_title(obligation.rule_code))),
        text_cell(sheet, obligation.unit.name),
        text_cell(sheet, obligation.subject_label),
        text_cell(sheet, responsible.person.name if responsible else _("Secrecy office")),
        obligation.due_date,
        obligation.days_left(today),
        _("yes") if obligation.estimated else "",
        text_cell(sheet, str(obligation.get_severity_display())),
        text_cell(sheet, str(obligation.get_state_display())),
        _local(obligation.opened_at),
        _local(obligation.closed_at),
    ]


def _local(moment: datetime | None) -> datetime | None:
    """Excel has no time zones: local wall-clock time (Asia/Shanghai)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None
