"""Printable forms of the exit (python-docx): 离岗离职保密承诺书 (rule P10) and 脱密期回访记录表
(rule P13).

The printed text is document content in Chinese, as the regulations word it; the builders
return the .docx bytes, the views serve them.
"""

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH

from baomi.core.docx import BLANK_DATE, add_section, add_table, date_text, new_document, to_bytes

from .choices import ExitKind, VisitMethod
from .docx_forms import CATEGORY_NAMES, LEVEL_NAMES
from .models import ExitCase, PostHolding
from .selectors.exit import visits_of
from .selectors.people import holdings_of

EXIT_COMMITMENT_TEXT_VERSION = "exit-2026-1"
KIND_NAMES = {ExitKind.LEAVE_POST: "离岗", ExitKind.LEAVE_UNIT: "离职"}
METHOD_NAMES = {VisitMethod.IN_PERSON: "上门走访", VisitMethod.PHONE: "电话回访",
                VisitMethod.INTERVIEW: "约谈（来单位）"}
# The commitments on leaving (seed 000 §30–41: rules C9, P10–P14).
EXIT_COMMITMENTS = [
    "已按规定清退本人保管、使用的全部涉密载体和涉密设备，未私自留存任何国家秘密载体或其复制件；",
    "离岗离职后继续履行保密义务，不以任何方式泄露在工作中接触和知悉的国家秘密；",
    "严格遵守脱密期管理规定：脱密期内不到境外驻华机构、组织或者外资企业工作，"
    "不为境外组织、机构、人员或者外资企业提供劳务、咨询或者其他服务；",
    "脱密期内未经审批不擅自出境；",
    "自愿接受原单位和有关部门的脱密期回访与监督管理，如实反映本人情况；",
    "脱密期内工作单位、居住地址或联系方式发生变化的，及时向原单位保密办报告。",
]
EXIT_LIABILITY = "违反上述承诺，自愿承担党纪、政纪责任和法律后果。"


def _posts(case: ExitCase) -> str:
    """The posts held when leaving: those still open, or ended on the approval date."""
    held: list[PostHolding] = [
        h for h in holdings_of(case.file)
        if h.ended_on is None or (case.approved_on and h.ended_on == case.approved_on)]
    return "、".join(f"{h.post.name}（{LEVEL_NAMES.get(h.post.level, '')}）" for h in held)


def _period(case: ExitCase) -> str:
    if case.approved_on is None or case.ends_on is None:
        return f"自{BLANK_DATE}起至{BLANK_DATE}止"
    return f"自{date_text(case.approved_on)}起至{date_text(case.ends_on)}止（{case.period_months}个月）"


def _header(document: DocumentObject, case: ExitCase) -> None:
    person = case.file.person
    add_table(document, ["姓名", "工号", "所在部门", "岗位", "涉密类别"], [[
        person.name, person.employee_no or "",
        person.department.name if person.department else "", _posts(case) or "",
        CATEGORY_NAMES.get(case.category, "")]])
    add_table(document, ["离岗离职类型", "离岗离职日期", "去向", "脱密期"], [[
        KIND_NAMES.get(ExitKind(case.kind), case.kind), date_text(case.leave_on),
        case.destination or "", _period(case)]])


def build_exit_commitment_docx(case: ExitCase) -> bytes:
    """离岗离职保密承诺书 (rule P10): the person, post and category, the kind and date of the
    exit, the 脱密期, the commitments (carriers returned, secrets kept, the rule P12
    restrictions, return visits, changes reported), the liability and the signature lines."""
    file = case.file
    person = file.person
    document = new_document("涉密人员离岗离职保密承诺书")
    _header(document, case)
    department = person.department.name if person.department else ""
    document.add_paragraph(
        f"本人{person.name}，原{file.unit.name}{department}"
        f"{CATEGORY_NAMES.get(case.category, '') or '涉密人员'}，"
        f"因{KIND_NAMES.get(ExitKind(case.kind), '离岗离职')}，"
        "根据《中华人民共和国保守国家秘密法》第四十六条及其实施条例的规定，郑重作出如下承诺：")
    for number, text in enumerate(EXIT_COMMITMENTS, start=1):
        document.add_paragraph(f"{number}. {text}")
    document.add_paragraph(f"本人脱密期{_period(case)}。")
    document.add_paragraph(EXIT_LIABILITY)
    document.add_paragraph("")
    document.add_paragraph(f"承诺人（签字）：________________    {date_text(case.committed_on)}")
    document.add_paragraph(f"单位保密办（盖章）：________________    {BLANK_DATE}")
    version = case.commitment_version or EXIT_COMMITMENT_TEXT_VERSION
    footer = document.add_paragraph(f"文本版本：{version}")
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return to_bytes(document)


def build_visit_record_docx(case: ExitCase) -> bytes:
    """脱密期回访记录表 (rule P13): who, the exit and its 脱密期, one row per recorded visit
    (and blank rows to fill by hand), and the signature lines."""
    document = new_document("涉密人员脱密期回访记录表")
    _header(document, case)
    add_section(document, "回访情况")
    rows = [[date_text(v.visited_on), METHOD_NAMES.get(VisitMethod(v.method), v.method),
             "、".join(v.visitors), v.current_employer or "",
             "是" if v.restrictions_kept else "否", v.findings or "无异常"]
            for v in reversed(list(visits_of(case)))]
    add_table(document, ["回访日期", "回访方式", "回访人", "现工作单位及职务", "是否遵守脱密期规定",
                     "回访情况"], rows, blank_rows=len(rows) + 2)
    if case.next_visit_due_on:
        document.add_paragraph(f"下次回访日期：{date_text(case.next_visit_due_on)}")
    document.add_paragraph("")
    document.add_paragraph(f"回访人（签字）：________________    {BLANK_DATE}")
    document.add_paragraph(f"被回访人（签字）：________________    {BLANK_DATE}")
    document.add_paragraph(f"单位保密办（盖章）：________________    {BLANK_DATE}")
    return to_bytes(document)
