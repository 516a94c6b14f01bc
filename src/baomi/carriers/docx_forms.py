"""Printable forms of the carriers app (python-docx): the 涉密载体台帐 of one department or
one custodian (rule C1) and the 借阅登记 of one loan (rule C5) with the opinions of its
approval steps, the times it went out and came back, and signature lines.

The printed text is document content in Chinese, as the regulations word it; the builders
return the .docx bytes, the views serve them.
"""

from collections.abc import Iterable, Sequence

from django.utils import timezone

from baomi.approvals.docx import add_opinions
from baomi.approvals.models import Step
from baomi.core.docx import (
    add_section,
    add_signature,
    add_table,
    date_text,
    new_document,
    time_text,
    to_bytes,
)
from baomi.core.labels import Scheme

from .choices import CarrierKind, CarrierState, LoanKind, LoanState
from .models import Carrier, Loan
from .views.display import carrier_mark, place_text, source_text

# A printed ledger longer than this is cut (with a note): the .xlsx export has every row.
MAX_LEDGER_ROWS = 1000
SCHEME_LEDGERS = {Scheme.STATE: "涉密载体台帐", Scheme.WORK: "工作秘密载体台帐",
                  Scheme.COMMERCIAL: "商业秘密载体台帐"}
STATE_NAMES = {CarrierState.IN_STORE: "在库", CarrierState.ON_LOAN: "借出",
               CarrierState.MISSING: "下落不明", CarrierState.DESTROYED: "已销毁"}
KIND_NAMES = {CarrierKind.PAPER: "纸介质", CarrierKind.OPTICAL: "光盘",
              CarrierKind.ELECTRONIC: "磁介质", CarrierKind.PRODUCT: "涉密产品"}
LOAN_KIND_NAMES = {LoanKind.BORROW: "借阅", LoanKind.CIRCULATE: "传阅"}
LOAN_STATE_NAMES = {LoanState.REQUESTED: "待审批", LoanState.APPROVED: "已批准待发放",
                    LoanState.OUT: "已借出", LoanState.RETURNED: "已归还",
                    LoanState.REJECTED: "未批准", LoanState.WITHDRAWN: "已撤回"}
ROLE_OPINIONS = {"department_head": "部门负责人意见", "secrecy_office": "保密办意见",
                 "leader": "单位领导意见"}
DEFAULT_ROLES = ("department_head", "secrecy_office")
LEDGER_HEADER = ["编号", "名称", "密级及保密期限", "来源/文号", "份数", "页数", "责任人",
                 "存放位置", "状态"]


def _ledger_row(carrier: Carrier) -> list[str]:
    copies = f"{carrier.copies}（{carrier.copy_no}）" if carrier.copy_no else str(carrier.copies)
    return [carrier.number, carrier.title, carrier_mark(carrier), source_text(carrier) or "—",
            copies, str(carrier.pages or "—"), carrier.custodian.name,
            place_text(carrier) or "—", STATE_NAMES.get(CarrierState(carrier.state), "")]


def build_ledger_docx(carriers: Sequence[Carrier], *, scheme: str, subject: str,
                      unit_name: str) -> bytes:
    """涉密载体台帐 of one department or custodian (`subject`, e.g. `部门：研发一部`): one row
    per carrier, the date, and the signatures of the one who drew it up and who checked it
    (rule C1: the ledger is checked against the carriers)."""
    title = SCHEME_LEDGERS.get(Scheme(scheme) if scheme in Scheme.values else Scheme.STATE,
                               SCHEME_LEDGERS[Scheme.STATE])
    document = new_document(title)
    document.add_paragraph(f"单位：{unit_name}    {subject}    "
                           f"制表日期：{date_text(timezone.localdate())}")
    listed = list(carriers[:MAX_LEDGER_ROWS])
    add_table(document, LEDGER_HEADER, (_ledger_row(carrier) for carrier in listed),
           blank_rows=3)
    if len(carriers) > MAX_LEDGER_ROWS:
        document.add_paragraph(f"（本表列出前{MAX_LEDGER_ROWS}件，完整台帐请导出电子表格。）")
    document.add_paragraph(f"共{len(listed)}件。")
    for signer in ("制表人", "责任人", "部门负责人", "保密办核对人"):
        add_signature(document, signer)
    return to_bytes(document)


def build_loan_docx(loan: Loan, steps: Iterable[Step]) -> bytes:
    """涉密载体借阅登记 (rule C5): the carrier and its mark, the borrower, purpose and
    reading room, the approvals with their opinions, handed out and returned, signatures."""
    carrier = loan.carrier
    borrower = loan.borrower
    kind = LOAN_KIND_NAMES.get(LoanKind(loan.kind), loan.kind)
    document = new_document(f"涉密载体{kind}登记表")
    add_table(document, ["载体编号", "名称", "密级及保密期限", "载体类型", "份数", "页数"], [[
        carrier.number, carrier.title, carrier_mark(carrier),
        KIND_NAMES.get(CarrierKind(carrier.kind), ""), str(carrier.copies),
        str(carrier.pages or "—")]])
    department = borrower.department.name if borrower.department else ""
    add_table(document, ["借阅人", "所在部门", "方式", "阅览地点", "申请时间", "应还日期"], [[
        borrower.name, department, kind, loan.room or "—", time_text(loan.created_at),
        date_text(loan.due_on)]])
    add_section(document, "一、借阅事由", loan.purpose)
    if loan.kind == LoanKind.CIRCULATE:
        document.add_paragraph("传阅文件当天阅读，当天退还。")
    add_opinions(document, steps, first=2, titles=ROLE_OPINIONS, default_roles=DEFAULT_ROLES)
    add_section(document, f"状态：{LOAN_STATE_NAMES.get(LoanState(loan.state), '')}")
    handed_by = loan.handed_out_by.person.name if loan.handed_out_by else ""
    received_by = loan.received_by.person.name if loan.received_by else ""
    add_table(document, ["发放时间", "发放人", "借阅人签收", "归还时间", "接收人", "借阅人签字"], [[
        time_text(loan.handed_out_at) if loan.handed_out_at else "", handed_by, "",
        time_text(loan.returned_at) if loan.returned_at else "", received_by, ""]])
    document.add_paragraph("借阅人承诺：在指定地点阅读，不复制、不摘抄、不转借，按期归还。")
    add_signature(document, "借阅人签字")
    add_signature(document, "保密办经办人签字")
    return to_bytes(document)
