"""One usage-log book (rule D5) as .xlsx — the device, the year and every entry: start, end,
user, work content, level — streamed through openpyxl's write_only mode: rows go to a
temporary file as they come from the database iterator, so memory stays flat however long
the log is."""

from collections.abc import Iterable
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from baomi.core.labels import Level
from baomi.core.xlsx import MAX_ROWS, saved_workbook, text_cell

from .models import UsageBook, UsageEntry

# A header of two rows (the device, the year) and the column titles before the entries.
HEADER_ROWS = 3


def usage_headers() -> list[str]:
    return [_("Started at"), _("Ended at"), _("User"), _("Work content"),
            _("Level of the work")]


def usage_book_filename(book: UsageBook) -> str:
    return f"usage-{book.device.number}-{book.year}.xlsx"


def _local(moment: Any) -> Any:
    """A naive local time: what the users read on paper (Excel knows no time zones)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def write_usage_book(book: UsageBook, entries: Iterable[UsageEntry]) -> tuple[IO[bytes], int]:
    """The book in a temporary file positioned at its start, and the number of entries
    written. `entries` should be an iterator in the order of the log with the user
    selected."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(book.year))
    device = book.device
    sheet.append([text_cell(sheet, _("Secrecy number")), text_cell(sheet, device.number),
                  text_cell(sheet, _("Level")), text_cell(sheet, device.get_level_display())])
    sheet.append([text_cell(sheet, _("Year")), book.year])
    sheet.append([text_cell(sheet, header) for header in usage_headers()])
    levels = {value: str(label) for value, label in Level.choices}
    count = 0
    for entry in entries:
        if count >= MAX_ROWS - HEADER_ROWS:
            break
        sheet.append([_local(entry.started_at), _local(entry.ended_at),
                      text_cell(sheet, entry.user.name), text_cell(sheet, entry.work),
                      text_cell(sheet, levels.get(entry.level, str(entry.level)))])
        count += 1
    return saved_workbook(workbook), count
