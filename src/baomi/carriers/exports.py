"""The carrier ledger (涉密载体台帐, rule C1) as .xlsx, one scheme per file (rule L4),
streamed through openpyxl's write_only mode: rows go to a temporary file as they come from
the database iterator, so memory stays flat however long the ledger is."""

from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from baomi.core.labels import Scheme
from baomi.core.xlsx import MAX_ROWS, saved_workbook, text_cell

from .choices import CarrierKind, CarrierOrigin, CarrierState
from .models import Carrier
from .views.display import carrier_mark, place_text

LEDGER_TITLES: dict[str, Any] = {
    Scheme.STATE: gettext_lazy("Ledger of classified carriers"),
    Scheme.WORK: gettext_lazy("Ledger of work-secret carriers"),
    Scheme.COMMERCIAL: gettext_lazy("Ledger of commercial-secret carriers"),
}


def ledger_title(scheme: str) -> str:
    return str(LEDGER_TITLES.get(scheme, LEDGER_TITLES[Scheme.STATE]))


def ledger_headers() -> list[str]:
    return [_("Carrier number"), _("Title"), _("Mark"), _("Kind"), _("Origin"),
            _("Source unit"), _("Source document number"), _("Received or produced on"),
            _("Copies"), _("Copy number"), _("Pages"), _("Department"), _("Custodian"),
            _("Container and location"), _("State")]


class _Labels:
    """The display words of the choices, translated once per export rather than per row."""

    def __init__(self) -> None:
        self.kind = {value: str(label) for value, label in CarrierKind.choices}
        self.origin = {value: str(label) for value, label in CarrierOrigin.choices}
        self.state = {value: str(label) for value, label in CarrierState.choices}


def _row(sheet: Any, carrier: Carrier, labels: _Labels) -> list[Any]:
    def text(value: str) -> Any:
        return text_cell(sheet, value)

    return [text(carrier.number), text(carrier.title), text(carrier_mark(carrier)),
            text(labels.kind.get(carrier.kind, carrier.kind)),
            text(labels.origin.get(carrier.origin, carrier.origin)), text(carrier.source_unit),
            text(carrier.source_document_no), carrier.received_on, carrier.copies,
            text(carrier.copy_no), carrier.pages, text(carrier.department.name),
            text(carrier.custodian.name), text(place_text(carrier)),
            text(labels.state.get(carrier.state, carrier.state))]


def write_carriers(carriers: Iterable[Carrier], scheme: str) -> tuple[IO[bytes], int]:
    """The ledger of one scheme in a temporary file positioned at its start, and the number
    of rows written. `carriers` should be an iterator (`QuerySet.iterator()`) with the
    department, custodian, container and secret item selected."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ledger_title(scheme)[:31])
    sheet.append([text_cell(sheet, header) for header in ledger_headers()])
    labels = _Labels()
    count = 0
    for carrier in carriers:
        if count >= MAX_ROWS:
            break
        sheet.append(_row(sheet, carrier, labels))
        count += 1
    return saved_workbook(workbook), count
