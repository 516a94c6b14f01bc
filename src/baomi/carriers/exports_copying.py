"""The print log (打印输出登记, rule C10) as .xlsx, streamed through openpyxl's write_only
mode (rows go to a temporary file as they come from the database iterator)."""

from collections.abc import Iterable
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from baomi.core.labels import Scheme
from baomi.core.xlsx import MAX_ROWS, saved_workbook, text_cell

from .models import PrintRecord
from .views.display import level_text


def print_headers() -> list[str]:
    return [_("Printed at"), _("Title"), _("Scheme"), _("Level"), _("Pages"), _("Copies"),
            _("Printer or device"), _("Department"), _("Printed by"), _("Approved by"),
            _("Recipient"), _("Registered as carrier")]


def _name(person: Any) -> str:
    return person.name if person is not None else ""


def _row(sheet: Any, record: PrintRecord, schemes: dict[str, str]) -> list[Any]:
    def text(value: str) -> Any:
        return text_cell(sheet, value)

    printed_at = timezone.localtime(record.printed_at).replace(tzinfo=None)
    return [printed_at, text(record.title), text(schemes.get(record.scheme, record.scheme)),
            text(level_text(record.scheme, record.level)), record.pages, record.copies,
            text(record.device), text(record.department.name if record.department else ""),
            text(_name(record.printed_by)), text(_name(record.approved_by)),
            text(_name(record.recipient)), text(record.carrier.number if record.carrier else "")]


def write_prints(records: Iterable[PrintRecord]) -> tuple[IO[bytes], int]:
    """The print log in a temporary file positioned at its start, and the number of rows.
    `records` should be an iterator with the related people, department and carrier
    selected."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Print log")[:31])
    sheet.append([text_cell(sheet, header) for header in print_headers()])
    schemes = {value: str(label) for value, label in Scheme.choices}
    count = 0
    for record in records:
        if count >= MAX_ROWS:
            break
        sheet.append(_row(sheet, record, schemes))
        count += 1
    return saved_workbook(workbook), count
