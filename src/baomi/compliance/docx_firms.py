"""The printed 外协（中介）单位保密资格审查表 of one firm (rules Q8, Q11): its details, the
qualification conditions each with whether it is met, the conclusion with every unmet
condition, the 保密 protocols, the reported changes with their re-review, the yearly reports,
the contracts the reader is cleared for, and lines for the 保密办 and the leader to sign.

The printed text is document content in Chinese, as the regulations word it.
"""

import datetime as dt
from collections.abc import Iterable

from baomi.core.calendar import add_months
from baomi.core.docx import (
    add_section,
    add_signature,
    add_table,
    date_text,
    new_document,
    to_bytes,
)
from baomi.core.policy import policy_of

from . import services_firms as services
from .choices_firms import ContractState, FirmKind, FirmState, ReviewResult
from .models import Firm, FirmContract

TITLE = "外协（中介）单位保密资格审查表"
KIND_WORDS = {FirmKind.AUDIT: "中介机构（审计）", FirmKind.APPRAISAL: "中介机构（评估）",
              FirmKind.LEGAL: "中介机构（法律）", FirmKind.SPONSOR: "中介机构（保荐）",
              FirmKind.CONSULTING: "咨询服务单位", FirmKind.SUBCONTRACTOR: "外协单位"}
RESULT_WORDS = {ReviewResult.PENDING: "未审查", ReviewResult.PASSED: "通过",
                ReviewResult.FAILED: "未通过"}
LEVEL_WORDS = {0: "非密", 1: "秘密", 2: "机密", 3: "绝密"}


def firm_filename(firm: Firm) -> str:
    return f"{TITLE}-{firm.name}.docx"


def _met(ok: bool) -> str:
    return "符合" if ok else "不符合"


def _conditions(firm: Firm, today: dt.date) -> list[list[str]]:
    """rule Q11 and, for a subcontractor, rule Q8: each condition and whether it is met."""
    protocol_ok = firm.protocols.filter(services.valid_protocol_q(today)).exists()
    changes_ok = not firm.changes.filter(reported_on__lte=today).exclude(
        result=ReviewResult.PASSED).exists()
    review = firm.security_review_passed_on
    rows = [
        ["无外资参股或外资背景", _met(not firm.foreign_capital)],
        [f"通过保密审查（{date_text(review) if review else '未通过'}）",
         _met(review is not None and review <= today)],
        ["最近十二个月内未受到暂停业务等处罚", _met(_suspension_ok(firm, today))],
        ["已签订并备案含保密条款的保密协议", _met(protocol_ok)],
        ["条件变更已报告并重新审查通过", _met(changes_ok)],
        ["未被取消资格", _met(firm.state == FirmState.ACTIVE)],
    ]
    if firm.kind == FirmKind.SUBCONTRACTOR:
        number = f"（{firm.directory_number}）" if firm.on_directory else ""
        rows.append([f"列入外协单位名录{number}", _met(firm.on_directory)])
    return rows


def _suspension_ok(firm: Firm, today: dt.date) -> bool:
    if firm.last_suspension_on is None:
        return True
    months = int(policy_of(firm.unit)[services.SUSPENSION_MONTHS_KEY])
    return not firm.last_suspension_on <= today < add_months(firm.last_suspension_on, months)


def build_firm_docx(firm: Firm, contracts: Iterable[FirmContract], today: dt.date) -> bytes:
    """The form of `firm` as of `today`; `contracts` are those the reader is cleared for."""
    document = new_document(TITLE)
    add_table(document, ["项目", "内容"], [
        ["单位名称", firm.name], ["统一社会信用代码", firm.credit_code],
        ["类别", KIND_WORDS.get(FirmKind(firm.kind), firm.kind)],
        ["联系人及电话", firm.contact or ""], ["委托单位", firm.unit.name]])
    add_section(document, "一、资格条件")
    add_table(document, ["条件", "审查结论"], _conditions(firm, today))
    shortfalls = services.qualification_shortfalls(firm, today)
    conclusion = "具备承担涉密业务的条件。" if not shortfalls else \
        "不具备承担涉密业务的条件：" + "；".join(shortfalls) + "。"
    add_section(document, f"审查结论（{date_text(today)}）", conclusion)
    add_section(document, "二、保密协议")
    add_table(document, ["签订日期", "备案日期", "有效期至", "保密条款", "范围"], [
        [date_text(p.signed_on), date_text(p.filed_on) if p.filed_on else "未备案",
         date_text(p.expires_on) if p.expires_on else "长期", "已确认" if p.secrecy_clauses
         else "未确认", p.scope] for p in firm.protocols.all()], blank_rows=2)
    add_section(document, "三、条件变更及重新审查")
    add_table(document, ["变更日期", "报告日期", "变更情况", "应审查日期", "审查结论"], [
        [date_text(c.occurred_on), date_text(c.reported_on), c.description,
         date_text(services.change_review_due(c)),
         RESULT_WORDS[ReviewResult(c.result)] + (f"（{date_text(c.rereviewed_on)}）"
                                                 if c.rereviewed_on else "")]
        for c in firm.changes.select_related("firm__unit")], blank_rows=1)
    add_section(document, "四、年度报告")
    add_table(document, ["年度", "报送日期", "截止日期"], [
        [str(r.year), date_text(r.received_on),
         date_text(services.year_report_due(firm.unit, r.year))]
        for r in firm.year_reports.all()], blank_rows=1)
    add_section(document, "五、委托合同")
    add_table(document, ["合同名称", "密级", "业务类别", "签订日期", "责任人", "状态"], [
        [c.title, LEVEL_WORDS.get(c.level, str(c.level)) if c.scheme == "state" else "非国家秘密",
         c.work_kind, date_text(c.signed_on), c.responsible.name,
         "履行中" if c.state == ContractState.ACTIVE else f"已终止（{date_text(c.ended_on)}）"]
        for c in contracts], blank_rows=1)
    if firm.state == FirmState.STRUCK_OFF:
        add_section(document, "取消资格", f"{date_text(firm.struck_off_on)}取消资格，原因："
                    f"{firm.strike_off_reason}；{date_text(services.reapply_from(firm))}后方可重新申请。")
    add_signature(document, "保密办审查人")
    add_signature(document, "单位领导")
    return to_bytes(document)
