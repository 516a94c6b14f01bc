"""The mark of a secret item (rule S9): level and period as the regulations write them, the
marks of 工作秘密 and 商业秘密 (rule L4), no mark on a non-secret, and the change and
declassification marks written next to the old one."""

import datetime

import pytest

from baomi.core.labels import Level, Scheme
from baomi.secrets.choices import PeriodKind
from baomi.secrets.marks import (
    change_mark,
    declassified_mark,
    level_word,
    mark_text,
    period_words,
)

pytestmark = pytest.mark.rule("S9")

CONDITION = "型号设计定型后"
# period kind, value -> the text after the star
PERIODS = [
    (PeriodKind.YEARS, 1, "1年"),
    (PeriodKind.YEARS, 30, "30年"),
    (PeriodKind.MONTHS, 1, "1个月"),
    (PeriodKind.MONTHS, 11, "11个月"),
    (PeriodKind.LONG_TERM, None, "长期"),
    (PeriodKind.CONDITION, None, CONDITION),
]
STATE_WORDS = [(Level.SECRET, "秘密"), (Level.CONFIDENTIAL, "机密"), (Level.TOP_SECRET, "绝密")]


@pytest.mark.parametrize(("level", "word"), STATE_WORDS)
@pytest.mark.parametrize(("kind", "value", "period"), PERIODS)
def test_state_secret_mark_shows_level_and_period(level, word, kind, value, period):
    mark = mark_text(Scheme.STATE, level, kind, value, declassify_condition=CONDITION)
    assert mark == f"{word}★{period}"


def test_examples_of_the_rule():
    assert mark_text(Scheme.STATE, Level.CONFIDENTIAL, PeriodKind.YEARS, 20) == "机密★20年"
    assert mark_text(Scheme.STATE, Level.SECRET, PeriodKind.MONTHS, 6) == "秘密★6个月"
    assert mark_text(Scheme.STATE, Level.TOP_SECRET, PeriodKind.LONG_TERM, None) == "绝密★长期"


def test_the_condition_is_marked_not_left_out():
    """A bare `机密★` reads as the longest period of the level (20 years): an item kept until a
    condition is met shows the condition, or at least the words 解密条件."""
    with_text = mark_text(Scheme.STATE, Level.CONFIDENTIAL, PeriodKind.CONDITION, None,
                          declassify_condition="  项目验收后 ")
    assert with_text == "机密★项目验收后"
    without_text = mark_text(Scheme.STATE, Level.CONFIDENTIAL, PeriodKind.CONDITION, None)
    assert without_text == "机密★解密条件"
    assert period_words(PeriodKind.CONDITION, None) == ""


def test_the_period_value_is_ignored_for_long_term_and_condition():
    assert mark_text(Scheme.STATE, Level.TOP_SECRET, PeriodKind.LONG_TERM, 5) == "绝密★长期"
    assert mark_text(Scheme.STATE, Level.SECRET, PeriodKind.CONDITION, 5,
                     declassify_condition=CONDITION) == f"秘密★{CONDITION}"


# scheme, level, period kind, value -> mark
OTHER_SCHEMES = [
    (Scheme.WORK, Level.SECRET, PeriodKind.YEARS, 2, "工作秘密★2年"),
    (Scheme.WORK, Level.SECRET, PeriodKind.MONTHS, 6, "工作秘密★6个月"),
    (Scheme.WORK, Level.SECRET, PeriodKind.CONDITION, None, f"工作秘密★{CONDITION}"),
    (Scheme.COMMERCIAL, Level.SECRET, PeriodKind.YEARS, 3, "普通商密★3年"),
    (Scheme.COMMERCIAL, Level.CONFIDENTIAL, PeriodKind.YEARS, 10, "核心商密★10年"),
    (Scheme.COMMERCIAL, Level.CONFIDENTIAL, PeriodKind.LONG_TERM, None, "核心商密★长期"),
    # grades the scheme does not have are not marked as anything (rule L4)
    (Scheme.WORK, Level.CONFIDENTIAL, PeriodKind.YEARS, 2, ""),
    (Scheme.WORK, Level.TOP_SECRET, PeriodKind.YEARS, 2, ""),
    (Scheme.COMMERCIAL, Level.TOP_SECRET, PeriodKind.YEARS, 2, ""),
]


@pytest.mark.rule("L4")
@pytest.mark.parametrize(("scheme", "level", "kind", "value", "mark"), OTHER_SCHEMES)
def test_work_and_commercial_secrets_have_their_own_words(scheme, level, kind, value, mark):
    assert mark_text(scheme, level, kind, value, declassify_condition=CONDITION) == mark


@pytest.mark.rule("L4")
def test_scheme_words_never_borrow_a_state_level():
    assert level_word(Scheme.WORK, Level.SECRET) == "工作秘密"
    assert level_word(Scheme.COMMERCIAL, Level.SECRET) == "普通商密"
    assert level_word(Scheme.COMMERCIAL, Level.CONFIDENTIAL) == "核心商密"
    assert level_word(Scheme.STATE, Level.TOP_SECRET) == "绝密"
    words = {level_word(Scheme.WORK, lv) for lv in Level} | {
        level_word(Scheme.COMMERCIAL, lv) for lv in Level}
    assert not words & {"秘密", "机密", "绝密"}


@pytest.mark.parametrize("scheme", list(Scheme))
@pytest.mark.parametrize(("kind", "value", "period"), PERIODS)
def test_non_secrets_are_never_marked(scheme, kind, value, period):
    assert mark_text(scheme, Level.NONSECRET, kind, value, declassify_condition=CONDITION) == ""
    assert level_word(scheme, Level.NONSECRET) == ""


def test_unknown_scheme_is_not_marked():
    assert mark_text("bogus", Level.SECRET, PeriodKind.YEARS, 1) == ""


def test_change_is_marked_next_to_the_old_mark():
    before = mark_text(Scheme.STATE, Level.CONFIDENTIAL, PeriodKind.YEARS, 20)
    after = mark_text(Scheme.STATE, Level.SECRET, PeriodKind.YEARS, 10)
    mark = change_mark(before, after, datetime.date(2026, 3, 5))
    assert mark == "机密★20年 → 秘密★10年（2026年3月5日变更）"
    assert mark.startswith(before)


def test_declassification_is_marked_next_to_the_old_mark():
    before = mark_text(Scheme.STATE, Level.SECRET, PeriodKind.MONTHS, 6)
    mark = declassified_mark(before, datetime.date(2025, 12, 31))
    assert mark == "秘密★6个月（2025年12月31日解密）"
    assert mark.startswith(before)
