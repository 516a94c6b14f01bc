"""Printed forms of inspections (rules Q9, Q10): the 保密工作自查自评表 (or 检查记录表) of one
inspection — the unit, kind, library and dates, every area with its items, results and
findings, the rectifications with owner and due day, the counts, and the signatures of the
inspectors, the 保密办 and the unit's leader — and the 整改通知书 of one rectification.

The printed text is document content in Chinese, as the regulations word it.
"""

from docx.document import Document as DocumentObject

from baomi.core.docx import (
    add_section,
    add_signature,
    add_table,
    date_text,
    new_document,
    to_bytes,
)

from .choices_inspections import InspectionKind, ItemResult, RectificationState
from .models import Inspection, Rectification

KIND_WORDS = {InspectionKind.SELF: "单位自查自评", InspectionKind.DEPARTMENT: "部门自查",
              InspectionKind.SUPERIOR: "上级检查", InspectionKind.BUREAU: "保密行政管理部门检查"}
RESULT_WORDS = {ItemResult.UNCHECKED: "未检查", ItemResult.PASS: "符合",
                ItemResult.PROBLEM: "存在问题", ItemResult.NOT_APPLICABLE: "不适用"}
STATE_WORDS = {RectificationState.OPEN: "整改中", RectificationState.DONE: "已整改待复查",
               RectificationState.VERIFIED: "复查通过"}


def form_title(inspection: Inspection) -> str:
    return "保密工作自查自评表" if inspection.kind == InspectionKind.SELF else "保密检查记录表"


def inspection_filename(inspection: Inspection) -> str:
    return f"{form_title(inspection)}-{inspection.year}-{inspection.pk}.docx"


def _header(document: DocumentObject, inspection: Inspection) -> None:
    add_table(document, ["被检查单位", "检查类型", "检查部门", "年度"], [[
        inspection.unit.name, KIND_WORDS.get(InspectionKind(inspection.kind), ""),
        inspection.department.name if inspection.department else "—", f"{inspection.year}年"]])
    add_table(document, ["检查依据", "开始日期", "完成日期", "检查人员"], [[
        f"{inspection.title}（{inspection.library_id} 第{inspection.library_version}版）",
        date_text(inspection.started_on), date_text(inspection.finished_on),
        inspection.inspectors or "—"]])


def _items(document: DocumentObject, inspection: Inspection) -> None:
    area_code = None
    rows: list[list[str]] = []
    for item in inspection.items.order_by("position"):
        if item.area_code != area_code:
            if rows:
                add_table(document, ["编号", "检查内容", "依据", "检查结果", "发现问题"], rows)
                rows = []
            area_code = item.area_code
            add_section(document, f"{item.area_code} {item.area_title}")
        rows.append([item.code, item.text, item.rules or "—",
                     RESULT_WORDS.get(ItemResult(item.result), ""), item.finding or "—"])
    if rows:
        add_table(document, ["编号", "检查内容", "依据", "检查结果", "发现问题"], rows)


def _rectifications(document: DocumentObject, inspection: Inspection) -> None:
    rectifications = list(Rectification.objects.filter(item__inspection=inspection)
                          .select_related("owner__person", "item").order_by("item__position"))
    rows = [[str(number), r.item.code if r.item else "—", r.problem, r.owner.person.name,
             date_text(r.due_on), STATE_WORDS.get(RectificationState(r.state), ""),
             r.measures or "—"] for number, r in enumerate(rectifications, start=1)]
    add_table(document, ["序号", "检查项", "存在问题", "整改责任人", "整改期限", "整改状态",
                         "整改措施"], rows, blank_rows=2)


def build_inspection_docx(inspection: Inspection) -> bytes:
    """The printed record of `inspection` as it stands (a draft prints too, to fill by
    hand)."""
    document = new_document(form_title(inspection))
    _header(document, inspection)
    add_section(document, "一、检查情况")
    _items(document, inspection)
    results = list(inspection.items.values_list("result", flat=True))
    add_section(document, "二、检查结论", (
        f"共检查{len(results)}项，符合{results.count(ItemResult.PASS)}项，"
        f"存在问题{results.count(ItemResult.PROBLEM)}项，"
        f"不适用{results.count(ItemResult.NOT_APPLICABLE)}项，"
        f"未检查{results.count(ItemResult.UNCHECKED)}项。"))
    add_section(document, "三、问题整改")
    _rectifications(document, inspection)
    add_section(document, "四、签字")
    add_signature(document, "检查人员签字")
    add_signature(document, "保密办负责人签字")
    add_signature(document, "单位领导签字")
    return to_bytes(document)


def build_notice_docx(rectification: Rectification) -> bytes:
    """The 整改通知书 of one rectification: the problem, the owner, the due day, and the
    receipt to sign."""
    document = new_document("保密工作整改通知书")
    item = rectification.item
    source = f"{item.inspection.title}（{item.code}）" if item else "—"
    add_table(document, ["单位", "整改责任人", "整改期限", "来源"], [[
        rectification.unit.name, rectification.owner.person.name,
        date_text(rectification.due_on), source]])
    add_section(document, "存在问题", rectification.problem)
    add_section(document, "整改要求",
                "请于整改期限前落实整改措施，并将整改情况报保密办复查。")
    add_section(document, "整改措施", rectification.measures or "")
    add_signature(document, "整改责任人签收")
    add_signature(document, "保密办")
    return to_bytes(document)
