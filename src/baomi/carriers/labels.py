"""Printable carrier labels with a QR code (rules C1, S9).

A label carries the mark in large type (rule S9: media and devices are marked on casing and
packaging), the carrier number, title and custodian, and a QR code of its payload
`BAOMI-ZT:<unit code>:<number>`: at a stocktake a barcode scanner types the payload into the
scan box and the line of the carrier is found (rule C1, services.check_carrier). The payload is
printed under the code, so that it can be typed by hand when a code does not scan.

The printed text is document content in Chinese; the builder returns the .docx bytes.
"""

from collections.abc import Iterable

from docx.shared import Cm
from docx.table import _Cell

from baomi.core.label_sheet import add_code, add_line, build_sheet, make_payload, qr_png, split_payload

from .models import Carrier
from .selectors_copying import copy_stamp_of
from .views.display import carrier_mark

__all__ = ["MAX_LABELS", "build_labels_docx", "label_payload", "payload_parts", "qr_png"]

PREFIX = "BAOMI-ZT"
MAX_LABELS = 500  # one print run; the ledger's filters narrow it down
QR_WIDTH = Cm(3.2)


def label_payload(carrier: Carrier) -> str:
    """`BAOMI-ZT:<unit code>:<number>`, what the label's QR code holds."""
    return make_payload(PREFIX, carrier.unit.code, carrier.number)


def payload_parts(code: str) -> tuple[str, str] | None:
    """(unit code, carrier number) of a label payload; None when `code` is no payload (a
    number typed by hand)."""
    return split_payload(PREFIX, code)


def _fill(cell: _Cell, carrier: Carrier) -> None:
    """One label: the mark large (rule S9), number, title, custodian, the 复制戳记 of a copy,
    QR code, payload."""
    add_line(cell, carrier_mark(carrier), 22, bold=True, first=True)
    add_line(cell, carrier.number, 13, bold=True)
    add_line(cell, carrier.title, 10)
    add_line(cell, f"责任人：{carrier.custodian.name}", 10)
    stamp = copy_stamp_of(carrier)  # rule C4: a copy carries its 复制戳记
    if stamp:
        add_line(cell, stamp, 9)
    add_code(cell, label_payload(carrier), QR_WIDTH)


def build_labels_docx(carriers: Iterable[Carrier]) -> bytes:
    """涉密载体标签 (.docx): one label per carrier, two side by side, several per page."""
    return build_sheet("涉密载体标签", list(carriers), _fill)
