"""Traces on the computer (保密检查: 涉密不上网、上网不涉密): USB storage ever attached, browser
histories, recently used files, network interfaces and known Wi-Fi. Each check reports facts
and what it could not read; the runner's profile decides what is a violation (rules D3, D4).

Everything is read-only: files are opened without updating their access time where the kernel
allows, browser databases are opened immutable (or copied outside the checked tree), nothing is
written. Linux only for now; elsewhere every check says it is not supported.
"""

from __future__ import annotations

import platform
from datetime import datetime
from pathlib import Path
from typing import Any

from .browsers import check_browser_history
from .common import read_lines, unsupported
from .network import check_network_interfaces
from .recent import check_recent_files
from .usb import check_usb_storage

CHECKS = ("usb_storage", "browser_history", "recent_files", "network_interfaces")
LOGIN_UID_MIN = 1000  # Debian, UOS and Kylin give people uids from 1000
NOBODY_UID = 65534

__all__ = ["CHECKS", "collect_traces", "default_homes"]


def default_homes(root: Path) -> list[Path]:
    """/root, every /home/* and the homes of login accounts in /etc/passwd (where readable),
    as directories under `root` that exist."""
    candidates = [root / "root"]
    home = root / "home"
    if home.is_dir():
        candidates += sorted(path for path in home.iterdir() if path.is_dir())
    try:
        for line in read_lines(root / "etc" / "passwd"):
            fields = line.split(":")
            if len(fields) >= 6 and fields[2].isdigit() and fields[5].startswith("/"):
                uid = int(fields[2])
                if uid == 0 or LOGIN_UID_MIN <= uid < NOBODY_UID:
                    candidates.append(root / fields[5].lstrip("/"))
    except OSError:
        pass  # /etc/passwd unreadable: the homes under /home still count
    unique = dict.fromkeys(path for path in candidates if path.is_dir())
    return list(unique)


def collect_traces(root: Path = Path("/"), homes: list[Path] | None = None, *,
                   now: datetime | None = None) -> list[dict[str, Any]]:
    """One dict per check, shaped as `traces[]` of docs/scan-report.md (`violation` is always
    False: the profile decides). `root` points at the filesystem to read (tests give a fake
    tree); `homes` defaults to `default_homes(root)`; `now` places year-less syslog dates."""
    system = platform.system()
    if system != "Linux":
        return [unsupported(check, system) for check in CHECKS]
    now = (now or datetime.now()).astimezone()
    homes = default_homes(root) if homes is None else homes
    return [check_usb_storage(root, now), check_browser_history(root, homes, now),
            check_recent_files(root, homes, now), check_network_interfaces(root, now)]
