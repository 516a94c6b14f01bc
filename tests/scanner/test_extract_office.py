"""OOXML extraction (.docx .xlsx .pptx): every planted mark (rule S9) comes out whole, at its
place — body paragraph, header, footer, comment, footnote, text box, properties, sheet and
cell, slide and notes."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baomi.scanner.extract import extract
from baomi.scanner.extract.ooxml import flat_word_paragraphs, word_paragraphs_nested
from baomi.scanner.model import Limits, Location, Skip
from tests.scanner.corpus import (
    TEST_LIMITS,
    differences,
    found_at,
    make_docx,
    make_pptx,
    plain,
    read_tree,
    runs,
    shared_corpus,
)

OFFICE = ["docx/report.docx", "images/photo.jpg", "docx/broken.docx", "xlsx/ledger.xlsx", "pptx/brief.pptx"]


@pytest.mark.rule("S9")
@pytest.mark.parametrize("relative", OFFICE)
def test_planted_texts_come_out_where_they_were_planted(relative):
    root, truths = shared_corpus()
    assert differences(read_tree(root, relative), truths[relative]) == []


@pytest.mark.rule("S9")
def test_a_mark_split_across_runs_is_one_string():
    extracted = extract(make_docx(["@SPLIT@", "其他"]), "a.docx", TEST_LIMITS)
    body = extracted.segments[0]
    assert body.location == Location(part="body", line=1)
    assert body.text.split("\n") == ["绝密★长期", "其他"]


@pytest.mark.rule("S9")
def test_character_references_are_unescaped():
    extracted = extract(make_docx(["@CHARREF@"]), "a.docx", TEST_LIMITS)
    assert extracted.segments[0].text == "秘密★5年"


def test_a_text_box_counts_once_though_word_stores_a_fallback_copy():
    root, _ = shared_corpus()
    tree = read_tree(root, "docx/report.docx")
    assert len(found_at(tree, plain("机密★3年"))) == 1


def test_body_lines_are_paragraph_numbers_including_empty_paragraphs():
    extracted = extract(make_docx(["一", "", "", "机密★20年"]), "a.docx", TEST_LIMITS)
    assert extracted.segments[0].text.split("\n").index("机密★20年") + 1 == 4


def test_sheet_cells_keep_their_references_and_numbers():
    root, _ = shared_corpus()
    tree = read_tree(root, "xlsx/ledger.xlsx")
    cells = {(loc.sheet, loc.cell): text for loc, text in tree.segments if loc.cell and loc.part is None}
    assert cells[("汇总", "D7")] == "3.14"
    assert cells[("汇总", "E2")] == "20240101"
    assert cells[("秘密花园", "A3")] == "保密期限内"


def test_slides_are_numbered_in_presentation_order_not_file_order():
    data = make_pptx([[runs("第一页")], [runs("文件二")], [runs("文件三")]], order=[3, 1, 2])
    segments = extract(data, "p.pptx", TEST_LIMITS).segments
    slides = {segment.text: segment.location.slide for segment in segments}
    assert slides == {"文件三": 1, "第一页": 2, "文件二": 3}


def test_an_office_part_that_inflates_past_the_ratio_is_a_bomb():
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        content_types = '<Types><Override ContentType="wordprocessingml.document"/></Types>'
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (20 * 1024 * 1024) + b"</w:document>")
    with pytest.raises(Skip) as raised:
        extract(buffer.getvalue(), "big.docx", Limits())
    assert raised.value.code == "bomb"


def test_a_truncated_docx_is_broken_not_an_error():
    data = make_docx(["机密★20年"])
    with pytest.raises(Skip) as raised:
        extract(data[:-200], "a.docx", TEST_LIMITS)
    assert raised.value.code == "broken"


RUN_TEXT = st.text(alphabet="机密秘绝★年期长 ab&<>12", max_size=6)


@settings(max_examples=60, deadline=None)
@given(paragraphs=st.lists(st.lists(st.one_of(RUN_TEXT, st.sampled_from(["<TAB>", "<BR>"])), max_size=4),
                           max_size=6))
def test_the_fast_path_and_the_general_tokenizer_agree(paragraphs):
    def run(piece: str) -> str:
        if piece == "<TAB>":
            return "<w:r><w:tab/></w:r>"
        if piece == "<BR>":
            return '<w:r><w:br w:type="page"/></w:r>'
        return f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(piece)}</w:t></w:r>'

    body = "".join(f"<w:p><w:pPr><w:jc w:val=\"left\"/></w:pPr>{''.join(map(run, runs_))}</w:p>" if runs_
                   else "<w:p/>" for runs_ in paragraphs)
    xml = f"<w:document><w:body>{body}<w:sectPr/></w:body></w:document>"
    expected = ["".join("\t" if p == "<TAB>" else " " if p == "<BR>" else p for p in runs_)
                for runs_ in paragraphs]
    assert flat_word_paragraphs(xml) == expected
    assert word_paragraphs_nested(xml) == (expected, [])
