"""The unit's keyword list (报警关键字): loading it and the folding both engines match under.

Matching is on folded text: ASCII letters are case-insensitive, and full-width letters and
digits (ＡＢＣ１２３, common in Chinese documents typed with a full-width IME) count as their
half-width forms, so the term "ABC" is found in "abc", "Abc" and "ＡＢＣ". Folding is one
character to one character, so offsets in folded text are offsets in the original.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

FULLWIDTH_OFFSET = 0xFEE0  # 'Ａ' - 'A'


def _fold_table() -> dict[int, int]:
    table = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}
    for code in range(ord("A"), ord("Z") + 1):
        table[code + FULLWIDTH_OFFSET] = code + 32
    for code in range(ord("a"), ord("z") + 1):
        table[code + FULLWIDTH_OFFSET] = code
    for code in range(ord("0"), ord("9") + 1):
        table[code + FULLWIDTH_OFFSET] = code
    return table


FOLD = _fold_table()
FULLWIDTH_ALNUM = "".join(chr(code) for code in FOLD if code > 0xFF00)


# The characters folding changes, in runs: replacing only those is ten times faster than
# str.translate over Chinese text, where they are rare.
TO_FOLD = re.compile("[A-Z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")


def _fold_run(match: re.Match[str]) -> str:
    return match.group().translate(FOLD)


def fold(text: str) -> str:
    """Lower-case ASCII and map full-width letters and digits to half-width; length-preserving."""
    return TO_FOLD.sub(_fold_run, text)


def unique_terms(keywords: Iterable[str]) -> list[str]:
    """Strip, drop blanks and terms that fold to one already seen (the first spelling wins)."""
    seen: set[str] = set()
    terms: list[str] = []
    for keyword in keywords:
        term = keyword.strip()
        if term and fold(term) not in seen:
            seen.add(fold(term))
            terms.append(term)
    return terms


def _decode_list(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def load_keywords(path: str | Path) -> list[str]:
    """One term per line, UTF-8 (BOM or not) or GB18030; '#' starts a comment line; blank lines
    and duplicates (under folding) are dropped."""
    text = _decode_list(Path(path).read_bytes())
    lines = (line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return unique_terms(lines)
