"""The report: the v1 shape of docs/scan-report.md, and its HTML and xlsx forms."""

from __future__ import annotations

import json
import time
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from baomi.scanner import SCHEMA, SCHEMA_VERSION
from baomi.scanner.model import KEYWORD, MARK, Finding, Limits, Location
from baomi.scanner.profiles import load_profile
from baomi.scanner.report import build_report, output_format, write_report
from baomi.scanner.report_html import render_html
from baomi.scanner.runner import FileResult, Totals

TOP_KEYS = {
    "schema",
    "version",
    "tool",
    "host",
    "device",
    "profile",
    "started_at",
    "finished_at",
    "paths",
    "limits",
    "summary",
    "files",
    "skipped",
    "traces",
    "violations",
}
SUMMARY_KEYS = {
    "files_scanned",
    "files_skipped",
    "bytes_scanned",
    "files_with_findings",
    "marks",
    "keyword_hits",
    "violations",
    "highest_level",
    "clean",
}


def mark(level: int, text: str, **where) -> Finding:
    return Finding(MARK, text, f"…{text}…", Location(**where), level=level)


def keyword(term: str, **where) -> Finding:
    return Finding(KEYWORD, term, f"…{term}…", Location(**where), keyword=term)


def sample_report(profile_name="unclassified", device_level=None, traces=None):
    profile = load_profile(profile_name, device_level)
    totals = Totals()
    totals.add(
        FileResult(
            "/h/报告.docx",
            2048,
            "docx",
            "ab" * 32,
            findings=[
                mark(2, "机密★20年", part="header"),
                keyword("型号", member="附件.zip › 说明.txt", line=12),
            ],
        ),
        profile,
    )
    totals.add(FileResult("/h/clean.txt", 10, "text", encoding="utf-8"), profile)
    totals.add(
        FileResult(
            "/h/kw.txt", 30, "text", "cd" * 32, encoding="gb18030", findings=[keyword("<script>=1+1")]
        ),
        profile,
    )
    totals.add(
        FileResult(
            "/h/bad.zip",
            5,
            skipped=[{"path": "/h/bad.zip", "reason": "broken", "detail": "CRC"}],
            scanned=False,
        ),
        profile,
    )
    return build_report(
        paths=["/h"],
        profile=profile,
        limits=Limits(),
        totals=totals,
        traces=traces,
        device="BM-JSJ-0017",
        started=time.time(),
        engine="hyperscan",
    )


NETWORK = {
    "check": "network_interfaces",
    "status": "partial",
    "violation": False,
    "items": [{"kind": "interface", "name": "wlan0", "type": "wireless", "wireless": True}],
    "unread": [{"source": "/etc/NetworkManager/system-connections", "reason": "permission denied"}],
}


@pytest.mark.rule("S9")
def test_report_has_the_documented_shape():
    report = sample_report(traces=[NETWORK])
    assert set(report) == TOP_KEYS
    assert (report["schema"], report["version"]) == (SCHEMA, SCHEMA_VERSION)
    assert set(report["summary"]) == SUMMARY_KEYS
    assert report["summary"] == {
        "files_scanned": 3,
        "files_skipped": 1,
        "bytes_scanned": 2088,
        "files_with_findings": 2,
        "marks": 1,
        "keyword_hits": 2,
        "violations": 2,
        "highest_level": 2,
        "clean": False,
    }
    kw, docx = report["files"]  # sorted by path
    assert (docx["path"], docx["level"], docx["violation"], docx["sha256"]) == (
        "/h/报告.docx",
        2,
        True,
        "ab" * 32,
    )
    assert docx["findings"][0] == {
        "kind": "mark",
        "level": 2,
        "text": "机密★20年",
        "context": "…机密★20年…",
        "location": {"part": "header"},
    }
    assert docx["findings"][1]["location"] == {"member": "附件.zip › 说明.txt", "line": 12}
    assert (kw["level"], kw["encoding"]) == (0, "gb18030")
    assert report["skipped"] == [{"path": "/h/bad.zip", "reason": "broken", "detail": "CRC"}]
    assert [v["kind"] for v in report["violations"]] == ["file", "file"], "unclassified: traces not judged"
    assert report["traces"][0]["violation"] is False
    assert report["device"] == "BM-JSJ-0017" and report["tool"]["engine"] == "hyperscan"
    assert report["limits"]["max_depth"] == 5
    json.dumps(report)  # serialisable as it stands


@pytest.mark.rule("D3")
def test_classified_report_judges_traces_and_files_by_level():
    report = sample_report("classified", device_level=2, traces=[NETWORK])
    assert report["violations"] == [
        {"kind": "trace", "check": "network_interfaces", "message": "无线网络接口 wlan0"}
    ]
    assert report["traces"][0]["violation"] is True
    assert [f["violation"] for f in report["files"]] == [False, False]
    assert report["summary"]["clean"] is False and report["summary"]["violations"] == 1


def test_clean_report():
    profile = load_profile("unclassified")
    totals = Totals()
    totals.add(FileResult("/h/a.txt", 3, "text"), profile)
    report = build_report(
        paths=["/h"],
        profile=profile,
        limits=Limits(),
        totals=totals,
        traces=[],
        device=None,
        started=time.time(),
        engine="aho",
    )
    assert report["summary"]["clean"] is True and report["files"] == [] and report["violations"] == []


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.links = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.links.extend(value for name, value in attrs if name in ("src", "href"))

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_self_contained_chinese_and_escaped():
    report = sample_report(traces=[NETWORK])
    page = render_html(report)
    parser = Collector()
    parser.feed(page)
    text = "".join(parser.text)
    assert "script" not in parser.tags and parser.links == [], "no script, no external resource"
    assert "<script>=1+1" in text, "finding text shown as text, escaped in the markup"
    assert "&lt;script&gt;" in page
    for expected in (
        "保密检查报告",
        "发现违规 2 项",
        "BM-JSJ-0017",
        "机密★20年",
        "成员 附件.zip › 说明.txt，第12行",
        "文件损坏",
        "网络接口与无线网络",
        "未能读取",
        "permission denied",
        "@page { size: A4",
    ):
        assert expected in (text if not expected.startswith("@") else page), expected


def test_xlsx_sheets(tmp_path):
    report = sample_report(traces=[NETWORK])
    write_report(report, str(tmp_path / "r.xlsx"), "xlsx")
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["概况", "违规", "发现", "跳过", "痕迹"]
    findings = list(book["发现"].values)
    assert len(findings) == 4 and findings[2][5] == "机密★20年"
    assert findings[1][5] == "<script>=1+1"
    assert list(book["跳过"].values)[1][:3] == ("/h/bad.zip", None, "文件损坏")
    assert list(book["概况"].values)[1] == ("结论", "发现违规 2 项")


def test_formula_like_text_is_not_a_formula(tmp_path):
    report = sample_report()
    report["files"][0]["findings"][0]["text"] = '=HYPERLINK("http://x")'
    write_report(report, str(tmp_path / "r.xlsx"), "xlsx")
    cell = list(load_workbook(tmp_path / "r.xlsx")["发现"].values)[1][5]
    assert cell.startswith("'=")


def test_output_format_by_extension_and_stdout(tmp_path, capsys):
    assert [output_format(p, "json") for p in ("a.HTML", "a.xlsx", "a.json", "a.txt", None)] == [
        "html",
        "xlsx",
        "json",
        "json",
        "json",
    ]
    report = sample_report()
    write_report(report, None, "json")
    assert json.loads(capsys.readouterr().out)["summary"]["marks"] == 1
    with pytest.raises(ValueError, match="xlsx"):
        write_report(report, None, "xlsx")
