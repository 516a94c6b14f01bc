"""Demo of the check tool's server side for 华信电子科技研究院 (rule D11), by its 保密办
(baomiban) through the services:

- the keyword list 本单位报警关键字 (60 fictitious 型号-like terms, project code names and
  English terms) and the profiles `unclassified` and `classified`;
- a clean report of the 非涉密 office computer HXDZ-FM-017 (not on the ledger) a week ago;
- a report of the 非涉密 internet computer HXDZ-FM-023 two days ago: a 机密-marked .docx and a
  text file with keyword hits — two rectifications opened;
- a `classified` report of 机密 HXDZ-JSJ-001 on the day of its latest check, attached to it.

Idempotent: nothing is written when the unit already has a keyword list.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from baomi.accounts.models import Unit
from baomi.core.demo import DemoContext
from baomi.devices.models import DeviceCheck

from . import services
from .choices import ProfileBase
from .models import KeywordList

TERMS = [
    # fictitious 型号 and equipment code names
    "HX-7型", "HX-7A", "HX-9改", "天枢-3", "天枢三号", "玄武-2", "玄武二型", "鲲鹏-K5", "鲲鹏K5",
    "青鸾-12", "青鸾十二", "朱雀-4B", "白泽-1", "白泽一号", "烛龙计划", "烛龙-S", "应龙-21",
    "应龙21型", "毕方-6", "九章-X", "星河-09", "星河九号", "北辰-T", "北辰T型", "昆仑-F3",
    # project code names and internal terms
    "曙光工程", "长风项目", "磐石项目", "惊蛰任务", "寒潮任务", "破晓计划", "远望专项", "深蓝专项",
    "定型试验", "靶场试验", "外场试验数据", "技术状态基线", "研制总要求", "战技指标", "战术技术指标",
    "保密协议附件", "涉密载体清单", "频点分配表", "加密机配置", "密钥分发",
    # English terms
    "Project Aurora", "AURORA-X", "Blue Lantern", "Nightjar", "Silent Falcon", "HX7 spec",
    "TS-3 telemetry", "Kestrel-5", "Iron Anvil", "Polaris Block II", "Red Pine", "Frostline",
]
DEVICE_CHECKED = "HXDZ-JSJ-001"
LIST_NAME = "本单位报警关键字"


def _moment(day: dt.date, hour: int, minute: int) -> str:
    zone = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone).isoformat()


def _report(*, device: str, host: str, profile: str, day: dt.date, files: list[dict[str, Any]],
            violations: list[dict[str, Any]], device_level: int | None = None,
            traces: list[dict[str, Any]] | None = None, scanned: int = 8123) -> dict[str, Any]:
    """A report as `baomi scan --format json` writes it (docs/scan-report.md)."""
    marks = sum(1 for f in files for x in f["findings"] if x["kind"] == "mark")
    hits = sum(1 for f in files for x in f["findings"] if x["kind"] == "keyword")
    return {
        "schema": "baomi-scan-report", "version": 1,
        "tool": {"name": "baomi scan", "version": "0.1.0", "engine": "hyperscan"},
        "host": {"hostname": host, "os": "Linux 4.19 (UOS 20)", "machine": "x86_64",
                 "user": "zhangwei"},
        "device": device,
        "profile": {"name": profile, "device_level": device_level,
                    "keywords": {"name": LIST_NAME, "count": len(TERMS), "sha256": ""},
                    "allowed_media": []},
        "started_at": _moment(day, 9, 30), "finished_at": _moment(day, 9, 47),
        "paths": ["/home/zhangwei"],
        "limits": {"max_file_bytes": 536870912, "max_depth": 5, "max_expansion_ratio": 100,
                   "max_expanded_bytes": 1073741824, "max_seconds_per_file": 120.0},
        "summary": {"files_scanned": scanned, "files_skipped": 2, "bytes_scanned": scanned * 41000,
                    "files_with_findings": len(files), "marks": marks, "keyword_hits": hits,
                    "violations": len(violations),
                    "highest_level": max((f["level"] for f in files), default=0),
                    "clean": not violations},
        "files": files,
        "skipped": [{"path": "/home/zhangwei/下载/报价单.pdf", "reason": "encrypted",
                     "detail": "PDF 已加密"},
                    {"path": "/home/zhangwei/.cache/big.iso", "reason": "too_large",
                     "detail": "2.1 GB"}],
        "traces": traces if traces is not None else [
            {"check": "usb_storage", "status": "ok", "violation": False, "items": [], "unread": []},
            {"check": "recent_files", "status": "ok", "violation": False, "items": [],
             "unread": []},
            {"check": "browser_history", "status": "partial", "violation": False, "items": [],
             "unread": [{"source": "~/.mozilla", "reason": "profile locked by a running browser"}]},
        ],
        "violations": violations,
    }


def _marked_files() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    docx = "/home/zhangwei/文档/天枢-3研制总要求（征求意见稿）.docx"
    notes = "/home/zhangwei/桌面/会议记录.txt"
    files = [
        {"path": docx, "size": 48213, "sha256": "0" * 64, "type": "docx", "level": 2,
         "violation": True, "findings": [
             {"kind": "mark", "level": 2, "text": "机密★10年", "context": "机密★10年 天枢-3研制总要求",
              "location": {"part": "header"}},
             {"kind": "keyword", "keyword": "天枢-3", "text": "天枢-3",
              "context": "机密★10年 天枢-3研制总要求", "location": {"part": "body", "line": 1}},
             {"kind": "keyword", "keyword": "研制总要求", "text": "研制总要求",
              "context": "天枢-3研制总要求（征求意见稿）", "location": {"part": "body", "line": 1}}]},
        {"path": notes, "size": 2310, "sha256": "1" * 64, "type": "text", "level": 0,
         "violation": True, "findings": [
             {"kind": "keyword", "keyword": "曙光工程", "text": "曙光工程",
              "context": "讨论曙光工程外场试验数据的整理", "location": {"line": 7}},
             {"kind": "keyword", "keyword": "外场试验数据", "text": "外场试验数据",
              "context": "讨论曙光工程外场试验数据的整理", "location": {"line": 7}}]},
    ]
    violations = [
        {"kind": "file", "path": docx, "level": 2, "message": "机密标志出现在非涉密计算机上"},
        {"kind": "file", "path": notes, "level": 0, "message": "报警关键字出现在非涉密计算机上"},
    ]
    return files, violations


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("baomiban")
    if office is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if KeywordList.objects.filter(unit=unit).exists():
        ctx.say("scans: demo keyword list, profiles and reports already loaded")
        return
    keywords = services.create_keyword_list(office, name=LIST_NAME, terms="\n".join(TERMS))
    services.create_profile(office, name="unclassified", base=ProfileBase.UNCLASSIFIED,
                            keyword_list=keywords, note="非涉密计算机：任何密级标志或报警关键字均为违规")
    services.create_profile(office, name="classified", base=ProfileBase.CLASSIFIED,
                            keyword_list=keywords, limits={"max_depth": 3},
                            note="涉密计算机：上网痕迹、未登记介质、高于设备密级的文件")
    today = timezone.localdate()
    services.receive_report(office, "HXDZ-FM-017", _report(
        device="HXDZ-FM-017", host="hx-office-017", profile="unclassified",
        day=today - dt.timedelta(days=7), files=[], violations=[]))
    files, violations = _marked_files()
    services.receive_report(office, "HXDZ-FM-023", _report(
        device="HXDZ-FM-023", host="hx-inet-023", profile="unclassified",
        day=today - dt.timedelta(days=2), files=files, violations=violations))
    check = DeviceCheck.objects.filter(device__unit=unit, device__number=DEVICE_CHECKED).first()
    if check is not None:
        services.receive_report(office, DEVICE_CHECKED, _report(
            device=DEVICE_CHECKED, host="hx-jsj-001", profile="classified", device_level=2,
            day=check.checked_on, files=[], violations=[], scanned=15210))
    reports = 3 if check is not None else 2
    ctx.say(f"scans: keyword list of {len(TERMS)} terms, 2 profiles, {reports} check tool reports")
