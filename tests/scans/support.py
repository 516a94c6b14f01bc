"""Fixtures of the check tool tests (no tests here).

The people, unit and devices of `tests.devices.support` and `checks_support`: `office` is the
保密办, `top` (郭绝密) the responsible person of `device` (a 机密 desktop checked on
CHECKED_ON by `record()`). `make_report(...)` builds a valid schema-1 report as `baomi scan`
writes it, with `marked` files marked 机密 (each a violation).
"""

import copy
import datetime as dt
from typing import Any

from tests.devices import checks_support, support

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)
device, record = checks_support.device, checks_support.record
CHECKED_ON = checks_support.CHECKED_ON
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def file_entry(index: int, level: int = 2) -> dict[str, Any]:
    path = f"/home/zhang/文档/报告{index}.docx"
    return {"path": path, "size": 2048, "sha256": f"{index:064x}", "type": "docx", "level": level,
            "violation": True, "findings": [
                {"kind": "mark", "level": level, "text": "机密★20年", "context": "…机密★20年 …",
                 "location": {"part": "header"}},
                {"kind": "keyword", "keyword": "天枢-3", "text": "天枢-3", "context": "天枢-3 说明",
                 "location": {"member": "附件.zip › 说明.txt", "line": 12}}]}


def make_report(marked: int = 0, *, started: dt.datetime | None = None,
                device: str | None = "BM-JSJ-0017", trace_violations: int = 0,
                **overrides: Any) -> dict[str, Any]:
    """A valid report with `marked` marked files (level 2) and `trace_violations` wireless interfaces."""
    started = started or dt.datetime(2025, 3, 3, 9, 30, tzinfo=SHANGHAI)
    files = [file_entry(i) for i in range(marked)]
    listed = [{"kind": "file", "path": f["path"], "level": 2,
               "message": "机密标志出现在非涉密计算机上"} for f in files]
    listed += [{"kind": "trace", "check": "network_interfaces",
                "message": f"无线网络接口 wlan{i}"} for i in range(trace_violations)]
    report: dict[str, Any] = {
        "schema": "baomi-scan-report", "version": 1,
        "tool": {"name": "baomi scan", "version": "0.1.0", "engine": "hyperscan"},
        "host": {"hostname": "pc-017", "os": "Linux 5.10 (UOS 20)", "machine": "x86_64",
                 "user": "zhang"},
        "device": device,
        "profile": {"name": "unclassified", "device_level": None,
                    "keywords": {"name": "本单位报警关键字", "count": 3, "sha256": "ab"},
                    "allowed_media": []},
        "started_at": started.isoformat(),
        "finished_at": (started + dt.timedelta(minutes=11)).isoformat(),
        "paths": ["/home/zhang"],
        "limits": {"max_file_bytes": 536870912, "max_depth": 5},
        "summary": {"files_scanned": 10234, "files_skipped": 1, "bytes_scanned": 123456,
                    "files_with_findings": len(files), "marks": len(files),
                    "keyword_hits": len(files), "violations": len(listed),
                    "highest_level": 2 if files else 0, "clean": not listed},
        "files": files,
        "skipped": [{"path": "/home/zhang/加密.docx", "reason": "encrypted", "detail": "密码保护"}],
        "traces": [{"check": "usb_storage", "status": "partial", "violation": False,
                    "items": [], "unread": [{"source": "journal",
                                             "reason": "journalctl: permission denied"}]}],
        "violations": listed,
    }
    report.update(copy.deepcopy(overrides))
    return report


def SHANGHAI_DAY(year: int, month: int, day: int) -> dt.datetime:  # noqa: N802
    """09:30 of that day in Shanghai."""
    return dt.datetime(year, month, day, 9, 30, tzinfo=SHANGHAI)
