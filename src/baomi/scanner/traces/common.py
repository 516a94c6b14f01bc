"""What every trace check shares: the result it builds, how it reads a file without leaving
a trace of its own (no atime update where the kernel allows), and time formatting."""

from __future__ import annotations

import errno
import gzip
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from baomi.scanner.walk import open_noatime

NOT_PRESENT = "not present"
PERMISSION_DENIED = "permission denied"


@dataclass
class CheckResult:
    """One check of the report's `traces` list. A source counts as read once it was opened
    and parsed; `unread` says, per source, why it was not."""

    check: str
    items: list[dict[str, Any]] = field(default_factory=list)
    unread: list[dict[str, str]] = field(default_factory=list)
    sources_read: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def mark_read(self) -> None:
        self.sources_read += 1

    def fail(self, source: str, reason: str) -> None:
        self.unread.append({"source": source, "reason": reason})

    @property
    def status(self) -> str:
        if self.sources_read == 0:
            return "unreadable"
        # A source that simply does not exist on this system is noted, but is no gap in the check.
        if any(entry["reason"] != NOT_PRESENT for entry in self.unread):
            return "partial"
        return "ok"

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"check": self.check, "status": self.status, "violation": False,
                                "items": self.items, "unread": self.unread}
        data.update(self.extra)
        return data


def unsupported(check: str, system: str) -> dict[str, Any]:
    result = CheckResult(check)
    result.fail(system, f"not supported on {system}")
    return result.as_dict()


def reason_for(error: OSError) -> str:
    """A short, stable reason for an OS error, for `unread`."""
    if isinstance(error, PermissionError) or error.errno in (errno.EACCES, errno.EPERM):
        return PERMISSION_DENIED
    if isinstance(error, FileNotFoundError):
        return NOT_PRESENT
    if isinstance(error, IsADirectoryError):
        return "is a directory, not a file"
    if isinstance(error, NotADirectoryError):
        return "not a directory"
    return f"unreadable: {error.strerror or error}"


def searched_home(home: Path, root: Path, result: CheckResult) -> bool:
    """Whether the home directory can be listed; if not, the check says why. A home that can be
    listed counts as a source read: a home without browsers or recent lists is a clean answer."""
    try:
        with os.scandir(home):
            pass
    except OSError as error:
        result.fail(shown(home, root), reason_for(error))
        return False
    result.mark_read()
    return True


def shown(path: Path, root: Path) -> str:
    """The path as it is on the checked system (tests point `root` at a fake tree)."""
    try:
        return "/" + path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def read_bytes(path: Path, limit: int = 64 * 1024 * 1024) -> bytes:
    with os.fdopen(open_noatime(path), "rb") as handle:
        return handle.read(limit)


def read_text(path: Path, limit: int = 64 * 1024 * 1024) -> str:
    return read_bytes(path, limit).decode("utf-8", errors="replace")


def read_lines(path: Path) -> Iterator[str]:
    """Lines of a text file, or of a gzip-compressed one (rotated logs end in .gz)."""
    with os.fdopen(open_noatime(path), "rb") as raw:
        stream = gzip.GzipFile(fileobj=raw) if path.name.endswith(".gz") else raw
        for line in stream:
            yield line.decode("utf-8", errors="replace").rstrip("\r\n")


def local_zone(now: datetime | None) -> tzinfo | None:
    """The zone times are shown in: that of `now` when given, else the machine's."""
    if now is not None and now.tzinfo is not None:
        return now.tzinfo
    return datetime.now().astimezone().tzinfo


def iso(moment: datetime | None, zone: tzinfo | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(zone).isoformat()
