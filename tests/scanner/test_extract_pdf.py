"""PDF text layer: marks come out with their page."""

from __future__ import annotations

import pytest

from baomi.scanner.extract import extract
from baomi.scanner.model import Location, Skip
from tests.scanner.corpus import TEST_LIMITS, differences, make_pdf, read_tree, shared_corpus


@pytest.mark.rule("S9")
@pytest.mark.parametrize("relative", ["pdf/paper.pdf", "pdf/scan"])
def test_planted_texts_come_out_on_their_page(relative):
    root, truths = shared_corpus()
    assert differences(read_tree(root, relative), truths[relative]) == []


def test_one_segment_per_page_with_text_and_lines_on_lf():
    extracted = extract(make_pdf([["机密★20年", "第二行"], [], ["第三页"]]), "a.pdf", TEST_LIMITS)
    assert [segment.location for segment in extracted.segments] == [Location(page=1, line=1),
                                                                    Location(page=3, line=1)]
    assert extracted.segments[0].text.split("\n")[:2] == ["机密★20年", "第二行"]


def test_an_encrypted_pdf_is_skipped_as_encrypted():
    # reportlab writes the standard security handler with a user password ("baomi")
    import io

    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption("baomi", canPrint=0))
    pdf.drawString(72, 720, "secret")
    pdf.showPage()
    pdf.save()
    with pytest.raises(Skip) as raised:
        extract(buffer.getvalue(), "locked.pdf", TEST_LIMITS)
    assert raised.value.code == "encrypted"


def test_a_truncated_pdf_is_broken():
    data = make_pdf([["机密★20年"]])
    with pytest.raises(Skip) as raised:
        extract(data[: len(data) // 3], "a.pdf", TEST_LIMITS)
    assert raised.value.code == "broken"
