"""The printed 复制审批单 of one copy order (rule C4): the original and its mark, the
requester, what is to be made and why, the consent of the originating unit for a 绝密
original, the approval opinions, the copies made with their 复制戳记, signature lines.

The printed text is document content in Chinese, as the regulations word it.
"""

from collections.abc import Iterable, Sequence

from django.utils import timezone

from baomi.approvals.docx import add_opinions
from baomi.approvals.models import Step
from baomi.core.docx import add_section, add_signature, add_table, date_text, new_document, to_bytes

from .choices import CarrierKind
from .docx_forms import KIND_NAMES, ROLE_OPINIONS
from .models import Carrier, CopyOrder
from .models.copying import CopyKind, CopyState
from .services import needs_consent
from .views.display import carrier_mark

COPY_KIND_NAMES = {CopyKind.COPY: "复制", CopyKind.EXTRACT: "摘抄", CopyKind.REPRINT: "加印"}
COPY_STATE_NAMES = {CopyState.REQUESTED: "待审批", CopyState.APPROVED: "已批准待复制",
                    CopyState.REJECTED: "未批准", CopyState.WITHDRAWN: "已撤回",
                    CopyState.MADE: "已复制登记"}
DEFAULT_ROLES = ("department_head", "secrecy_office")
TOP_SECRET_ROLES = (*DEFAULT_ROLES, "leader")


def build_copy_docx(order: CopyOrder, steps: Iterable[Step],
                    copies: Sequence[Carrier]) -> bytes:
    """复制审批单 of `order`, with the opinions of its approval `steps` and the `copies`
    made on it."""
    carrier = order.carrier
    person = order.requested_by.person
    kind = COPY_KIND_NAMES.get(CopyKind(order.kind), "复制")
    document = new_document("涉密载体复制审批单")
    add_table(document, ["载体编号", "名称", "密级及保密期限", "载体类型", "页数"], [[
        carrier.number, carrier.title, carrier_mark(carrier),
        KIND_NAMES.get(CarrierKind(carrier.kind), ""), str(carrier.pages or "—")]])
    department = person.department.name if person.department else ""
    requested = timezone.localtime(order.created_at).date()
    add_table(document, ["申请人", "所在部门", "方式", "份数", "申请日期"], [[
        person.name, department, kind, str(order.copies), date_text(requested)]])
    add_section(document, f"一、{kind}事由", order.purpose)
    first = 2
    if needs_consent(carrier):
        consent = "；".join(part for part in (order.consent_unit, order.consent_reference,
                                              date_text(order.consent_on)) if part)
        add_section(document, "二、原定密机关、单位意见（绝密级）", consent)
        first = 3
    roles = TOP_SECRET_ROLES if needs_consent(carrier) else DEFAULT_ROLES
    add_opinions(document, steps, first=first, titles=ROLE_OPINIONS, default_roles=roles)
    add_section(document, f"状态：{COPY_STATE_NAMES.get(CopyState(order.state), '')}")
    made_by = order.made_by.person.name if order.made_by else ""
    add_table(document, ["复制件编号", "份号", "复制戳记", "责任人", "复制日期", "经办人"], [
        [copy.number, copy.copy_no, _stamp(copy), copy.custodian.name,
         date_text(order.made_on), made_by] for copy in copies], blank_rows=order.copies)
    document.add_paragraph("复制件按原件密级、保密期限登记管理，加盖复制戳记，不得擅自扩大知悉范围。")
    add_signature(document, "申请人签字")
    add_signature(document, "复制经办人签字")
    return to_bytes(document)


def _stamp(copy: Carrier) -> str:
    stamp = getattr(copy, "copy_stamp", None)
    return stamp.text if stamp is not None else ""
