"""The Matcher: marks and keywords in text, on both engines, with lines and context."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baomi.scanner.keywords import fold, fold_ascii, fullwidth_variants, load_keywords
from baomi.scanner.matching import Matcher, hyperscan_available
from baomi.scanner.model import KEYWORD, MARK, Location, Segment

ENGINES = ["ahocorasick"] + (["hyperscan"] if hyperscan_available() else [])
KEYWORDS = ["型号", "秘密花园", "Project-X", "ABC", "测试a1", "abc"]


@pytest.fixture(params=ENGINES)
def matcher(request):
    return Matcher(KEYWORDS, engine=request.param)


def marks_of(findings):
    return [(f.text, f.level, f.location.line) for f in findings if f.kind == MARK]


def keywords_of(findings):
    return [(f.keyword, f.text, f.location.line) for f in findings if f.kind == KEYWORD]


@pytest.mark.rule("S9")
def test_a_mark_on_the_first_line_and_in_the_body(matcher):
    text = "机密★20年\n关于型号的报告\n\n正文第一段。\n正文中写着秘密★6个月的期限。\n"
    assert marks_of(matcher.scan_text(text)) == [("机密★20年", 2, 1), ("秘密★6个月", 1, 5)]


@pytest.mark.rule("S9")
def test_a_bare_word_counts_on_the_first_five_non_empty_lines_only(matcher):
    lines = ["标题", "", "第二行", "", "", "第三行", "第四行", "绝密", "第六行", "机密"]
    text = "\n".join(lines)
    # 绝密 is on line 8, the 5th non-empty line; 机密 on line 10, the 7th.
    assert marks_of(matcher.scan_text(text)) == [("绝密", 3, 8)]


@pytest.mark.rule("S9")
def test_a_bare_word_in_a_later_segment_counts_by_its_line_number(matcher):
    assert marks_of(matcher.scan_text("秘密", Location(line=5))) == [("秘密", 1, 5)]
    assert marks_of(matcher.scan_text("秘密", Location(line=6))) == []


@pytest.mark.rule("S9")
def test_a_header_is_a_marking_position_in_all_its_lines(matcher):
    header = "某某研究所\n第一行\n第二行\n第三行\n第四行\n第五行\n（机密）内部资料"
    assert marks_of(matcher.scan_text(header, Location(part="header"))) == [("（机密）", 2, 7)]
    assert marks_of(matcher.scan_text(header, Location(part="body"))) == []


@pytest.mark.rule("S9")
@pytest.mark.parametrize("decoy", ["秘密花园", "机密性", "商业秘密", "保密", "绝密档案馆"])
def test_decoys_are_not_marks_even_on_the_first_line_or_in_a_header(matcher, decoy):
    assert marks_of(matcher.scan_text(decoy)) == []
    assert marks_of(matcher.scan_text(f"页眉 {decoy}文件", Location(part="header"))) == []


@pytest.mark.rule("S9")
def test_a_decoy_keyword_is_a_keyword_hit_not_a_mark(matcher):
    findings = matcher.scan_text("我们去了秘密花园。")
    assert marks_of(findings) == []
    assert keywords_of(findings) == [("秘密花园", "秘密花园", None)]


@pytest.mark.rule("S9")
@pytest.mark.parametrize(("name", "text", "level"), [
    ("机密★10年-报告.docx", "机密★10年", 2), ("【秘密】方案.txt", "【秘密】", 1),
    ("绝密_名单.xlsx", "绝密", 3),
])
def test_a_file_name_carries_its_level(matcher, name, text, level):
    [finding] = [f for f in matcher.scan_name(name) if f.kind == MARK]
    assert (finding.text, finding.level, finding.location) == (text, level, Location(part="filename"))


@pytest.mark.rule("S9")
def test_a_name_without_a_mark(matcher):
    assert marks_of(matcher.scan_name("秘密花园.mp3")) == []
    assert marks_of(matcher.scan_name("保密制度.docx")) == []


def test_keywords_every_occurrence_with_line_and_context(matcher):
    text = "第一行\n型号甲和型号乙\n末行" + "很" * 50 + "型号" + "长" * 50
    hits = [f for f in matcher.scan_text(text) if f.kind == KEYWORD]
    assert [(f.text, f.location.line) for f in hits] == [("型号", 2), ("型号", 2), ("型号", 3)]
    assert hits[0].context == "型号甲和型号乙"
    assert hits[2].context == "很" * 30 + "型号" + "长" * 30


def test_english_is_case_insensitive_and_full_width_counts_as_half_width(matcher):
    text = "abc ABC Abc ＡＢＣ ａｂｃ Ａｂｃ project-x Project-X ＰＲＯＪＥＣＴ-Ｘ 测试Ａ１ 测试ａ１"
    found = keywords_of(matcher.scan_text(text))
    assert [hit[1] for hit in found] == [
        "abc", "ABC", "Abc", "ＡＢＣ", "ａｂｃ", "Ａｂｃ", "project-x", "Project-X", "ＰＲＯＪＥＣＴ-Ｘ",
        "测试Ａ１", "测试ａ１"]
    # "abc" folds to the same term as "ABC": the list's first spelling is reported.
    assert {hit[0] for hit in found} == {"ABC", "Project-X", "测试a1"}


def test_half_and_full_width_mixed_inside_a_term_is_not_found(matcher):
    assert keywords_of(matcher.scan_text("ABＣ PROJECT-Ｘ ａＢｃ")) == []


def test_lines_only_when_the_text_has_lines_or_a_line_was_given(matcher):
    assert [f.location.line for f in matcher.scan_text("型号")] == [None]
    assert [f.location.line for f in matcher.scan_text("型号", Location(line=7))] == [7]
    assert [f.location.line for f in matcher.scan_text("甲\n乙\n型号", Location(line=7))] == [9]


def test_segments_keep_their_location(matcher):
    segments = [Segment("型号", Location(page=2)), Segment("x\n型号", Location(sheet="表1", line=3))]
    found = matcher.scan_segments(segments)
    assert [f.location for f in found] == [Location(page=2), Location(sheet="表1", line=4)]


def test_no_keywords_still_finds_marks(matcher):
    bare = Matcher(engine=matcher.engine_name)
    assert marks_of(bare.scan_text("机密★5年 型号")) == [("机密★5年", 2, None)]
    assert keywords_of(bare.scan_text("机密★5年 型号")) == []


def test_a_matcher_pickles_for_worker_processes(matcher):
    copy = pickle.loads(pickle.dumps(matcher))
    assert copy.engine_name == matcher.engine_name and copy.keywords == matcher.keywords
    assert copy.scan_text("型号 秘密★1年") == matcher.scan_text("型号 秘密★1年")


def test_auto_and_unknown_engines():
    assert Matcher(engine="auto").engine_name == ("hyperscan" if hyperscan_available() else "ahocorasick")
    with pytest.raises(ValueError):
        Matcher(engine="grep")


@pytest.mark.skipif(len(ENGINES) < 2, reason="hyperscan has no wheel here")
@pytest.mark.rule("S9")
def test_both_engines_give_identical_findings():
    text = ("绝密\n【机密】\n" + "正文abc型号，秘密花园；机 密 ★ 2 0 年。ＡＢＣ测试Ａ1\n" * 20
            + "秘密★６个月" + "x" * 300 + "型号\n商业秘密 机密性 project-x\n")
    location = Location(member="a.zip › b.txt", part="body")
    results = [Matcher(KEYWORDS, engine=engine).scan_text(text, location) for engine in ENGINES]
    assert results[0] == results[1]
    assert len(results[0]) > 60


def test_load_keywords(tmp_path):
    path = tmp_path / "keywords.txt"
    path.write_bytes("# 报警关键字\n型号\n\n  ABC  \n型号\nabc\n＃不是注释\n".encode("gb18030"))
    assert load_keywords(path) == ["型号", "ABC", "＃不是注释"]
    path.write_bytes(b"\xef\xbb\xbf" + "型号\r\n#x\r\nProject-X\r\n".encode())
    assert load_keywords(path) == ["型号", "Project-X"]


def test_folding():
    text = "ＡＢＣａｂｃ０９ABCxyz中文"
    assert fold(text) == "abcabc09abcxyz中文"
    assert fold_ascii(text) == "ＡＢＣａｂｃ０９abcxyz中文"
    assert fullwidth_variants("型号") == []
    assert fullwidth_variants("a-1") == ["Ａ-１", "ａ-１"]


# Prose that cannot hold a mark or mark look-alike: no level characters, no stars.
PROSE = st.text(st.sampled_from("的一是在不了有和人这中大为上个国我以要他时来用们生到作 abcXYZ019，。\n"),
                max_size=300)
MARK_FORMS = st.sampled_from([("机密★20年", 2), ("秘密★6个月", 1), ("绝密★长期", 3), ("机 密 ★ 1 0 年", 2),
                              ("秘密＊２年", 1)])


@pytest.mark.rule("S9")
@settings(max_examples=60, deadline=None)
@given(before=PROSE, after=PROSE, mark=MARK_FORMS, engine=st.sampled_from(ENGINES))
def test_a_mark_inserted_anywhere_is_found_on_its_line(before, after, mark, engine):
    text, level = mark
    found = MATCHERS[engine].scan_text(before + text + after, Location(line=1))
    assert marks_of(found) == [(text, level, before.count("\n") + 1)]


MATCHERS = {engine: Matcher(KEYWORDS, engine=engine) for engine in ENGINES}
