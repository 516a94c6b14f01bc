"""The printed 泄密事件报告 of one incident (rules I1, I2): the unit, kind, level, title, when
it was discovered, its source and description, the remedial measures taken, the report to the
保密局 or the superior (to whom, when, whether within 24 hours), the four items of 四不放过,
and lines for the 保密办 and the leader to sign.

The printed text is document content in Chinese, as the regulations word it.
"""

from baomi.core.docx import (
    add_section,
    add_signature,
    add_table,
    date_text,
    new_document,
    time_text,
    to_bytes,
)
from baomi.secrets.marks import level_word

from .choices import IncidentKind, IncidentState
from .models import Incident
from .selectors_incidents import measures_of

TITLE = "泄密事件报告"
KIND_WORDS = {IncidentKind.LEAK: "泄密事件", IncidentKind.SUSPECTED_LEAK: "涉嫌泄密事件"}
STATE_WORDS = {IncidentState.OPEN: "待报告", IncidentState.INVESTIGATING: "已报告，查处中",
               IncidentState.CLOSED: "已查处结案"}
# rule I2 (四不放过), in the order the regulations name them.
ITEM_WORDS = (("cause", "事件原因查清"), ("responsibility", "责任人员处理"),
              ("rectification", "整改措施落实"), ("education", "有关人员受到教育"))
NOTE = ("发生泄密事件或者涉嫌泄密事件，应当在发现后24小时内向保密行政管理部门或者上级报告，"
        "并立即采取补救措施；按照“四不放过”原则查处。")


def incident_report_filename(incident: Incident) -> str:
    return f"{TITLE}-{incident.pk}-{incident.discovered_on:%Y%m%d}.docx"


def _level(incident: Incident) -> str:
    return level_word(incident.scheme, incident.level) or "非密"


def _report_text(incident: Incident) -> list[str]:
    if incident.reported_at is None:
        return ["—", "", "未报告"]
    late = "超过24小时报告" if incident.reported_late else "24小时内报告"
    return [incident.reported_to, time_text(incident.reported_at), late]


def build_incident_docx(incident: Incident) -> bytes:
    """The report of `incident` as it stands; what is not yet recorded is left to fill."""
    document = new_document(TITLE)
    add_table(document, ["单位", "事件性质", "密级", "状态"], [[
        incident.unit.name, KIND_WORDS.get(IncidentKind(incident.kind), ""), _level(incident),
        STATE_WORDS.get(IncidentState(incident.state), "")]])
    add_table(document, ["事件名称", "发现时间", "登记日期", "来源"], [[
        incident.title, time_text(incident.discovered_at), date_text(incident.created_on),
        incident.source_label or "—"]])
    add_section(document, "一、事件经过", incident.description or "—")
    add_section(document, "二、补救措施")
    add_table(document, ["序号", "采取时间", "补救措施", "登记人"], [
        [str(number), time_text(measure.taken_at), measure.measure, measure.taken_by.person.name]
        for number, measure in enumerate(measures_of(incident), start=1)], blank_rows=2)
    add_section(document, "三、报告情况")
    add_table(document, ["报告对象", "报告时间", "是否及时"], [_report_text(incident)])
    add_section(document, "四、“四不放过”查处情况")
    add_table(document, ["事项", "情况", "记录日期"], [
        [words, getattr(incident, name) or "", date_text(getattr(incident, f"{name}_on"))]
        for name, words in ITEM_WORDS])
    if incident.closed_on:
        document.add_paragraph(f"结案日期：{date_text(incident.closed_on)}")
    add_section(document, "五、签字")
    add_signature(document, "保密办负责人签字")
    add_signature(document, "单位分管领导签字")
    document.add_paragraph(NOTE)
    return to_bytes(document)
