"""The report of `baomi scan`: the v1 dict of docs/scan-report.md, and writing it out."""

from __future__ import annotations

import dataclasses
import getpass
import json
import os
import platform
import socket
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from baomi.scanner import SCHEMA, SCHEMA_VERSION
from baomi.scanner.model import Limits
from baomi.scanner.profiles import Profile

if TYPE_CHECKING:
    from baomi.scanner.runner import Totals

FORMATS = ("json", "html", "xlsx")
SUFFIX_FORMATS = {".json": "json", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}


def tool_version() -> str:
    try:
        from importlib.metadata import version

        return version("baomi")
    except Exception:  # run from a source tree that was never installed
        return "0.1.0"


def os_description() -> str:
    pretty = ""
    try:
        for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines():
            if line.startswith("PRETTY_NAME="):
                pretty = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    base = f"{platform.system()} {platform.release()}"
    return f"{base} ({pretty})" if pretty else base


def host_info() -> dict[str, str]:
    try:
        user = getpass.getuser()
    except Exception:  # no passwd entry (containers)
        user = str(os.getuid()) if hasattr(os, "getuid") else ""
    return {
        "hostname": socket.gethostname(),
        "os": os_description(),
        "machine": platform.machine(),
        "user": user,
    }


def local_time(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")


def judge_traces(
    profile: Profile, traces: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each trace with its `violation` flag set by the profile, and the violations they make."""
    judged: list[dict[str, Any]] = []
    violations: list[dict[str, Any]] = []
    for trace in traces:
        messages = profile.trace_violations(trace)
        judged.append({**trace, "violation": bool(messages)})
        violations.extend(
            {"kind": "trace", "check": trace.get("check"), "message": message} for message in messages
        )
    return judged, violations


def build_report(
    *,
    paths: list[str],
    profile: Profile,
    limits: Limits,
    totals: Totals,
    traces: list[dict[str, Any]] | None,
    device: str | None,
    started: float,
    engine: str,
) -> dict[str, Any]:
    judged_traces, trace_violations = judge_traces(profile, traces or [])
    violations = sorted(totals.violations, key=lambda v: v["path"]) + trace_violations
    return {
        "schema": SCHEMA,
        "version": SCHEMA_VERSION,
        "tool": {"name": "baomi scan", "version": tool_version(), "engine": engine},
        "host": host_info(),
        "device": device,
        "profile": profile.report_dict(),
        "started_at": local_time(started),
        "finished_at": local_time(time.time()),
        "paths": [os.path.abspath(p) for p in paths],
        "limits": dataclasses.asdict(limits),
        "summary": {
            "files_scanned": totals.files_scanned,
            "files_skipped": len(totals.skipped),
            "bytes_scanned": totals.bytes_scanned,
            "files_with_findings": len(totals.files),
            "marks": totals.marks,
            "keyword_hits": totals.keyword_hits,
            "violations": len(violations),
            "highest_level": totals.highest_level,
            "clean": not violations,
        },
        "files": sorted(totals.files, key=lambda f: f["path"]),
        "skipped": sorted(totals.skipped, key=lambda s: (s["path"], s.get("member") or "")),
        "traces": judged_traces,
        "violations": violations,
    }


def output_format(path: str | None, default: str) -> str:
    if path is None:
        return default
    return SUFFIX_FORMATS.get(Path(path).suffix.lower(), default)


def write_report(report: dict[str, Any], path: str | None, fmt: str, stdout: IO[str] | None = None) -> None:
    """Write in `fmt`; to stdout when `path` is None (json and html only)."""
    if fmt == "xlsx":
        if path is None:
            raise ValueError("xlsx 报告需要用 -o 指定文件")
        from baomi.scanner.report_xlsx import write_xlsx

        write_xlsx(report, Path(path))
        return
    if fmt == "html":
        from baomi.scanner.report_html import render_html

        text = render_html(report)
    else:
        text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    if path is None:
        (stdout or sys.stdout).write(text)
    else:
        Path(path).write_text(text, encoding="utf-8")
