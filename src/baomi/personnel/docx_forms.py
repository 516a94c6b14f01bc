"""Printable forms (python-docx): 涉密人员保密审查表 (rule P2), 保密承诺书 (rule P3) and
涉密人员移动通信设备使用保密承诺书 (rule M3).

The printed text is document content in Chinese, as the regulations word it; the builders
return the .docx bytes, the views serve them.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH

from baomi.approvals.docx import add_opinions
from baomi.approvals.models import Step
from baomi.core.docx import BLANK_DATE, add_section, add_table, date_text, new_document, to_bytes
from baomi.core.labels import Category, Level

from .models import PersonnelFile, SecurityReview

COMMITMENT_TEXT_VERSION = "2026-1"
# The standard commitments (seed 000: 法§36 释义 and the model 保密承诺书 of the sources).
COMMITMENTS = [
    "认真遵守国家保密法律、法规和规章制度，履行保密义务；",
    "不提供虚假个人信息，自愿接受保密审查；",
    "经常学习保密知识，积极参加保密教育培训，自觉接受保密监督检查；",
    "不违规记录、存储、复制国家秘密信息，不违规留存国家秘密载体，严格执行“涉密不上网，上网不涉密”；",
    "不以任何方式泄露所接触和知悉的国家秘密，未经审查批准，不擅自发表涉及未公开工作内容的文章、著述；",
    "出国（境）前按规定报批，不携带涉密载体出境；",
    "离岗离职时，主动清退涉密载体和设备，自愿接受脱密期管理，签订离岗离职保密承诺书。",
]
LIABILITY = "违反上述承诺，自愿承担党纪、政纪责任和法律后果。"
CATEGORY_NAMES: dict[int, str] = {Category.NONE: "", Category.GENERAL: "一般涉密人员",
                  Category.IMPORTANT: "重要涉密人员", Category.CORE: "核心涉密人员"}
LEVEL_NAMES: dict[int, str] = {Level.NONSECRET: "非密", Level.SECRET: "秘密", Level.CONFIDENTIAL: "机密",
               Level.TOP_SECRET: "绝密"}
KIND_NAMES = {"initial": "上岗前保密审查", "periodic": "定期复审", "change": "岗位或密级变更复审"}
ROLE_OPINIONS = {"department_head": "所在部门意见", "secrecy_office": "保密办意见",
                 "leader": "单位领导意见"}


def build_review_docx(review: SecurityReview, steps: Iterable[Step]) -> bytes:
    """涉密人员保密审查表 filled from the review, with the opinions of the approval steps and a
    signature line for each signer."""
    file: PersonnelFile = review.file
    person = file.person
    form: dict[str, Any] = review.form or {}
    document = new_document("涉密人员保密审查表")
    document.add_paragraph(f"审查类别：{KIND_NAMES.get(review.kind, review.kind)}    "
                           f"拟任岗位密级：{LEVEL_NAMES.get(review.level, '')}")
    add_table(document, ["姓名", "工号", "所在单位", "所在部门", "涉密类别"], [[
        person.name, person.employee_no or "", file.unit.name,
        person.department.name if person.department else "",
        CATEGORY_NAMES.get(file.category, ""),
    ]])
    add_section(document, "一、个人简历", form.get("personal_history", ""))
    add_section(document, "二、现实表现", form.get("conduct", ""))
    add_section(document, "三、家庭成员及社会关系")
    add_table(document, ["称谓", "姓名", "工作单位及职务", "政治面貌", "是否在境外"], (
        [m.get("relation", ""), m.get("name", ""), m.get("work_unit", ""),
         m.get("political_status", ""), "是" if m.get("overseas") else "否"]
        for m in form.get("family", [])), blank_rows=3)
    add_section(document, "四、学习工作经历")
    add_table(document, ["起始年月", "终止年月", "学习或工作单位", "职务"], (
        [h.get("from", ""), h.get("to", "") or "至今", h.get("unit", ""), h.get("role", "")]
        for h in form.get("history", [])), blank_rows=3)
    add_section(document, "五、境外关系",
             ("有亲属在境外。" if form.get("relatives_abroad") else "无亲属在境外。")
             + (form.get("overseas_ties") or ""))
    add_section(document, "六、本人承诺")
    document.add_paragraph("以上所填内容真实准确，如有隐瞒或虚假，愿承担相应责任。")
    document.add_paragraph(f"本人签字：________________    {BLANK_DATE}")
    add_opinions(document, steps, first=7, titles=ROLE_OPINIONS,
                 default_roles=tuple(ROLE_OPINIONS))
    return to_bytes(document)


def build_commitment_docx(file: PersonnelFile, signed_on: date | None = None,
                          text_version: str = COMMITMENT_TEXT_VERSION) -> bytes:
    """保密承诺书 (rule P3) with the person's name, post category, the standard commitments and
    the signature line."""
    person = file.person
    document = new_document("保密承诺书")
    department = person.department.name if person.department else ""
    document.add_paragraph(
        f"本人{person.name}，{file.unit.name}{department}"
        f"{CATEGORY_NAMES.get(file.category, '涉密人员') or '涉密人员'}。"
        "根据《中华人民共和国保守国家秘密法》及其实施条例的规定，在涉密岗位工作期间及离岗离职后，"
        "郑重作出如下承诺：")
    for number, text in enumerate(COMMITMENTS, start=1):
        document.add_paragraph(f"{number}. {text}")
    document.add_paragraph(LIABILITY)
    document.add_paragraph("")
    document.add_paragraph(f"承诺人（签字）：________________    {date_text(signed_on)}")
    document.add_paragraph(f"单位保密办（盖章）：________________    {BLANK_DATE}")
    footer = document.add_paragraph(f"文本版本：{text_version}")
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return to_bytes(document)


MOBILE_COMMITMENT_TEXT_VERSION = "2026-1"
# rule M3: seed 002 《3g移动终端使用管理规定》, extended to today's 4G/5G terminals.
MOBILE_COMMITMENTS = [
    "不使用智能手机办公，不用智能手机处理、存储、传输工作信息；",
    "不使用普通手机、传真机和无绳电话谈论涉密事项，不通过其传输、处理、存储涉密信息；",
    "不携带手机等移动通信设备进入要害部门部位和涉密场所，参加涉密会议和活动时按要求交存手机；",
    "不在涉密场所使用移动通信设备录音、照相摄影、视频通话和上网；",
    "不将移动通信设备与涉密计算机等涉密信息设备及载体连接，不将其作为涉密信息设备使用；",
    "3G/4G/5G移动终端与涉密信息设备的距离不小于20米；",
    "用于公务活动的移动通信设备选用国内品牌并实行实名制管理，遗失时立即报告保密办。",
]


def build_mobile_commitment_docx(file: PersonnelFile, signed_on: date | None = None,
                                 text_version: str = MOBILE_COMMITMENT_TEXT_VERSION) -> bytes:
    """涉密人员移动通信设备使用保密承诺书 (rule M3) with the person's name and category, the
    commitments and the signature line."""
    person = file.person
    document = new_document("涉密人员移动通信设备使用保密承诺书")
    department = person.department.name if person.department else ""
    document.add_paragraph(
        f"本人{person.name}，{file.unit.name}{department}"
        f"{CATEGORY_NAMES.get(file.category, '涉密人员') or '涉密人员'}。"
        "根据《中华人民共和国保守国家秘密法》和本单位移动通信设备使用保密管理规定，"
        "郑重作出如下承诺：")
    for number, text in enumerate(MOBILE_COMMITMENTS, start=1):
        document.add_paragraph(f"{number}. {text}")
    document.add_paragraph(LIABILITY)
    document.add_paragraph("")
    document.add_paragraph(f"承诺人（签字）：________________    {date_text(signed_on)}")
    document.add_paragraph(f"单位保密办（盖章）：________________    {BLANK_DATE}")
    footer = document.add_paragraph(f"文本版本：{text_version}")
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return to_bytes(document)


PURPOSE_NAMES = {"official": "因公", "private": "因私"}
TRAVEL_OPINIONS = {"department_head": "所在部门意见", "secrecy_office": "保密办意见",
                   "leader": "保密工作领导小组（单位领导）意见"}


def build_trip_docx(trip: Any, steps: Iterable[Step]) -> bytes:
    """涉密人员出国(境)审批表 (rule P8) filled from the trip, with the opinions of the approval
    chain and a signature line for each signer."""
    file: PersonnelFile = trip.file
    person = file.person
    purpose = PURPOSE_NAMES.get(trip.purpose_kind, "")
    document = new_document(f"涉密人员{purpose}出国（境）审批表")
    add_table(document, ["姓名", "工号", "所在部门", "涉密类别"], [[
        person.name, person.employee_no or "",
        person.department.name if person.department else "",
        CATEGORY_NAMES.get(file.category, "")]])
    add_table(document, ["前往国家（地区）", "出发日期", "返回日期", "同行人员"], [[
        trip.destinations, date_text(trip.depart_on), date_text(trip.return_on),
        trip.companions or "无"]])
    add_section(document, "一、出国（境）事由", trip.purpose)
    add_section(document, "二、本人承诺")
    document.add_paragraph("出国（境）期间严格遵守保密规定，不携带涉密载体出境，"
                           "回国后按期交回证件并接受回访。")
    document.add_paragraph(f"本人签字：________________    {BLANK_DATE}")
    add_opinions(document, steps, first=3, titles=TRAVEL_OPINIONS,
                 default_roles=tuple(TRAVEL_OPINIONS))
    return to_bytes(document)
