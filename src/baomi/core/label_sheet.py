"""Sheets of printable labels with a QR code (python-docx, segno), shared by the carrier,
device and media labels.

A payload is `<PREFIX>:<unit code>:<number>`; the separator and the escape character are
escaped inside a part and everything else stays readable, because the payload is printed under
the code to be typed by hand when a code does not scan. A sheet puts `per_row` labels side by
side, never cut by a page break; each app fills one label's cell.
"""

import io
from collections.abc import Callable, Sequence
from typing import TypeVar

import segno
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from docx.table import _Cell, _Row

from .docx import new_document, to_bytes

SEPARATOR = ":"
_ESCAPES = (("%", "%25"), (SEPARATOR, "%3A"))
T = TypeVar("T")


def _escape(text: str) -> str:
    for raw, escaped in _ESCAPES:
        text = text.replace(raw, escaped)
    return text


def _unescape(text: str) -> str:
    for raw, escaped in reversed(_ESCAPES):
        text = text.replace(escaped, raw)
    return text


def make_payload(prefix: str, unit_code: str, number: str) -> str:
    return SEPARATOR.join((prefix, _escape(unit_code), _escape(number)))


def split_payload(prefix: str, code: str) -> tuple[str, str] | None:
    """(unit code, number) of a payload with `prefix`; None when `code` is none (a number
    typed by hand)."""
    parts = code.split(SEPARATOR)
    if len(parts) != 3 or parts[0] != prefix or not parts[1] or not parts[2]:
        return None
    return _unescape(parts[1]), _unescape(parts[2])


def qr_png(payload: str) -> bytes:
    """The QR code of `payload` as PNG (never a Micro QR, which few scanners read)."""
    buffer = io.BytesIO()
    segno.make_qr(payload, error="m").save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


def add_line(cell: _Cell, text: str, size: float, *, bold: bool = False,
             first: bool = False) -> None:
    """A centred line of the label."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(2)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def add_code(cell: _Cell, payload: str, width: Length) -> None:
    """The QR code of `payload`, and the payload under it."""
    picture = cell.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(qr_png(payload)), width=width)
    add_line(cell, payload, 8)


def _keep_on_one_page(row: _Row) -> None:
    """A label is never cut by a page break (w:cantSplit)."""
    properties = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    properties.append(cant_split)


def build_sheet(title: str, items: Sequence[T], fill: Callable[[_Cell, T], None],
                per_row: int = 2) -> bytes:
    """`title（n张）` and one label per item, `per_row` side by side (four rows of two fill an
    A4 page)."""
    document = new_document(f"{title}（{len(items)}张）")
    section = document.sections[0]
    section.top_margin = section.bottom_margin = Cm(1.2)
    section.left_margin = section.right_margin = Cm(1.5)
    table = document.add_table(rows=(len(items) + per_row - 1) // per_row, cols=per_row)
    table.style = "Table Grid"
    for row in table.rows:
        _keep_on_one_page(row)
    for index, item in enumerate(items):
        fill(table.cell(index // per_row, index % per_row), item)
    return to_bytes(document)
