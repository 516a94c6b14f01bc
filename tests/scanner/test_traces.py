"""collect_traces as the runner calls it: the four checks in the report's shape, home
directories found under the root, other systems refused honestly."""

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import baomi.scanner.traces as traces
from baomi.scanner.traces import CHECKS, collect_traces, default_homes

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=CST)

PASSWD = """root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
zhang:x:1000:1000:张三,,,:/home/zhang:/bin/bash
wang:x:1001:1001::/data/wang:/bin/bash
ghost:x:1002:1002::/home/ghost:/bin/bash
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_default_homes_from_passwd_and_home(tmp_path):
    write(tmp_path / "etc/passwd", PASSWD)
    for home in ("root", "home/zhang", "home/li", "data/wang", "usr/sbin"):
        (tmp_path / home).mkdir(parents=True)
    assert default_homes(tmp_path) == [tmp_path / "root", tmp_path / "home/li", tmp_path / "home/zhang",
                                       tmp_path / "data/wang"]


def test_default_homes_without_passwd(tmp_path):
    (tmp_path / "home/zhang").mkdir(parents=True)
    assert default_homes(tmp_path) == [tmp_path / "home/zhang"]


@pytest.mark.rule("D11")
def test_four_checks_in_the_report_shape_from_a_fake_machine(tmp_path):
    write(tmp_path / "etc/passwd", PASSWD)
    write(tmp_path / "var/log/syslog",
          "2026-11-20T09:12:01.274000+08:00 pc kernel: [ 1.0] usb 1-1.2: New USB device found, "
          "idVendor=0951, idProduct=1666, bcdDevice= 1.00\n"
          "2026-11-20T09:12:01.280000+08:00 pc kernel: [ 1.1] usb-storage 1-1.2:1.0: "
          "USB Mass Storage device detected\n")
    write(tmp_path / "home/zhang/.recently-used.xbel",
          '<xbel><bookmark href="file:///home/zhang/a.txt" modified="2026-11-20T01:00:00Z"/></xbel>')
    result = collect_traces(tmp_path, now=NOW)
    assert [check["check"] for check in result] == list(CHECKS)
    for check in result:
        assert check["status"] in ("ok", "partial", "unreadable") and check["violation"] is False
        assert {"check", "status", "violation", "items", "unread"} <= set(check)
        assert all(set(entry) == {"source", "reason"} for entry in check["unread"])
    json.dumps(result)  # the report is JSON
    usb, browsers, recent, network = result
    assert [item["vendor_id"] for item in usb["items"]] == ["0951"]
    assert browsers["status"] == "ok" and browsers["profiles"] == []
    assert [item["path"] for item in recent["items"]] == ["/home/zhang/a.txt"]
    assert network["status"] == "unreadable"


def test_explicit_homes_replace_the_default_and_keep_their_own_paths(tmp_path):
    root = tmp_path / "machine"
    write(root / "home/zhang/.recently-used.xbel", '<xbel><bookmark href="file:///z.txt"/></xbel>')
    other = tmp_path / "elsewhere"
    write(other / ".recently-used.xbel", '<xbel><bookmark href="file:///o.txt"/></xbel>')
    recent = collect_traces(root, [other], now=NOW)[2]
    assert [item["path"] for item in recent["items"]] == ["/o.txt"]
    assert recent["items"][0]["source"] == f"{other}/.recently-used.xbel"


@pytest.mark.parametrize("system", ["Windows", "Darwin"])
def test_other_systems_are_not_supported_and_say_so(tmp_path, monkeypatch, system):
    monkeypatch.setattr(traces.platform, "system", lambda: system)
    result = collect_traces(tmp_path, now=NOW)
    assert [(check["check"], check["status"], check["items"], check["unread"]) for check in result] == [
        (name, "unreadable", [], [{"source": system, "reason": f"not supported on {system}"}])
        for name in CHECKS]
