"""RTF (striprtf, code page from \\ansicpg) and HTML (stdlib html.parser)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from striprtf.striprtf import rtf_to_text

from baomi.scanner.model import Extracted, Location, Segment
from baomi.scanner.text import decode as detect_and_decode

# ---------------------------------------------------------------- decoding

BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
CODEC_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


def decode(data: bytes, declared: str | None = None) -> str:
    """Text from bytes: a BOM first, then the declared charset, else the plain-text detection."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, "replace")
    if declared:
        codec = CODEC_ALIASES.get(declared.lower().strip(), declared.strip())
        try:
            return data.decode(codec, "replace")
        except LookupError:
            pass
    return detect_and_decode(data)[0]


# ---------------------------------------------------------------- RTF

ANSI_CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")


def extract_rtf(data: bytes) -> Extracted:
    match = ANSI_CODE_PAGE.search(data[:4096])
    codec = f"cp{int(match.group(1))}" if match else "cp1252"
    try:
        "".encode(codec)
    except LookupError:
        codec = "cp1252"
    # RTF is 7-bit; stray 8-bit bytes written by some tools are in the document's code page
    source = data.decode(codec, "replace")
    text = rtf_to_text(source, encoding=codec, errors="replace")
    return Extracted(type="rtf", segments=[Segment(text, Location(part="body", line=1))])


# ---------------------------------------------------------------- HTML

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
BLOCK_TAGS = frozenset((
    "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
    "dl", "dt", "dd", "section", "article", "header", "footer", "nav", "aside", "blockquote", "pre", "hr",
    "form", "body", "address", "figcaption"))
SKIPPED_TAGS = frozenset(("script", "style", "noscript", "template"))


class _TextCollector(HTMLParser):
    """Text of an HTML page in blocks: inline tags (<b>机</b>密) do not split a block, so a
    mark spread over formatting stays whole."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.blocks: list[tuple[int, str]] = []
        self.current: list[str] = []
        self.current_line = 1
        self.skipping = 0
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "title":
            self.in_title = True
        elif tag in BLOCK_TAGS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(self.skipping - 1, 0)
        elif tag == "title":
            self.in_title = False
        elif tag in BLOCK_TAGS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.in_title:
            self.title.append(data)
            return
        if not self.current:
            if not data.strip():
                return
            self.current_line = self.getpos()[0]
        self.current.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self.current).split()) if self.current else ""
        if text:
            self.blocks.append((self.current_line, text))
        self.current = []


def html_segments(text: str, part: str = "body") -> list[Segment]:
    collector = _TextCollector()
    collector.feed(text)
    collector.close()
    collector.flush()
    segments = []
    title = " ".join("".join(collector.title).split())
    if title:
        segments.append(Segment(title, Location(part="title")))
    segments.extend(Segment(block, Location(part=part, line=line)) for line, block in collector.blocks)
    return segments


def extract_html(data: bytes) -> Extracted:
    match = META_CHARSET.search(data[:4096])
    text = decode(data, match.group(1).decode("ascii") if match else None)
    return Extracted(type="html", segments=html_segments(text))
