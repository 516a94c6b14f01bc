"""File types come from the content, not the name (issue 7: a .docx renamed to .jpg is a docx)."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile

import pytest

from baomi.scanner.detect import detect_type, detect_type_of
from tests.scanner.corpus import PNG_1X1, make_docx, make_xlsx, shared_corpus, tar_of


def corpus_files() -> list[str]:
    _, truths = shared_corpus()
    return sorted(path for path, truth in truths.items() if truth.skip != "unreadable")


@pytest.mark.parametrize("relative", corpus_files())
def test_every_corpus_file_is_typed_by_its_content(relative):
    root, truths = shared_corpus()
    data = (root / relative).read_bytes()
    assert detect_type_of(data, (root / relative).name) == truths[relative].type


def test_a_docx_renamed_to_jpg_is_a_docx_from_its_head_alone():
    data = make_docx(["正文"])
    assert detect_type(data[:8192], "photo.jpg") == "docx"
    assert detect_type_of(data, "photo.jpg") == "docx"


def test_an_xlsx_without_extension_is_an_xlsx():
    assert detect_type_of(make_xlsx({"表": {"A1": "x"}}), "ledger") == "xlsx"


def test_a_zip_that_is_not_office_stays_a_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/readme.txt", "not a document")  # an OOXML folder name but no content types
    assert detect_type_of(buffer.getvalue(), "a.docx") == "zip"


@pytest.mark.parametrize(("name", "expected"), [("a.doc", "doc"), ("a.wps", "wps"), ("A.WPS", "wps"),
                                                 ("a.jpg", "doc"), ("a.et", "doc")])
def test_ole_word_files_are_doc_unless_named_wps(name, expected):
    root, _ = shared_corpus()
    data = (root / "legacy/legacy.doc").read_bytes()
    assert detect_type(data[:8192], name) == "ole"  # the head cannot see the streams
    assert detect_type_of(data, name) == expected


@pytest.mark.parametrize(("text", "codec"), [
    ("机密★20年\n关于年度检查工作的通知\n", "utf-8"),
    ("机密★20年\n关于年度检查工作的通知\n", "gb18030"),
    ("机密★20年\r\n关于 annual 检查\r\n", "utf-16-le"),
    ("机密★20年\r\n关于 annual 检查\r\n", "utf-16-be"),
    ("机密★20年\n", "utf-8-sig"),
    ("机密★20年\n", "utf-16"),
])
def test_text_in_every_encoding_is_text(text, codec):
    assert detect_type(text.encode(codec)) == "text"


def test_empty_file_is_text():
    assert detect_type(b"") == "text"


def test_utf8_cut_in_the_middle_of_a_character_is_still_text():
    data = ("机密" * 3000).encode("utf-8")[:8191]
    assert detect_type(data) == "text"


@pytest.mark.parametrize("data", [PNG_1X1, b"\x7fELF\x02\x01\x01" + bytes(200), b"MZ\x90\x00" + bytes(300),
                                  bytes(range(256)) * 4])
def test_images_and_executables_are_binary(data):
    assert detect_type(data) == "binary"


@pytest.mark.parametrize(("data", "expected"), [
    (b"%PDF-1.7\n", "pdf"),
    (b"\n\n%PDF-1.4\n", "pdf"),
    (b"{\\rtf1\\ansi hello}", "rtf"),
    (b"7z\xbc\xaf\x27\x1c\x00\x04", "7z"),
    (gzip.compress(b"x", mtime=0), "gz"),
    (b"<!DOCTYPE html><html><body>x</body></html>", "html"),
    (b"  <html lang=zh><head>", "html"),
    ("<!doctype html>".encode("utf-16"), "html"),
    ("<!doctype html><html><body>机密</body></html>".encode("utf-16-le"), "html"),
    ("From: a@b.cn\nSubject: 通知\n\n正文".encode("utf-16-le"), "eml"),
    (b"<p>an html fragment is plain text</p>", "text"),
])
def test_magic_numbers(data, expected):
    assert detect_type(data) == expected


def test_posix_and_old_tar_headers():
    assert detect_type(tar_of({"a.txt": b"x"})) == "tar"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        info = tarfile.TarInfo("b.txt")
        info.size = 1
        archive.addfile(info, io.BytesIO(b"y"))
    v7 = bytearray(buffer.getvalue())
    v7[257:265] = bytes(8)  # no magic, as old tar writes
    checksum = sum(v7[:148]) + 8 * 32 + sum(v7[156:512])
    v7[148:156] = f"{checksum:06o}\0 ".encode()
    assert detect_type(bytes(v7)) == "tar"


def test_mail_needs_a_header_block_of_known_fields():
    assert detect_type(b"From: a@b.cn\r\nTo: c@d.cn\r\nSubject: x\r\n\r\nbody") == "eml"
    assert detect_type(b"From zhang Tue Nov 24 09:30:00 2026\nFrom: a@b.cn\nDate: x\n\nbody") == "eml"
    assert detect_type(b"Subject: only one known header\n\nbody") == "text"
    assert detect_type(b"Note: a text that starts like a header\nTo: whom\nbut goes on as prose") == "text"
