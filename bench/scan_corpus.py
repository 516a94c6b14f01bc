"""Bench corpora for the scanner: realistic office files with planted marks (rule S9).

`make_docx_files`, `make_xlsx_files` and `make_pdf_files` write files into a folder and return,
per file, the mark texts planted in it (the bench checks every one is found). Generation is
made fast by building each kind's skeleton once and varying the XML (docx), or by the libraries
the users' files come from (openpyxl, reportlab)."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

VOCABULARY = (
    "本单位", "工作", "安排", "会议", "通知", "如下", "各部门", "落实", "情况", "报告",
    "年度", "检查", "保障", "相关", "材料", "要求", "认真", "组织", "开展", "做好",
    "进一步", "加强", "管理", "制度", "人员", "培训", "教育", "责任", "考核", "项目",
    "进度", "计划", "总结", "经费", "设备", "采购", "2025", "第三季度", "。", "，",
    "；", "、",
)
MARKS = ("秘密★6个月", "秘密★1年", "机密★10年", "机密★20年", "绝密★30年", "绝密★长期")


def sentence(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(VOCABULARY) for _ in range(words))


def keywords(count: int, seed: int = 1) -> list[str]:
    """A unit's keyword list: Chinese terms and English code names, none of them a mark."""
    rng = random.Random(seed)
    syllables = "导弹雷达卫星航天舰船靶场试验型号装备部队指挥通信频率坐标基地研制定型批产编号代号保障"
    terms: set[str] = set()
    while len(terms) < count:
        if rng.random() < 0.7:
            terms.add("".join(rng.choice(syllables) for _ in range(rng.randint(3, 5))))
        else:
            terms.add(f"project-{rng.choice('abcdefghkmnprstwxyz')}{rng.randint(100, 99999)}")
    return sorted(terms)


# ---------------------------------------------------------------- docx

def _docx_skeleton() -> dict[str, bytes]:
    import docx

    document = docx.Document()
    document.add_paragraph("@BODY@")
    section = document.sections[0]
    section.header.paragraphs[0].text = "@HEADER@"
    section.footer.paragraphs[0].text = "@FOOTER@"
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _paragraph(rng: random.Random, text: str, split: bool = False) -> str:
    """A paragraph of a few formatting runs; `split` cuts the text inside a mark."""
    if split:
        cut = rng.randint(1, len(text) - 1)
        pieces = [text[:cut], text[cut:]]
    else:
        pieces = [text[i: i + rng.randint(8, 40)] for i in range(0, len(text), 40)]
    runs = "".join(f'<w:r><w:rPr>{"<w:b/>" if index % 2 else ""}<w:rFonts w:hint="eastAsia"/></w:rPr>'
                   f'<w:t xml:space="preserve">{escape(piece)}</w:t></w:r>'
                   for index, piece in enumerate(pieces))
    return f'<w:p><w:pPr><w:spacing w:line="360" w:lineRule="auto"/></w:pPr>{runs}</w:p>'


def docx_bytes(rng: random.Random, skeleton: dict[str, bytes],
               paragraphs: int = 45) -> tuple[bytes, list[str]]:
    header_mark, body_mark = rng.choice(MARKS), rng.choice(MARKS)
    at = rng.randrange(paragraphs)
    body = "".join(_paragraph(rng, body_mark, split=True) if index == at
                   else _paragraph(rng, sentence(rng, rng.randint(20, 60))) for index in range(paragraphs))
    parts = dict(skeleton)
    placeholder = "<w:p><w:r><w:t>@BODY@</w:t></w:r></w:p>"
    parts["word/document.xml"] = skeleton["word/document.xml"].decode().replace(placeholder, body).encode()
    for name, content in skeleton.items():
        if name.startswith("word/header"):
            parts[name] = content.replace(b"@HEADER@", header_mark.encode())
        elif name.startswith("word/footer"):
            parts[name] = content.replace(b"@FOOTER@", "第 1 页".encode())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue(), [header_mark, body_mark]


def make_docx_files(folder: Path, count: int, seed: int = 0) -> dict[Path, list[str]]:
    rng = random.Random(seed)
    skeleton = _docx_skeleton()
    folder.mkdir(parents=True, exist_ok=True)
    planted = {}
    for index in range(count):
        data, marks = docx_bytes(rng, skeleton)
        path = folder / f"文件{index:05d}.docx"
        path.write_bytes(data)
        planted[path] = marks
    return planted


# ---------------------------------------------------------------- xlsx

def xlsx_bytes(rng: random.Random, sheets: int = 3, rows: int = 40,
               columns: int = 4) -> tuple[bytes, list[str]]:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    marks = [rng.choice(MARKS), rng.choice(MARKS)]
    spots: set[tuple[int, int, int]] = set()
    while len(spots) < len(marks):
        spots.add((rng.randrange(sheets), rng.randrange(2, rows + 1), rng.randrange(1, columns + 1)))
    planted_at = dict(zip(sorted(spots), marks, strict=True))
    for number in range(sheets):
        sheet = workbook.create_sheet(f"表{number + 1}")
        sheet.append(["序号", "名称", "数量", "备注"][:columns])
        for row in range(2, rows + 1):
            for column in range(1, columns + 1):
                mark = planted_at.get((number, row, column))
                if mark:
                    value: object = mark
                elif column == 1:
                    value = row - 1
                elif column == 3:
                    value = round(rng.uniform(0, 10000), 2)
                else:
                    value = sentence(rng, rng.randint(2, 6))
                sheet.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), marks


def make_xlsx_files(folder: Path, count: int, seed: int = 0) -> dict[Path, list[str]]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    planted = {}
    for index in range(count):
        data, marks = xlsx_bytes(rng)
        path = folder / f"台账{index:04d}.xlsx"
        path.write_bytes(data)
        planted[path] = marks
    return planted


# ---------------------------------------------------------------- pdf

def pdf_bytes(rng: random.Random, pages: int = 14, lines: int = 38) -> tuple[bytes, list[str]]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    marks = [rng.choice(MARKS), rng.choice(MARKS)]
    inner_page, inner_line = rng.randrange(1, pages), rng.randrange(lines)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=True)
    for page in range(pages):
        pdf.setFont("STSong-Light", 11)
        for line in range(lines):
            if page == 0 and line == 0:
                text = marks[0]
            elif (page, line) == (inner_page, inner_line):
                text = f"本页涉及{marks[1]}内容"
            else:
                text = sentence(rng, rng.randint(10, 18))
            pdf.drawString(56, 800 - 20 * line, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue(), marks


def make_pdf_files(folder: Path, count: int, seed: int = 0) -> dict[Path, list[str]]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    planted = {}
    for index in range(count):
        data, marks = pdf_bytes(rng)
        path = folder / f"报告{index:04d}.pdf"
        path.write_bytes(data)
        planted[path] = marks
    return planted
