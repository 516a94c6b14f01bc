"""Printable forms of carrier destruction (rule C7, python-docx): the 涉密载体销毁审批表 with
the list's summary and the approval opinions, and the 涉密载体销毁清单 — every carrier on the
list with the signature lines of the people who destroyed them and of the supervisor. Both
carry the record of the destruction once it is made (time, place, method, body, certificate,
people), to be archived with the leader's approval (rule C7).

The printed text is document content in Chinese, as the regulations word it.
"""

from collections.abc import Iterable, Sequence

from django.utils import timezone
from docx.document import Document as DocumentObject

from baomi.approvals.docx import add_opinions
from baomi.approvals.models import Step
from baomi.core.docx import (
    BLANK_DATE,
    add_section,
    add_signature,
    add_table,
    date_text,
    new_document,
    time_text,
    to_bytes,
)

from .choices import CarrierKind
from .docx_forms import KIND_NAMES
from .models import DestructionBatch, DestructionItem
from .models.destruction import BatchState, DestructionMethod
from .views.display import carrier_mark, copies_text

METHOD_NAMES = {DestructionMethod.SHRED: "粉碎", DestructionMethod.INCINERATE: "焚毁",
                DestructionMethod.PULP: "化浆", DestructionMethod.DEGAUSS: "专用设备消磁",
                DestructionMethod.PHYSICAL: "物理销毁",
                DestructionMethod.BODY: "送指定销毁机构销毁"}
STATE_NAMES = {BatchState.DRAFT: "登记造册中", BatchState.SUBMITTED: "待审批",
               BatchState.APPROVED: "已批准待销毁", BatchState.REJECTED: "未批准",
               BatchState.DESTROYED: "已销毁"}
ROLE_OPINIONS = {"secrecy_office": "保密办核对意见", "leader": "单位领导审批意见"}
DEFAULT_ROLES = ("secrecy_office", "leader")
LIST_HEADER = ["序号", "编号", "名称", "密级及保密期限", "份数", "页数", "责任人"]
# A printed list longer than this is cut (with a note); no list that long is expected.
MAX_LIST_ROWS = 2000


def _method(value: str) -> str:
    return METHOD_NAMES.get(DestructionMethod(value), value) if value else ""


def _header(document: DocumentObject, batch: DestructionBatch, count: int) -> None:
    add_table(document, ["单位", "清单编号", "载体数量", "状态"], [[
        batch.unit.name, batch.number, f"{count}件",
        STATE_NAMES.get(BatchState(batch.state), "")]])


def _record(document: DocumentObject, batch: DestructionBatch) -> None:
    """The record of the destruction (rule C7), or blanks to fill in by hand."""
    done = batch.state == BatchState.DESTROYED
    add_section(document, "销毁记录")
    header = ["销毁时间", "销毁地点", "销毁方式", "销毁机构或设备", "销毁证明编号"]
    if done:
        row = [time_text(batch.destroyed_at), batch.place, _method(batch.method), batch.body,
               batch.certificate_no]
    else:
        row = [BLANK_DATE, "", "", "", ""]
    add_table(document, header, [row])
    names = "、".join(batch.executors) if done and batch.executors else ""
    document.add_paragraph(f"销毁人：{names}")


def build_destruction_docx(batch: DestructionBatch, items: Sequence[DestructionItem],
                           steps: Iterable[Step]) -> bytes:
    """涉密载体销毁审批表: the list (number, count, the carriers in short), the reason, the
    planned method and place, the opinions of the 保密办 and of the leader, and the record of
    the destruction."""
    document = new_document("涉密载体销毁审批表")
    _header(document, batch, len(items))
    add_section(document, "一、销毁事由", batch.reason)
    add_table(document, ["拟销毁方式", "拟销毁地点"],
              [[_method(batch.planned_method), batch.planned_place]])
    add_table(document, ["序号", "编号", "名称", "密级及保密期限"], (
        [str(index), item.carrier.number, item.carrier.title, carrier_mark(item.carrier)]
        for index, item in enumerate(items[:MAX_LIST_ROWS], start=1)))
    if len(items) > MAX_LIST_ROWS:
        document.add_paragraph(f"（本表列出前{MAX_LIST_ROWS}件，详见销毁清单。）")
    add_opinions(document, steps, first=2, titles=ROLE_OPINIONS, default_roles=DEFAULT_ROLES)
    _record(document, batch)
    document.add_paragraph("销毁须经审批，由两人以上在指定销毁机构或使用经检测合格的销毁设备进行，"
                           "严禁将涉密载体作为废品出售。本表与销毁清单、领导批示一并存档。")
    add_signature(document, "保密办经办人签字")
    return to_bytes(document)


def build_destruction_list_docx(batch: DestructionBatch,
                                items: Sequence[DestructionItem]) -> bytes:
    """涉密载体销毁清单 (清点/核对/登记/造册, rule C7): one row per carrier — 序号, 编号, 名称,
    密级及保密期限, 份数, 页数, 责任人 — the total, the record of the destruction, and the
    signature lines of the people who destroyed them and of the supervisor."""
    document = new_document("涉密载体销毁清单")
    _header(document, batch, len(items))
    listed = list(items[:MAX_LIST_ROWS])
    add_table(document, LIST_HEADER, (_row(index, item)
                                      for index, item in enumerate(listed, start=1)))
    if len(items) > MAX_LIST_ROWS:
        document.add_paragraph(f"（本表列出前{MAX_LIST_ROWS}件。）")
    present = {item.carrier.kind for item in listed}
    kinds = "、".join(KIND_NAMES[CarrierKind(kind)] for kind in CarrierKind.values
                      if kind in present)
    document.add_paragraph(f"共{len(items)}件（{kinds}）。" if kinds else "共0件。")
    document.add_paragraph(f"制表日期：{date_text(timezone.localdate())}")
    _record(document, batch)
    for signer in ("清点人", "核对人", "销毁人", "销毁人", "监销人"):
        add_signature(document, signer)
    return to_bytes(document)


def _row(index: int, item: DestructionItem) -> list[str]:
    carrier = item.carrier
    return [str(index), carrier.number, carrier.title, carrier_mark(carrier),
            copies_text(carrier), str(carrier.pages or "—"), carrier.custodian.name]
