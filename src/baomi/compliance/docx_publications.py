"""The printed 信息发布保密审查审批表 of one review (rule Q12): the title, kind, channel,
author and department, the planned date, the beginning of the text, the author's
declaration (谁上网谁负责), each reviewer's opinion with name and date, the publication when
recorded, and signature lines to sign by hand.

The printed text is document content in Chinese, as the regulations word it; the kinds and
roles are the translated labels of the choices.
"""

from docx.document import Document as DocumentObject

from baomi.approvals.choices import Decision
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

from .models import PublicationReview, PublicationVersion
from .selectors_publications import opinions_of, versions_of

TITLE = "信息发布保密审查审批表"
# The printed form shows the beginning of the text; the whole is kept in the system.
EXCERPT_CHARS = 800
DECISION_WORDS = {Decision.APPROVE: "同意", Decision.REJECT: "不同意",
                  Decision.RETURN: "退回修改"}
DECLARATION = ("本人承诺：拟发布内容不涉及国家秘密和工作秘密，已按规定履行保密审查手续；"
               "坚持“谁上网谁负责、谁发布谁负责”，对所发布内容承担保密责任。")


def review_form_filename(review: PublicationReview) -> str:
    return f"{TITLE}-{review.pk}.docx"


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    return text if len(text) <= limit else text[:limit] + "……（以下略）"


def _declared(versions: list[PublicationVersion]) -> PublicationVersion | None:
    return versions[-1] if versions else None


def _opinion_rows(steps: list[Step]) -> list[list[str]]:
    return [[str(step.get_role_display()),
             step.decided_by.person.name if step.decided_by else "",
             DECISION_WORDS.get(Decision(step.decision), "") if step.decision else "",
             step.comment or "—", date_text(step.decided_at.date() if step.decided_at
                                            else None)]
            for step in steps]


def _publication(review: PublicationReview) -> str:
    if review.published_on is None:
        return "尚未发布"
    by = review.published_by.person.name if review.published_by else ""
    return f"{date_text(review.published_on)} 发布于 {review.published_where}（登记人：{by}）"


def build_review_docx(review: PublicationReview) -> bytes:
    """The approval form of `review`, as .docx bytes."""
    document: DocumentObject = new_document(TITLE)
    author = review.author.person
    add_table(document, ["标题", "类别", "发布渠道"], [[
        review.title, str(review.get_kind_display()), review.channel]])
    add_table(document, ["撰稿人", "所在部门", "拟发布日期", "版本"], [[
        author.name, review.department.name if review.department else "—",
        date_text(review.planned_on), f"第{review.version}稿"]])
    add_section(document, "拟发布内容（摘要）", excerpt(review.content))
    declared = _declared(versions_of(review))
    add_section(document, "撰稿人承诺", DECLARATION)
    document.add_paragraph(
        f"承诺人：{declared.declared_by.person.name}    {time_text(declared.declared_at)}"
        if declared else "承诺人：________________    " + date_text(None))
    add_section(document, "审查意见")
    add_table(document, ["审查环节", "审查人", "结论", "意见", "日期"],
              _opinion_rows(opinions_of(review)), blank_rows=3)
    add_section(document, "发布情况", _publication(review))
    add_signature(document, "撰稿人签字")
    add_signature(document, "部门负责人签字")
    add_signature(document, "保密办审查人签字")
    return to_bytes(document)
