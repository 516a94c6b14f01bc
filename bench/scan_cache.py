"""Second scan of an unchanged tree of office documents and archives, with the extraction cache.

Builds a tree of .docx, .xlsx and .zip files (each zip holds docx and text members) and 14-page PDFs, scans it
twice with `--jobs 2` and a fresh cache outside the tree, then changes one byte of one file
(same size, same mtime) and shows that exactly that file is extracted again.
Target (issue 7): the second scan at least 5× faster than the first.

    python bench/scan_cache.py [--files 600] [--jobs 2]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from baomi.scanner.model import Limits  # noqa: E402
from baomi.scanner.profiles import load_profile  # noqa: E402

COMMENT = b"baomi-bench-0000"  # the byte changed later lives here: the file stays a valid zip
PARAGRAPHS = 40


SENTENCE = "本段落是用于测试的正文内容，包含一些常见的词语、数字 2026 和英文 report。"


def docx_template() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("PLACEHOLDER")
    for _ in range(PARAGRAPHS):
        document.add_paragraph(SENTENCE * 3)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_template() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["PLACEHOLDER"])
    for row in range(1, 200):
        sheet.append([f"项目{row:03d}", "参数", row * 3.5, "备注文字"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf_template(pages: int = 14) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for _ in range(pages):
        pdf.setFont("STSong-Light", 10)
        for line in range(45):
            pdf.drawString(40, 800 - line * 17, SENTENCE)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def first_line(serial: int) -> bytes:
    """One file in ten carries a mark, one in twenty a keyword: a tree with few findings."""
    if serial % 10 == 0:
        return f"机密★10年 文件{serial:06d}".encode()
    if serial % 20 == 5:
        return f"型号 文件{serial:06d}".encode()
    return f"文件{serial:06d}".encode()


def variant(template: bytes, serial: int) -> bytes:
    """The template with a unique first line (unique content hash) and a zip comment to flip later."""
    source = zipfile.ZipFile(io.BytesIO(template))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename in ("word/document.xml", "xl/worksheets/sheet1.xml"):
                data = data.replace(b"PLACEHOLDER", first_line(serial), 1)
            target.writestr(info.filename, data)
        target.comment = COMMENT
    return buffer.getvalue()


def archive(docx: bytes, serial: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in range(4):
            target.writestr(f"附件{member}.docx", variant(docx, serial * 10 + member))
        target.writestr("说明.txt", f"归档 {serial} 说明\n".encode() * 50)
        target.comment = COMMENT
    return buffer.getvalue()


def build_tree(root: Path, files: int, with_pdf: bool = True) -> None:
    docx, xlsx, pdf = docx_template(), xlsx_template(), pdf_template()
    for i in range(files):
        folder = root / f"d{i // 100:03d}"
        folder.mkdir(exist_ok=True)
        if i % 6 == 0:
            (folder / f"归档{i:05d}.zip").write_bytes(archive(docx, i))
        elif i % 6 == 1:
            (folder / f"表{i:05d}.xlsx").write_bytes(variant(xlsx, i))
        elif i % 6 == 2 and with_pdf:  # a unique trailing comment after %%EOF: another hash, the same text
            (folder / f"报告{i:05d}.pdf").write_bytes(pdf + f"%{i:08d}\n".encode())
        else:
            (folder / f"文档{i:05d}.docx").write_bytes(variant(docx, i))


def timed_scan(tree: Path, cache: Path, jobs: int) -> tuple[float, dict]:
    from baomi.scanner.runner import scan

    started = time.perf_counter()
    report = scan(
        [str(tree)],
        matcher_keywords=["型号"],
        profile=load_profile("unclassified"),
        limits=Limits(),
        jobs=jobs,
        cache=cache,
        progress=None,
    )
    return time.perf_counter() - started, report


def flip_one_byte(path: Path) -> None:
    """Change one byte of the zip comment; keep size and mtime (the cache must not trust them)."""
    info = path.stat()
    data = bytearray(path.read_bytes())
    data[len(data) - 1] ^= 0x01
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def extractions_of_one_scan(tree: Path, cache: Path) -> list[str]:
    """Scan in this process (jobs 1) and list the files that were extracted, not taken from the cache."""
    from baomi.scanner import runner

    extracted: list[str] = []
    original = runner.TreeBuilder.build

    def counting(self: runner.TreeBuilder, data: bytes, name: str) -> runner.Tree:
        extracted.append(name)
        return original(self, data, name)

    runner.TreeBuilder.build = counting  # type: ignore[method-assign]
    try:
        timed_scan(tree, cache, jobs=1)
    finally:
        runner.TreeBuilder.build = original  # type: ignore[method-assign]
    return extracted


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=600)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-pdf", action="store_true", help="docx in place of the PDFs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="baomi-scan-cache-") as work:
        tree, cache = Path(work) / "tree", Path(work) / "cache" / "scan-cache.sqlite"
        tree.mkdir()
        build_tree(tree, args.files, with_pdf=not args.no_pdf)
        size = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file())
        print(
            f"tree: {args.files} files ({size / 1e6:.1f} MB): docx, xlsx, pdf 14 pages, zip (4 docx, 1 txt)"
        )
        first, report1 = timed_scan(tree, cache, args.jobs)
        second, report2 = timed_scan(tree, cache, args.jobs)
        assert report1["files"] == report2["files"], "the cache changes no finding"
        print(f"first scan (empty cache):  {first:7.2f} s, {report1['summary']['marks']} marks")
        print(f"second scan (cached):      {second:7.2f} s, {report2['summary']['marks']} marks")
        changed = sorted(tree.rglob("*.zip"))[0]
        flip_one_byte(changed)
        extracted = extractions_of_one_scan(tree, cache)
        print(f"after changing one byte of {changed.name} (same size and mtime): extracted again {extracted}")
        assert extracted == [changed.name], extracted
        print(f"second scan {first / second:.1f}x faster than the first (target >= 5x)")


if __name__ == "__main__":
    main()
