"""The register of outside firms (rules Q8, Q11) as .xlsx, streamed through openpyxl's
write_only mode, with whether each firm is qualified for classified work and why not."""

import datetime as dt
from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from baomi.core.xlsx import MAX_ROWS, saved_workbook, text_cell

from .choices_firms import FirmKind, FirmState
from .models import Firm
from .services_firms import qualification_shortfalls

TITLE = gettext_lazy("Register of outside firms")


def headers() -> list[str]:
    return [_("Name"), _("Unified social credit code"), _("Kind"), _("Contact"),
            _("Foreign capital"), _("Security review passed on"), _("Last suspended on"),
            _("On the directory"), _("Directory number"), _("State"), _("Struck off on"),
            _("Qualified for classified work"), _("Why not")]


def write_firms(firms: Iterable[Firm], today: dt.date) -> tuple[IO[bytes], int]:
    """The register in a temporary file positioned at its start, and the number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(TITLE)[:31])
    sheet.append([text_cell(sheet, header) for header in headers()])
    kinds = {value: str(label) for value, label in FirmKind.choices}
    states = {value: str(label) for value, label in FirmState.choices}
    yes, no = _("Yes"), _("No")
    count = 0
    for firm in firms:
        if count >= MAX_ROWS:
            break
        shortfalls = qualification_shortfalls(firm, today)
        row: list[Any] = [
            text_cell(sheet, firm.name), text_cell(sheet, firm.credit_code),
            text_cell(sheet, kinds.get(firm.kind, firm.kind)), text_cell(sheet, firm.contact),
            text_cell(sheet, yes if firm.foreign_capital else no),
            firm.security_review_passed_on, firm.last_suspension_on,
            text_cell(sheet, yes if firm.on_directory else no),
            text_cell(sheet, firm.directory_number),
            text_cell(sheet, states.get(firm.state, firm.state)), firm.struck_off_on,
            text_cell(sheet, no if shortfalls else yes), text_cell(sheet, "; ".join(shortfalls))]
        sheet.append(row)
        count += 1
    return saved_workbook(workbook), count
