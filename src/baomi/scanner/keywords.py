"""The unit's keyword list (报警关键字): loading it and the folding both engines match under.

English is matched case-insensitively (ASCII letters). Full-width letters and digits
(ＡＢＣ１２３, typed with a full-width IME) are found when the term's letters and digits are all
written full-width, in lower, upper or title case (ａｂｃ, ＡＢＣ, Ａｂｃ): each term with ASCII
letters or digits gets those three full-width variants. A term mixing half and full width
inside itself (ABＣ) is not found: matching every mix would halve the fast engine's speed. A
term written full-width in the list is taken as its half-width form.
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


def fold(text: str) -> str:
    """A list's term as matched: full-width letters and digits as half-width, ASCII lower case."""
    return text.translate(FOLD)


ASCII_UPPER = re.compile("[A-Z]+")


def _lower_run(match: re.Match[str]) -> str:
    return match.group().lower()


def fold_ascii(text: str) -> str:
    """ASCII letters in lower case, nothing else changed (length-preserving); replacing only the
    runs of capitals is ten times faster than str.translate over Chinese text."""
    return ASCII_UPPER.sub(_lower_run, text)


def _to_fullwidth(text: str) -> str:
    return "".join(chr(ord(char) + FULLWIDTH_OFFSET) if char.isascii() and char.isalnum() else char
                   for char in text)


def fullwidth_variants(term: str) -> list[str]:
    """The full-width spellings of a folded term that are found: lower, upper and title case."""
    if not any(char.isascii() and char.isalnum() for char in term):
        return []
    return sorted({_to_fullwidth(term), _to_fullwidth(term.upper()), _to_fullwidth(term.title())})


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
