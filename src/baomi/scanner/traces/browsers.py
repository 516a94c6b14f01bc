"""Browser histories (rule D3: a classified computer never reaches the internet): Chromium-family
profiles, the Chinese desktops' browsers among them, and Firefox. Databases are opened
read-only and immutable, so a browser that is running is neither disturbed nor changed."""

from __future__ import annotations

import ipaddress
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from .common import CheckResult, iso, local_zone, read_bytes, reason_for, searched_home, shown

MOST_RECENT = 200  # items listed per profile; `profiles[].total` counts them all
CHROMIUM_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)
UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SQLITE_HEADER = b"SQLite format 3\x00"
NETWORK_SCHEMES = {"http", "https", "ftp", "ws", "wss"}

# Config directories (under ~/.config) of Chromium-family browsers and the name reported.
# Any other ~/.config/*/…/History that is a Chromium history database is reported too, under
# its directory's name, so a browser missing here is not missed.
CHROMIUM_DIRS = {
    "chromium": "chromium",
    "google-chrome": "chrome", "google-chrome-beta": "chrome", "google-chrome-unstable": "chrome",
    "microsoft-edge": "edge", "microsoft-edge-beta": "edge", "microsoft-edge-dev": "edge",
    "browser": "uos-browser",  # 统信UOS 浏览器
    "deepin-browser": "deepin-browser", "deepin/deepin-browser": "deepin-browser",
    "qaxbrowser": "qaxbrowser",  # 奇安信可信浏览器
    "360browser": "360browser", "browser360": "360browser",
    "kylin-browser": "kylin-browser",  # 银河麒麟
    "BraveSoftware/Brave-Browser": "brave", "vivaldi": "vivaldi", "opera": "opera",
    "yandex-browser": "yandex",
}
SNAP_CHROMIUM = "snap/chromium/common/chromium"
FIREFOX_DIRS = (".mozilla/firefox", "snap/firefox/common/.mozilla/firefox")

CHROMIUM_QUERY = ("SELECT url, title, visit_count, last_visit_time FROM urls "
                  "ORDER BY last_visit_time DESC LIMIT ?")
CHROMIUM_TOTAL = "SELECT count(*) FROM urls"
FIREFOX_QUERY = ("SELECT p.url, p.title, p.visit_count, max(v.visit_date) FROM moz_places p "
                 "JOIN moz_historyvisits v ON v.place_id = p.id GROUP BY p.id "
                 "ORDER BY max(v.visit_date) DESC LIMIT ?")
FIREFOX_TOTAL = "SELECT count(DISTINCT place_id) FROM moz_historyvisits"


def chromium_time(microseconds: int | None) -> datetime | None:
    """Chromium counts microseconds since 1601-01-01 UTC; 0 means never."""
    if not microseconds:
        return None
    return CHROMIUM_EPOCH + timedelta(microseconds=microseconds)


def firefox_time(microseconds: int | None) -> datetime | None:
    """Firefox counts microseconds since 1970-01-01 UTC."""
    if not microseconds:
        return None
    return UNIX_EPOCH + timedelta(microseconds=microseconds)


def is_internet(url: str) -> bool:
    """Whether the URL points outside the unit: a network scheme and a host that is neither a
    private, loopback, link-local or reserved address, nor localhost, nor a single-label
    (intranet) name."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    if parts.scheme.lower() not in NETWORK_SCHEMES or not host:
        return False
    host = host.rstrip(".").lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host == "localhost" or host.endswith((".localhost", ".local")):
            return False
        return "." in host
    return address.is_global


@contextmanager
def open_readonly(path: Path) -> Iterator[sqlite3.Connection]:
    """The database as it is on disk, never written. `immutable=1` reads a database a running
    browser holds locked, but ignores a write-ahead log; where one is present (Firefox), the
    database and its log are copied to a temporary directory outside the checked tree and the
    copy is opened instead, so the latest visits are not missed."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        with tempfile.TemporaryDirectory(prefix="baomi-scan-") as scratch:
            copy = Path(scratch) / path.name
            shutil.copyfile(path, copy)
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
            connection = sqlite3.connect(copy)
            try:
                yield connection
            finally:
                connection.close()
        return
    connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except OSError:
        return False


def chromium_profiles(home: Path) -> Iterator[tuple[str, str, Path]]:
    """(browser, profile, History path) for each Chromium-family profile under the home."""
    config = home / ".config"
    seen: set[Path] = set()
    for relative, browser in CHROMIUM_DIRS.items():
        for history in sorted((config / relative).glob("*/History")):
            seen.add(history)
            yield browser, history.parent.name, history
    for history in sorted((home / SNAP_CHROMIUM).glob("*/History")):
        seen.add(history)
        yield "chromium", history.parent.name, history
    # Browsers not named above: ~/.config/<browser>/<profile>/History or one level deeper.
    for pattern in ("*/*/History", "*/*/*/History"):
        for history in sorted(config.glob(pattern)):
            if history not in seen and history.is_file() and is_sqlite(history):
                seen.add(history)
                yield history.relative_to(config).parts[0], history.parent.name, history


def firefox_profiles(home: Path) -> Iterator[tuple[str, str, Path]]:
    for relative in FIREFOX_DIRS:
        for places in sorted((home / relative).glob("*/places.sqlite")):
            yield "firefox", places.parent.name, places


def read_profile(path: Path, browser: str, profile: str, zone: tzinfo | None
                 ) -> tuple[list[dict[str, Any]], int]:
    chromium = browser != "firefox"
    query, total_query = (CHROMIUM_QUERY, CHROMIUM_TOTAL) if chromium else (FIREFOX_QUERY, FIREFOX_TOTAL)
    to_time = chromium_time if chromium else firefox_time
    with open_readonly(path) as connection:
        rows = connection.execute(query, (MOST_RECENT,)).fetchall()
        total = int(connection.execute(total_query).fetchone()[0])
    items = [{"browser": browser, "profile": profile, "url": url, "title": title or "",
              "last_visit": iso(to_time(visited), zone), "visit_count": int(count or 0),
              "internet": is_internet(url)}
             for url, title, count, visited in rows]
    return items, total


def check_browser_history(root: Path, homes: list[Path], now: datetime) -> dict[str, Any]:
    result = CheckResult("browser_history")
    zone = local_zone(now)
    profiles: list[dict[str, Any]] = []
    for home in homes:
        if not searched_home(home, root, result):
            continue
        for browser, profile, path in [*chromium_profiles(home), *firefox_profiles(home)]:
            source = shown(path, root)
            try:
                if read_bytes(path, len(SQLITE_HEADER)) != SQLITE_HEADER:
                    result.fail(source, "parse error: not an SQLite database")
                    continue
                items, total = read_profile(path, browser, profile, zone)
            except OSError as error:
                result.fail(source, reason_for(error))
                continue
            except sqlite3.Error as error:
                result.fail(source, f"parse error: {error}")
                continue
            result.items += items
            profiles.append({"browser": browser, "profile": profile, "path": source,
                             "total": total, "listed": len(items)})
    if not homes:
        result.fail("home directories", "not present")
    result.extra["profiles"] = profiles
    return result.as_dict()
