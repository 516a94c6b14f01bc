"""The generated test corpus of the scanner: every format and encoding it reads, with planted
classification marks (rule S9) at every level, keywords, decoys that must not count as marks,
renamed files, nested archives, a zip bomb, an encrypted member, a broken and an unreadable file.

`build_corpus(root)` writes the files and returns the ground truth per file (path relative to
root, with "/"). `extract_tree(data, name)` extracts a file and its members the way the runner
does, for tests that compare with the truth. Legacy binaries (.doc/.xls/.ppt) cannot be written
from Python; they come from tests/scanner/fixtures/ (see its README)."""

from __future__ import annotations

import atexit
import binascii
import gzip
import io
import random
import shutil
import struct
import tarfile
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import py7zr

from baomi.scanner.extract import extract
from baomi.scanner.model import Limits, Location, Segment, Skip

FIXTURES = Path(__file__).parent / "fixtures"
KEYWORDS = ("型号", "靶场", "XJ-7", "falcon")
DECOYS = ("秘密花园", "机密性")
MEMBER_SEPARATOR = " › "
# default limits but 64 MB per file and in all: the bomb (50 MB) must fail on its ratio, not its size
TEST_LIMITS = Limits(max_file_bytes=64 * 1024 * 1024, max_expanded_bytes=64 * 1024 * 1024)


@dataclass(frozen=True)
class Plant:
    """A text planted in a file and where it must come out: `where` holds the Location fields
    that must match (member, part, line, page, sheet, cell, slide)."""

    text: str
    where: dict[str, Any] = field(default_factory=dict)
    level: int | None = None  # for marks: 1 秘密, 2 机密, 3 绝密


@dataclass
class Truth:
    type: str  # the detected type of the file itself
    level: int = 0  # highest mark level in the file and its members
    marks: list[Plant] = field(default_factory=list)
    keywords: list[Plant] = field(default_factory=list)
    decoys: list[Plant] = field(default_factory=list)
    skip: str | None = None  # the reason the whole file is skipped
    skipped_members: list[tuple[str, str]] = field(default_factory=list)  # (member chain, reason)

    def __post_init__(self) -> None:
        self.level = max([self.level] + [plant.level or 0 for plant in self.marks])


def mark(text: str, level: int, **where: Any) -> Plant:
    return Plant(text, where, level)


def plain(text: str, **where: Any) -> Plant:
    return Plant(text, where)


# ---------------------------------------------------------------- extraction the runner's way

@dataclass
class Tree:
    """Everything taken out of one file and its members: (location with member chain, text)."""

    types: dict[str, str] = field(default_factory=dict)  # member chain ("" for the file) → type
    segments: list[tuple[Location, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (member chain, reason)


def extract_tree(data: bytes, name: str, limits: Limits = TEST_LIMITS, member: str = "",
                 tree: Tree | None = None) -> Tree:
    tree = tree if tree is not None else Tree()
    try:
        extracted = extract(data, name, limits)
    except Skip as skip:
        tree.skipped.append((member, skip.code))
        return tree
    tree.types[member] = extracted.type
    if extracted.type == "text":
        tree.segments.append((Location(member=member or None, line=1), decode_text(data)))
    for segment in extracted.segments:
        tree.segments.append((_with_member(segment, member), segment.text))
    for child_name, skip_code, _ in extracted.skipped:
        tree.skipped.append((_chain(member, child_name), skip_code))
    for child_name, child_data in extracted.children:
        extract_tree(child_data, child_name, limits, _chain(member, child_name), tree)
    return tree


def decode_text(data: bytes) -> str:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")


def _chain(member: str, child: str) -> str:
    return f"{member}{MEMBER_SEPARATOR}{child}" if member else child


def _with_member(segment: Segment, member: str) -> Location:
    location = segment.location
    if not member:
        return location
    fields = {key: getattr(location, key) for key in Location.__slots__}
    fields["member"] = member
    return Location(**fields)


def found_at(tree: Tree, plant: Plant) -> list[Location]:
    """Locations of the segments holding the planted text at the place the truth says. The line
    of a multi-line segment is counted from the segment's first line."""
    hits = []
    for location, text in tree.segments:
        for offset, line_text in _lines(text, location.line):
            if plant.text not in line_text:
                continue
            at = Location(**{**{k: getattr(location, k) for k in Location.__slots__}, "line": offset})
            if all(getattr(at, key) == value for key, value in plant.where.items()):
                hits.append(at)
    return hits


def differences(tree: Tree, truth: Truth) -> list[str]:
    """What the extraction of a file misses of its truth: each planted text at its place, the
    type, the skips. Empty when all is there."""
    if truth.skip:
        return [] if ("", truth.skip) in tree.skipped else [f"expected skip {truth.skip}, got {tree.skipped}"]
    problems = [] if tree.types.get("") == truth.type else [f"type {tree.types.get('')} != {truth.type}"]
    for plant in truth.marks + truth.keywords + truth.decoys:
        if not found_at(tree, plant):
            places = [loc.as_dict() for loc, text in tree.segments if plant.text in text]
            problems.append(f"{plant.text!r} not at {plant.where}; found at {places}")
    expected_skips = sorted(truth.skipped_members)
    if sorted(tree.skipped) != expected_skips:
        problems.append(f"skipped members {sorted(tree.skipped)} != {expected_skips}")
    return problems


def _lines(text: str, first: int | None) -> list[tuple[int | None, str]]:
    if first is None:
        return [(None, text)]
    return [(first + index, line) for index, line in enumerate(text.split("\n"))]


# ---------------------------------------------------------------- the corpus

def build_corpus(root: Path, seed: int = 0) -> dict[str, Truth]:
    """Write the corpus under `root`; the truth per file, keyed by path relative to root."""
    rng = random.Random(seed)
    truths: dict[str, Truth] = {}
    for builder in (_text_files, _docx_files, _xlsx_files, _pptx_files, _pdf_files, _markup_files,
                    _mail_files, _archive_files, _legacy_files, _odd_files):
        for relative, data, truth in builder(rng):
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            truths[relative] = truth
    locked = root / "odd/locked.txt"
    locked.write_text("机密★20年\n", encoding="utf-8")
    locked.chmod(0)
    truths["odd/locked.txt"] = Truth(type="text", skip="unreadable")
    return truths


Built = list[tuple[str, bytes, Truth]]


def filler(rng: random.Random, lines: int) -> list[str]:
    words = ("本单位", "工作", "安排", "会议", "通知", "如下", "请", "各部门", "落实", "情况", "报告", "年度",
             "检查", "保障", "相关", "材料", "the", "plan", "report")
    return ["".join(rng.choice(words) for _ in range(rng.randint(4, 12))) for _ in range(lines)]


def _text_files(rng: random.Random) -> Built:
    lines = filler(rng, 12)
    lines[0] = "机密★20年"
    lines[4] = "关于某型号装备的说明"
    lines[6] = "读书会推荐《秘密花园》"
    utf8 = "\n".join(lines) + "\n"
    gbk_lines = filler(rng, 6)
    gbk_lines[0] = "秘密★6个月"
    gbk_lines[2] = "注意信息的机密性"
    utf16_lines = filler(rng, 5)
    utf16_lines[1] = "绝密★长期"
    forms = ["机密 ★ 10年", "秘密*5年", "机密＊２０年", "绝密★30年", "秘 密 ★ 1 年"]
    return [
        ("text/utf8.txt", utf8.encode("utf-8"), Truth(
            type="text", marks=[mark("机密★20年", 2, line=1)], keywords=[plain("型号", line=5)],
            decoys=[plain("秘密花园", line=7)])),
        ("text/gbk.txt", "\n".join(gbk_lines).encode("gb18030"), Truth(
            type="text", marks=[mark("秘密★6个月", 1, line=1)], decoys=[plain("机密性", line=3)])),
        ("text/utf16.txt", "\r\n".join(utf16_lines).encode("utf-16"), Truth(
            type="text", marks=[mark("绝密★长期", 3, line=2)])),
        ("text/forms.txt", "\n".join(forms).encode("utf-8"), Truth(
            type="text", marks=[mark(text, level, line=index + 1) for index, (text, level)
                                in enumerate(zip(forms, (2, 1, 2, 3, 1), strict=True))])),
        ("text/bare-word.txt", "机密\n关于年度检查工作的通知\n".encode(), Truth(
            type="text", marks=[mark("机密", 2, line=1)])),
        ("text/decoys.txt", "秘密花园\n信息的机密性\n靶场建设\n".encode(), Truth(
            type="text", decoys=[plain("秘密花园", line=1), plain("机密性", line=2)],
            keywords=[plain("靶场", line=3)])),
    ]


# ---------------------------------------------------------------- docx

WORD_NAMESPACES = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
SPLIT_MARK_XML = ('<w:r><w:rPr><w:b/></w:rPr><w:t>绝</w:t></w:r><w:r><w:t xml:space="preserve">密</w:t></w:r>'
                  '<w:r><w:rPr><w:color w:val="FF0000"/></w:rPr><w:t>★长</w:t></w:r><w:r><w:t>期</w:t></w:r>')
CHARREF_MARK_XML = "<w:r><w:t>&#31192;&#23494;&#9733;5&#24180;</w:t></w:r>"  # 秘密★5年
TEXTBOX_XML = (
    '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
    "<w:p><w:r><w:t>机密★3年</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>机密★3年</w:t></w:r></w:p>"
    "</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>")
FOOTNOTES_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {WORD_NAMESPACES}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">出处：</w:t></w:r><w:r><w:t>XJ-7</w:t></w:r>'
    "<w:r><w:t>试验报告</w:t></w:r></w:p></w:footnote></w:footnotes>")
FOOTNOTE_REFERENCE = '<w:r><w:footnoteReference w:id="1"/></w:r>'


def make_docx(body: list[str], header: str = "", footer: str = "", comment: str = "",
              title: str = "", subject: str = "") -> bytes:
    """A docx made by python-docx. A body paragraph "@SPLIT@", "@CHARREF@" or "@TEXTBOX@" is
    replaced by a mark split across runs, written with character references, or in a text box;
    "@FOOTNOTE@" adds a footnote reference and a footnotes part."""
    import docx

    document = docx.Document()
    for text in body:
        paragraph = document.add_paragraph(text)
        if comment and text and not text.startswith("@"):
            document.add_comment(paragraph.runs, text=comment, author="检查员")
            comment = ""
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    document.core_properties.title = title
    document.core_properties.subject = subject
    buffer = io.BytesIO()
    document.save(buffer)
    return _rewrite_docx(buffer.getvalue(), footnote="@FOOTNOTE@" in body)


def _rewrite_docx(data: bytes, footnote: bool) -> bytes:
    replacements = {
        "<w:r><w:t>@SPLIT@</w:t></w:r>": SPLIT_MARK_XML,
        "<w:r><w:t>@CHARREF@</w:t></w:r>": CHARREF_MARK_XML,
        "<w:r><w:t>@TEXTBOX@</w:t></w:r>": TEXTBOX_XML,
        "<w:r><w:t>@FOOTNOTE@</w:t></w:r>": FOOTNOTE_REFERENCE,
    }
    parts = _zip_parts(data)
    xml = parts["word/document.xml"].decode("utf-8")
    for placeholder, replacement in replacements.items():
        xml = xml.replace(placeholder, replacement)
    parts["word/document.xml"] = xml.encode("utf-8")
    if footnote:
        parts["word/footnotes.xml"] = FOOTNOTES_XML.encode("utf-8")
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.'
            b'openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
        parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    return _zip_of(parts)


def _zip_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip_of(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx_files(rng: random.Random) -> Built:
    body = filler(rng, 8)
    body[0] = "@SPLIT@"
    body[2] = "@CHARREF@"
    body[4] = "项目代号falcon进展"
    body[5] = "@TEXTBOX@"
    body[7] = "@FOOTNOTE@"
    report = make_docx(body, header="机密★20年", footer="靶场管理处", comment="秘密★1年 请核对",
                       title="秘密花园读书会", subject="机密★10年")
    renamed = make_docx(["秘密★10年", *filler(rng, 3)])
    broken = report[: len(report) // 2]
    return [
        ("docx/report.docx", report, Truth(
            type="docx",
            marks=[mark("绝密★长期", 3, part="body", line=1), mark("秘密★5年", 1, part="body", line=3),
                   mark("机密★20年", 2, part="header"), mark("机密★3年", 2, part="textbox"),
                   mark("秘密★1年", 1, part="comment"), mark("机密★10年", 2, part="properties")],
            keywords=[plain("falcon", part="body", line=5), plain("靶场", part="footer"),
                      plain("XJ-7", part="footnote")],
            decoys=[plain("秘密花园", part="properties")])),
        ("images/photo.jpg", renamed, Truth(type="docx", marks=[mark("秘密★10年", 1, part="body", line=1)])),
        ("docx/broken.docx", broken, Truth(type="zip", skip="broken")),
    ]


# ---------------------------------------------------------------- xlsx

def make_xlsx(sheets: dict[str, dict[str, object]], comments: dict[tuple[str, str], str] | None = None,
              header: tuple[str, str] | None = None) -> bytes:
    import openpyxl
    from openpyxl.comments import Comment

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, cells in sheets.items():
        sheet = workbook.create_sheet(title)
        for ref, value in cells.items():
            sheet[ref] = value
    for (title, ref), text in (comments or {}).items():
        workbook[title][ref].comment = Comment(text, "检查员")
    if header:
        workbook[header[0]].oddHeader.center.text = header[1]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_inline_string(data: bytes, sheet_part: str, ref: str, text: str) -> bytes:
    """Rewrite one cell as an inline string (openpyxl always writes shared strings)."""
    parts = _zip_parts(data)
    xml = parts[sheet_part].decode("utf-8")
    cell = f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
    xml = xml.replace("</row></sheetData>", cell + "</row></sheetData>", 1)
    parts[sheet_part] = xml.encode("utf-8")
    return _zip_of(parts)


def _xlsx_files(rng: random.Random) -> Built:
    cells: dict[str, object] = {f"A{row}": text for row, text in enumerate(filler(rng, 6), start=1)}
    cells.update({"B1": "机密★20年", "C5": "XJ-7型号", "D7": 3.14, "E2": 20240101})
    data = make_xlsx({"汇总": cells, "秘密花园": {"A1": "名单", "A3": "保密期限内"}},
                     comments={("汇总", "C5"): "绝密★长期"}, header=("汇总", "秘密★3年"))
    data = _with_inline_string(data, "xl/worksheets/sheet2.xml", "B3", "秘密★6个月")
    return [("xlsx/ledger.xlsx", data, Truth(
        type="xlsx",
        marks=[mark("机密★20年", 2, sheet="汇总", cell="B1"),
               mark("绝密★长期", 3, sheet="汇总", cell="C5", part="comment"),
               mark("秘密★6个月", 1, sheet="秘密花园", cell="B3"),
               mark("秘密★3年", 1, sheet="汇总", part="header")],
        keywords=[plain("XJ-7", sheet="汇总", cell="C5"), plain("20240101", sheet="汇总", cell="E2")],
        decoys=[plain("秘密花园", part="sheet_name", sheet="秘密花园")]))]


# ---------------------------------------------------------------- pptx, written by hand

PPTX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'presentationml.presentation.main+xml"/>{overrides}</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships">{}</Relationships>')
REL = ('<Relationship Id="{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{}" '
       'Target="{}"/>')
PML = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats'
       '.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')


def _shape_tree(paragraphs: list[str]) -> str:
    body = "".join(f"<a:p>{paragraph}</a:p>" for paragraph in paragraphs)
    return (f'<p:cSld><p:spTree><p:sp><p:nvSpPr><p:cNvPr id="2" name="Text"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
            f"<p:spPr/><p:txBody><a:bodyPr/>{body}</p:txBody></p:sp></p:spTree></p:cSld>")


def runs(*texts: str) -> str:
    return "".join(f'<a:r><a:rPr lang="zh-CN"/><a:t>{text}</a:t></a:r>' for text in texts)


def make_pptx(slides: list[list[str]], notes: dict[int, str] | None = None,
              comments: dict[int, str] | None = None, order: list[int] | None = None) -> bytes:
    """A minimal presentation: `slides` are lists of paragraph XML (see `runs`); `order` lists
    the slide files in presentation order (default: as given)."""
    notes = notes or {}
    comments = comments or {}
    parts: dict[str, str] = {}
    overrides = []
    presentation_rels = []
    for number, paragraphs in enumerate(slides, start=1):
        parts[f"ppt/slides/slide{number}.xml"] = f"<p:sld {PML}>{_shape_tree(paragraphs)}</p:sld>"
        overrides.append(f'<Override PartName="/ppt/slides/slide{number}.xml" ContentType="application/vnd.'
                         f'openxmlformats-officedocument.presentationml.slide+xml"/>')
        presentation_rels.append(REL.format(f"rId{number}", "slide", f"slides/slide{number}.xml"))
        slide_rels = []
        if number in notes:
            parts[f"ppt/notesSlides/notesSlide{number}.xml"] = (
                f"<p:notes {PML}>{_shape_tree([runs(notes[number])])}</p:notes>")
            slide_rels.append(REL.format("rIdN", "notesSlide", f"../notesSlides/notesSlide{number}.xml"))
        if number in comments:
            parts[f"ppt/comments/comment{number}.xml"] = (
                f'<p:cmLst {PML}><p:cm authorId="0" idx="1"><p:pos x="10" y="10"/>'
                f"<p:text>{comments[number]}</p:text></p:cm></p:cmLst>")
            slide_rels.append(REL.format("rIdC", "comments", f"../comments/comment{number}.xml"))
        parts[f"ppt/slides/_rels/slide{number}.xml.rels"] = RELS.format("".join(slide_rels))
    ids = "".join(f'<p:sldId id="{255 + n}" r:id="rId{n}"/>' for n in (order or range(1, len(slides) + 1)))
    parts["ppt/presentation.xml"] = f"<p:presentation {PML}><p:sldIdLst>{ids}</p:sldIdLst></p:presentation>"
    parts["ppt/_rels/presentation.xml.rels"] = RELS.format("".join(presentation_rels))
    parts["_rels/.rels"] = RELS.format(REL.format("rId1", "officeDocument", "ppt/presentation.xml"))
    parts["[Content_Types].xml"] = PPTX_CONTENT_TYPES.format(overrides="".join(overrides))
    return _zip_of({"[Content_Types].xml": parts.pop("[Content_Types].xml").encode(),
                    **{name: text.encode("utf-8") for name, text in parts.items()}})


def _pptx_files(rng: random.Random) -> Built:
    slides = [
        [runs("年度工作汇报")],
        [runs("机密", "★", "5年"), runs(*filler(rng, 2))],
        [runs("试验", "靶场", "布置"), runs("&#32477;&#23494;&#9733;&#38271;&#26399;")],  # 绝密★长期
    ]
    # the files are slide1..3, shown in the order 1, 3, 2: slide2.xml is the third slide
    data = make_pptx(slides, notes={3: "秘密★6个月"}, comments={1: "秘密★1年"}, order=[1, 3, 2])
    return [("pptx/brief.pptx", data, Truth(
        type="pptx",
        marks=[mark("机密★5年", 2, slide=3, line=1), mark("绝密★长期", 3, slide=2, line=2),
               mark("秘密★6个月", 1, slide=2, part="notes"), mark("秘密★1年", 1, slide=1, part="comment")],
        keywords=[plain("靶场", slide=2, line=1)]))]


# ---------------------------------------------------------------- pdf

def make_pdf(pages: list[list[str]]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=True)
    for lines in pages:
        pdf.setFont("STSong-Light", 11)
        for index, line in enumerate(lines):
            pdf.drawString(56, 790 - 16 * index, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _pdf_files(rng: random.Random) -> Built:
    pages = [filler(rng, 10) for _ in range(3)]
    pages[0][0] = "机密★20年"
    pages[2][3] = "某型号产品参数"
    pages[1][5] = "秘密花园"
    scan = [filler(rng, 6) for _ in range(2)]
    scan[1][0] = "秘密★6个月"
    return [
        ("pdf/paper.pdf", make_pdf(pages), Truth(
            type="pdf", marks=[mark("机密★20年", 2, page=1, line=1)], keywords=[plain("型号", page=3)],
            decoys=[plain("秘密花园", page=2)])),
        ("pdf/scan", make_pdf(scan), Truth(type="pdf", marks=[mark("秘密★6个月", 1, page=2, line=1)])),
    ]


# ---------------------------------------------------------------- rtf, html

def rtf_escape(text: str, codec: str = "gbk") -> str:
    r"""Non-ASCII as \'xx bytes of the code page, or \uN? where the code page has no such character."""
    out = []
    for char in text:
        if ord(char) < 128:
            out.append(char)
            continue
        try:
            out.append("".join(f"\\'{byte:02x}" for byte in char.encode(codec)))
        except UnicodeEncodeError:
            out.append(f"\\u{ord(char) if ord(char) < 32768 else ord(char) - 65536}?")
    return "".join(out)


def _markup_files(rng: random.Random) -> Built:
    unicode_mark = "".join(f"\\u{ord(c)}?" for c in "绝密★长期")
    rtf = ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 " + rtf_escape("宋体")
           + ";}}\\f0\\fs24 " + rtf_escape("机密★10年") + "\\par " + rtf_escape("关于型号的说明") + "\\par "
           + unicode_mark + "\\par}")
    html_body = "".join(f"<p>{line}</p>\n" for line in filler(rng, 4))
    html = ("<!DOCTYPE html>\n<html><head><meta charset=\"gbk\"><title>秘密★1年 通知</title>\n"
            "<style>p{color:red}</style></head>\n<body>\n" + html_body
            + "<p>绝<b>密</b>★<span>长期</span></p>\n"
            + "<div>靶场 &#26426;&#23494;&#24615;</div>\n</body></html>\n")
    return [
        ("markup/memo.rtf", rtf.encode("ascii"), Truth(
            type="rtf",
            marks=[mark("机密★10年", 2, part="body", line=1), mark("绝密★长期", 3, part="body", line=3)],
            keywords=[plain("型号", part="body", line=2)])),
        ("markup/page.html", html.encode("gbk"), Truth(
            type="html",
            marks=[mark("秘密★1年", 1, part="title"), mark("绝密★长期", 3, part="body", line=9)],
            keywords=[plain("靶场", part="body", line=10)], decoys=[plain("机密性", part="body", line=10)])),
    ]


# ---------------------------------------------------------------- mail

def _mail_files(rng: random.Random) -> Built:
    from email.header import Header
    from email.mime.application import MIMEApplication
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    message = MIMEMultipart("mixed")
    message["From"] = "zhang@example.cn"
    message["To"] = "li@example.cn"
    message["Subject"] = Header("机密★20年 会议通知", "gbk").encode()
    message["Date"] = "Tue, 24 Nov 2026 09:30:00 +0800"
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText("各位：\n请于明日到靶场集合。\n", "plain", "gb2312"))
    html = "<html><body><p>请于明日到<b>靶场</b>集合。</p></body></html>"
    alternative.attach(MIMEText(html, "html", "utf-8"))
    message.attach(alternative)
    attachment = MIMEApplication(make_docx(["秘密★5年", "附件说明"]), Name="附件.docx")
    attachment.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "附件.docx"))
    message.attach(attachment)
    return [("mail/notice.eml", message.as_bytes(), Truth(
        type="eml",
        marks=[mark("机密★20年", 2, part="subject"),
               mark("秘密★5年", 1, member="附件.docx", part="body", line=1)],
        keywords=[plain("靶场", part="body")]))]


# ---------------------------------------------------------------- archives

def zipcrypto_member(name: str, data: bytes, password: bytes) -> tuple[zipfile.ZipInfo, bytes]:
    """A stored zip member encrypted with the traditional PKWARE cipher (zipfile can read it
    with the password but cannot write it)."""
    keys = [0x12345678, 0x23456789, 0x34567890]

    def update(byte: int) -> None:
        keys[0] = zlib.crc32(bytes([byte]), keys[0] ^ 0xFFFFFFFF) ^ 0xFFFFFFFF
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = zlib.crc32(bytes([(keys[1] >> 24) & 0xFF]), keys[2] ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    def encrypt(plain_bytes: bytes) -> bytes:
        out = bytearray()
        for byte in plain_bytes:
            temp = (keys[2] | 2) & 0xFFFF
            out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
            update(byte)
        return bytes(out)

    for byte in password:
        update(byte)
    crc = zlib.crc32(data)
    header = bytes(11) + bytes([(crc >> 24) & 0xFF])
    info = zipfile.ZipInfo(name, date_time=(2026, 11, 24, 9, 30, 0))
    info.flag_bits |= 0x1
    info.CRC = crc
    return info, encrypt(header + data)


def zip_with_encrypted_member(members: dict[str, bytes], secret_name: str, secret: bytes) -> bytes:
    """A zip whose members are normal except `secret_name`, encrypted (password "baomi")."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    info, payload = zipcrypto_member(secret_name, secret, b"baomi")
    return _append_raw_member(buffer.getvalue(), info, payload, len(secret))


def _append_raw_member(archive_bytes: bytes, info: zipfile.ZipInfo, payload: bytes, size: int) -> bytes:
    """Add a stored member whose bytes are written as given (zipfile would not encrypt them)."""
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        entries = archive.infolist()
    end = archive_bytes.rfind(b"PK\x05\x06")
    directory_start = struct.unpack_from("<I", archive_bytes, end + 16)[0]
    body = bytearray(archive_bytes[:directory_start])
    offset = len(body)
    name = info.filename.encode("utf-8")
    flags = info.flag_bits | 0x800
    body += struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, flags, 0, 0, 0, info.CRC, len(payload), size,
                        len(name), 0)
    body += name + payload
    directory = bytearray(archive_bytes[directory_start:end])
    directory += struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, flags, 0, 0, 0, info.CRC, len(payload),
                             size, len(name), 0, 0, 0, 0, 0, offset)
    directory += name
    count = len(entries) + 1
    tail = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(body), 0)
    return bytes(body + directory + tail)


def zip_bomb(megabytes: int = 50) -> bytes:
    """A zip of one member that inflates to `megabytes` of zeros, compressed in 1 MB steps so
    generating it needs no 50 MB buffer."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1024 * 1024)
    stream = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    size = megabytes * len(chunk)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    name = b"zeros.bin"
    local = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(stream), size, len(name), 0)
    directory = struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(stream), size,
                            len(name), 0, 0, 0, 0, 0, 0) + name
    body = local + name + stream
    return body + directory + struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, 1, 1, len(directory), len(body), 0)


def tar_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mtime = 1795000000
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def seven_zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with py7zr.SevenZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writef(io.BytesIO(content), name)
    return buffer.getvalue()


def _archive_files(rng: random.Random) -> Built:
    deep = "\n".join(["月度安排", "绝密★20年", *filler(rng, 3)]).encode("utf-8")
    inner_zip = _zip_of({"deep.txt": deep, "readme.txt": "靶场位置图说明\n".encode()})
    tar_gz = gzip.compress(tar_of({"inner.zip": inner_zip}), mtime=0)
    nested = seven_zip_of({"inner.tar.gz": tar_gz})
    deep_chain = MEMBER_SEPARATOR.join(["inner.tar.gz", "inner.tar", "inner.zip", "deep.txt"])
    readme_chain = MEMBER_SEPARATOR.join(["inner.tar.gz", "inner.tar", "inner.zip", "readme.txt"])
    locked = zip_with_encrypted_member({"public.txt": "秘密★1年\n".encode()}, "secret.txt",
                                       "机密★20年\n".encode())
    notes = gzip.compress("年度小结\n秘密★3年\n".encode(), mtime=0)
    return [
        ("archives/nested.7z", nested, Truth(
            type="7z", marks=[mark("绝密★20年", 3, member=deep_chain, line=2)],
            keywords=[plain("靶场", member=readme_chain, line=1)])),
        ("archives/locked.zip", locked, Truth(
            type="zip", marks=[mark("秘密★1年", 1, member="public.txt", line=1)],
            skipped_members=[("secret.txt", "encrypted")])),
        ("archives/bomb.zip", zip_bomb(), Truth(type="zip", skip="bomb")),
        ("archives/notes.txt.gz", notes, Truth(
            type="gz", marks=[mark("秘密★3年", 1, member="notes.txt", line=2)])),
    ]


# ---------------------------------------------------------------- legacy binaries (fixtures)

LEGACY_TRUTHS = {
    "legacy.doc": ("doc", [mark("机密★10年", 2, part="header"), mark("绝密★长期", 3, part="body", line=1)],
                   [plain("型号", part="body", line=3)], [plain("秘密花园", part="body", line=4)]),
    "legacy.xls": ("xls", [mark("机密★20年", 2, sheet="汇总", cell="A1"),
                           mark("秘密★6个月", 1, sheet="附表", cell="B2")],
                   [plain("XJ-7", sheet="汇总", cell="B3"), plain("12345", sheet="汇总", cell="C4")],
                   [plain("秘密花园", sheet="附表", cell="A1")]),
    "legacy.ppt": ("ppt", [mark("绝密★30年", 3, slide=1), mark("秘密★1年", 1, slide=2, part="notes")],
                   [plain("靶场", slide=2)], []),
}
WPS_COPIES = {"legacy.doc": ("legacy.wps", "wps"), "legacy.xls": ("legacy.et", "et"),
              "legacy.ppt": ("legacy.dps", "dps")}


def _fixture_bytes(name: str) -> bytes:
    path = FIXTURES / name
    return path.read_bytes() if path.exists() else gzip.decompress((FIXTURES / f"{name}.gz").read_bytes())


def _legacy_files(rng: random.Random) -> Built:
    built: Built = []
    for fixture, (kind, marks, keywords, decoys) in LEGACY_TRUTHS.items():
        data = _fixture_bytes(fixture)
        truth = Truth(type=kind, marks=marks, keywords=keywords, decoys=decoys)
        built.append((f"legacy/{fixture}", data, truth))
        # WPS Office writes .wps/.et/.dps in the same compound-file formats; the name decides the type shown
        copy, wps_kind = WPS_COPIES[fixture]
        built.append((f"legacy/{copy}", data, Truth(wps_kind, truth.level, marks, keywords, decoys)))
    return built


# ---------------------------------------------------------------- the rest

PNG_1X1 = binascii.unhexlify(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def _odd_files(rng: random.Random) -> Built:
    elf = b"\x7fELF\x02\x01\x01" + bytes(9) + bytes(rng.randrange(256) for _ in range(2000))
    return [
        ("odd/logo.png", PNG_1X1, Truth(type="binary")),
        ("odd/tool", elf, Truth(type="binary")),
    ]


_SHARED: dict[int, tuple[Path, dict[str, Truth]]] = {}


def shared_corpus(seed: int = 0) -> tuple[Path, dict[str, Truth]]:
    """One corpus per test process (built in about half a second), removed at exit."""
    if seed not in _SHARED:
        root = Path(tempfile.mkdtemp(prefix="baomi-corpus-"))
        _SHARED[seed] = (root, build_corpus(root, seed))
        atexit.register(_remove, root)
    return _SHARED[seed]


def _remove(root: Path) -> None:
    (root / "odd/locked.txt").chmod(0o600)
    shutil.rmtree(root, ignore_errors=True)


def read_tree(root: Path, relative: str, limits: Limits = TEST_LIMITS) -> Tree:
    path = root / relative
    return extract_tree(path.read_bytes(), path.name, limits)
