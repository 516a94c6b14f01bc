"""The runner: per-file work, members, limits, timeouts, errors, cache and parallel workers."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest

from baomi.scanner.matching import Matcher
from baomi.scanner.model import Limits
from baomi.scanner.profiles import load_profile
from baomi.scanner.runner import FileTimeout, time_limit
from baomi.scanner.runner import scan as run_scan

DOCX_MARK_LEVEL = 2


def docx_bytes(*paragraphs: str) -> bytes:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def scan(paths, keywords=(), profile="unclassified", limits=None, jobs=1, cache=None, **kwargs):
    return run_scan(
        [str(p) for p in paths],
        matcher_keywords=list(keywords),
        profile=load_profile(profile),
        limits=limits or Limits(),
        jobs=jobs,
        cache=cache,
        progress=None,
        **kwargs,
    )


def by_path(report):
    return {f["path"]: f for f in report["files"]}


def skips(report):
    return {(s["path"], s.get("member")): s["reason"] for s in report["skipped"]}


@pytest.mark.rule("S9")
def test_text_docx_and_clean_files(tmp_path):
    (tmp_path / "plain.txt").write_text("第一行\n机密★20年\n型号XJ-7", encoding="gb18030")
    (tmp_path / "clean.txt").write_text("nothing here\n")
    (tmp_path / "report.jpg").write_bytes(docx_bytes("正文", "绝密★长期"))  # a docx renamed
    report = scan([tmp_path], keywords=["XJ-7"])
    files = by_path(report)
    assert set(files) == {str(tmp_path / "plain.txt"), str(tmp_path / "report.jpg")}
    text = files[str(tmp_path / "plain.txt")]
    assert text["level"] == 2 and text["type"] == "text"
    assert [(f["kind"], f["location"].get("line")) for f in text["findings"]] == [("mark", 2), ("keyword", 3)]
    assert files[str(tmp_path / "report.jpg")]["type"] == "docx"
    assert files[str(tmp_path / "report.jpg")]["level"] == 3
    assert report["summary"]["files_scanned"] == 3 and report["summary"]["files_with_findings"] == 2
    assert report["summary"]["highest_level"] == 3 and report["summary"]["violations"] == 2


@pytest.mark.rule("S9")
def test_file_names_are_marks_too_for_members(tmp_path):
    (tmp_path / "机密★10年 方案.txt").write_text("nothing")
    (tmp_path / "a.zip").write_bytes(
        zip_bytes({"秘密★1年 清单.txt": b"x", "inner.txt": "绝密★长期".encode()})
    )
    files = by_path(scan([tmp_path]))
    name_hit = files[str(tmp_path / "机密★10年 方案.txt")]["findings"]
    assert [(f["level"], f["location"]) for f in name_hit] == [(2, {"part": "filename"})]
    members = files[str(tmp_path / "a.zip")]["findings"]
    assert sorted((f["level"], f["location"].get("member"), f["location"].get("part")) for f in members) == [
        (1, "秘密★1年 清单.txt", "filename"),
        (3, "inner.txt", None),
    ]


def test_nested_archive_member_chain_and_depth_limit(tmp_path):
    inner = zip_bytes({"deep.txt": "秘密★6个月".encode()})
    middle = zip_bytes({"inner.zip": inner})
    (tmp_path / "outer.zip").write_bytes(zip_bytes({"middle.zip": middle}))
    files = by_path(scan([tmp_path]))
    (finding,) = files[str(tmp_path / "outer.zip")]["findings"]
    assert finding["location"]["member"] == "middle.zip › inner.zip › deep.txt"
    report = scan([tmp_path], limits=Limits(max_depth=2))
    assert report["files"] == []
    assert skips(report) == {(str(tmp_path / "outer.zip"), "middle.zip › inner.zip › deep.txt"): "too_deep"}


def test_expansion_limit_counts_every_level_of_one_top_file(tmp_path):
    inner = {f"inner{i}.zip": zip_bytes({"m.txt": b"a" * 1200}) for i in (1, 2)}
    (tmp_path / "outer.zip").write_bytes(zip_bytes(inner))
    limits = Limits(max_expanded_bytes=2500, max_expansion_ratio=10_000)  # each archive alone is within
    assert sum(len(data) for data in inner.values()) + 1200 < 2500
    report = scan([tmp_path], limits=limits)
    assert skips(report) == {(str(tmp_path / "outer.zip"), "inner2.zip › m.txt"): "bomb"}
    assert (
        scan([tmp_path], limits=Limits(max_expanded_bytes=2700, max_expansion_ratio=10_000))["skipped"] == []
    )


def test_broken_file_is_skipped_not_fatal(tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04" + os.urandom(200))
    (tmp_path / "ok.txt").write_text("机密★20年")
    report = scan([tmp_path])
    assert skips(report) == {(str(tmp_path / "broken.docx"), None): "broken"}
    assert list(by_path(report)) == [str(tmp_path / "ok.txt")]


def test_unexpected_exception_becomes_error_skip(tmp_path, monkeypatch):
    import baomi.scanner.runner as runner

    def explode(state, result, data):
        raise RuntimeError("boom")

    monkeypatch.setattr(runner, "check_binary_file", explode)
    (tmp_path / "a.zip").write_bytes(zip_bytes({"x.txt": b"x"}))
    (tmp_path / "b.txt").write_text("秘密★1年")
    report = scan([tmp_path])
    assert report["skipped"] == [
        {"path": str(tmp_path / "a.zip"), "reason": "error", "detail": "RuntimeError: boom"}
    ]
    assert report["summary"]["files_scanned"] == 1


def test_time_limit_interrupts_python_work():
    started = time.monotonic()
    with pytest.raises(FileTimeout), time_limit(0.2):
        while True:
            pass
    assert time.monotonic() - started < 2
    with time_limit(1):  # a quick block is not disturbed, and the alarm is disarmed after it
        pass
    time.sleep(1.1)


def test_slow_file_is_skipped_as_timeout(tmp_path, monkeypatch):
    import baomi.scanner.runner as runner

    def slow(state, result, data):
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(runner, "check_binary_file", slow)
    (tmp_path / "a.zip").write_bytes(zip_bytes({"x.txt": b"x"}))
    (tmp_path / "b.txt").write_text("秘密★1年")
    report = scan([tmp_path], limits=Limits(max_seconds_per_file=0.3))
    assert skips(report) == {(str(tmp_path / "a.zip"), None): "timeout"}
    assert report["summary"]["files_with_findings"] == 1


def test_a_worker_killed_by_one_file_loses_only_that_file(tmp_path, monkeypatch):
    import baomi.scanner.runner as runner

    original = runner.check_binary_file

    def crash_on_killer(state, result, data):
        if result.path.endswith("killer.docx"):
            os._exit(70)  # what a segfault in a C library does to the worker
        original(state, result, data)

    monkeypatch.setattr(runner, "check_binary_file", crash_on_killer)
    for i in range(30):
        (tmp_path / f"d{i:02d}.docx").write_bytes(docx_bytes("机密★5年"))
    (tmp_path / "killer.docx").write_bytes(docx_bytes("x"))
    report = scan([tmp_path], jobs=2)
    assert report["skipped"] == [
        {
            "path": str(tmp_path / "killer.docx"),
            "reason": "error",
            "detail": "the worker process died on this file (BrokenProcessPool)",
        }
    ]
    assert report["summary"]["files_scanned"] == 30 and report["summary"]["files_with_findings"] == 30


def test_a_worker_stuck_in_c_code_is_killed_and_the_file_skipped(tmp_path, monkeypatch):
    import signal

    import baomi.scanner.runner as runner

    original = runner.check_binary_file

    def hang_on_stuck(state, result, data):
        if result.path.endswith("stuck.docx"):
            signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])  # as in a long C call: no alarm
            time.sleep(3600)
        original(state, result, data)

    monkeypatch.setattr(runner, "check_binary_file", hang_on_stuck)
    monkeypatch.setattr(runner, "WATCHDOG_GRACE", 1.0)
    monkeypatch.setattr(runner, "CHUNK_FILES", 2)
    for i in range(6):
        (tmp_path / f"d{i}.docx").write_bytes(docx_bytes("秘密★1年"))
    (tmp_path / "stuck.docx").write_bytes(docx_bytes("x"))
    started = time.monotonic()
    report = scan([tmp_path], jobs=2, limits=Limits(max_seconds_per_file=0.5))
    assert time.monotonic() - started < 30
    assert skips(report) == {(str(tmp_path / "stuck.docx"), None): "timeout"}, report["skipped"]
    assert report["summary"]["files_with_findings"] == 6


def test_parallel_scan_equals_serial(tmp_path):
    for i in range(12):
        (tmp_path / f"t{i}.txt").write_text("秘密★1年" if i % 3 == 0 else "clean")
        (tmp_path / f"d{i}.docx").write_bytes(docx_bytes("机密★5年" if i % 4 == 0 else "无"))
    serial, parallel = scan([tmp_path]), scan([tmp_path], jobs=2)
    assert serial["files"] == parallel["files"] and serial["summary"] == parallel["summary"]
    assert serial["summary"]["files_with_findings"] == 4 + 3


def test_cache_second_scan_hits_and_matching_reruns(tmp_path, monkeypatch):
    import baomi.scanner.runner as runner

    tree, cache = tmp_path / "tree", tmp_path / "cache" / "c.sqlite"
    tree.mkdir()
    (tree / "a.docx").write_bytes(docx_bytes("型号 XJ-7", "机密★20年"))
    first = scan([tree], cache=cache)
    assert first["files"][0]["level"] == 2 and len(first["files"][0]["findings"]) == 1

    def no_extraction(self, data, name):
        raise AssertionError("extracted again")

    with monkeypatch.context() as patch:
        patch.setattr(runner.TreeBuilder, "build", no_extraction)
        second = scan([tree], keywords=["XJ-7"], cache=cache)
    assert sorted(f["kind"] for f in second["files"][0]["findings"]) == ["keyword", "mark"], (
        "new keyword counts"
    )
    assert sorted(os.listdir(tree)) == ["a.docx"], "the cache lives outside the tree"


def test_unchanged_file_and_list_are_neither_extracted_nor_matched_again(tmp_path, monkeypatch):
    import baomi.scanner.runner as runner

    tree, cache = tmp_path / "tree", tmp_path / "cache" / "c.sqlite"
    tree.mkdir()
    (tree / "a.docx").write_bytes(docx_bytes("型号 XJ-7", "机密★20年"))
    first = scan([tree], keywords=["XJ-7"], cache=cache)
    (tree / "a.docx").rename(tree / "秘密★1年-a.docx")  # the name is not part of the content

    def refuse(*args, **kwargs):
        raise AssertionError("extracted or matched again")

    with monkeypatch.context() as patch:
        patch.setattr(runner.TreeBuilder, "build", refuse)
        patch.setattr(runner, "scan_text_node", refuse)
        patch.setattr(Matcher, "scan_segments", refuse)
        second = scan([tree], keywords=["XJ-7"], cache=cache)
    [before], [after] = first["files"], second["files"]
    assert [f for f in after["findings"] if f["location"].get("part") != "filename"] == before["findings"]
    assert after["level"] == 2 and any(f["location"].get("part") == "filename" for f in after["findings"])


def test_one_changed_byte_is_extracted_again(tmp_path, monkeypatch):
    import baomi.scanner.runner as runner

    cache = tmp_path / "c.sqlite"
    data = bytearray(zip_bytes({"a.txt": "机密★20年".encode(), "pad.txt": b"0123456789"}, zipfile.ZIP_STORED))
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "a.zip").write_bytes(data)
    scan([tmp_path / "tree"], cache=cache)
    mtime = os.stat(tmp_path / "tree" / "a.zip").st_mtime_ns
    data[data.index(b"0123456789")] = ord("9")  # same size, same mtime below: only the content differs
    (tmp_path / "tree" / "a.zip").write_bytes(bytes(data))
    os.utime(tmp_path / "tree" / "a.zip", ns=(mtime, mtime))
    built = []
    original = runner.TreeBuilder.build
    monkeypatch.setattr(
        runner.TreeBuilder, "build", lambda self, d, n: built.append(n) or original(self, d, n)
    )
    scan([tmp_path / "tree"], cache=cache)
    assert built == ["a.zip"]


def test_cache_inside_the_tree_is_not_scanned(tmp_path):
    cache = tmp_path / ".cache" / "c.sqlite"
    (tmp_path / "a.docx").write_bytes(docx_bytes("机密★20年"))
    scan([tmp_path], cache=cache)
    report = scan([tmp_path], cache=cache)
    assert report["summary"]["files_scanned"] == 1


# --- end to end over the generated corpus (tests/scanner/corpus.py) ---------------------------


@pytest.fixture(scope="module")
def corpus_scan(tmp_path_factory):
    from tests.scanner.corpus import KEYWORDS, TEST_LIMITS, build_corpus

    root = tmp_path_factory.mktemp("corpus")
    truths = build_corpus(root)
    before = snapshot(root)
    cache = tmp_path_factory.mktemp("cache") / "c.sqlite"
    report = run_scan(
        [str(root)],
        matcher_keywords=list(KEYWORDS),
        profile=load_profile("unclassified"),
        limits=TEST_LIMITS,
        jobs=2,
        cache=cache,
        progress=None,
    )
    yield root, truths, report, before
    (root / "odd" / "locked.txt").chmod(0o644)


def snapshot(root):
    """Bytes and mtime of every file (the locked one by stat only)."""
    state = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        content = path.read_bytes() if path.is_file() and os.access(path, os.R_OK) else None
        state[str(path)] = (info.st_mtime_ns, info.st_size, content)
    return state


def relative(root, path):
    return os.path.relpath(path, root).replace(os.sep, "/")


@pytest.mark.rule("S9")
def test_corpus_levels_equal_the_truth(corpus_scan):
    root, truths, report, _ = corpus_scan
    found = {relative(root, f["path"]): f["level"] for f in report["files"]}
    expected = {name: truth.level for name, truth in truths.items() if truth.skip is None}
    assert {name: found.get(name, 0) for name in expected} == expected


def test_corpus_skips_equal_the_truth(corpus_scan):
    root, truths, report, _ = corpus_scan
    whole = {relative(root, s["path"]): s["reason"] for s in report["skipped"] if not s.get("member")}
    members = {
        (relative(root, s["path"]), s["member"], s["reason"]) for s in report["skipped"] if s.get("member")
    }
    expected = {name: truth.skip for name, truth in truths.items() if truth.skip}
    if os.geteuid() == 0:  # root reads a chmod 000 file: the truth's "unreadable" cannot happen
        expected.pop("odd/locked.txt")
    assert whole == expected
    assert members == {
        (name, member, reason) for name, truth in truths.items() for member, reason in truth.skipped_members
    }


def test_corpus_report_shape_and_outputs(corpus_scan, tmp_path):
    from openpyxl import load_workbook

    from baomi.scanner.report import write_report

    _, _, report, _ = corpus_scan
    assert report["summary"]["files_with_findings"] == len(report["files"]) > 0
    assert report["summary"]["clean"] is False
    for entry in report["files"]:
        assert set(entry) >= {"path", "size", "sha256", "type", "level", "violation", "findings"}
        assert all(set(f) >= {"kind", "text", "context", "location"} for f in entry["findings"])
    for fmt in ("json", "html", "xlsx"):
        write_report(report, str(tmp_path / f"r.{fmt}"), fmt)
    assert load_workbook(tmp_path / "r.xlsx")["发现"].max_row > len(report["files"])
    assert "保密检查报告" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_corpus_tree_is_untouched(corpus_scan):
    root, _, _, before = corpus_scan
    assert snapshot(root) == before, "no byte, mtime or file changed or appeared in the scanned tree"


def test_default_cache_directory_is_not_scanned(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".cache"))
    from baomi.scanner.cache import default_cache_path

    (tmp_path / ".cache" / "baomi").mkdir(parents=True)
    (tmp_path / ".cache" / "baomi" / "notes.txt").write_text("机密★20年")
    (tmp_path / "a.txt").write_text("clean")
    report = scan([tmp_path], cache=default_cache_path())
    assert report["summary"]["files_scanned"] == 1 and report["files"] == []
