"""Plain text: encodings detected from the content, and the chunked scan of a big file."""

from __future__ import annotations

import os

import pytest

from baomi.scanner.matching import Matcher, hyperscan_available
from baomi.scanner.model import KEYWORD, MARK, Location
from baomi.scanner.text import decode, is_text, open_noatime, scan_plain, scan_plain_file

ENGINES = ["ahocorasick"] + (["hyperscan"] if hyperscan_available() else [])
SAMPLE = "机密★20年\n关于某型号的报告\n第一段：本项目 Project-X 的进度。\n" + "正文内容，没有标记。\n" * 40


@pytest.fixture(params=ENGINES)
def matcher(request):
    return Matcher(["型号", "project-x"], engine=request.param)


@pytest.mark.parametrize(("data", "encoding"), [
    (SAMPLE.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
    (b"\xff\xfe" + SAMPLE.encode("utf-16-le"), "utf-16-le"),
    (b"\xfe\xff" + SAMPLE.encode("utf-16-be"), "utf-16-be"),
    (SAMPLE.encode("utf-16-le"), "utf-16-le"),
    (SAMPLE.encode("utf-16-be"), "utf-16-be"),
    (SAMPLE.encode("gb18030"), "gb18030"),
    (SAMPLE.encode("gbk"), "gb18030"),
])
def test_each_encoding_is_detected_from_the_content(data, encoding):
    assert decode(data) == (SAMPLE, encoding)
    assert is_text(data[:4096])


def test_ascii_is_utf8():
    assert decode(b"plain ascii\n") == ("plain ascii\n", "utf-8")


def test_utf8_in_any_script_is_utf8():
    text = "Отчёт о проверке, 報告書のテスト, 机密★5年\n"
    assert decode(text.encode("utf-8")) == (text, "utf-8")


def test_binary_is_not_text():
    assert not is_text(bytes(range(256)) * 8)
    assert not is_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000))


@pytest.mark.rule("S9")
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_scan_plain_in_any_encoding(matcher, encoding):
    found_encoding, findings = scan_plain(SAMPLE.encode(encoding), matcher)
    assert found_encoding.replace("-le", "").replace("-sig", "") == encoding.replace("-sig", "")
    assert [(f.kind, f.text, f.location.line) for f in findings] == [
        (MARK, "机密★20年", 1), (KEYWORD, "型号", 2), (KEYWORD, "Project-X", 3)]


def _big_text(lines: int, mark_line: int, mark: str) -> str:
    body = [f"第{number}行，普通的文字 text line" for number in range(1, lines + 1)]
    body[mark_line - 1] = "前文" + mark + "后文"
    return "\n".join(body) + "\n"


@pytest.mark.rule("S9")
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_a_mark_straddling_a_chunk_boundary_is_found_once_on_its_line(tmp_path, matcher, encoding):
    text = _big_text(3000, 1700, "秘密★6个月")
    data = text.encode(encoding)
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    mark_at = data.find("秘密★6个月".encode(encoding)[2:6])  # inside the mark, past a UTF-16 BOM
    for chunk in (mark_at - 3, mark_at - 1, mark_at + 1, 4096, 65536):
        _, findings = scan_plain_file(path, matcher, chunk_bytes=chunk)
        assert [(f.text, f.location.line) for f in findings if f.kind == MARK] == [("秘密★6个月", 1700)]


def test_chunked_and_whole_give_the_same_findings(tmp_path, matcher):
    text = "秘密\n" + "".join(f"{n}型号project-X，" + ("\n" if n % 7 == 0 else "") for n in range(4000))
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode("utf-8"))
    _, whole = scan_plain(path.read_bytes(), matcher, Location(member="m"))
    for chunk in (997, 5000, 1 << 20):
        assert scan_plain_file(path, matcher, chunk_bytes=chunk, location=Location(member="m"))[1] == whole
    assert len(whole) == 8001 and whole[-1].location.line == text.count("\n") + 1


def test_an_empty_file(tmp_path, matcher):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert scan_plain_file(path, matcher) == ("utf-8", [])


def test_reading_leaves_the_access_time(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("型号".encode())
    os.utime(path, (1_000_000, 2_000_000))
    fd = open_noatime(path)
    try:
        assert os.read(fd, 100) == "型号".encode()
    finally:
        os.close(fd)
    if hasattr(os, "O_NOATIME"):
        assert os.stat(path).st_atime == 1_000_000
