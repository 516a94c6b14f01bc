"""The report as an .xlsx workbook: sheets 概况, 违规, 发现, 跳过, 痕迹 (openpyxl, write-only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from baomi.scanner.report_html import (
    PROFILE_NAMES,
    REASON_NAMES,
    STATUS_NAMES,
    TRACE_NAMES,
    level_name,
    location_text,
)


def overview_rows(report: dict[str, Any]) -> list[list[Any]]:
    s, host, profile = report["summary"], report["host"], report["profile"]
    return [
        ["项目", "内容"],
        ["结论", "未发现违规" if s["clean"] else f"发现违规 {s['violations']} 项"],
        ["计算机", host.get("hostname")],
        ["操作系统", host.get("os")],
        ["用户", host.get("user")],
        ["保密编号", report.get("device") or ""],
        ["检查配置", f"{profile['name']}（{PROFILE_NAMES.get(profile.get('base') or '', '')}）"],
        [
            "本机密级",
            level_name(profile.get("device_level")) if profile.get("device_level") is not None else "",
        ],
        ["开始时间", report["started_at"]],
        ["结束时间", report["finished_at"]],
        ["检查范围", "；".join(report["paths"])],
        ["已检查文件", s["files_scanned"]],
        ["检查字节数", s["bytes_scanned"]],
        ["跳过", s["files_skipped"]],
        ["有发现的文件", s["files_with_findings"]],
        ["密级标志", s["marks"]],
        ["关键字命中", s["keyword_hits"]],
        ["最高密级", level_name(s["highest_level"])],
    ]


def violation_rows(report: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [["类别", "对象", "密级", "说明"]]
    for v in report["violations"]:
        is_file = v["kind"] == "file"
        rows.append(
            [
                "文件" if is_file else "痕迹",
                v.get("path") if is_file else TRACE_NAMES.get(v.get("check", ""), ""),
                level_name(v.get("level")) if is_file else "",
                v["message"],
            ]
        )
    return rows


def finding_rows(report: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [["文件", "文件密级", "违规", "类别", "密级/关键字", "原文", "位置", "上下文"]]
    for entry in report["files"]:
        for f in entry["findings"]:
            is_mark = f["kind"] == "mark"
            rows.append(
                [
                    entry["path"],
                    level_name(entry["level"]),
                    "是" if entry.get("violation") else "否",
                    "密级标志" if is_mark else "关键字",
                    level_name(f.get("level")) if is_mark else f.get("keyword"),
                    f["text"],
                    location_text(f["location"]),
                    f["context"],
                ]
            )
    return rows


def skipped_rows(report: dict[str, Any]) -> list[list[Any]]:
    return [["文件", "压缩包成员", "原因", "详情"]] + [
        [s["path"], s.get("member") or "", REASON_NAMES.get(s["reason"], s["reason"]), s.get("detail")]
        for s in report["skipped"]
    ]


def trace_rows(report: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [["检查项", "状态", "违规", "记录", "未能读取"]]
    for trace in report["traces"]:
        name = TRACE_NAMES.get(trace.get("check", ""), trace.get("check"))
        status = STATUS_NAMES.get(trace.get("status", ""), trace.get("status"))
        unread = "；".join(f"{u.get('source')}：{u.get('reason')}" for u in trace.get("unread") or [])
        items = trace.get("items") or []
        for item in items or [None]:
            record = json.dumps(item, ensure_ascii=False) if item is not None else ""
            rows.append([name, status, "是" if trace.get("violation") else "否", record, unread])
    return rows


def write_xlsx(report: dict[str, Any], path: Path) -> None:
    workbook = Workbook(write_only=True)
    sheets = (
        ("概况", overview_rows),
        ("违规", violation_rows),
        ("发现", finding_rows),
        ("跳过", skipped_rows),
        ("痕迹", trace_rows),
    )
    for title, rows_of in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows_of(report):
            sheet.append([_cell_value(v) for v in row])
    workbook.save(path)


def _cell_value(value: Any) -> Any:
    """Cells take text and numbers; a formula-looking text stays text (no injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
