"""Marks (rule S9): the forms that are marks, where a bare level word counts, and the decoys
that never do."""

from __future__ import annotations

import pytest

from baomi.scanner.marks import bare_apart_marks, bare_line_mark, full_marks, marks_in_line

pytestmark = pytest.mark.rule("S9")


@pytest.mark.parametrize(("text", "mark", "level"), [
    ("机密★20年", "机密★20年", 2),
    ("秘密★6个月", "秘密★6个月", 1),
    ("绝密★长期", "绝密★长期", 3),
    ("机密★2030年12月31日前解密", "机密★2030年12月31日", 2),
    ("机密 ★ 20 年", "机密 ★ 20 年", 2),
    ("机 密 ★ 2 0 年", "机 密 ★ 2 0 年", 2),
    ("机\u3000密★１０年", "机\u3000密★１０年", 2),
    ("秘密☆5年", "秘密☆5年", 1),
    ("秘密*5年", "秘密*5年", 1),
    ("绝密＊30年", "绝密＊30年", 3),
    ("秘密★６个月", "秘密★６个月", 1),
    ("见附件（机密★10年）第三页", "机密★10年", 2),
])
def test_full_marks_stand_anywhere(text, mark, level):
    found = full_marks(text)
    assert [(text[m.start:m.end], m.level) for m in found] == [(mark, level)]


@pytest.mark.parametrize("text", [
    "机密★", "机密★年", "机密20年", "机密★二十年", "机密 ★    20年", "机密★2030", "保密★20年",
])
def test_incomplete_or_other_forms_are_not_full_marks(text):
    assert full_marks(text) == []


@pytest.mark.parametrize(("line", "mark", "level"), [
    ("机密", "机密", 2), ("  绝密  ", "绝密", 3), ("秘密★", "秘密★", 1), ("【秘密】", "【秘密】", 1),
    ("[机密]", "[机密]", 2), ("（绝密）", "（绝密）", 3), ("机 密", "机 密", 2), ("机密\r", "机密", 2),
])
def test_a_bare_word_alone_on_its_line(line, mark, level):
    match = bare_line_mark(line)
    assert match is not None and (line[match.start:match.end], match.level) == (mark, level)


@pytest.mark.parametrize("line", [
    "秘密花园", "机密性", "商业秘密", "保密", "绝密档案馆", "机密文件", "机密 文件"])
def test_decoys_are_not_bare_marks_even_on_a_first_line(line):
    assert marks_in_line(line, marking_line=True, marking_part=False) == []


@pytest.mark.parametrize("text", ["秘密花园", "机密性", "商业秘密", "保密", "绝密档案馆"])
def test_decoys_in_running_text_are_never_marks(text):
    assert marks_in_line(f"他说{text}很重要", marking_line=False, marking_part=False) == []
    assert marks_in_line(f"他说{text}很重要", marking_line=False, marking_part=True) == []


def test_a_bare_word_in_running_text_is_not_a_mark():
    assert marks_in_line("机密", marking_line=False, marking_part=False) == []


@pytest.mark.parametrize(("name", "mark"), [
    ("【秘密】方案.txt", "【秘密】"), ("方案（机密）.docx", "（机密）"), ("秘密-方案.txt", "秘密"),
    ("绝密 名单.xlsx", "绝密"), ("机密★10年-报告.docx", "机密★10年"),
])
def test_a_bare_word_standing_apart_in_a_header_or_name(name, mark):
    found = marks_in_line(name, marking_line=False, marking_part=True)
    assert [name[m.start:m.end] for m in found] == [mark]


@pytest.mark.parametrize("name", ["秘密花园.mp3", "机密性分析.docx", "商业秘密保护.pdf", "秘密方案.txt"])
def test_glued_words_in_a_name_are_not_marks(name):
    assert bare_apart_marks(name) == []
