"""Check profiles: what the findings and traces of a scan mean on this computer.

- `unclassified` (非涉密计算机, 上网不涉密): any mark or keyword hit in a file is a violation;
  traces are reported, not judged.
- `classified` (涉密计算机, 涉密不上网): a file marked above the device's level is a violation
  (rule D4: no higher-level information on a lower-level device); network traces — browser
  history entries, wireless interfaces, an interface up with a default route — are violations
  (rule D3); USB storage whose serial is not in `allowed_media` is a violation (rule D4).

A profile comes from a name, a JSON file of the server's shape, or the server itself.
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from baomi.scanner.model import LEVEL_NAMES

UNCLASSIFIED = "unclassified"
CLASSIFIED = "classified"
BASES = (UNCLASSIFIED, CLASSIFIED)


class ProfileError(Exception):
    """A profile that cannot be used; the message is for the officer."""


@dataclass(slots=True)
class Profile:
    name: str
    base: str = UNCLASSIFIED
    device_level: int | None = None
    keywords: list[str] = field(default_factory=list)
    keyword_list: dict[str, Any] | None = None  # {"name", "sha256"} of the server's list
    allowed_media: list[str] = field(default_factory=list)
    limits: dict[str, Any] = field(default_factory=dict)

    def add_keywords(self, terms: list[str], list_name: str) -> None:
        seen = set(self.keywords)
        self.keywords.extend(term for term in terms if term not in seen)
        if self.keyword_list is None:
            self.keyword_list = {"name": list_name}

    def report_dict(self) -> dict[str, Any]:
        keywords: dict[str, Any] = {
            "name": (self.keyword_list or {}).get("name"),
            "count": len(self.keywords),
            "sha256": keywords_sha256(self.keywords),
        }
        return {
            "name": self.name,
            "base": self.base,
            "device_level": self.device_level,
            "keywords": keywords,
            "allowed_media": list(self.allowed_media),
        }

    # --- judging ---------------------------------------------------------------------------

    def file_violation(self, level: int, finding_count: int) -> str | None:
        """The violation message for a file with these findings (`level`: its highest mark), or None."""
        if self.base == UNCLASSIFIED:
            if level:
                return f"{LEVEL_NAMES[level]}标志出现在非涉密计算机上"
            if finding_count:
                return "报警关键字出现在非涉密计算机上"
            return None
        device_level = self.device_level or 0
        if level > device_level:  # D4: no higher-level information on a lower-level device
            allowed = LEVEL_NAMES.get(device_level, "非密")
            return f"{LEVEL_NAMES[level]}文件高于本机密级（{allowed}）"
        return None

    def trace_violations(self, trace: dict[str, Any]) -> list[str]:
        """Violation messages for one trace check (only the classified profile judges traces)."""
        if self.base != CLASSIFIED:
            return []
        check = trace.get("check")
        items = trace.get("items") or []
        if check == "browser_history":  # D3: a classified computer never reaches the internet
            return browser_violations(items)
        if check == "network_interfaces":
            return [message for item in items if (message := _network_violation(item))]
        if check == "usb_storage":  # D4: only registered media
            allowed = {serial.strip().upper() for serial in self.allowed_media}
            return [
                f"未登记的USB存储设备：{_describe(item, 'vendor', 'product')} "
                f"序列号 {item.get('serial') or '未知'}"
                for item in items
                if str(item.get("serial") or "").strip().upper() not in allowed
            ]
        return []


def browser_violations(items: list[dict[str, Any]]) -> list[str]:
    """One violation per browser profile that visited the internet (items are single URLs;
    `internet` is false for intranet, local and file addresses, which a 涉密网 may have)."""
    visits: dict[tuple[str, str], int] = {}
    for item in items:
        if item.get("internet", True):
            key = (str(item.get("browser") or "?"), str(item.get("profile") or ""))
            visits[key] = visits.get(key, 0) + 1
    return [
        f"浏览器互联网访问记录：{browser} {profile}（至少 {count} 条）".replace("  ", " ")
        for (browser, profile), count in sorted(visits.items())
    ]


def _network_violation(item: dict[str, Any]) -> str | None:
    """D3: a wireless interface, a known Wi-Fi network, or an interface up with a default route."""
    name = item.get("name") or item.get("interface") or "?"
    if item.get("ssid"):
        return f"曾连接的无线网络 {item['ssid']}"
    if item.get("wireless") or item.get("type") == "wireless":
        return f"无线网络接口 {name}"
    is_up = item.get("up") or item.get("operstate") == "up"
    if is_up and item.get("default_route"):
        return f"网络接口 {name} 已连接且有默认路由"
    return None


def _describe(item: dict[str, Any], *keys: str) -> str:
    return " ".join(str(item[key]) for key in keys if item.get(key)) or "?"


def keywords_sha256(terms: list[str]) -> str:
    return hashlib.sha256("\n".join(terms).encode()).hexdigest()


def profile_from_dict(data: dict[str, Any]) -> Profile:
    """A profile of the server's shape (also the shape of `--profile FILE.json`)."""
    if not isinstance(data, dict):
        raise ProfileError("配置文件格式错误：应为 JSON 对象")
    base = data.get("base") or data.get("name")
    if base not in BASES:
        raise ProfileError(f"未知的检查配置类型：{base!r}（应为 unclassified 或 classified）")
    level = data.get("device_level")
    if level is not None and level not in (0, 1, 2, 3):
        raise ProfileError(f"设备密级无效：{level!r}")
    keywords = data.get("keywords") or []
    if not all(isinstance(term, str) for term in keywords):
        raise ProfileError("关键字列表应为字符串列表")
    return Profile(
        name=str(data.get("name") or base),
        base=base,
        device_level=level,
        keywords=[term for term in keywords if term],
        keyword_list=data.get("keyword_list"),
        allowed_media=[str(s) for s in data.get("allowed_media") or []],
        limits=dict(data.get("limits") or {}),
    )


def load_profile(spec: str, device_level: int | None = None) -> Profile:
    """`spec` is a base name (unclassified, classified) or the path of a JSON file."""
    if spec in BASES:
        profile = Profile(name=spec, base=spec)
    else:
        path = Path(spec)
        try:
            profile = profile_from_dict(json.loads(path.read_text(encoding="utf-8")))
        except OSError as error:
            raise ProfileError(f"无法读取检查配置 {spec}：{error.strerror or error}") from error
        except ValueError as error:
            raise ProfileError(f"检查配置 {spec} 不是有效的 JSON：{error}") from error
    if device_level is not None:
        profile.device_level = device_level
    if profile.base == CLASSIFIED and profile.device_level is None:
        raise ProfileError("classified 配置需要本机密级：--device-level 1|2|3")
    return profile


def fetch_profile(
    server: str, token: str, name: str, device: str | None = None, timeout: float = 30.0
) -> Profile:
    """GET {server}/api/v1/scans/profiles/{name}?device=… (the unit's profile and keywords)."""
    from baomi.scanner.upload import UploadError, request_json

    url = f"{server.rstrip('/')}/api/v1/scans/profiles/{urllib.parse.quote(name)}"
    if device:
        url += "?" + urllib.parse.urlencode({"device": device})
    try:
        data = request_json(urllib.request.Request(url, method="GET"), token, timeout)
    except UploadError as error:
        raise ProfileError(f"无法从服务器获取检查配置：{error}") from error
    return profile_from_dict(data)
