"""Browser histories (rule D3): Chromium-family and Firefox databases built in the test with
their real table shapes, read without being changed."""

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from baomi.scanner.traces import browsers, common

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=CST)
SECONDS_1601_TO_1970 = 11_644_473_600

CHROMIUM_SCHEMA = """
CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
CREATE TABLE urls(id INTEGER PRIMARY KEY AUTOINCREMENT, url LONGVARCHAR, title LONGVARCHAR,
  visit_count INTEGER DEFAULT 0 NOT NULL, typed_count INTEGER DEFAULT 0 NOT NULL,
  last_visit_time INTEGER NOT NULL, hidden INTEGER DEFAULT 0 NOT NULL);
CREATE TABLE visits(id INTEGER PRIMARY KEY, url INTEGER NOT NULL, visit_time INTEGER NOT NULL,
  from_visit INTEGER, transition INTEGER DEFAULT 0 NOT NULL, segment_id INTEGER,
  visit_duration INTEGER DEFAULT 0 NOT NULL);
"""
FIREFOX_SCHEMA = """
CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url LONGVARCHAR, title LONGVARCHAR, rev_host LONGVARCHAR,
  visit_count INTEGER DEFAULT 0, hidden INTEGER DEFAULT 0 NOT NULL, typed INTEGER DEFAULT 0 NOT NULL,
  frecency INTEGER DEFAULT -1 NOT NULL, last_visit_date INTEGER, guid TEXT,
  foreign_count INTEGER DEFAULT 0 NOT NULL, url_hash INTEGER DEFAULT 0 NOT NULL);
CREATE TABLE moz_historyvisits (id INTEGER PRIMARY KEY, from_visit INTEGER, place_id INTEGER,
  visit_date INTEGER, visit_type INTEGER, session INTEGER, source INTEGER DEFAULT 0 NOT NULL,
  triggeringPlaceId INTEGER);
"""


def chromium_us(moment: datetime) -> int:
    return (int(moment.timestamp()) + SECONDS_1601_TO_1970) * 1_000_000


def unix_us(moment: datetime) -> int:
    return int(moment.timestamp()) * 1_000_000


def make_chromium(path: Path, rows: list[tuple[str, str, int, datetime | None]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.executescript(CHROMIUM_SCHEMA)
        db.executemany("INSERT INTO urls(url, title, visit_count, last_visit_time) VALUES (?, ?, ?, ?)",
                       [(url, title, count, chromium_us(when) if when else 0)
                        for url, title, count, when in rows])
    db.close()
    return path


def make_firefox(path: Path, visits: list[tuple[str, str, datetime]]) -> sqlite3.Connection:
    """Left open (as a running Firefox keeps it), in WAL mode, nothing checkpointed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.executescript(FIREFOX_SCHEMA)
    for url, title, when in visits:
        place = db.execute("SELECT id FROM moz_places WHERE url = ?", (url,)).fetchone()
        if place is None:
            place = (db.execute("INSERT INTO moz_places(url, title, visit_count) VALUES (?, ?, 0)",
                                (url, title)).lastrowid,)
        db.execute("UPDATE moz_places SET visit_count = visit_count + 1 WHERE id = ?", place)
        db.execute("INSERT INTO moz_historyvisits(place_id, visit_date, visit_type) VALUES (?, ?, 1)",
                   (place[0], unix_us(when)))
    return db


def digests(directory: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in directory.iterdir()}


def run(tmp_path: Path, homes: list[Path]) -> dict:
    return browsers.check_browser_history(tmp_path, homes, NOW)


@pytest.mark.rule("D3")
def test_chromium_history_with_epoch_1601_and_internet_flag(tmp_path):
    home = tmp_path / "home/zhang"
    visited = datetime(2026, 11, 20, 9, 12, 1, tzinfo=CST)
    make_chromium(home / ".config/google-chrome/Default/History", [
        ("https://www.baidu.com/s?wd=保密", "百度一下", 3, visited),
        ("http://192.168.1.10/oa/", "OA 系统", 7, visited - timedelta(days=1)),
        ("chrome://newtab/", "", 1, None)])
    result = run(tmp_path, [home])
    assert result["status"] == "ok"
    assert result["items"][0] == {
        "browser": "chrome", "profile": "Default", "url": "https://www.baidu.com/s?wd=保密",
        "title": "百度一下", "last_visit": "2026-11-20T09:12:01+08:00", "visit_count": 3, "internet": True}
    assert [item["internet"] for item in result["items"]] == [True, False, False]
    assert result["items"][2]["last_visit"] is None
    assert result["profiles"] == [{"browser": "chrome", "profile": "Default",
                                   "path": "/home/zhang/.config/google-chrome/Default/History",
                                   "total": 3, "listed": 3}]


def test_epoch_conversions_at_their_origins():
    assert browsers.chromium_time(SECONDS_1601_TO_1970 * 1_000_000) == datetime(1970, 1, 1, tzinfo=UTC)
    assert browsers.chromium_time(1) == datetime(1601, 1, 1, 0, 0, 0, 1, tzinfo=UTC)
    assert browsers.firefox_time(1_000_000) == datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)
    assert browsers.chromium_time(0) is None and browsers.firefox_time(None) is None


@pytest.mark.rule("D3")
def test_at_most_200_most_recent_per_profile_with_the_total(tmp_path):
    home = tmp_path / "home/li"
    start = datetime(2026, 1, 1, tzinfo=CST)
    make_chromium(home / ".config/chromium/Profile 1/History",
                  [(f"https://example.com/{n}", f"page {n}", 1, start + timedelta(hours=n))
                   for n in range(205)])
    result = run(tmp_path, [home])
    assert len(result["items"]) == 200
    assert result["items"][0]["url"] == "https://example.com/204"
    assert result["items"][-1]["url"] == "https://example.com/5"
    assert result["profiles"][0]["total"] == 205 and result["profiles"][0]["listed"] == 200


@pytest.mark.rule("D3")
def test_firefox_visits_still_in_the_wal_of_a_running_browser_are_read_and_nothing_written(tmp_path):
    home = tmp_path / "home/zhang"
    places = home / ".mozilla/firefox/abcd1234.default-release/places.sqlite"
    when = datetime(2026, 11, 21, 15, 30, tzinfo=CST)
    db = make_firefox(places, [("https://www.gov.cn/", "中国政府网", when - timedelta(days=2)),
                               ("https://www.gov.cn/", "中国政府网", when),
                               ("http://intranet/", "内网", when - timedelta(days=5))])
    try:
        before = digests(places.parent)
        result = run(tmp_path, [home])
        after = digests(places.parent)
    finally:
        db.close()
    assert before == after
    assert [(item["url"], item["visit_count"], item["last_visit"], item["internet"])
            for item in result["items"]] == [
        ("https://www.gov.cn/", 2, "2026-11-21T15:30:00+08:00", True),
        ("http://intranet/", 1, "2026-11-16T15:30:00+08:00", False)]
    assert result["profiles"][0]["browser"] == "firefox" and result["profiles"][0]["total"] == 2


def test_a_database_locked_by_the_browser_is_read(tmp_path):
    home = tmp_path / "home/zhang"
    history = make_chromium(home / ".config/browser/Default/History",
                            [("https://www.chinatax.gov.cn/", "税务", 1, NOW)])
    holder = sqlite3.connect(history, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run(tmp_path, [home])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result["status"] == "ok"
    assert [(item["browser"], item["url"]) for item in result["items"]] == [
        ("uos-browser", "https://www.chinatax.gov.cn/")]


def test_an_unlisted_chromium_browser_is_found_by_its_history_table(tmp_path):
    home = tmp_path / "home/zhang"
    make_chromium(home / ".config/someco/SomeBrowser/Default/History",
                  [("https://a.example.cn/", "", 1, NOW)])
    (home / ".config/notes/Default").mkdir(parents=True)
    (home / ".config/notes/Default/History").write_text("not a database")
    result = run(tmp_path, [home])
    assert [item["browser"] for item in result["items"]] == ["someco"]
    assert result["unread"] == []


def test_a_history_that_is_a_directory_or_denied_is_unread_and_the_check_partial(tmp_path, monkeypatch):
    home = tmp_path / "home/zhang"
    (home / ".config/qaxbrowser/Default/History").mkdir(parents=True)
    denied = make_chromium(home / ".config/360browser/Default/History", [("https://www.so.com/", "", 1, NOW)])
    make_chromium(home / ".config/microsoft-edge/Default/History", [("https://cn.bing.com/", "", 1, NOW)])
    original = common.open_noatime

    def refuse(path: Path) -> int:
        if path == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return original(path)

    monkeypatch.setattr(common, "open_noatime", refuse)
    result = run(tmp_path, [home])
    assert result["status"] == "partial"
    assert sorted(result["unread"], key=lambda entry: entry["source"]) == [
        {"source": "/home/zhang/.config/360browser/Default/History", "reason": "permission denied"},
        {"source": "/home/zhang/.config/qaxbrowser/Default/History", "reason": "is a directory, not a file"}]
    assert [item["browser"] for item in result["items"]] == ["edge"]


def test_a_corrupt_database_is_a_parse_error(tmp_path):
    home = tmp_path / "home/zhang"
    history = home / ".config/chromium/Default/History"
    history.parent.mkdir(parents=True)
    history.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    result = run(tmp_path, [home])
    assert result["status"] == "partial"
    assert result["unread"][0]["reason"].startswith("parse error")


def test_no_home_to_search_is_unreadable(tmp_path):
    assert run(tmp_path, [])["status"] == "unreadable"
    assert run(tmp_path, [tmp_path / "home/nobody"])["unread"] == [
        {"source": "/home/nobody", "reason": "not present"}]


@pytest.mark.rule("D3")
@pytest.mark.parametrize(("url", "internet"), [
    ("https://www.baidu.com/", True),
    ("https://8.8.8.8/dns-query", True),
    ("http://[2400:3200::1]/", True),
    ("http://172.32.0.1/", True),  # just outside 172.16.0.0/12
    ("http://172.31.255.254/", False),
    ("http://10.1.2.3:8080/oa", False),
    ("http://192.168.1.10/", False),
    ("http://127.0.0.1:8000/", False),
    ("http://[::1]/", False),
    ("http://169.254.1.1/", False),
    ("http://localhost:3000/", False),
    ("http://oa/", False),
    ("http://OA./login", False),
    ("http://printer.local/", False),
    ("file:///home/zhang/报告.html", False),
    ("chrome://settings/", False),
    ("about:blank", False),
    ("http://[broken/", False),
])
def test_internet_or_intranet(url, internet):
    assert browsers.is_internet(url) is internet
