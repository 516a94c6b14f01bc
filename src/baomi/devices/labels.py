"""Printable level labels of devices and media with a QR code (rules D1, D4).

A label carries the level in large type (a device and a medium are labelled with their
level), the 保密编号, the kind and model, the responsible person, and a QR code of its payload
`BAOMI-SB:<unit code>:<number>` (devices) or `BAOMI-JZ:<unit code>:<number>` (media), printed
under the code so that it can be typed by hand when a code does not scan.

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
from baomi.core.labels import Level

from .models import Device, Medium

DEVICE_PREFIX = "BAOMI-SB"
MEDIUM_PREFIX = "BAOMI-JZ"
SEPARATOR = ":"
PER_ROW = 2
MAX_LABELS = 500  # one print run; the ledger's filters narrow it down
QR_WIDTH = Cm(3.0)
_ESCAPES = (("%", "%25"), (SEPARATOR, "%3A"))
LEVEL_WORDS = {Level.NONSECRET: "非密", Level.SECRET: "秘密", Level.CONFIDENTIAL: "机密",
               Level.TOP_SECRET: "绝密"}


def _escape(text: str) -> str:
    for raw, escaped in _ESCAPES:
        text = text.replace(raw, escaped)
    return text


def label_payload(obj: Device | Medium) -> str:
    """What the label's QR code holds."""
    prefix = DEVICE_PREFIX if isinstance(obj, Device) else MEDIUM_PREFIX
    return SEPARATOR.join((prefix, _escape(obj.unit.code), _escape(obj.number)))


def level_mark(obj: Device | Medium) -> str:
    """The level as printed on the casing: 机密 for a classified device, 非密 otherwise."""
    return LEVEL_WORDS.get(Level(obj.level), "")


def qr_png(payload: str) -> bytes:
    buffer = io.BytesIO()
    segno.make_qr(payload, error="m").save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


def _keep_on_one_page(row: _Row) -> None:
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


def _fill(cell: _Cell, obj: Device | Medium) -> None:
    payload = label_payload(obj)
    _line(cell, level_mark(obj), 24, bold=True, first=True)
    _line(cell, obj.number, 13, bold=True)
    kind = " ".join(part for part in (obj.get_kind_display(), obj.model) if part)
    _line(cell, str(kind), 10)
    _line(cell, f"责任人：{obj.responsible.name}", 10)
    picture = cell.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(qr_png(payload)), width=QR_WIDTH)
    _line(cell, payload, 8)


def build_labels_docx(objects: Iterable[Device | Medium], title: str = "涉密设备标签") -> bytes:
    """One label per device or medium, `PER_ROW` side by side, several per page."""
    listed = list(objects)
    document = new_document(f"{title}（{len(listed)}张）")
    section = document.sections[0]
    section.top_margin = section.bottom_margin = Cm(1.2)
    section.left_margin = section.right_margin = Cm(1.5)
    rows = (len(listed) + PER_ROW - 1) // PER_ROW
    table = document.add_table(rows=rows, cols=PER_ROW)
    table.style = "Table Grid"
    for row in table.rows:
        _keep_on_one_page(row)
    for index, obj in enumerate(listed):
        _fill(table.cell(index // PER_ROW, index % PER_ROW), obj)
    return to_bytes(document)
