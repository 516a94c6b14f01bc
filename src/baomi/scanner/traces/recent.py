"""Recently used files, as the desktop remembers them: GTK's recently-used.xbel (also filled
by WPS Office and most applications on UOS and Kylin), KDE's RecentDocuments and WPS Office's
own settings. The runner matches marks in the listed names (rule S9: an electronic file carries
its level in its name)."""

from __future__ import annotations

import configparser
import os
import re
from collections.abc import Iterator
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from .common import CheckResult, iso, local_zone, read_bytes, read_text, reason_for, searched_home, shown

XBEL_FILES = (".local/share/recently-used.xbel", ".recently-used.xbel")
KDE_DIR = ".local/share/RecentDocuments"
WPS_FILES = (".config/Kingsoft/Office.conf",)
BOOKMARK_NS = "{http://www.freedesktop.org/standards/desktop-bookmarks}"
# WPS's Office.conf is a Qt settings file whose recent-file keys we could not confirm across
# versions; every absolute path to a document in it is taken, whatever key holds it.
WPS_DOCUMENT = re.compile(r"(/[^\n\"'=;|<>]+?\.(?:docx?|xlsx?|pptx?|wps|wpt|et|ett|dps|dpt|pdf|ofd|txt|rtf))"
                          r"(?=$|[\"',;|\s])", re.IGNORECASE)
QT_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{4})")


def file_path(uri: str) -> str:
    """`file:///home/u/%E6%8A%A5%E5%91%8A.docx` → `/home/u/报告.docx`; other URIs stay as they are."""
    parts = urlsplit(uri)
    return unquote(parts.path) if parts.scheme == "file" else uri


def xbel_time(text: str | None, zone: tzinfo | None) -> str | None:
    if not text:
        return None
    try:
        return iso(datetime.fromisoformat(text.replace("Z", "+00:00")), zone)
    except ValueError:
        return None


def parse_xbel(data: bytes, source: str, zone: tzinfo | None) -> list[dict[str, Any]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    document = etree.fromstring(data, parser)
    items = []
    for bookmark in document.iter("bookmark"):
        href = bookmark.get("href")
        if not href:
            continue
        apps = [app.get("name", "") for app in bookmark.iter(f"{BOOKMARK_NS}application")]
        items.append({"path": file_path(href), "app": ", ".join(filter(None, apps)) or None,
                      "modified": xbel_time(bookmark.get("modified"), zone),
                      "visited": xbel_time(bookmark.get("visited"), zone),
                      "added": xbel_time(bookmark.get("added"), zone), "source": source})
    return items


def parse_kde_entry(text: str, modified: datetime, source: str, zone: tzinfo | None
                    ) -> dict[str, Any] | None:
    entry = configparser.ConfigParser(interpolation=None, strict=False)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    entry.read_string(text)
    if not entry.has_section("Desktop Entry"):
        return None
    section = entry["Desktop Entry"]
    url = section.get("URL[$e]") or section.get("URL")
    if not url:
        return None
    return {"path": file_path(url), "app": section.get("X-KDE-LastOpenedWith"),
            "modified": iso(modified, zone), "visited": None, "added": None, "source": source}


def parse_wps(text: str, source: str) -> list[dict[str, Any]]:
    text = QT_ESCAPE.sub(lambda match: chr(int(match[1], 16)), text)
    paths = dict.fromkeys(match[1].strip() for match in WPS_DOCUMENT.finditer(text))
    return [{"path": path, "app": "WPS Office", "modified": None, "visited": None, "added": None,
             "source": source} for path in paths]


def kde_entries(home: Path) -> Iterator[Path]:
    directory = home / KDE_DIR
    if directory.is_dir():
        yield from sorted(directory.glob("*.desktop"))


def read_one(path: Path, root: Path, zone: tzinfo | None, result: CheckResult) -> list[dict[str, Any]]:
    source = shown(path, root)
    try:
        if path.parent.name == "RecentDocuments":
            modified = datetime.fromtimestamp(path.stat().st_mtime).astimezone(zone)
            item = parse_kde_entry(read_text(path, 1024 * 1024), modified, source, zone)
            items = [item] if item else []
        elif path.name.endswith(".xbel"):
            items = parse_xbel(read_bytes(path), source, zone)
        else:
            items = parse_wps(read_text(path), source)
    except OSError as error:
        result.fail(source, reason_for(error))
        return []
    except (etree.XMLSyntaxError, configparser.Error, ValueError) as error:
        result.fail(source, f"parse error: {error}")
        return []
    result.mark_read()
    return items


def check_recent_files(root: Path, homes: list[Path], now: datetime) -> dict[str, Any]:
    result = CheckResult("recent_files")
    zone = local_zone(now)
    for home in homes:
        if not searched_home(home, root, result):
            continue
        present = [path for path in (home / name for name in (*XBEL_FILES, *WPS_FILES))
                   if os.path.lexists(path)]  # unlike Path.exists on 3.11, never raises
        try:
            present += list(kde_entries(home))
        except OSError as error:
            result.fail(shown(home / KDE_DIR, root), reason_for(error))
        for path in present:
            result.items += read_one(path, root, zone, result)
    if not homes:
        result.fail("home directories", "not present")
    return result.as_dict()
