"""Printable carrier labels with a QR code (rules C1, S9).

A label carries the mark in large type (rule S9: media and devices are marked on casing and
packaging), the carrier number, title and custodian, and a QR code of its payload
`BAOMI-ZT:<unit code>:<number>`: at a stocktake a barcode scanner types the payload into the
scan box and the line of the carrier is found (rule C1, services.check_carrier). The payload is
printed under the code, so that it can be typed by hand when a code does not scan.

The printed text is document content in Chinese; the builder returns the .docx bytes.
"""

import io
from collections.abc import Iterable

import segno
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell, _Row

from baomi.core.docx import new_document, to_bytes

from .models import Carrier
from .selectors_copying import copy_stamp_of
from .views.display import carrier_mark

PREFIX = "BAOMI-ZT"
SEPARATOR = ":"
PER_ROW = 2  # labels side by side; four rows fill an A4 page
MAX_LABELS = 500  # one print run; the ledger's filters narrow it down
QR_WIDTH = Cm(3.2)
# The separator and the escape character are escaped inside a part; everything else is kept
# readable (the payload is printed under the code to be typed by hand).
_ESCAPES = (("%", "%25"), (SEPARATOR, "%3A"))


def _escape(text: str) -> str:
    for raw, escaped in _ESCAPES:
        text = text.replace(raw, escaped)
    return text


def _unescape(text: str) -> str:
    for raw, escaped in reversed(_ESCAPES):
        text = text.replace(escaped, raw)
    return text


def label_payload(carrier: Carrier) -> str:
    """`BAOMI-ZT:<unit code>:<number>`, what the label's QR code holds."""
    return SEPARATOR.join((PREFIX, _escape(carrier.unit.code), _escape(carrier.number)))


def payload_parts(code: str) -> tuple[str, str] | None:
    """(unit code, carrier number) of a label payload; None when `code` is no payload (a
    number typed by hand)."""
    parts = code.split(SEPARATOR)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    return _unescape(parts[1]), _unescape(parts[2])


def qr_png(payload: str) -> bytes:
    """The QR code of `payload` as PNG (segno, pure Python; never a Micro QR, which few
    scanners read)."""
    buffer = io.BytesIO()
    segno.make_qr(payload, error="m").save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


def _keep_on_one_page(row: _Row) -> None:
    """A label is never cut by a page break (w:cantSplit)."""
    properties = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    properties.append(cant_split)


def _line(cell: _Cell, text: str, size: float, *, bold: bool = False, first: bool = False
          ) -> None:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(2)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _fill(cell: _Cell, carrier: Carrier) -> None:
    """One label: the mark large (rule S9), number, title, custodian, the 复制戳记 of a copy,
    QR code, payload."""
    payload = label_payload(carrier)
    _line(cell, carrier_mark(carrier), 22, bold=True, first=True)
    _line(cell, carrier.number, 13, bold=True)
    _line(cell, carrier.title, 10)
    _line(cell, f"责任人：{carrier.custodian.name}", 10)
    stamp = copy_stamp_of(carrier)  # rule C4: a copy carries its 复制戳记
    if stamp:
        _line(cell, stamp, 9)
    picture = cell.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(qr_png(payload)), width=QR_WIDTH)
    _line(cell, payload, 8)


def build_labels_docx(carriers: Iterable[Carrier]) -> bytes:
    """涉密载体标签 (.docx): one label per carrier, `PER_ROW` side by side, several per page."""
    listed = list(carriers)
    document = new_document(f"涉密载体标签（{len(listed)}张）")
    section = document.sections[0]
    section.top_margin = section.bottom_margin = Cm(1.2)
    section.left_margin = section.right_margin = Cm(1.5)
    rows = (len(listed) + PER_ROW - 1) // PER_ROW
    table = document.add_table(rows=rows, cols=PER_ROW)
    table.style = "Table Grid"
    for row in table.rows:
        _keep_on_one_page(row)
    for index, carrier in enumerate(listed):
        _fill(table.cell(index // PER_ROW, index % PER_ROW), carrier)
    return to_bytes(document)
