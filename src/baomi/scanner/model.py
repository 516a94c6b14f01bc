"""The shapes every part of the scanner passes around: findings, where they are, extracted
text, limits. Plain dataclasses, no Django: `baomi scan` runs on a machine with no database.

Levels are the integers of `baomi.core.labels.Level`: 0 non-secret, 1 秘密, 2 机密, 3 绝密.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

LEVEL_NAMES = {1: "秘密", 2: "机密", 3: "绝密"}

MARK = "mark"  # a classification mark (rule S9), e.g. 机密★20年; `level` is set
KEYWORD = "keyword"  # a term of the unit's keyword list (报警关键字); `level` is None


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding is. Only the fields that apply are set; `member` is the chain of archive
    or attachment members from the scanned file down, joined by " › "."""

    member: str | None = None
    part: str | None = None  # body, header, footer, comment, textbox, notes, filename, subject …
    line: int | None = None  # 1-based, within the part (plain text, body of a document)
    page: int | None = None  # PDF page, 1-based
    sheet: str | None = None
    cell: str | None = None  # A1-style
    slide: int | None = None  # 1-based

    def as_dict(self) -> dict[str, Any]:
        # not dataclasses.asdict: it deep-copies, and a scan may report hundreds of thousands
        return {key: value for key in LOCATION_KEYS if (value := getattr(self, key)) is not None}


LOCATION_KEYS = tuple(item.name for item in fields(Location))


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of text taken out of a file, with where it came from. The matcher counts lines
    inside the segment from `location.line` (or 1) when the text has several lines."""

    text: str
    location: Location = Location()


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str  # MARK or KEYWORD
    text: str  # the matched text as it stands in the file (the mark, or the keyword)
    context: str  # up to about 30 characters either side, on one line
    location: Location
    level: int | None = None  # set for marks
    keyword: str | None = None  # the list's term, for keyword hits

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "text": self.text, "context": self.context,
                                "location": self.location.as_dict()}
        if self.level is not None:
            data["level"] = self.level
        if self.keyword is not None:
            data["keyword"] = self.keyword
        return data


@dataclass(frozen=True, slots=True)
class Limits:
    """What the scan refuses to go beyond; each is an option of `baomi scan`."""

    max_file_bytes: int = 512 * 1024 * 1024  # larger files are skipped (`too_large`)
    max_depth: int = 5  # archive / attachment nesting
    max_expansion_ratio: int = 100  # uncompressed : compressed, per archive
    # everything taken out of one scanned file; members are held in memory, so keep it modest
    max_expanded_bytes: int = 256 * 1024 * 1024
    max_seconds_per_file: float = 120.0


@dataclass(slots=True)
class Extracted:
    """What an extractor took out of one file (or archive member).

    `type` is the detected type (see detect.TYPES). `segments` is the text to match;
    `children` are nested files (archive members, mail attachments) the runner scans in turn
    with `name` as their member name; `skipped` lists nested parts that could not be read, as
    (member name or "", reason code, detail)."""

    type: str
    segments: list[Segment] = field(default_factory=list)
    children: list[tuple[str, bytes]] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)


class Skip(Exception):
    """A file (or member) that cannot be checked: `code` is a stable reason (unreadable,
    encrypted, broken, too_large, too_deep, bomb, timeout, device, symlink_loop …), `detail`
    says why in words."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
