"""The rectification ledger (整改台帐, rule Q10) as .xlsx, streamed through openpyxl's
write_only mode: rows go to a temporary file as they come from the database iterator."""

from collections.abc import Iterable
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from baomi.core.xlsx import MAX_ROWS, saved_workbook, text_cell

from .choices_inspections import RectificationState
from .models import Rectification


def ledger_headers() -> list[str]:
    return [_("Number"), _("Inspection"), _("Item"), _("Problem"), _("Owner"),
            _("To be rectified by"), _("State"), _("Overdue"), _("Measures taken"),
            _("Done on"), _("Verified on"), _("Re-checks")]


def ledger_filename() -> str:
    return f"rectifications-{timezone.localdate():%Y%m%d}.xlsx"


def write_ledger(rectifications: Iterable[Rectification]) -> tuple[IO[bytes], int]:
    """The ledger in a temporary file positioned at its start, and the number of rows.
    `rectifications` should select `owner__person` and `item__inspection`."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Rectifications")[:31])
    sheet.append([text_cell(sheet, header) for header in ledger_headers()])
    states = dict(RectificationState.choices)
    today = timezone.localdate()
    count = 0
    for r in rectifications:
        if count >= MAX_ROWS:
            break
        item = r.item
        late = r.state == RectificationState.OPEN and r.due_on < today
        sheet.append([
            r.pk, text_cell(sheet, item.inspection.title if item else ""),
            text_cell(sheet, item.code if item else ""), text_cell(sheet, r.problem),
            text_cell(sheet, r.owner.person.name), r.due_on,
            text_cell(sheet, str(states.get(r.state, r.state))),
            text_cell(sheet, _("yes") if late else _("no")),
            text_cell(sheet, r.measures), r.done_on, r.verified_on,
            getattr(r, "check_count", None) or r.checks.count()])
        count += 1
    return saved_workbook(workbook), count
