"""Marks and keywords in text, on one of two engines.

Both look for each keyword folded (ASCII case-insensitively) and for its full-width spellings
(see `keywords`). `hyperscan` (x86-64 wheel) scans UTF-8 bytes and gives byte offsets; lines are counted by
counting b"\\n" up to each match, so plain UTF-8 files are never decoded as a whole.
`ahocorasick` (pyahocorasick, the fallback where hyperscan has no wheel, e.g. ARM64) scans
str. Both report the same findings: marks by `marks`, which
the engines only hint at (a level word such as 机密 or 机 密) so that the regular expressions
run on a small window around each hint.

A Matcher pickles as its keyword list and engine name and is rebuilt on unpickling (compiling
10,000 keywords takes well under a second), so a process pool can be handed one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from . import marks
from .keywords import fold, fold_ascii, fullwidth_variants, unique_terms
from .model import KEYWORD, MARK, Finding, Location, Segment

Buffer = Any  # bytes for hyperscan, str for ahocorasick

NOWHERE = Location()  # frozen, so safe as a default
MARK_HINT = -1
CONTEXT_CHARS = 30
CONTEXT_UNITS = 4 * CONTEXT_CHARS  # bytes enough for 30 characters of UTF-8
MARK_WINDOW = 4 * marks.LONGEST_MARK + 64
MARKING_LINES = 5  # a bare level word on one of a part's first 5 non-empty lines is a mark
MARKING_PARTS = ("header", "filename")
SPACE_CHARS = " \t\r\u3000"


def _hex(text: str) -> str:
    return "".join(f"\\x{byte:02x}" for byte in text.encode("utf-8"))


def _alternatives(chars: str) -> str:
    return "(?:" + "|".join(_hex(char) for char in chars) + ")"


# The same hint as marks.WORD_HINT, spelled in UTF-8 bytes.
MARK_HINT_BYTES = (_alternatives("绝机秘") + _alternatives(" \t\u3000\u00a0") + "{0,3}" + _hex("密"))


def _spellings(terms: Sequence[str]) -> list[tuple[str, int, bool]]:
    """(spelling, term index, caseless) for every spelling an engine looks for: each term folded,
    matched ASCII-case-insensitively, and its full-width variants, matched as they are."""
    spellings = []
    for code, term in enumerate(terms):
        folded = fold(term)
        spellings.append((folded, code, True))
        spellings.extend((variant, code, False) for variant in fullwidth_variants(folded))
    return spellings


class HyperscanEngine:
    name = "hyperscan"
    bytes_mode = True

    def __init__(self, terms: Sequence[str]) -> None:
        import hyperscan

        spellings = _spellings(terms)
        self._codes = [code for _, code, _ in spellings] + [MARK_HINT]
        self._lengths = [len(spelling.encode("utf-8")) for spelling, _, _ in spellings] + [0]
        expressions = [_hex(spelling).encode() for spelling, _, _ in spellings] + [MARK_HINT_BYTES.encode()]
        flags = [hyperscan.HS_FLAG_CASELESS if caseless else 0 for _, _, caseless in spellings] + [0]
        self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._db.compile(expressions=expressions, ids=list(range(len(expressions))), flags=flags)

    def hits(self, data: bytes) -> list[tuple[int, int, int]]:
        hits: list[tuple[int, int, int]] = []
        codes, lengths = self._codes, self._lengths

        def on_match(pattern: int, _start: int, end: int, _flags: int, _context: Any) -> None:
            hits.append((end - lengths[pattern], end, codes[pattern]))

        if data:
            self._db.scan(data, match_event_handler=on_match)
        return hits


class AhoCorasickEngine:
    name = "ahocorasick"
    bytes_mode = False

    def __init__(self, terms: Sequence[str]) -> None:
        import ahocorasick

        self._automaton: Any = None
        if terms:
            automaton = ahocorasick.Automaton()
            for spelling, code, _ in _spellings(terms):
                automaton.add_word(spelling, (code, len(spelling)))
            automaton.make_automaton()
            self._automaton = automaton

    def hits(self, text: str) -> list[tuple[int, int, int]]:
        hits = [(match.start(), match.end(), MARK_HINT) for match in marks.WORD_HINT.finditer(text)]
        if self._automaton is not None:
            for last, (code, length) in self._automaton.iter(fold_ascii(text)):
                hits.append((last + 1 - length, last + 1, code))
        return hits


ENGINES: dict[str, type[HyperscanEngine] | type[AhoCorasickEngine]] = {
    "hyperscan": HyperscanEngine, "ahocorasick": AhoCorasickEngine}


def hyperscan_available() -> bool:
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return False
    return True


def _engine_class(engine: str) -> type[HyperscanEngine] | type[AhoCorasickEngine]:
    if engine == "auto":
        return HyperscanEngine if hyperscan_available() else AhoCorasickEngine
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: hyperscan, ahocorasick or auto")
    return ENGINES[engine]


def _rebuild(keywords: list[str], engine: str) -> Matcher:
    return Matcher(keywords, engine=engine)


class Matcher:
    """Marks (rule S9) and the unit's keywords in text."""

    def __init__(self, keywords: Sequence[str] = (), *, engine: str = "auto") -> None:
        self.keywords = unique_terms(keywords)
        self._engine = _engine_class(engine)(self.keywords)
        self.engine_name: str = self._engine.name
        self.bytes_mode: bool = self._engine.bytes_mode
        self.longest_keyword = max((len(term) for term in self.keywords), default=0)

    def __reduce__(self) -> tuple[Any, tuple[list[str], str]]:
        return _rebuild, (self.keywords, self.engine_name)

    def scan_text(self, text: str, location: Location = NOWHERE) -> list[Finding]:
        buffer: Buffer = text.encode("utf-8", "surrogatepass") if self.bytes_mode else text
        numbered = location.line is not None or "\n" in text
        first_line = location.line or 1
        marking_last_line = (marking_last_line_of(buffer) if first_line == 1 else MARKING_LINES)
        return self.scan_buffer(buffer, location=location, first_line=first_line, numbered=numbered,
                                marking_last_line=marking_last_line)

    def scan_segments(self, segments: Iterable[Segment]) -> list[Finding]:
        findings: list[Finding] = []
        for segment in segments:
            findings.extend(self.scan_text(segment.text, segment.location))
        return findings

    def scan_name(self, name: str) -> list[Finding]:
        """S9: an electronic file carries its level in its name, so a name is a marking position."""
        return self.scan_text(name, Location(part="filename"))

    def scan_buffer(self, buffer: Buffer, *, location: Location, first_line: int, numbered: bool,
                    marking_last_line: int, accept_from: int = -1, accept_to: int | None = None
                    ) -> list[Finding]:
        """Findings in one buffer (UTF-8 bytes if `bytes_mode`, else str) whose match ends in
        (accept_from, accept_to]: text.scan_plain_file scans a big file as overlapping buffers
        and takes each match from exactly one of them."""
        scan = _BufferScan(self, buffer, location, first_line, numbered, marking_last_line)
        limit = len(buffer) if accept_to is None else accept_to
        for start, end, code in sorted(self._engine.hits(buffer)):
            if accept_from < end <= limit:
                scan.add(start, end, code)
        return scan.findings


def marking_last_line_of(buffer: Buffer) -> int:
    """The number of the line on which the part's 5th non-empty line ends (looking at the first
    64 KiB; a part whose first lines are longer has no marking lines beyond them)."""
    newline = b"\n" if isinstance(buffer, bytes) else "\n"
    head = buffer[:65536]
    non_empty = 0
    for number, line in enumerate(head.split(newline), start=1):
        text = line.decode("utf-8", "replace") if isinstance(line, bytes) else line
        if text.strip(SPACE_CHARS):
            non_empty += 1
            if non_empty == MARKING_LINES:
                return number
    return max(MARKING_LINES, head.count(newline) + 1)


class _BufferScan:
    """Turns engine hits in one buffer into findings: lines, context, marks from hints."""

    def __init__(self, matcher: Matcher, buffer: Buffer, location: Location, first_line: int,
                 numbered: bool, marking_last_line: int) -> None:
        self.matcher = matcher
        self.buffer = buffer
        self.is_bytes = isinstance(buffer, bytes)
        self.newline: Any = b"\n" if self.is_bytes else "\n"
        self.location = location
        self.numbered = numbered
        self.marking_last_line = marking_last_line
        self.marking_part = location.part in MARKING_PARTS
        self.line = first_line
        self.counted_to = 0
        self.mark_starts: set[int] = set()
        self.findings: list[Finding] = []

    def _line_at(self, position: int) -> int:
        if position > self.counted_to:  # hits arrive sorted by start
            self.line += self.buffer.count(self.newline, self.counted_to, position)
            self.counted_to = position
        return self.line

    def _text(self, start: int, end: int) -> str:
        piece = self.buffer[start:end]
        return piece.decode("utf-8", "replace") if self.is_bytes else piece

    def _window(self, start: int, end: int, width: int) -> tuple[int, int]:
        """Bounds of the line around [start, end), at most `width` units either side, on
        character boundaries."""
        buffer = self.buffer
        lo = max(buffer.rfind(self.newline, max(0, start - width), start) + 1, start - width, 0)
        line_end = buffer.find(self.newline, end, end + width)
        hi = min(line_end if line_end >= 0 else len(buffer), end + width, len(buffer))
        if self.is_bytes:
            while lo < start and buffer[lo] & 0xC0 == 0x80:
                lo += 1
            while hi > end and hi < len(buffer) and buffer[hi] & 0xC0 == 0x80:
                hi -= 1
        return lo, hi

    def _context(self, start: int, end: int) -> str:
        width = CONTEXT_UNITS if self.is_bytes else CONTEXT_CHARS
        lo, hi = self._window(start, end, width)
        left = self._text(lo, start)[-CONTEXT_CHARS:]
        right = self._text(end, hi)[:CONTEXT_CHARS]
        return (left + self._text(start, end) + right).replace("\r", "")

    def _where(self, line: int) -> Location:
        return dataclasses.replace(self.location, line=line) if self.numbered else self.location

    def add(self, start: int, end: int, code: int) -> None:
        line = self._line_at(start)
        if code == MARK_HINT:
            self._add_marks(end, line)
            return
        term = self.matcher.keywords[code]
        self.findings.append(Finding(KEYWORD, self._text(start, end), self._context(start, end),
                                     self._where(line), keyword=term))

    def _add_marks(self, hint_end: int, line: int) -> None:
        width = MARK_WINDOW if self.is_bytes else marks.LONGEST_MARK + 16
        lo, hi = self._window(hint_end, hint_end, width)
        window = self._text(lo, hi)
        whole_line = ((lo == 0 or self.buffer[lo - 1:lo] == self.newline)
                      and (hi == len(self.buffer) or self.buffer[hi:hi + 1] == self.newline))
        marking_line = whole_line and line <= self.marking_last_line
        for match in marks.marks_in_line(window, marking_line=marking_line, marking_part=self.marking_part):
            start, end = self._offsets(lo, window, match.start, match.end)
            if not start < hint_end <= end or start in self.mark_starts:
                continue
            self.mark_starts.add(start)
            self.findings.append(Finding(MARK, window[match.start:match.end], self._context(start, end),
                                         self._where(line), level=match.level))

    def _offsets(self, lo: int, window: str, start: int, end: int) -> tuple[int, int]:
        if not self.is_bytes:
            return lo + start, lo + end
        return (lo + len(window[:start].encode("utf-8")), lo + len(window[:end].encode("utf-8")))


