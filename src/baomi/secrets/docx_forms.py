"""Printable forms of 定密 (python-docx): the 定密审批表 of an item (rules S1, S3, S4) and the
变更及解密审批表 of one change (rule S10), each with the opinions of its approval steps and a
signature line per signer.

The printed text is document content in Chinese, as the regulations word it; the builders
return the .docx bytes, the views serve them.
"""

from collections.abc import Iterable
from typing import Any

from baomi.approvals.docx import add_opinions
from baomi.approvals.models import Step
from baomi.core.docx import (
    add_section,
    add_table,
    date_text,
    new_document,
    to_bytes,
)
from baomi.core.labels import Scheme

from .choices import ChangeKind, ItemState, PeriodKind
from .marks import change_mark, declassified_mark, level_word, mark_text, period_words
from .models import ItemChange, ScopeEntry, SecretItem
from .views.display import changed_names

SCHEME_TITLES = {Scheme.STATE: "国家秘密", Scheme.WORK: "工作秘密", Scheme.COMMERCIAL: "商业秘密"}
ROLE_OPINIONS = {"classification_officer": "定密责任人审核意见", "leader": "单位主要负责人意见",
                 "secrecy_office": "保密办意见", "department_head": "部门负责人意见"}
STATE_NAMES = {ItemState.PROPOSED: "拟定待审核", ItemState.PROVISIONAL: "先行拟定待确定",
               ItemState.DETERMINED: "已确定", ItemState.EXPIRY_REVIEW: "期限届满待审查",
               ItemState.DECLASSIFIED: "已解密", ItemState.REJECTED: "不予定密"}
CHANGE_NAMES = {ChangeKind.LEVEL: "密级变更", ChangeKind.PERIOD: "保密期限变更",
                ChangeKind.SCOPE_REMOVE: "知悉范围变更（减少）",
                ChangeKind.SCOPE_ADD: "知悉范围变更（增加）", ChangeKind.DECLASSIFY: "解密",
                ChangeKind.DETERMINED: "确定密级", ChangeKind.SUPERIOR_DECISION: "上级机关确定",
                ChangeKind.REVIEW: "年度审核", ChangeKind.EXPIRED: "保密期限届满"}
FIELD_NAMES = {"level": "密级", "period_kind": "保密期限类型", "period_value": "保密期限",
               "declassify_condition": "解密条件", "mark": "密级标志", "state": "状态",
               "expires_on": "保密期限届满日", "decided_on": "决定日期",
               "declassified_on": "解密日期", "people": "人员", "departments": "部门",
               "document": "决定文件", "decision_document": "决定文件", "classified": "是否定密",
               "note": "审核意见", "last_reviewed_on": "审核日期", "scheme": "类别"}
PERIOD_KIND_NAMES = {PeriodKind.YEARS: "按年", PeriodKind.MONTHS: "按月",
                     PeriodKind.LONG_TERM: "长期", PeriodKind.CONDITION: "以解密条件为准"}
MARK_FIELDS = ("level", "period_kind", "period_value", "declassify_condition")


def _scheme_title(scheme: str) -> str:
    return SCHEME_TITLES.get(Scheme(scheme) if scheme in Scheme.values else Scheme.STATE, "")


def _period(item: SecretItem) -> str:
    return period_words(item.period_kind, item.period_value) or "—"


def _scope_rows(scope: Iterable[ScopeEntry]) -> list[list[str]]:
    rows = []
    for entry in scope:
        person: Any = entry.person
        if person is not None:
            department = person.department.name if person.department_id else ""
            rows.append([person.name, department, date_text(entry.added_on)])
        elif entry.department is not None:
            rows.append(["（全体人员）", entry.department.name, date_text(entry.added_on)])
    return rows


def build_item_docx(item: SecretItem, steps: Iterable[Step], *,
                    scope: Iterable[ScopeEntry]) -> bytes:
    """定密审批表: the item as proposed by the 承办人, its mark (rule S9), 知悉范围 (S1, S7),
    basis, and the opinions of the 定密责任人 and other signers (rule S4)."""
    document = new_document(f"{_scheme_title(item.scheme)}定密审批表")
    department = item.department.name if item.department_id and item.department else ""
    add_table(document, ["事项编号", "事项名称", "承办部门", "承办人", "制发日期"], [[
        item.number, item.title, department, item.proposer.name, date_text(item.issued_on)]])
    add_table(document, ["密级", "保密期限", "解密条件", "密级标志"], [[
        level_word(item.scheme, item.level), _period(item),
        item.declassify_condition or "—",
        mark_text(item.scheme, item.level, item.period_kind, item.period_value,
                  item.declassify_condition)]])
    add_section(document, "一、事项内容", item.description or item.title)
    add_section(document, "二、定密依据", item.basis)
    add_section(document, "三、知悉范围")
    add_table(document, ["姓名", "部门", "列入日期"], _scope_rows(scope), blank_rows=3)
    add_section(document, "四、承办人意见")
    document.add_paragraph(
        f"拟定为{level_word(item.scheme, item.level)}，保密期限{_period(item)}"
        + (f"，解密条件：{item.declassify_condition}" if item.declassify_condition else "")
        + "。")
    document.add_paragraph(f"承办人签字：{item.proposer.name}    "
                           f"{date_text(item.created_at.date() if item.created_at else None)}")
    if item.state == ItemState.PROVISIONAL or item.provisional_due_on:
        add_section(document, "先行拟定说明",
                 "本单位无相应定密权限，已先行拟定并采取保密措施，"
                 f"须于{date_text(item.provisional_due_on)}前报有权机关确定。"
                 + (f"确定文件：{item.decision_document}。" if item.decision_document else ""))
    add_opinions(document, steps, first=5, titles=ROLE_OPINIONS,
                 default_roles=("classification_officer",))
    decider = item.decider.person.name if item.decider_id and item.decider else ""
    document.add_paragraph(f"当前状态：{STATE_NAMES.get(ItemState(item.state), item.state)}    "
                           f"定密责任人：{decider or '________'}    "
                           f"确定日期：{date_text(item.decided_on)}")
    return to_bytes(document)


def _value(name: str, values: dict[str, Any], scheme: str) -> str:
    if name not in values:
        return ""
    value = values[name]
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if name == "period_value" and isinstance(value, int):
        return period_words(str(values.get("period_kind", "")), value) or str(value)
    if name == "scheme" and value in Scheme.values:
        return SCHEME_TITLES[Scheme(value)]
    if name == "level" and isinstance(value, int):
        return level_word(scheme, value) or str(value)
    if name == "period_kind" and value in PeriodKind.values:
        return PERIOD_KIND_NAMES[PeriodKind(value)]
    if name == "state" and value in ItemState.values:
        return STATE_NAMES[ItemState(value)]
    if isinstance(value, list):
        return "、".join(str(v.get("name") or v.get("id")) if isinstance(v, dict) else str(v)
                        for v in value)
    if isinstance(value, dict):
        return str(value.get("name") or value.get("id") or "")
    return str(value)


def _marks(change: ItemChange) -> tuple[str, str]:
    """The mark before and after the change (rule S9): from the recorded values, completed
    with the item's present ones."""
    item = change.item
    current = {"level": item.level, "period_kind": item.period_kind,
               "period_value": item.period_value,
               "declassify_condition": item.declassify_condition}
    before = change.before if isinstance(change.before, dict) else {}
    after = change.after if isinstance(change.after, dict) else {}

    def mark(values: dict[str, Any]) -> str:
        if isinstance(values.get("mark"), str):
            return str(values["mark"])
        merged = {**current, **{k: values[k] for k in MARK_FIELDS if k in values}}
        try:
            return mark_text(item.scheme, int(merged["level"]), str(merged["period_kind"]),
                             merged["period_value"], str(merged["declassify_condition"] or ""))
        except (TypeError, ValueError):
            return ""

    return mark(before), mark(after)


def build_change_docx(change: ItemChange, steps: Iterable[Step]) -> bytes:
    """变更及解密审批表 (rule S10): the item, what changes from what to what, the reason, the
    new mark written next to the old (rule S9), and the opinions of the signers."""
    item = change.item
    document = new_document(f"{_scheme_title(item.scheme)}变更及解密审批表")
    old_mark, new_mark = _marks(change)
    kind = CHANGE_NAMES.get(ChangeKind(change.kind), change.kind) \
        if change.kind in ChangeKind.values else change.kind
    add_table(document, ["事项编号", "事项名称", "原密级标志", "变更事项"], [[
        item.number, item.title, old_mark or "—", kind]])
    requester = ""
    filed_on = None
    if change.request_id and change.request is not None:
        requester = change.request.requester.person.name
        filed_on = change.request.created_at.date()
    add_section(document, "一、变更内容")
    before = change.before if isinstance(change.before, dict) else {}
    after = change.after if isinstance(change.after, dict) else {}
    add_table(document, ["项目", "变更前", "变更后"], (
        [FIELD_NAMES.get(name, name), _value(name, before, item.scheme),
         _value(name, after, item.scheme)]
        for name in changed_names(before, after)), blank_rows=2)
    add_section(document, "二、变更理由", change.reason or "")
    add_section(document, "三、标志")
    if change.kind in (ChangeKind.DECLASSIFY, ChangeKind.EXPIRED):
        document.add_paragraph(declassified_mark(old_mark, change.decided_on))
    elif old_mark != new_mark:
        document.add_paragraph(change_mark(old_mark, new_mark, change.decided_on))
    else:
        document.add_paragraph(f"{old_mark}（标志不变）" if old_mark else "—")
    document.add_paragraph(f"申请人：{requester or '________'}    {date_text(filed_on)}")
    add_opinions(document, steps, first=4, titles=ROLE_OPINIONS,
                 default_roles=("classification_officer",))
    decider = change.decided_by.person.name if change.decided_by_id and change.decided_by \
        else ""
    document.add_paragraph(f"决定人：{decider or '________'}    决定日期：{date_text(change.decided_on)}")
    document.add_paragraph("变更、解密后应书面通知知悉范围内的人员，并在原标志旁作出标注。")
    return to_bytes(document)
