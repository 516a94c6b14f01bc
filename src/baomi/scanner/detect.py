"""The type of a file from its content, not its name: a .docx renamed to .jpg is a docx.

`detect_type(head, name)` looks at the first bytes only (at least 8 KB); `detect_type_of(data,
name)` has the whole file and can tell the kinds of zip and OLE containers apart for certain.
The name is consulted only to report WPS files (.wps/.et/.dps) under their own type: they are
OLE compound files like .doc/.xls/.ppt and are parsed by content.
"""

from __future__ import annotations

import io
import re
import zipfile

import olefile

from baomi.scanner.text import detect as detect_encoding
from baomi.scanner.text import is_text

TYPES = ("docx", "xlsx", "pptx", "zip", "ole", "doc", "xls", "ppt", "wps", "et", "dps", "pdf", "rtf",
         "html", "eml", "gz", "tar", "7z", "text", "binary")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"
GZIP_MAGIC = b"\x1f\x8b"

# OOXML main parts, as named in [Content_Types].xml and as member paths
OOXML_BY_CONTENT_TYPE = (("wordprocessingml", "docx"), ("spreadsheetml", "xlsx"), ("presentationml", "pptx"))
OOXML_BY_MEMBER = ((b"word/", "docx"), (b"xl/", "xlsx"), (b"ppt/", "pptx"))

# the OLE stream that tells a legacy Office document's kind, and the WPS extension of that kind
OLE_STREAMS = (("worddocument", "doc", ".wps"), ("workbook", "xls", ".et"), ("book", "xls", ".et"),
               ("powerpoint document", "ppt", ".dps"))

MAIL_HEADERS = {"from", "to", "cc", "subject", "date", "message-id", "mime-version", "received",
                "return-path", "content-type", "reply-to", "x-mailer", "delivered-to"}
HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]{0,40}):[ \t]")
HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                        re.IGNORECASE | re.DOTALL)


def detect_type(head: bytes, name: str = "") -> str:
    """The type from the first bytes (at least 8 KB). Zip and OLE containers are sub-typed as
    far as the head allows; `detect_type_of` is certain."""
    if head.startswith(ZIP_MAGICS):
        return _zip_type_from_head(head)
    if head.startswith(OLE_MAGIC):
        return "ole"
    return _non_container_type(head)


def detect_type_of(data: bytes, name: str = "") -> str:
    """The type of a whole file: zip members and OLE streams are looked at."""
    if data.startswith(ZIP_MAGICS):
        return _zip_type(data)
    if data.startswith(OLE_MAGIC):
        return _ole_type(data, name)
    return _non_container_type(data[:8192])


def _non_container_type(head: bytes) -> str:
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(SEVEN_ZIP_MAGIC):
        return "7z"
    if head.startswith(GZIP_MAGIC):
        return "gz"
    if head[257:262] == b"ustar" or _is_v7_tar(head):
        return "tar"
    if not is_text(head):
        return "binary"
    ascii_head = _ascii_view(head)
    if HTML_START.match(ascii_head):
        return "html"
    if _looks_like_mail(ascii_head):
        return "eml"
    return "text"


def _zip_type_from_head(head: bytes) -> str:
    for member_prefix, kind in OOXML_BY_MEMBER:
        if b"[Content_Types].xml" in head and member_prefix in head:
            return kind
    return "zip"


def _zip_type(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return "zip"
            content_types = archive.read("[Content_Types].xml")[:65536].decode("utf-8", "replace")
    except Exception:  # a damaged zip (zlib.error, BadZipFile …) is still a zip; its extractor says broken
        return "zip"
    for marker, kind in OOXML_BY_CONTENT_TYPE:
        if f"{marker}." in content_types and any(n.startswith(_kind_dir(kind)) for n in names):
            return kind
    return "zip"


def _kind_dir(kind: str) -> str:
    return {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}[kind]


def _ole_type(data: bytes, name: str) -> str:
    try:
        with olefile.OleFileIO(data) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}
    except Exception:  # olefile raises many kinds on damaged files; the extractor will say broken
        return "ole"
    extension = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    for stream, kind, wps_extension in OLE_STREAMS:
        if stream in streams:
            return wps_extension[1:] if f".{extension}" == wps_extension else kind
    return "ole"


def _is_v7_tar(head: bytes) -> bool:
    """Old (pre-POSIX) tar headers have no magic: check the header checksum instead."""
    if len(head) < 512 or head[:1] == b"\0":
        return False
    stored = head[148:156].replace(b"\0", b" ").strip()
    if not stored or not all(48 <= c <= 55 for c in stored):
        return False
    computed = sum(head[:148]) + 8 * 32 + sum(head[156:512])
    return int(stored, 8) == computed


def _ascii_view(head: bytes) -> bytes:
    """The head in UTF-8 without BOM (UTF-16 and GB18030 re-encoded), to see tags and mail
    headers whatever the encoding."""
    encoding = detect_encoding(head) or "utf-8"
    if encoding == "utf-8":
        return head
    return head.decode(encoding, "replace").lstrip("\ufeff").encode("utf-8")


def _looks_like_mail(head: bytes) -> bool:
    """A mail starts with a block of RFC 5322 header lines, several of them well-known."""
    lines = head.split(b"\n", 60)
    if lines and lines[0].startswith(b"From "):  # mbox separator line
        lines = lines[1:]
    known = 0
    for line in lines[:-1]:
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            continue  # folded continuation
        match = HEADER_LINE.match(line)
        if not match:
            return False
        known += match.group(1).decode("ascii").lower() in MAIL_HEADERS
    return known >= 2
