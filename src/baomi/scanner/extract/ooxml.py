"""Office Open XML: .docx, .xlsx, .pptx.

One regular-expression pass over each XML part instead of an object model (python-docx or
openpyxl take ten to a hundred times longer per file). The runs of a paragraph are joined, so a
mark split across formatting runs comes out whole, and character references are unescaped."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from html import unescape

from baomi.scanner.extract.budget import Budget, TooLarge
from baomi.scanner.model import Extracted, Location, Segment, Skip

ATTRIBUTE = re.compile(r'([\w:]+)="([^"]*)"')
RELATIONSHIP = re.compile(r"<Relationship\b([^>]*)>")


class Package:
    """The parts of an OOXML zip, read within the budget."""

    def __init__(self, data: bytes, budget: Budget) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = set(self.zip.namelist())
        self.budget = budget

    def text(self, name: str) -> str | None:
        name = name.lstrip("/")
        if name not in self.names:
            return None
        info = self.zip.getinfo(name)
        if info.flag_bits & 0x1:
            raise Skip("encrypted", f"part {name} is encrypted")
        try:
            with self.zip.open(info) as stream:
                raw = self.budget.read(stream)
        except TooLarge as error:
            raise Skip("too_large", f"part {name}: {error}") from error
        return raw.decode("utf-8", "replace")

    def relationships(self, part: str) -> list[dict[str, str]]:
        """The relationships of a part, targets resolved to package paths."""
        folder, base = posixpath.split(part)
        xml = self.text(posixpath.join(folder, "_rels", base + ".rels")) or ""
        relations = []
        for match in RELATIONSHIP.finditer(xml):
            attributes = dict(ATTRIBUTE.findall(match.group(1)))
            target = attributes.get("Target", "")
            if attributes.get("TargetMode") == "External" or not target:
                continue
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            relations.append({"id": attributes.get("Id", ""), "type": attributes.get("Type", ""),
                              "target": resolved})
        return relations

    def sorted_names(self, pattern: re.Pattern[str]) -> list[str]:
        return sorted((n for n in self.names if pattern.fullmatch(n)), key=_natural_key)


def _natural_key(name: str) -> tuple[str, int]:
    match = re.search(r"(\d+)\.xml$", name)
    return (name[: match.start()] if match else name, int(match.group(1)) if match else 0)


def _clean(text: str) -> str:
    return unescape(text) if "&" in text else text


# ---------------------------------------------------------------- core properties

CORE_PROPERTY = re.compile(r"<(dc:title|dc:subject|cp:keywords|dc:description|cp:category)\b[^>]*>([^<]*)</")


def core_properties(package: Package) -> list[Segment]:
    xml = package.text("docProps/core.xml") or ""
    return [Segment(_clean(value), Location(part="properties"))
            for _, value in CORE_PROPERTY.findall(xml) if value.strip()]


# ---------------------------------------------------------------- docx

WORD_TOKEN = re.compile(
    r"<w:p[ >]|(<w:p/>)|(</w:p>)|<w:t(?: [^>]*)?>([^<]*)</w:t>|(<w:tab/>)|(<w:(?:br|cr)\b[^>]*/>)"
    r"|(<w:txbxContent>)|(</w:txbxContent>)|<mc:Fallback>.*?</mc:Fallback>",
    re.DOTALL)
WORD_STORIES = (
    (re.compile(r"word/header\d*\.xml"), "header"),
    (re.compile(r"word/footer\d*\.xml"), "footer"),
    (re.compile(r"word/comments\.xml"), "comment"),
    (re.compile(r"word/footnotes\.xml"), "footnote"),
    (re.compile(r"word/endnotes\.xml"), "endnote"),
)


WORD_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
WORD_BREAK = re.compile(r"<w:tab/>|<w:(?:br|cr)\b[^>]*/>")


def word_paragraphs(xml: str) -> tuple[list[str], list[str]]:
    """The paragraphs of a WordprocessingML part: (outer paragraphs, text-box paragraphs)."""
    if "<w:txbxContent" in xml or "<mc:Fallback" in xml:
        return word_paragraphs_nested(xml)
    return flat_word_paragraphs(xml), []


def flat_word_paragraphs(xml: str) -> list[str]:
    """Paragraphs of a part without nested ones: splitting at each paragraph end and taking the
    text runs of each piece is five times faster than the general tokenizer."""
    pieces = xml.replace("<w:p/>", "</w:p>").split("</w:p>")[:-1]
    paragraphs = []
    for piece in pieces:
        if "<w:tab/>" in piece or "<w:br" in piece or "<w:cr" in piece:
            piece = WORD_BREAK.sub(_break_as_text, piece)
        text = "".join(WORD_TEXT.findall(piece))
        paragraphs.append(unescape(text) if "&" in text else text)
    return paragraphs


def _break_as_text(match: re.Match[str]) -> str:
    return "<w:t>\t</w:t>" if match.group(0) == "<w:tab/>" else "<w:t> </w:t>"


def word_paragraphs_nested(xml: str) -> tuple[list[str], list[str]]:
    """The general tokenizer: text boxes nest paragraphs inside a run of an outer paragraph;
    their Fallback copy (VML, for old readers) is skipped so each text box counts once."""
    outer: list[str] = []
    boxed: list[str] = []
    stack: list[list[str]] = []
    box_depth = 0
    for match in WORD_TOKEN.finditer(xml):
        empty, close, text, tab, brk, box_open, box_close = match.groups()
        if text is not None:
            if stack:
                stack[-1].append(_clean(text))
        elif close is not None or empty is not None:
            if close is not None and not stack:
                continue
            paragraph = "".join(stack.pop()) if close is not None else ""
            (boxed if box_depth else outer).append(paragraph)
        elif tab is not None or brk is not None:
            if stack:
                stack[-1].append("\t" if tab is not None else " ")
        elif box_open is not None:
            box_depth += 1
        elif box_close is not None:
            box_depth = max(box_depth - 1, 0)
        elif match.group(0).startswith("<w:p"):
            stack.append([])
    return outer, boxed


def extract_docx(package: Package) -> Extracted:
    extracted = Extracted(type="docx")
    body = package.text("word/document.xml")
    if body is None:
        raise Skip("broken", "no word/document.xml")
    paragraphs, boxed = word_paragraphs(body)
    extracted.segments.append(Segment("\n".join(paragraphs), Location(part="body", line=1)))
    for pattern, part in WORD_STORIES:
        for name in package.sorted_names(pattern):
            outer, inner = word_paragraphs(package.text(name) or "")
            boxed.extend(inner)
            if any(outer):
                extracted.segments.append(Segment("\n".join(outer), Location(part=part, line=1)))
    if any(boxed):
        extracted.segments.append(Segment("\n".join(boxed), Location(part="textbox", line=1)))
    extracted.segments.extend(core_properties(package))
    return extracted


# ---------------------------------------------------------------- xlsx

SHARED_STRING = re.compile(r"<si>(.*?)</si>|<si/>", re.DOTALL)
PHONETIC = re.compile(r"<rPh\b.*?</rPh>", re.DOTALL)
TEXT_RUN = re.compile(r"<t(?: [^>]*)?>([^<]*)</t>")
CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
CELL_REF = re.compile(r'\br="([A-Z]{1,3}\d+)"')
CELL_TYPE = re.compile(r'\bt="(\w+)"')
VALUE = re.compile(r"<v>([^<]*)</v>")
SHEET = re.compile(r"<sheet\b([^>]*)>")
PRINT_HEADER = re.compile(r"<(odd|even|first)(Header|Footer)>([^<]*)</")
HEADER_CODE = re.compile(r'&"[^"]*"|&\d+|&[A-Za-z]')
COMMENT = re.compile(r'<comment\b[^>]*\bref="([A-Z]+\d+)"[^>]*>(.*?)</comment>', re.DOTALL)


def _rich_text(xml: str) -> str:
    if "<rPh" in xml:
        xml = PHONETIC.sub("", xml)
    return _clean("".join(TEXT_RUN.findall(xml)))


def shared_strings(package: Package) -> list[str]:
    xml = package.text("xl/sharedStrings.xml") or ""
    return [_rich_text(match.group(1) or "") for match in SHARED_STRING.finditer(xml)]


def sheet_cells(xml: str, strings: list[str]) -> Iterator[tuple[str | None, str]]:
    """(A1 reference, text) of every cell holding a string or a number."""
    for match in CELL.finditer(xml):
        content = match.group(2)
        if not content:
            continue
        attributes = match.group(1)
        kind_match = CELL_TYPE.search(attributes)
        kind = kind_match.group(1) if kind_match else "n"
        if kind == "inlineStr":
            text = _rich_text(content)
        else:
            value = VALUE.search(content)
            if value is None:
                continue
            text = value.group(1)
            if kind == "s":
                index = int(text) if text.isdigit() else -1
                text = strings[index] if 0 <= index < len(strings) else ""
            else:
                text = _clean(text)
        if text:
            ref = CELL_REF.search(attributes)
            yield (ref.group(1) if ref else None), text


def extract_xlsx(package: Package) -> Extracted:
    extracted = Extracted(type="xlsx")
    workbook = package.text("xl/workbook.xml")
    if workbook is None:
        raise Skip("broken", "no xl/workbook.xml")
    targets = {rel["id"]: rel["target"] for rel in package.relationships("xl/workbook.xml")}
    strings = shared_strings(package)
    for match in SHEET.finditer(workbook):
        attributes = dict(ATTRIBUTE.findall(match.group(1)))
        sheet = _clean(attributes.get("name", ""))
        extracted.segments.append(Segment(sheet, Location(part="sheet_name", sheet=sheet)))
        path = targets.get(attributes.get("r:id", ""))
        xml = package.text(path) if path else None
        if path is None or xml is None:
            continue
        for ref, text in sheet_cells(xml, strings):
            extracted.segments.append(Segment(text, Location(sheet=sheet, cell=ref)))
        for _, which, value in PRINT_HEADER.findall(xml):
            text = HEADER_CODE.sub(" ", _clean(value)).strip()
            if text:
                extracted.segments.append(Segment(text, Location(part=which.lower(), sheet=sheet)))
        extracted.segments.extend(_sheet_comments(package, path, sheet))
    extracted.segments.extend(core_properties(package))
    return extracted


def _sheet_comments(package: Package, sheet_path: str, sheet: str) -> Iterator[Segment]:
    for rel in package.relationships(sheet_path):
        if rel["type"].endswith("/comments"):
            for ref, body in COMMENT.findall(package.text(rel["target"]) or ""):
                yield Segment(_rich_text(body), Location(part="comment", sheet=sheet, cell=ref))


# ---------------------------------------------------------------- pptx

DRAWING_TOKEN = re.compile(r"<a:p[ >]|(<a:p/>)|(</a:p>)|<a:t>([^<]*)</a:t>|(<a:br\b[^>]*/>)|(<a:tab/>)"
                           r"|<mc:Fallback>.*?</mc:Fallback>", re.DOTALL)
SLIDE_ID = re.compile(r"<p:sldId\b([^>]*)>")
LEGACY_COMMENT_TEXT = re.compile(r"<p:text>([^<]*)</p:text>")


def drawing_paragraphs(xml: str) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] | None = None
    for match in DRAWING_TOKEN.finditer(xml):
        empty, close, text, brk, tab = match.groups()
        if text is not None:
            if current is not None:
                current.append(_clean(text))
        elif close is not None:
            if current is not None:
                paragraphs.append("".join(current))
            current = None
        elif empty is not None:
            paragraphs.append("")
        elif brk is not None or tab is not None:
            if current is not None:
                current.append(" " if brk is not None else "\t")
        elif match.group(0).startswith("<a:p"):
            current = []
    return paragraphs


def extract_pptx(package: Package) -> Extracted:
    extracted = Extracted(type="pptx")
    presentation = package.text("ppt/presentation.xml")
    if presentation is None:
        raise Skip("broken", "no ppt/presentation.xml")
    targets = {rel["id"]: rel["target"] for rel in package.relationships("ppt/presentation.xml")}
    slide_paths = [targets.get(dict(ATTRIBUTE.findall(m.group(1))).get("r:id", ""))
                   for m in SLIDE_ID.finditer(presentation)]
    for number, path in enumerate(slide_paths, start=1):
        if path:
            extracted.segments.extend(_slide_segments(package, path, number))
    extracted.segments.extend(core_properties(package))
    return extracted


def _slide_segments(package: Package, path: str, number: int) -> Iterator[Segment]:
    paragraphs = drawing_paragraphs(package.text(path) or "")
    if any(paragraphs):
        yield Segment("\n".join(paragraphs), Location(slide=number, line=1))
    for rel in package.relationships(path):
        kind = rel["type"].rsplit("/", 1)[-1]
        if kind == "notesSlide":
            notes = drawing_paragraphs(package.text(rel["target"]) or "")
            if any(notes):
                yield Segment("\n".join(notes), Location(part="notes", slide=number, line=1))
        elif kind in ("comments", "comment") or "omment" in kind:
            xml = package.text(rel["target"]) or ""
            texts = [_clean(t) for t in LEGACY_COMMENT_TEXT.findall(xml)] + drawing_paragraphs(xml)
            for text in texts:
                if text:
                    yield Segment(text, Location(part="comment", slide=number))


EXTRACTORS = {"docx": extract_docx, "xlsx": extract_xlsx, "pptx": extract_pptx}


def extract_ooxml(kind: str, data: bytes, budget: Budget) -> Extracted:
    return EXTRACTORS[kind](Package(data, budget))
