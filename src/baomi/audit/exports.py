"""The audit trail as an Excel workbook (openpyxl write-only: rows go to disk, memory stays flat)."""

import re
from datetime import datetime
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from baomi.core.xlsx import text_cell

from .models import AuditEvent

COLUMNS = ("seq", "at", "actor_label", "action", "object_type", "object_id", "unit_id",
           "reason", "before", "after", "request_id", "ip", "prev_hash", "hash")
XLSX_MAX_ROWS = 1_048_576  # a sheet holds no more, header included
XLSX_MAX_TEXT = 32_767  # characters per cell
# Control characters are not allowed in the XML of a workbook.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def export_filename(now: datetime | None = None) -> str:
    local = timezone.localtime(now or timezone.now())
    return f"audit-events-{local:%Y%m%d-%H%M%S}.xlsx"


def write_events_xlsx(events: QuerySet[AuditEvent], target: IO[bytes]) -> int:
    """Write `events` (in their order) to `target`; returns the number of event rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Audit trail")[:31])
    sheet.append([column_label(name) for name in COLUMNS])
    count = 0
    for row in events.values_list(*COLUMNS).iterator(chunk_size=2000):
        if count == XLSX_MAX_ROWS - 2:
            sheet.append([_("More events match: narrow the filters to export the rest.")])
            break
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
    workbook.save(target)
    return count


def column_label(name: str) -> str:
    """The column header: the field's verbose name (translated)."""
    return str(getattr(AuditEvent._meta.get_field(name), "verbose_name", name))


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones: local time (Asia/Shanghai), as the users read it.
        return timezone.localtime(value).replace(tzinfo=None)
    if not isinstance(value, str):
        return value
    text = _ILLEGAL.sub("\ufffd", value)
    if len(text) > XLSX_MAX_TEXT:
        text = text[: XLSX_MAX_TEXT - 1] + "…"
    if text.startswith("="):
        # Text, never a formula: an event's content must not compute anything when opened.
        return text_cell(sheet, text)
    return text
