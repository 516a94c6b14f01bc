"""Building blocks of the printable forms (python-docx): a titled document, tables, sections,
signature lines, dates as forms write them.

The printed text is document content in Chinese, as the regulations word it; builders in each
app return the .docx bytes and the views serve them.
"""

import io
from collections.abc import Iterable
from datetime import date, datetime

from django.utils import timezone
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

BLANK_DATE = "      年    月    日"
NUMERALS = "一二三四五六七八九十"


def new_document(title: str) -> DocumentObject:
    """A document in SimSun 11 pt with its title centred in bold."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"  # type: ignore[attr-defined]
    style.font.size = Pt(11)  # type: ignore[attr-defined]
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(16)
    return document


def to_bytes(document: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def date_text(value: date | None) -> str:
    """`2026年11月24日`, or a blank to fill by hand."""
    return f"{value.year}年{value.month}月{value.day}日" if value else BLANK_DATE


def time_text(value: datetime | None) -> str:
    """`2026年11月24日 14:05` in local time, or a blank to fill by hand."""
    if value is None:
        return BLANK_DATE
    local = timezone.localtime(value)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def add_table(document: DocumentObject, header: list[str], rows: Iterable[list[str]],
              blank_rows: int = 0) -> None:
    """A grid with a header row, the rows, and blank rows up to `blank_rows` to fill by hand."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    written = 0
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
        written += 1
    for _ in range(max(0, blank_rows - written)):
        table.add_row()


def add_section(document: DocumentObject, title: str, text: str = "") -> None:
    """A bold heading and, when given, its text."""
    paragraph = document.add_paragraph()
    paragraph.add_run(title).bold = True
    if text:
        document.add_paragraph(text)


def add_signature(document: DocumentObject, title: str) -> None:
    """A line to sign and date by hand: `本人签字：________________      年    月    日`."""
    document.add_paragraph(f"{title}：________________    {BLANK_DATE}")
