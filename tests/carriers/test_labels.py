"""Printable labels with a QR code (rules C1, S9): the mark in large type, number, title,
custodian, and a QR code of the payload `BAOMI-ZT:<unit code>:<number>` that the stocktake's
scan box accepts; one carrier's label, or the filtered ledger's, for whoever sees them.

No QR decoder is installed: the test reads the PNG in the .docx pixel by pixel and checks it is
exactly the QR matrix segno makes of the payload, and that the payload is printed under it."""

import io
import json
import struct
import zlib

import pytest
import segno
from docx import Document

from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.carriers.labels import (
    MAX_LABELS,
    build_labels_docx,
    label_payload,
    payload_parts,
    qr_png,
)
from baomi.carriers.models.stocktake import LineResult
from baomi.core.labels import Level, Scheme
from baomi.secrets.choices import PeriodKind

from . import page_support as support
from .page_support import docx_text

cabinet, clerk, item, keeper, office, reader, register, safe, yf1 = (
    support.cabinet, support.clerk, support.item, support.keeper, support.office,
    support.reader, support.register, support.safe, support.yf1)

SCALE, BORDER = 6, 4  # as labels.qr_png draws it


def png_pixels(data: bytes) -> list[list[int]]:
    """The grey levels (0 black, 1 white) of a 1-bit greyscale PNG, unfiltered."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = {}, 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        chunks[kind] = chunks.get(kind, b"") + data[offset + 8:offset + 8 + length]
        offset += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (1, 0), "1-bit greyscale"
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = (width + 7) // 8
    rows, previous = [], bytearray(stride)
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        kind, current = line[0], bytearray(line[1:])
        for i in range(stride):
            left = current[i - 1] if i else 0
            up, corner = previous[i], previous[i - 1] if i else 0
            if kind == 1:
                current[i] = (current[i] + left) & 0xFF
            elif kind == 2:
                current[i] = (current[i] + up) & 0xFF
            elif kind == 3:
                current[i] = (current[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                best = min((abs(guess - left), 0, left), (abs(guess - up), 1, up),
                           (abs(guess - corner), 2, corner))[2]
                current[i] = (current[i] + best) & 0xFF
        rows.append([(current[x // 8] >> (7 - x % 8)) & 1 for x in range(width)])
        previous = current
    return rows


def qr_modules(png: bytes) -> list[list[int]]:
    """The dark (1) and light (0) modules read from the centre of each module's square."""
    pixels = png_pixels(png)
    size = len(pixels) // SCALE - 2 * BORDER
    centre = SCALE // 2
    return [[1 - pixels[(BORDER + r) * SCALE + centre][(BORDER + c) * SCALE + centre]
             for c in range(size)] for r in range(size)]


def images(content: bytes) -> list[bytes]:
    document = Document(io.BytesIO(content))
    blobs = []
    for shape in document.inline_shapes:
        rel = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        blobs.append(document.part.related_parts[rel].blob)
    return blobs


@pytest.mark.rule("C1")
def test_the_payload_names_the_unit_and_the_number(register, unit):
    carrier = register(number="HXDZ-ZT-2026-001")
    assert label_payload(carrier) == f"BAOMI-ZT:{unit.code}:HXDZ-ZT-2026-001"
    assert payload_parts(label_payload(carrier)) == (unit.code, "HXDZ-ZT-2026-001")
    odd = register(number="ZT:2026%7")  # the separator inside a number is escaped
    assert payload_parts(label_payload(odd)) == (unit.code, "ZT:2026%7")
    for typed in ("HXDZ-ZT-2026-001", "BAOMI-ZT:only-two", "BAOMI-ZT::x", "OTHER:a:b"):
        assert payload_parts(typed) is None, typed


@pytest.mark.rule("S9")
def test_each_label_has_the_mark_the_details_and_a_qr_code_of_its_payload(register):
    first = register(title="型号总体方案", level=Level.CONFIDENTIAL, period_value=20)
    second = register(scheme=Scheme.WORK, level=Level.SECRET, period_kind=PeriodKind.MONTHS,
                      period_value=6, title="工作计划")
    third = register(level=Level.SECRET, period_value=5)
    content = build_labels_docx([first, second, third])

    text = docx_text(content)
    for carrier, mark in ((first, "机密★20年"), (second, "工作秘密★6个月"), (third, "秘密★5年")):
        for shown in (mark, carrier.number, carrier.title, label_payload(carrier)):
            assert shown in text, shown
    assert "责任人：王保管" in text
    document = Document(io.BytesIO(content))
    [table] = document.tables
    assert (len(table.rows), len(table.columns)) == (2, 2)  # two labels side by side
    mark_run = table.cell(0, 0).paragraphs[0].runs[0]
    assert mark_run.text == "机密★20年" and mark_run.bold and mark_run.font.size.pt >= 20

    pictures = images(content)
    assert len(pictures) == 3
    for carrier, png in zip((first, second, third), pictures, strict=True):
        expected = [list(row) for row in segno.make_qr(label_payload(carrier),
                                                       error="m").matrix]
        assert qr_modules(png) == expected, carrier.number
        assert png == qr_png(label_payload(carrier))


@pytest.mark.rule("C1")
def test_a_scanned_label_checks_its_carrier_at_a_stocktake(office, unit, register, safe):
    carrier = register()
    stocktake = services.start_stocktake(office, unit=unit, container=safe)
    [png] = images(build_labels_docx([carrier]))
    # what a scanner reads is the payload the code holds
    assert qr_modules(png) == [list(r) for r in segno.make_qr(label_payload(carrier),
                                                              error="m").matrix]
    line = services.check_carrier(office, stocktake, code=label_payload(carrier))
    assert line.result == LineResult.FOUND


@pytest.mark.rule("L5")
def test_the_label_pages_serve_visible_carriers_only(client, office, reader, clerk, register,
                                                     item):
    carrier = register(secret_item=item)
    client.force_login(reader)  # in the item's scope, cleared 机密
    response = client.get(f"/carriers/{carrier.pk}/label.docx")
    assert response.status_code == 200
    assert carrier.number in docx_text(response.content)
    event = AuditEvent.objects.get(action="CARRIERS_EXPORTED")
    assert json.loads(event.after) == {"filters": {"format": "label", "carrier": carrier.number},
                                       "rows": 1}
    client.force_login(clerk)  # in the scope but cleared 秘密 only
    assert client.get(f"/carriers/{carrier.pk}/label.docx").status_code == 404
    assert client.get("/carriers/999999/label.docx").status_code == 404


@pytest.mark.rule("C1")
def test_the_ledger_labels_follow_its_filters(client, office, register, monkeypatch):
    secret = register(level=Level.SECRET, period_value=5, number="A-1")
    confidential = register(number="A-2")
    work = register(scheme=Scheme.WORK, level=Level.SECRET, period_kind=PeriodKind.MONTHS,
                    period_value=6, number="A-3")
    client.force_login(office)
    response = client.get("/carriers/labels.docx?scheme=state")
    assert response.status_code == 200
    text = docx_text(response.content)
    assert secret.number in text and confidential.number in text and work.number not in text
    assert len(images(response.content)) == 2
    one = client.get(f"/carriers/labels.docx?scheme=state&level={int(Level.SECRET)}")
    assert len(images(one.content)) == 1
    monkeypatch.setattr("baomi.carriers.views.labels.MAX_LABELS", 1)
    capped = client.get("/carriers/labels.docx?scheme=state")
    assert len(images(capped.content)) == 1 and "A-1" in docx_text(capped.content)
    assert MAX_LABELS == 500
    last = AuditEvent.objects.filter(action="CARRIERS_EXPORTED").order_by("-seq").first()
    assert json.loads(last.after)["filters"]["format"] == "labels"
    for junk in ("?scheme=<x>", "?level=9&department=abc", "?q=%00"):
        assert client.get(f"/carriers/labels.docx{junk}").status_code == 200, junk
