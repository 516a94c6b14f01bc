"""Plain text: which encoding a file is in (from its content, never its name), and the fast
path that scans a plain-text file of any size in bounded memory.

UTF-8 (with or without BOM) and UTF-16 with a BOM are settled by cheap checks. Otherwise the
candidates UTF-16 LE/BE (without BOM) and GB18030 (a superset of GBK and GB2312) are decoded
strictly from the head of the data and the one whose characters look most like Chinese or
English text wins; when none looks like text, charset-normalizer decides.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .matching import NOWHERE, Matcher, marking_last_line_of
from .model import Finding, Location
from .walk import open_noatime

SAMPLE_BYTES = 65536
CHUNK_BYTES = 16 * 1024 * 1024
PLAUSIBLE = 0.9  # share of text-like characters above which a decoding is taken
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"))


# Characters that are not what Chinese or English text is made of (ASCII printable and
# whitespace, CJK ideographs and punctuation, full-width forms, general punctuation, · × ★ ☆).
NOT_TEXT = re.compile("[^\x20-\x7e\n\r\t\f\u00b7\u00d7\u2000-\u206f\u2605\u2606\u3000-\u303f"
                      "\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def _plausibility(text: str) -> float:
    if not text:
        return 0.0
    return 1 - len(NOT_TEXT.findall(text)) / len(text)


def _strict(sample: bytes, encoding: str) -> str | None:
    """The sample decoded strictly, allowing it to end in the middle of a character."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        return decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return None


def _bom_length(data: bytes, encoding: str) -> int:
    """The length of the BOM `data` starts with, if it is the BOM of `encoding`."""
    return next((len(bom) for bom, name in BOMS if name == encoding and data.startswith(bom)), 0)


def _bom(head: bytes) -> str | None:
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    return None


def detect(head: bytes) -> str | None:
    """The encoding of text that starts with `head`, or None if it does not look like text."""
    sample = head[:SAMPLE_BYTES]
    if not sample:
        return "utf-8"
    encoding = _bom(sample)
    if encoding:
        return encoding
    if b"\x00" not in sample:
        text = _strict(sample, "utf-8")
        # Valid UTF-8 is a strong sign whatever the script; only control characters refute it.
        if text is not None and len(CONTROL.findall(text)) <= (1 - PLAUSIBLE) * len(text):
            return "utf-8"
    scored = []
    for candidate in ("gb18030", "utf-16-le", "utf-16-be"):
        text = _strict(sample, candidate)
        if text is not None:
            scored.append((_plausibility(text), candidate))
    best = max(scored, default=(0.0, ""))
    return best[1] if best[0] >= PLAUSIBLE else None


def is_text(head: bytes) -> bool:
    """Is this plausibly text (in an encoding we read), not binary?"""
    return detect(head) is not None


def _normalizer_guess(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:SAMPLE_BYTES]).best()
    return best.encoding if best is not None else "gb18030"


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of bytes read from a text file; undecodable bytes become U+FFFD."""
    encoding = detect(data) or _normalizer_guess(data)
    return data[_bom_length(data, encoding):].decode(_codec(encoding), "replace"), encoding


def _codec(encoding: str) -> str:
    return "utf-8" if encoding == "utf-8-sig" else encoding


def scan_plain(data: bytes, matcher: Matcher, location: Location = NOWHERE) -> tuple[str, list[Finding]]:
    """(encoding, findings) of a whole plain-text file held in memory; lines are numbered."""
    encoding = detect(data) or _normalizer_guess(data)
    body = data[_bom_length(data, encoding):]
    if not (matcher.bytes_mode and _codec(encoding) == "utf-8"):
        text = body.decode(_codec(encoding), "replace")
        body = text.encode("utf-8", "surrogatepass") if matcher.bytes_mode else text  # type: ignore[assignment]
    findings = matcher.scan_buffer(body, location=location, first_line=1, numbered=True,
                                   marking_last_line=marking_last_line_of(body))
    return encoding, findings


def _raw_chunks(fd: int, chunk_bytes: int) -> Iterator[bytes]:
    while True:
        chunk = os.read(fd, chunk_bytes)
        if not chunk:
            return
        yield chunk


def _pieces(head: bytes, rest: Iterator[bytes], encoding: str, matcher: Matcher) -> Iterator[bytes | str]:
    """The file as pieces in the matcher's unit: UTF-8 bytes as read, else decoded (and, for a
    bytes engine, encoded again as UTF-8)."""
    head = head[_bom_length(head, encoding):]
    if matcher.bytes_mode and _codec(encoding) == "utf-8":
        yield head
        yield from rest
        return
    decoder = codecs.getincrementaldecoder(_codec(encoding))("replace")
    for chunk in _chain(head, rest):
        text = decoder.decode(chunk)
        yield text.encode("utf-8", "surrogatepass") if matcher.bytes_mode else text
    tail = decoder.decode(b"", final=True)
    yield tail.encode("utf-8", "surrogatepass") if matcher.bytes_mode else tail


def _chain(head: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield head
    yield from rest


def scan_plain_file(path: str | Path, matcher: Matcher, *, chunk_bytes: int = CHUNK_BYTES,
                    location: Location = NOWHERE) -> tuple[str, list[Finding]]:
    """(encoding, findings) of a plain-text file read in chunks: memory stays near two chunks
    whatever the file's size. Consecutive buffers overlap by a margin longer than any match and
    its context; each match is taken from the one buffer in whose new part it ends."""
    fd = open_noatime(path)
    try:
        head = os.read(fd, chunk_bytes)
        encoding = detect(head) or _normalizer_guess(head)
        pieces = _pieces(head, _raw_chunks(fd, chunk_bytes), encoding, matcher)
        return encoding, _scan_pieces(pieces, matcher, location)
    finally:
        os.close(fd)


def _scan_pieces(pieces: Iterator[bytes | str], matcher: Matcher, location: Location) -> list[Finding]:
    margin = max(4096, 4 * matcher.longest_keyword + 2048)
    newline: Any = b"\n" if matcher.bytes_mode else "\n"
    findings: list[Finding] = []
    carry: bytes | str = b"" if matcher.bytes_mode else ""
    carry_line, done_to, marking_last_line = 1, -1, 0
    for piece, last in _with_last(pieces):
        buffer = carry + piece  # type: ignore[operator]
        if not marking_last_line:
            marking_last_line = marking_last_line_of(buffer)
        safe_end = len(buffer) if last else len(buffer) - margin
        if safe_end > done_to:
            findings += matcher.scan_buffer(buffer, location=location, first_line=carry_line, numbered=True,
                                            marking_last_line=marking_last_line, accept_from=done_to,
                                            accept_to=safe_end)
            if last:
                break
            cut = max(0, safe_end - margin)
            carry_line += buffer.count(newline, 0, cut)
            carry, done_to = buffer[cut:], safe_end - cut
        else:
            carry = buffer
    return findings


def _with_last(pieces: Iterator[bytes | str]) -> Iterator[tuple[bytes | str, bool]]:
    previous = next(pieces, None)
    for piece in pieces:
        if previous is not None:
            yield previous, False
        previous = piece
    if previous is not None:
        yield previous, True
