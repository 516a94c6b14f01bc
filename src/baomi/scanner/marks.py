"""Classification marks (rule S9) in a line of text.

A full mark — level, star, period — is a mark wherever it stands: `机密★20年`, `秘密★6个月`,
`绝密★长期`, `机密★2030年12月31日`, with spaces (also the ideographic space) between any of
its characters, full-width or half-width digits, and `★`, `☆`, `*` or `＊` as the star. `☆` is
taken because it is what people type when the solid star is not at hand; missing a mark costs
more than a second look at a false one.

A bare level word (绝密/机密/秘密, optionally with a star and no period, optionally in brackets
【】[]（）〔〕) is a mark only in a marking position: alone on one of a part's first lines, or
in a header or a file name where it stands apart from the words around it (brackets, spaces,
punctuation, a star or the edge of the text — not glued to other Chinese characters as in
"秘密花园", "机密性", "商业秘密").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LEVEL_OF_WORD = {"秘": 1, "机": 2, "绝": 3}
SPACE = r"[ \t\u3000\u00a0]"
GAP = SPACE + "{0,3}"
DIGIT = r"[0-9\uff10-\uff19]"
NUMBER = rf"{DIGIT}(?:{GAP}{DIGIT}){{0,3}}"
STAR = r"[★☆*＊]"
WORD = rf"(?P<word>[绝机秘]){GAP}密"
PERIOD = (rf"(?:{NUMBER}{GAP}年(?:{GAP}{NUMBER}{GAP}月(?:{GAP}{NUMBER}{GAP}日)?)?"
          rf"|{NUMBER}{GAP}个{GAP}月|长{GAP}期)")
OPEN = r"[【\[（(〔]"
CLOSE = r"[】\]）)〕]"

FULL_MARK = re.compile(rf"{WORD}{GAP}{STAR}{GAP}{PERIOD}")
BARE_LINE = re.compile(rf"{SPACE}*(?P<mark>(?:{OPEN}{GAP})?{WORD}(?:{GAP}{STAR})?(?:{GAP}{CLOSE})?){SPACE}*")
# A bare word standing apart: opened by a bracket or not glued to an ideograph, either side.
CJK = r"[\u3400-\u9fff]"
BARE_APART = re.compile(rf"(?P<mark>(?:{OPEN}{GAP}|(?<!{CJK})){WORD}(?!{CJK})"
                        rf"(?:{GAP}{STAR})?(?:{GAP}{CLOSE})?)")
# What an engine looks for to find the lines worth a closer look.
WORD_HINT = re.compile(rf"[绝机秘]{GAP}密")
LONGEST_MARK = 80  # characters; the window an engine hands over around a hint is wider


@dataclass(frozen=True, slots=True)
class MarkMatch:
    start: int  # in the text given
    end: int
    level: int


def _level(match: re.Match[str]) -> int:
    return LEVEL_OF_WORD[match.group("word")]


def full_marks(text: str) -> list[MarkMatch]:
    return [MarkMatch(m.start(), m.end(), _level(m)) for m in FULL_MARK.finditer(text)]


def bare_line_mark(line: str) -> MarkMatch | None:
    """The bare mark a whole line consists of, if it does."""
    match = BARE_LINE.fullmatch(line.rstrip("\r\n"))
    if match is None:
        return None
    return MarkMatch(match.start("mark"), match.end("mark"), _level(match))


def bare_apart_marks(text: str) -> list[MarkMatch]:
    """Bare level words standing apart, for a header or a file name."""
    return [MarkMatch(m.start("mark"), m.end("mark"), _level(m)) for m in BARE_APART.finditer(text)]


def marks_in_line(line: str, *, marking_line: bool, marking_part: bool) -> list[MarkMatch]:
    """Every mark in one line (or window of a line) of text: full marks anywhere; bare words when
    the line is one of the part's first lines or the part is a header or a file name."""
    found = {match.start: match for match in full_marks(line)}
    bare: list[MarkMatch] = []
    if marking_part:
        bare = bare_apart_marks(line)
    elif marking_line:
        mark = bare_line_mark(line)
        bare = [mark] if mark else []
    for match in bare:
        if not any(match.start < other.end and other.start < match.end for other in found.values()):
            found[match.start] = match
    return [found[start] for start in sorted(found)]
