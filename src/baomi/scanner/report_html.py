"""The report as one self-contained HTML page in Chinese: inline CSS, no script, no external
resource; prints on A4. For the 保密办 officer who reads, prints and files the check."""

from __future__ import annotations

from html import escape
from typing import Any

from baomi.scanner.model import LEVEL_NAMES

CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
       sans-serif; font-size: 14px; color: #111; margin: 2em auto; max-width: 60em; line-height: 1.5; }
h1 { font-size: 22px; margin: 0 0 .3em; } h2 { font-size: 17px; border-bottom: 2px solid #333;
  margin-top: 1.6em; padding-bottom: .2em; }
h3 { font-size: 15px; margin: 1em 0 .3em; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; }
th, td { border: 1px solid #999; padding: .25em .5em; text-align: left; vertical-align: top;
  word-break: break-all; }
th { background: #eee; } dl.meta { display: grid; grid-template-columns: 8em 1fr; gap: .1em 1em; }
dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; }
.verdict { display: inline-block; padding: .3em 1em; font-weight: bold; font-size: 18px; border: 3px solid; }
.clean { color: #176a2c; } .violation { color: #b00020; } .muted { color: #666; }
.level-1, .level-2, .level-3 { font-weight: bold; color: #b00020; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } h2 { break-after: avoid; }
  tr, h3 { break-inside: avoid; } }
"""

TRACE_NAMES = {
    "usb_storage": "USB存储设备记录",
    "browser_history": "浏览器历史记录",
    "recent_files": "最近使用的文件",
    "network_interfaces": "网络接口与无线网络",
}
STATUS_NAMES = {"ok": "已读取", "partial": "部分未能读取", "unreadable": "未能读取"}
REASON_NAMES = {
    "unreadable": "无法读取",
    "encrypted": "已加密",
    "broken": "文件损坏",
    "too_large": "文件过大",
    "too_deep": "嵌套过深",
    "bomb": "压缩炸弹/展开过大",
    "timeout": "处理超时",
    "device": "设备文件",
    "symlink_loop": "符号链接循环",
    "error": "处理出错",
    "unsupported": "不支持的格式",
}
PROFILE_NAMES = {"unclassified": "非涉密计算机", "classified": "涉密计算机"}


def level_name(level: int | None) -> str:
    return LEVEL_NAMES.get(level or 0, "非密")


def cell(value: Any) -> str:
    return f"<td>{escape('' if value is None else str(value))}</td>"


def table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(cell(v) for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def location_text(location: dict[str, Any]) -> str:
    parts = []
    labels = (
        ("member", "成员 {}"),
        ("part", "{}"),
        ("page", "第{}页"),
        ("sheet", "工作表 {}"),
        ("cell", "单元格 {}"),
        ("slide", "第{}张幻灯片"),
        ("line", "第{}行"),
    )
    for key, label in labels:
        if location.get(key) is not None:
            parts.append(label.format(location[key]))
    return "，".join(parts)


def header(report: dict[str, Any]) -> str:
    summary, profile, host = report["summary"], report["profile"], report["host"]
    verdict = (
        '<span class="verdict clean">未发现违规</span>'
        if summary["clean"]
        else f'<span class="verdict violation">发现违规 {summary["violations"]} 项</span>'
    )
    device_level = profile.get("device_level")
    profile_text = PROFILE_NAMES.get(profile.get("base") or profile["name"], profile["name"])
    if device_level is not None:
        profile_text += f"（本机密级：{level_name(device_level)}）"
    keywords = profile.get("keywords") or {}
    rows = [
        ("计算机", f"{host.get('hostname')}（{host.get('os')}，{host.get('machine')}）"),
        ("用户", host.get("user")),
        ("保密编号", report.get("device") or "未填写"),
        ("检查配置", f"{profile['name']}：{profile_text}"),
        ("报警关键字", f"{keywords.get('name') or '未命名'}，共 {keywords.get('count', 0)} 个"),
        ("检查时间", f"{report['started_at']} 至 {report['finished_at']}"),
        ("检查范围", "；".join(report["paths"]) or "（仅检查痕迹）"),
        ("检查工具", f"{report['tool']['name']} {report['tool']['version']}（{report['tool']['engine']}）"),
    ]
    meta = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in rows)
    return f'<h1>保密检查报告</h1><p>{verdict}</p><dl class="meta">{meta}</dl>'


def summary_section(report: dict[str, Any]) -> str:
    s = report["summary"]
    rows = [
        ["已检查文件", s["files_scanned"]],
        ["检查字节数", f"{s['bytes_scanned']:,}（{s['bytes_scanned'] / 1e6:.1f} MB）"],
        ["跳过", s["files_skipped"]],
        ["有发现的文件", s["files_with_findings"]],
        ["密级标志", s["marks"]],
        ["关键字命中", s["keyword_hits"]],
        ["最高密级", level_name(s["highest_level"])],
        ["违规", s["violations"]],
    ]
    return "<h2>概况</h2>" + table(["项目", "数量"], rows)


def violations_section(report: dict[str, Any]) -> str:
    if not report["violations"]:
        return '<h2>违规</h2><p class="clean">未发现违规。</p>'
    rows = [
        [
            "文件" if v["kind"] == "file" else "痕迹",
            v.get("path") or TRACE_NAMES.get(v.get("check", ""), v.get("check")),
            level_name(v.get("level")) if v["kind"] == "file" else "",
            v["message"],
        ]
        for v in report["violations"]
    ]
    return "<h2>违规</h2>" + table(["类别", "对象", "密级", "说明"], rows)


def files_section(report: dict[str, Any]) -> str:
    if not report["files"]:
        return "<h2>发现</h2><p>未发现密级标志或报警关键字。</p>"
    parts = ["<h2>发现</h2>"]
    for entry in report["files"]:
        flag = "（违规）" if entry.get("violation") else ""
        parts.append(
            f'<h3 class="level-{entry["level"]}">{escape(entry["path"])} — '
            f"{escape(level_name(entry['level']))}{flag}</h3>"
        )
        rows = [
            [
                "密级标志" if f["kind"] == "mark" else "关键字",
                level_name(f.get("level")) if f["kind"] == "mark" else f.get("keyword"),
                f["text"],
                location_text(f["location"]),
                f["context"],
            ]
            for f in entry["findings"]
        ]
        parts.append(table(["类别", "密级/关键字", "原文", "位置", "上下文"], rows))
    return "".join(parts)


def skipped_section(report: dict[str, Any]) -> str:
    if not report["skipped"]:
        return ""
    rows = [
        [s["path"], s.get("member") or "", REASON_NAMES.get(s["reason"], s["reason"]), s.get("detail")]
        for s in report["skipped"]
    ]
    return "<h2>跳过的文件</h2>" + table(["文件", "压缩包成员", "原因", "详情"], rows)


def trace_items(trace: dict[str, Any]) -> str:
    items = trace.get("items") or []
    if not items:
        return '<p class="muted">无记录。</p>'
    keys: list[str] = []
    for item in items:
        keys.extend(key for key in item if key not in keys)
    return table(keys, [[_plain(item.get(key)) for key in keys] for item in items])


def _plain(value: Any) -> Any:
    return "、".join(map(str, value)) if isinstance(value, list) else value


def traces_section(report: dict[str, Any]) -> str:
    if not report["traces"]:
        return ""
    parts = ["<h2>痕迹检查</h2>"]
    for trace in report["traces"]:
        name = TRACE_NAMES.get(trace.get("check", ""), trace.get("check"))
        status = STATUS_NAMES.get(trace.get("status", ""), trace.get("status"))
        flag = "（违规）" if trace.get("violation") else ""
        parts.append(f"<h3>{escape(str(name))} — {escape(str(status))}{flag}</h3>{trace_items(trace)}")
        unread = trace.get("unread") or []
        if unread:
            parts.append(
                "<p>未能读取：</p>"
                + table(["来源", "原因"], [[u.get("source"), u.get("reason")] for u in unread])
            )
    return "".join(parts)


def render_html(report: dict[str, Any]) -> str:
    body = "".join(
        [
            header(report),
            summary_section(report),
            violations_section(report),
            files_section(report),
            skipped_section(report),
            traces_section(report),
        ]
    )
    title = f"保密检查报告 {report['host'].get('hostname', '')} {report['started_at'][:10]}"
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>{body}</body></html>\n"
    )
