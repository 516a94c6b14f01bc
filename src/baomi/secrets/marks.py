"""The mark text of a secret item (rule S9): `机密★20年`, `秘密★6个月`, `绝密★长期`,
`机密★<解密条件>`, and the change and declassification marks. Pure functions: carriers, labels
and forms print them.

The printed text is document content in Chinese, as the regulations write it; it is not
translated with the UI.
"""

from datetime import date

from baomi.core.labels import Level, Scheme

from .choices import PeriodKind

LEVEL_WORDS: dict[int, str] = {Level.SECRET: "秘密", Level.CONFIDENTIAL: "机密", Level.TOP_SECRET: "绝密"}
# rule L4: 工作秘密 has one grade; 商业秘密 has 普通商密 and 核心商密.
SCHEME_WORDS: dict[str, dict[int, str]] = {Scheme.STATE: LEVEL_WORDS,
                Scheme.WORK: {Level.SECRET: "工作秘密"},
                Scheme.COMMERCIAL: {Level.SECRET: "普通商密", Level.CONFIDENTIAL: "核心商密"}}
STAR = "★"
# The mark of an item kept until a condition is met when the caller does not give the text:
# the form `密级★解密条件` itself, never a bare `机密★` (rule S9, see mark_text).
CONDITION_WORDS = "解密条件"


def level_word(scheme: str, level: int) -> str:
    """The grade as marked: 秘密/机密/绝密, or the word of the scheme (rule L4); "" for a
    non-secret level or a grade the scheme does not have."""
    return SCHEME_WORDS.get(str(scheme), {}).get(int(level), "")


def period_words(period_kind: str, period_value: int | None) -> str:
    """The period as marked (rule S2: a year or more in years, under a year in months)."""
    if period_kind == PeriodKind.YEARS and period_value:
        return f"{period_value}年"
    if period_kind == PeriodKind.MONTHS and period_value:
        return f"{period_value}个月"
    if period_kind == PeriodKind.LONG_TERM:
        return "长期"  # allowed only with a declassification condition (rules S2, S9)
    return ""


def mark_text(scheme: str, level: int, period_kind: str, period_value: int | None,
              declassify_condition: str = "") -> str:
    """rule S9: `机密★20年`, `秘密★6个月`, `绝密★长期`; a 工作秘密 or 商业秘密 shows its
    own word (rule L4). Non-secrets are never marked ("").

    An item kept until a condition is met is marked `机密★<condition>` (the form
    `密级★解密条件`): a bare `机密★` shows no period, and a mark without a period is read as
    the longest one of its level (机密 20 years), which the item does not have.
    """
    word = level_word(scheme, level)
    if not word:
        return ""  # non-secrets are never marked
    if period_kind == PeriodKind.CONDITION:
        return f"{word}{STAR}{declassify_condition.strip() or CONDITION_WORDS}"
    return f"{word}{STAR}{period_words(period_kind, period_value)}"


def change_mark(before: str, after: str, on: date) -> str:
    """rule S9: a change is marked next to the old mark (the old one struck through on paper)."""
    return f"{before} → {after}（{on.year}年{on.month}月{on.day}日变更）"


def declassified_mark(before: str, on: date) -> str:
    """rule S9: the declassification is marked next to the old mark."""
    return f"{before}（{on.year}年{on.month}月{on.day}日解密）"
