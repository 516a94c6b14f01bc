"""Recently used files (the runner matches S9 marks in their names): GTK's xbel, KDE's
RecentDocuments, WPS Office's settings."""

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from baomi.scanner.traces import recent

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=CST)

XBEL = """<?xml version="1.0" encoding="UTF-8"?>
<xbel version="1.0"
      xmlns:bookmark="http://www.freedesktop.org/standards/desktop-bookmarks"
      xmlns:mime="http://www.freedesktop.org/standards/shared-mime-info"
>
  <bookmark href="file:///home/zhang/%E6%96%87%E6%A1%A3/%E6%9C%BA%E5%AF%86%E2%98%8520%E5%B9%B4-%E6%96%B9%E6%A1%88.docx"
            added="2026-11-20T01:12:01.123456Z" modified="2026-11-20T01:15:00.000000Z"
            visited="2026-11-20T01:12:01.123456Z">
    <info>
      <metadata owner="http://freedesktop.org">
        <mime:mime-type type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"/>
        <bookmark:applications>
          <bookmark:application name="wps" exec="&apos;wps %u&apos;"
                                modified="2026-11-20T01:15:00.000000Z" count="2"/>
        </bookmark:applications>
      </metadata>
    </info>
  </bookmark>
  <bookmark href="file:///tmp/notes.txt" added="2026-11-19T00:00:00Z" modified="2026-11-19T00:00:00Z"
            visited="2026-11-19T00:00:00Z">
    <info>
      <metadata owner="http://freedesktop.org">
        <bookmark:applications>
          <bookmark:application name="org.gnome.TextEditor" exec="&apos;gnome-text-editor %u&apos;"
                                modified="2026-11-19T00:00:00Z" count="1"/>
          <bookmark:application name="deepin-editor" exec="&apos;deepin-editor %u&apos;"
                                modified="2026-11-19T00:00:00Z" count="1"/>
        </bookmark:applications>
      </metadata>
    </info>
  </bookmark>
</xbel>
"""  # noqa: E501

KDE_ENTRY = """[Desktop Entry]
Icon=application-vnd.oasis.opendocument.text
Name=秘密★6个月 通知.odt
Type=Link
URL[$e]=file:///home/li/文档/秘密★6个月 通知.odt
X-KDE-LastOpenedWith=calligrawords
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.rule("S9")
def test_gtk_recently_used_lists_paths_decoded_with_apps_and_times(tmp_path):
    home = tmp_path / "home/zhang"
    write(home / ".local/share/recently-used.xbel", XBEL)
    result = recent.check_recent_files(tmp_path, [home], NOW)
    assert result["status"] == "ok"
    assert result["items"] == [
        {"path": "/home/zhang/文档/机密★20年-方案.docx", "app": "wps",
         "modified": "2026-11-20T09:15:00+08:00", "visited": "2026-11-20T09:12:01.123456+08:00",
         "added": "2026-11-20T09:12:01.123456+08:00",
         "source": "/home/zhang/.local/share/recently-used.xbel"},
        {"path": "/tmp/notes.txt", "app": "org.gnome.TextEditor, deepin-editor",
         "modified": "2026-11-19T08:00:00+08:00", "visited": "2026-11-19T08:00:00+08:00",
         "added": "2026-11-19T08:00:00+08:00", "source": "/home/zhang/.local/share/recently-used.xbel"}]


@pytest.mark.rule("S9")
def test_kde_recent_documents_with_the_entry_time(tmp_path):
    home = tmp_path / "home/li"
    entry = write(home / ".local/share/RecentDocuments/秘密★6个月 通知.odt.desktop", KDE_ENTRY)
    stamp = datetime(2026, 11, 22, 16, 0, tzinfo=CST).timestamp()
    os.utime(entry, (stamp, stamp))
    write(home / ".local/share/RecentDocuments/broken.desktop", "[Other]\nName=x\n")
    (item,) = recent.check_recent_files(tmp_path, [home], NOW)["items"]
    assert item == {"path": "/home/li/文档/秘密★6个月 通知.odt", "app": "calligrawords",
                    "modified": "2026-11-22T16:00:00+08:00", "visited": None, "added": None,
                    "source": "/home/li/.local/share/RecentDocuments/秘密★6个月 通知.odt.desktop"}


def test_wps_settings_paths_with_qt_escapes(tmp_path):
    # Qt escapes non-Latin-1 characters in settings values as \\xHHHH.
    home = tmp_path / "home/wang"
    write(home / ".config/Kingsoft/Office.conf",
          "[6.0]\ncommon\\AcceptedEULA=true\n"
          "wpsoffice\\Application%20Settings\\RecentFiles="
          "/home/wang/\\x6587\\x6863/\\x7edd\\x5bc6-\\x8ba1\\x5212.wps, /home/wang/b.et\n"
          "common\\Skin=/opt/kingsoft/wps-office/office6/skins/default\n")
    items = recent.check_recent_files(tmp_path, [home], NOW)["items"]
    assert [(item["path"], item["app"]) for item in items] == [
        ("/home/wang/文档/绝密-计划.wps", "WPS Office"), ("/home/wang/b.et", "WPS Office")]


def test_broken_xbel_is_a_parse_error_and_the_rest_is_read(tmp_path):
    home = tmp_path / "home/zhang"
    write(home / ".local/share/recently-used.xbel", "<xbel><bookmark href=")
    write(home / ".recently-used.xbel", XBEL)
    result = recent.check_recent_files(tmp_path, [home], NOW)
    assert result["status"] == "partial" and len(result["items"]) == 2
    (entry,) = result["unread"]
    assert entry["source"] == "/home/zhang/.local/share/recently-used.xbel"
    assert entry["reason"].startswith("parse error")


def test_an_external_entity_is_refused_not_read(tmp_path):
    home = tmp_path / "home/zhang"
    secret = write(tmp_path / "secret.txt", "SECRET")
    write(home / ".local/share/recently-used.xbel",
          f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
          '<xbel><bookmark href="file:///a&e;.txt"/></xbel>')
    result = recent.check_recent_files(tmp_path, [home], NOW)
    assert result["items"] == [] and "SECRET" not in str(result)
    assert result["unread"][0]["reason"].startswith("parse error")


def test_a_list_that_is_a_directory_is_unread(tmp_path):
    home = tmp_path / "home/zhang"
    (home / ".local/share/recently-used.xbel").mkdir(parents=True)
    result = recent.check_recent_files(tmp_path, [home], NOW)
    assert result["status"] == "partial"
    assert result["unread"] == [{"source": "/home/zhang/.local/share/recently-used.xbel",
                                 "reason": "is a directory, not a file"}]


def test_a_home_without_lists_is_clean_and_no_home_is_unreadable(tmp_path):
    home = tmp_path / "home/zhang"
    home.mkdir(parents=True)
    assert recent.check_recent_files(tmp_path, [home], NOW) | {"violation": False} == {
        "check": "recent_files", "status": "ok", "violation": False, "items": [], "unread": []}
    assert recent.check_recent_files(tmp_path, [], NOW)["status"] == "unreadable"
