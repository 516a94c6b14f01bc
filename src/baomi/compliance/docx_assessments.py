"""The printed 评分表 of an assessment (rules Q2, Q3): every group and item with its points
and what was awarded (veto items 符合/不符合), the total, the result and the lines to sign."""

from baomi.core import docx

from .models import Assessment, AssessmentScore
from .standards import as_points, points_text

HEADER = ["序号", "条件", "评分项目", "评分标准", "分值", "得分", "扣分说明"]
KIND_TEXT = {"self": "自评", "review": "现场审查"}


def _awarded(score: AssessmentScore | None) -> str:
    if score is None or not score.scored:
        return ""
    if score.veto:
        return "符合" if score.met else "不符合"
    return points_text(score.awarded) if score.awarded is not None else ""


def item_rows(assessment: Assessment) -> list[list[str]]:
    """One row per item of the standard, in order, with the awarded points."""
    scores = {s.item_code: s for s in assessment.scores.all()}
    rows = []
    number = 0
    for group in assessment.standard.definition["groups"]:
        for item in group["items"]:
            number += 1
            score = scores.get(item["code"])
            points = "终止项" if item["veto"] else points_text(
                score.max_points if score else as_points(item["points"]))
            rows.append([str(number), group["title"], item["text"], item["criteria"], points,
                         _awarded(score), score.note if score else ""])
    return rows


def result_text(assessment: Assessment) -> str:
    """`合格`, `不合格（终止项不符合）`, `不合格`, or blank while a draft."""
    if assessment.passed is None:
        return ""
    if assessment.passed:
        return "合格"
    return "不合格（终止项不符合）" if assessment.vetoed else "不合格"


def score_sheet_docx(assessment: Assessment) -> bytes:
    standard = assessment.standard
    document = docx.new_document(f"{standard.title}评分表")
    document.add_paragraph(
        f"被评单位：{assessment.unit.name}    年度：{assessment.year}    "
        f"方式：{KIND_TEXT.get(assessment.kind, assessment.kind)}    "
        f"评分日期：{docx.date_text(assessment.assessed_on)}")
    document.add_paragraph(
        f"满分{points_text(standard.total)}分，{points_text(standard.pass_mark)}分以上"
        f"（含{points_text(standard.pass_mark)}分）为合格；终止项任一项不符合即为不合格。")
    rows = item_rows(assessment)
    score = points_text(assessment.score) if assessment.score is not None else ""
    rows.append(["", "合计", "", "", points_text(standard.total), score, ""])
    docx.add_table(document, HEADER, rows)
    docx.add_section(document, "评分结果", f"总分：{score or '      '}    "
                                         f"结论：{result_text(assessment) or '      '}")
    if assessment.assessor_names:
        document.add_paragraph(f"评审人员：{assessment.assessor_names}")
    docx.add_signature(document, "评审人员签字")
    docx.add_signature(document, "被评单位负责人签字")
    docx.add_signature(document, "保密办负责人签字")
    return docx.to_bytes(document)
