"""The printed record of a stocktake (涉密载体清查盘点记录表, rule C1, python-docx): its scope
and times, the counts, every carrier the ledger expected with where the ledger had it and what
the stocktake found, the differences with their C8 deadlines once closed, and the signature
lines of the people who took it. The 保密办 files it with the year's records.

The printed text is document content in Chinese, as the regulations word it.
"""

from collections.abc import Sequence

from django.utils import timezone
from docx.document import Document as DocumentObject

from baomi.core.docx import (
    add_section,
    add_signature,
    add_table,
    date_text,
    new_document,
    time_text,
    to_bytes,
)

from .models import Stocktake, StocktakeLine
from .models.stocktake import LineResult, StocktakeState
from .views.display import carrier_mark

RESULT_NAMES = {LineResult.UNCHECKED: "未清点", LineResult.FOUND: "在位",
                LineResult.MISSING: "未找到"}
LINE_HEADER = ["序号", "编号", "名称", "密级及保密期限", "台帐存放位置", "责任人", "盘点结果",
               "备注"]
# A printed list longer than this is cut with a note (the page and the API hold all lines).
MAX_LIST_ROWS = 5000


def _scope(stocktake: Stocktake) -> str:
    parts = [stocktake.department.name if stocktake.department else "",
             f"{stocktake.container.number}（{stocktake.container.location}）"
             if stocktake.container else ""]
    return "，".join(part for part in parts if part) or "全单位"


def _place(line: StocktakeLine) -> str:
    parts = (line.ledger_container.number if line.ledger_container else "",
             line.ledger_location)
    return " ".join(part for part in parts if part) or "—"


def _line_row(index: int, line: StocktakeLine) -> list[str]:
    carrier = line.carrier
    custodian = line.ledger_custodian.name if line.ledger_custodian else "—"
    return [str(index), carrier.number, carrier.title, carrier_mark(carrier), _place(line),
            custodian, RESULT_NAMES[LineResult(line.result)], line.note]


def _counts(counts: dict[str, int]) -> str:
    return (f"应清点{sum(counts.values())}件，在位{counts[LineResult.FOUND]}件，"
            f"未找到{counts[LineResult.MISSING]}件，未清点{counts[LineResult.UNCHECKED]}件。")


def _differences(document: DocumentObject, missing: Sequence[StocktakeLine]) -> None:
    """rule C8: each carrier not found, with the day it is handled as a leak if untraced."""
    add_section(document, "二、差异情况（帐物不符）")
    if not missing:
        document.add_paragraph("帐物相符，无差异。")
        return
    add_table(document, ["序号", "编号", "名称", "密级及保密期限", "责任人", "逾期按泄密处理日期"], (
        [str(index), line.carrier.number, line.carrier.title, carrier_mark(line.carrier),
         line.ledger_custodian.name if line.ledger_custodian else "—",
         date_text(line.missing_case.deadline) if line.missing_case else "—"]
        for index, line in enumerate(missing, start=1)))
    document.add_paragraph("未找到的载体已按下落不明登记并立即追查；到上列日期仍查无下落的，"
                           "按泄密事件处理并报告。")


def build_stocktake_docx(stocktake: Stocktake, counts: dict[str, int],
                         lines: Sequence[StocktakeLine],
                         missing: Sequence[StocktakeLine]) -> bytes:
    """涉密载体清查盘点记录表: unit, scope, times and state; the counts by result; the lines
    (the first `MAX_LIST_ROWS`, with a note when there are more); the lines not found (the
    differences) once closed; signatures."""
    document = new_document("涉密载体清查盘点记录表")
    closed = stocktake.state == StocktakeState.CLOSED
    add_table(document, ["单位", "盘点范围", "开始时间", "结束时间", "状态"], [[
        stocktake.unit.name, _scope(stocktake), time_text(stocktake.started_at),
        time_text(stocktake.closed_at) if closed else "未结束", "已结束" if closed else "进行中"]])
    if stocktake.note:
        document.add_paragraph(f"说明：{stocktake.note}")
    add_section(document, "一、清点情况", _counts(counts))
    add_table(document, LINE_HEADER, (_line_row(index, line) for index, line in
                                      enumerate(lines[:MAX_LIST_ROWS], start=1)))
    if sum(counts.values()) > MAX_LIST_ROWS:
        document.add_paragraph(f"（本表列出前{MAX_LIST_ROWS}件，其余见系统盘点记录。）")
    if closed:
        _differences(document, missing)
    document.add_paragraph(f"打印日期：{date_text(timezone.localdate())}")
    for signer in ("盘点人", "盘点人", "保密办负责人"):
        add_signature(document, signer)
    return to_bytes(document)
