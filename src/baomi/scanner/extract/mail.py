"""Mail (.eml, RFC 5322 with MIME): the subject, the text and HTML bodies; attachments and
attached messages become children."""

from __future__ import annotations

import email
import email.header
import email.policy
from email.message import Message

from baomi.scanner.extract.markup import decode, html_segments
from baomi.scanner.model import Extracted, Limits, Location, Segment


def extract_eml(data: bytes, limits: Limits) -> Extracted:
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    extracted = Extracted(type="eml")
    subject = _header_text(message.get("Subject"))
    if subject:
        extracted.segments.append(Segment(subject, Location(part="subject")))
    for index, part in enumerate(message.walk(), start=1):
        if part.is_multipart():
            continue
        _take_part(part, index, limits, extracted)
    return extracted


def _take_part(part: Message, index: int, limits: Limits, extracted: Extracted) -> None:
    content_type = part.get_content_type()
    filename = part.get_filename()
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        payload = str(part.get_payload()).encode("utf-8", "replace")
    is_body = disposition != "attachment" and not filename and content_type in ("text/plain", "text/html")
    if is_body:
        text = decode(payload, part.get_content_charset())
        if content_type == "text/html":
            extracted.segments.extend(html_segments(text, part="body"))
        else:
            extracted.segments.append(Segment(text, Location(part="body", line=1)))
        return
    suffix = ".eml" if content_type == "message/rfc822" else ""
    name = _header_text(filename) if filename else f"part-{index}{suffix}"
    if len(payload) > limits.max_file_bytes:
        extracted.skipped.append((name, "too_large", f"{len(payload)} bytes"))
    else:
        extracted.children.append((name, payload))


def _header_text(value: object) -> str:
    """A header decoded from RFC 2047 words (=?GBK?B?…?=), whatever the mailer chose."""
    if value is None:
        return ""
    parts = []
    for chunk, charset in email.header.decode_header(str(value)):
        if isinstance(chunk, bytes):
            parts.append(decode(chunk, charset) if charset else chunk.decode("utf-8", "replace"))
        else:
            parts.append(chunk)
    return "".join(parts).strip()
