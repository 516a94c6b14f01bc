"""`baomi scan` on the command line: options, outputs, exit codes 0/1/2, upload."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from baomi.scanner.cli import main
from tests.scanner.test_upload import Recorder, dumps, server  # noqa: F401 (fixture)


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "tree"
    root.mkdir()
    (root / "notes.txt").write_text("会议纪要\n项目 XJ-7 进度\n", encoding="utf-8")
    return root


def run(capsys, *argv):
    code = main(["--no-traces", "-q", "--jobs", "1", "--no-cache", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("baomi scan ")


def test_help_explains_with_examples(capsys):
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    for expected in ("--profile", "--device-level", "--keywords", "--upload", "examples:", "exit status"):
        assert expected in text


def test_clean_scan_exits_0_with_json_on_stdout(capsys, tree):
    code, out, err = run(capsys, tree)
    assert code == 0 and err == ""
    report = json.loads(out)
    assert report["summary"]["clean"] is True and report["summary"]["files_scanned"] == 1
    assert report["traces"] == []


@pytest.mark.rule("S9")
def test_keyword_list_makes_a_violation_exit_1(capsys, tree, tmp_path):
    (tmp_path / "kw.txt").write_text("XJ-7\n", encoding="utf-8")
    code, out, _ = run(capsys, "--keywords", tmp_path / "kw.txt", tree)
    report = json.loads(out)
    assert code == 1
    assert report["profile"]["keywords"]["count"] == 1
    assert report["violations"][0]["path"] == str(tree / "notes.txt")


@pytest.mark.rule("D4")
def test_classified_profile_by_level(capsys, tree):
    (tree / "m.txt").write_text("机密★20年\n正文", encoding="utf-8")
    assert run(capsys, "--profile", "classified", "--device-level", "2", tree)[0] == 0
    code, out, _ = run(capsys, "--profile", "classified", "--device-level", "1", tree)
    assert code == 1 and json.loads(out)["violations"][0]["level"] == 2


def test_profile_file(capsys, tree, tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"name": "本单位", "base": "unclassified", "keywords": ["进度"]}))
    code, out, _ = run(capsys, "--profile", profile, tree)
    assert code == 1 and json.loads(out)["profile"]["name"] == "本单位"


def test_html_and_xlsx_outputs_at_once(capsys, tree, tmp_path):
    code, out, _ = run(capsys, "-o", tmp_path / "r.html", "-o", tmp_path / "r.xlsx", tree)
    assert code == 0 and out == ""
    assert "保密检查报告" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert load_workbook(tmp_path / "r.xlsx").sheetnames == ["概况", "违规", "发现", "跳过", "痕迹"]


def test_html_to_stdout(capsys, tree):
    code, out, _ = run(capsys, "--format", "html", tree)
    assert code == 0 and out.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    "argv,message",
    [
        ([], "请给出要检查的目录或文件"),
        (["/nonexistent/dir"], "路径不存在"),
        (["--profile", "classified", "."], "--device-level"),
        (["--keywords", "/nonexistent/kw.txt", "."], "无法读取关键字列表"),
        (["--format", "xlsx", "."], "xlsx 报告需要 -o"),
        (["--upload", "http://127.0.0.1:9", "."], "--token"),
        (["--traces-only", "--no-traces"], "不能同时使用"),
    ],
)
def test_errors_exit_2_with_a_message(capsys, monkeypatch, argv, message):
    monkeypatch.delenv("BAOMI_TOKEN", raising=False)
    code = main(["-q", "--no-cache", *argv])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.startswith("baomi scan: 错误：")


def test_bad_option_exits_2(capsys):
    assert main(["--no-such-option"]) == 2
    assert "unrecognized arguments" in capsys.readouterr().err


@pytest.mark.rule("D11")
def test_upload_prints_the_url(capsys, tree, server):  # noqa: F811
    url, handler = server
    handler.answers[("POST", "/api/v1/scans/reports")] = (
        201,
        dumps({"id": 5, "url": "/scans/reports/5/", "check": None, "rectifications": [1]}),
    )
    code, out, err = run(capsys, "--upload", url, "--token", "T", "--device", "BM-1", tree)
    assert code == 0 and json.loads(out)["device"] == "BM-1"
    assert f"报告已上传：{url}/scans/reports/5/" in err
    assert json.loads(handler.seen[0]["body"])["device"] == "BM-1"


def test_refused_upload_exits_2_with_the_server_detail(capsys, tree, server):  # noqa: F811
    url, handler = server
    handler.answers[("POST", "/api/v1/scans/reports")] = (409, dumps({"detail": "该报告已上传"}))
    code, _, err = run(capsys, "--upload", url, "--token", "T", tree)
    assert code == 2 and "该报告已上传" in err


def test_profile_from_the_server(capsys, tree, server):  # noqa: F811
    url, handler = server
    profile = {
        "name": "unit",
        "base": "unclassified",
        "device_level": None,
        "keywords": ["纪要"],
        "keyword_list": {"name": "本单位", "sha256": "x"},
        "allowed_media": [],
        "limits": {"max_depth": 2},
    }
    handler.answers[("GET", "/api/v1/scans/profiles/unit")] = (200, dumps(profile))
    code, out, _ = run(capsys, "--server", url, "--token", "T", "--profile", "unit", tree)
    report = json.loads(out)
    assert code == 1 and report["profile"]["keywords"]["name"] == "本单位"
    assert report["limits"]["max_depth"] == 2, "the server's limits apply"


def test_traces_only_reads_the_given_root(capsys, tmp_path):
    (tmp_path / "sys" / "class" / "net").mkdir(parents=True)
    code = main(
        ["-q", "--traces-only", "--root", str(tmp_path), "--profile", "classified", "--device-level", "2"]
    )
    report = json.loads(capsys.readouterr().out)
    assert report["files"] == [] and report["paths"] == []
    assert {t["check"] for t in report["traces"]} == {
        "usb_storage",
        "browser_history",
        "recent_files",
        "network_interfaces",
    }
    assert code == (1 if report["violations"] else 0)


def test_quiet_in_a_pipe(capsys, tree):
    code = main(["--no-traces", "--no-cache", "--jobs", "1", str(tree)])  # no -q: stderr is not a TTY here
    assert code == 0 and capsys.readouterr().err == ""


def test_unusable_cache_does_not_stop_the_scan(capsys, tree, tmp_path):
    (tmp_path / "file").write_text("x")
    code = main(
        ["--no-traces", "-q", "--jobs", "2", "--cache", str(tmp_path / "file" / "c.sqlite"), str(tree)]
    )
    assert code == 0 and json.loads(capsys.readouterr().out)["summary"]["files_scanned"] == 1
