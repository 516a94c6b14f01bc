"""Legacy binary Office files (OLE compound files): Word .doc and WPS .wps through the piece
table, Excel .xls and WPS .et through xlrd, PowerPoint .ppt and WPS .dps through the text atoms
of the record stream. Which parser runs depends on the streams inside, not on the name."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

import olefile
import xlrd

from baomi.scanner.model import Extracted, Location, Segment, Skip

# ---------------------------------------------------------------- common


def open_ole(data: bytes) -> olefile.OleFileIO:
    try:
        return olefile.OleFileIO(data)
    except Exception as error:  # olefile raises OSError, struct.error, IndexError … on damage
        raise Skip("broken", f"not a readable OLE compound file: {error}") from error


def ole_streams(ole: olefile.OleFileIO) -> set[str]:
    return {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}


def refuse_encrypted_container(streams: set[str]) -> None:
    """Password-protected .docx/.xlsx/.pptx are OLE files holding an EncryptedPackage."""
    if "encryptedpackage" in streams or "encryptioninfo" in streams:
        raise Skip("encrypted", "password-protected Office document")


# ---------------------------------------------------------------- Word / WPS text

FIB_MAGIC = 0xA5EC
F_ENCRYPTED = 0x0100
F_WHICH_TABLE = 0x0200
F_OBFUSCATED = 0x8000
CLX_PAIR_INDEX = 33  # fcClx/lcbClx in FibRgFcLcb97
# lengths of the stories in FibRgLw97, in their order in the text: (index, part)
STORIES = ((3, "body"), (4, "footnote"), (5, "header"), (7, "comment"), (8, "endnote"), (9, "textbox"),
           (10, "textbox"))
FIELD_MARKS = re.compile(r"([\x13\x14\x15])")
CONTROL = re.compile(r"[\x00-\x06\x08\x0e-\x1f]")


@dataclass
class Fib:
    flags: int
    lengths: list[int]
    clx_offset: int
    clx_length: int


def read_fib(word: bytes) -> Fib:
    if len(word) < 64 or struct.unpack_from("<H", word, 0)[0] != FIB_MAGIC:
        raise Skip("broken", "no Word file information block")
    n_fib, = struct.unpack_from("<H", word, 2)
    flags, = struct.unpack_from("<H", word, 0x0A)
    if n_fib < 101:
        raise Skip("unsupported", f"Word 6/95 file (nFib {n_fib})")
    offset = 32
    csw, = struct.unpack_from("<H", word, offset)
    offset += 2 + csw * 2
    cslw, = struct.unpack_from("<H", word, offset)
    lengths = list(struct.unpack_from(f"<{cslw}i", word, offset + 2))
    offset += 2 + cslw * 4
    pair_count, = struct.unpack_from("<H", word, offset)
    if pair_count <= CLX_PAIR_INDEX:
        raise Skip("broken", "Word file information block too short")
    clx_offset, clx_length = struct.unpack_from("<II", word, offset + 2 + CLX_PAIR_INDEX * 8)
    return Fib(flags, lengths, clx_offset, clx_length)


def piece_table(clx: bytes) -> tuple[list[int], list[tuple[int, bool]]]:
    """Character positions and (file offset, compressed) of each piece, from the Clx."""
    position = 0
    while position < len(clx) and clx[position] == 0x01:  # Prc: property modifiers, skipped
        size, = struct.unpack_from("<H", clx, position + 1)
        position += 3 + size
    if position >= len(clx) or clx[position] != 0x02:
        raise Skip("broken", "no piece table")
    size, = struct.unpack_from("<I", clx, position + 1)
    table = clx[position + 5: position + 5 + size]
    count = (len(table) - 4) // 12
    cps = list(struct.unpack_from(f"<{count + 1}I", table, 0))
    pieces = []
    for index in range(count):
        fc, = struct.unpack_from("<I", table, (count + 1) * 4 + index * 8 + 2)
        compressed = bool(fc & 0x40000000)
        pieces.append(((fc & ~0x40000000) // 2 if compressed else fc, compressed))
    return cps, pieces


def word_text(word: bytes, table: bytes, fib: Fib) -> str:
    cps, pieces = piece_table(table[fib.clx_offset: fib.clx_offset + fib.clx_length])
    chunks = []
    for index, (fc, compressed) in enumerate(pieces):
        count = cps[index + 1] - cps[index]
        if compressed:
            chunks.append(word[fc: fc + count].decode("cp1252", "replace"))
        else:
            chunks.append(word[fc: fc + 2 * count].decode("utf-16-le", "replace"))
    return "".join(chunks)


def clean_word_text(text: str) -> str:
    """Field instructions dropped (their results kept), Word's control characters mapped."""
    if "\x13" in text:
        text = drop_field_instructions(text)
    text = text.replace("\r", "\n").replace("\x07", "\t").replace("\x0b", " ").replace("\x0c", "\n")
    return CONTROL.sub("", text)


def drop_field_instructions(text: str) -> str:
    """A field is \x13 instruction \x14 result \x15, and fields nest: keep only what is outside
    every instruction."""
    kept: list[str] = []
    open_fields: list[bool] = []  # per open field: still in its instruction
    in_instruction = 0
    for piece in FIELD_MARKS.split(text):
        if piece == "\x13":
            open_fields.append(True)
            in_instruction += 1
        elif piece == "\x14" and open_fields:
            if open_fields[-1]:
                open_fields[-1] = False
                in_instruction -= 1
        elif piece == "\x15" and open_fields:
            in_instruction -= open_fields.pop()
        elif not in_instruction and piece not in ("\x14", "\x15"):
            kept.append(piece)
    return "".join(kept)


def extract_doc(data: bytes, kind: str) -> Extracted:
    with open_ole(data) as ole:
        streams = ole_streams(ole)
        refuse_encrypted_container(streams)
        word = ole.openstream("WordDocument").read()
        fib = read_fib(word)
        if fib.flags & (F_ENCRYPTED | F_OBFUSCATED):
            raise Skip("encrypted", "password-protected Word document")
        table_name = "1Table" if fib.flags & F_WHICH_TABLE else "0Table"
        if table_name.lower() not in streams:
            raise Skip("broken", f"no {table_name} stream")
        table = ole.openstream(table_name).read()
    text = word_text(word, table, fib)
    extracted = Extracted(type=kind)
    start = 0
    for index, part in STORIES:
        length = fib.lengths[index] if index < len(fib.lengths) else 0
        story = clean_word_text(text[start: start + max(length, 0)])
        start += max(length, 0)
        if part == "body" or story.strip():
            extracted.segments.append(Segment(story, Location(part=part, line=1)))
    return extracted


# ---------------------------------------------------------------- Excel / WPS spreadsheets

class _Silent:
    def write(self, _text: str) -> int:
        return 0


def extract_xls(data: bytes, kind: str) -> Extracted:
    try:
        book = xlrd.open_workbook(file_contents=data, logfile=_Silent(), on_demand=True)
    except xlrd.XLRDError as error:
        if "encrypt" in str(error).lower():
            raise Skip("encrypted", "password-protected workbook") from error
        raise Skip("broken", str(error)) from error
    extracted = Extracted(type=kind)
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            extracted.segments.append(Segment(sheet.name, Location(part="sheet_name", sheet=sheet.name)))
            for row in range(sheet.nrows):
                for column, cell in enumerate(sheet.row(row)):
                    text = _cell_text(cell)
                    if text:
                        extracted.segments.append(
                            Segment(text, Location(sheet=sheet.name, cell=xlrd.cellname(row, column))))
    finally:
        book.release_resources()
    return extracted


def _cell_text(cell: xlrd.sheet.Cell) -> str:
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return str(cell.value)
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        value = float(cell.value)
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return ""


# ---------------------------------------------------------------- PowerPoint / WPS presentations

SLIDE = 0x03EE
SLIDE_ATOM = 0x03EF
NOTES = 0x03F0
NOTES_ATOM = 0x03F1
SLIDE_PERSIST_ATOM = 0x03F3
MAIN_MASTER = 0x03F8
SLIDE_LIST_WITH_TEXT = 0x0FF0
TEXT_CHARS_ATOM = 0x0FA0
TEXT_BYTES_ATOM = 0x0FA8
SLIDE_LIST_SLIDES = 0
SLIDE_LIST_NOTES = 2


@dataclass
class _PptWalk:
    """What the record walk has seen: slide ids in presentation order, and each text with the
    context it was found in."""

    slide_ids: list[int] = field(default_factory=list)
    texts: list[tuple[str, int | None, str]] = field(default_factory=list)  # (context, key, text)
    slide_containers: int = 0
    notes_for: int | None = None


def walk_ppt_records(stream: bytes) -> _PptWalk:
    walk = _PptWalk()
    stack: list[tuple[int, int, int]] = []  # (end, type, instance)
    list_counts = {SLIDE_LIST_SLIDES: 0, SLIDE_LIST_NOTES: 0}
    position = 0
    while position + 8 <= len(stream):
        while stack and position >= stack[-1][0]:
            stack.pop()
        ver_instance, kind, length = struct.unpack_from("<HHI", stream, position)
        body = position + 8
        end = min(body + length, len(stream))
        if ver_instance & 0xF == 0xF:
            stack.append((end, kind, ver_instance >> 4))
            if kind == SLIDE:
                walk.slide_containers += 1
            elif kind == NOTES:
                walk.notes_for = None
            position = body
            continue
        if kind == SLIDE_PERSIST_ATOM and stack and stack[-1][1] == SLIDE_LIST_WITH_TEXT:
            instance = stack[-1][2]
            list_counts[instance] = list_counts.get(instance, 0) + 1
            if instance == SLIDE_LIST_SLIDES and end - body >= 16:
                walk.slide_ids.append(struct.unpack_from("<I", stream, body + 12)[0])
        elif kind == NOTES_ATOM and end - body >= 4:
            walk.notes_for = struct.unpack_from("<I", stream, body)[0]
        elif kind in (TEXT_CHARS_ATOM, TEXT_BYTES_ATOM):
            codec = "utf-16-le" if kind == TEXT_CHARS_ATOM else "latin-1"
            text = stream[body:end].decode(codec, "replace").replace("\r", "\n").replace("\x0b", " ")
            walk.texts.append(_ppt_context(stack, walk, list_counts) + (text,))
        position = body + length
    return walk


def _ppt_context(stack: list[tuple[int, int, int]], walk: _PptWalk,
                 list_counts: dict[int, int]) -> tuple[str, int | None]:
    for _, kind, instance in reversed(stack):
        if kind == SLIDE_LIST_WITH_TEXT:
            if instance == SLIDE_LIST_SLIDES:
                return "slide", list_counts[SLIDE_LIST_SLIDES]
            if instance == SLIDE_LIST_NOTES:
                return "notes_order", list_counts[SLIDE_LIST_NOTES]
            return "master", None
        if kind == SLIDE:
            return "slide", walk.slide_containers
        if kind == NOTES:
            return "notes_id", walk.notes_for
        if kind == MAIN_MASTER:
            return "master", None
    return "other", None


def extract_ppt(data: bytes, kind: str) -> Extracted:
    with open_ole(data) as ole:
        streams = ole_streams(ole)
        refuse_encrypted_container(streams)
        if "encryptedsummary" in streams:
            raise Skip("encrypted", "password-protected presentation")
        stream = ole.openstream("PowerPoint Document").read()
    walk = walk_ppt_records(stream)
    slide_numbers = {slide_id: number for number, slide_id in enumerate(walk.slide_ids, start=1)}
    extracted = Extracted(type=kind)
    seen: set[tuple[str | None, int | None, str]] = set()
    for context, key, text in walk.texts:
        if not text.strip():
            continue
        if context == "slide":
            location = Location(slide=key, line=1)
        elif context == "notes_order":
            location = Location(part="notes", slide=key, line=1)
        elif context == "notes_id":
            location = Location(part="notes", slide=slide_numbers.get(key or -1), line=1)
        else:
            location = Location(part=context if context == "master" else None, line=1)
        identity = (location.part, location.slide, text)
        if identity not in seen:  # a slide's text can sit both in the list and in its drawing
            seen.add(identity)
            extracted.segments.append(Segment(text, location))
    return extracted


# ---------------------------------------------------------------- dispatch

def extract_ole(data: bytes, kind: str) -> Extracted:
    """`kind` is the detected type: doc/wps, xls/et, ppt/dps, or plain `ole` (nothing known)."""
    if kind in ("doc", "wps"):
        return extract_doc(data, kind)
    if kind in ("xls", "et"):
        return extract_xls(data, kind)
    if kind in ("ppt", "dps"):
        return extract_ppt(data, kind)
    with open_ole(data) as ole:
        refuse_encrypted_container(ole_streams(ole))
    return Extracted(type="ole")
