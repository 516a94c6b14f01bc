"""The printed annual report (rule Q5) states each part of the year's secrecy work from the
stored figures, and leaves out what lies above its level (rule L5)."""

import datetime as dt
import io

import pytest
from docx import Document

from baomi.compliance.annual import annual_figures
from baomi.compliance.docx_annual import build_annual_report_docx
from baomi.core.labels import Level

TODAY = dt.date(2026, 11, 24)


def text_of(figures):
    document = Document(io.BytesIO(build_annual_report_docx(figures)))
    return "\n".join(p.text for p in document.paragraphs)


@pytest.fixture
def figures(unit):
    return annual_figures(unit, 2026, Level.TOP_SECRET, TODAY)


def test_an_empty_year_says_what_is_missing(figures):
    text = text_of(figures)
    assert "本单位尚未在系统中登记保密委员会" in text
    assert "本年度尚未完成评分考核。" in text
    assert "本年度未发生泄密事件。" in text
    headings = [line[:3] for line in text.splitlines() if line[1:2] == "、" or line[2:3] == "、"]
    assert headings[0] == "一、基" and "十三、" in text


def test_committee_meetings_against_the_requirement(figures):
    figures["committee"].update({"committee": "保密委员会", "members": 7, "meetings_held": 1,
                                 "meetings_required": 2, "meets_requirement": False,
                                 "attendance_rate": 0.857})
    text = text_of(figures)
    assert "本年度召开会议1次（规定每年不少于2次），未达到要求，平均出席率86%" in text


@pytest.mark.rule("Q3")
def test_a_vetoed_assessment_is_printed_as_failed_whatever_its_score(figures):
    figures["assessment"].update({"completed": 1, "score": "95.0", "passed": False,
                                  "vetoed": True, "standard": "咨询服务单位标准"})
    assert "得分95.0分，不合格（有终止项不符合）" in text_of(figures)


@pytest.mark.rule("L5")
def test_meetings_above_the_report_level_are_not_counted(figures):
    figures["places"]["meetings_held"] = {"1": 2, "2": 1, "3": 4}
    figures["max_level"] = Level.CONFIDENTIAL
    text = text_of(figures)
    assert "召开涉密会议3次（秘密级2次、机密级1次）" in text
    assert "绝密级" not in text.split("六、")[1].split("\n")[0]


@pytest.mark.rule("Q10")
def test_inspections_and_rectifications_of_the_year(figures):
    figures["inspections"].update({
        "by_kind": {"self": {"total": 1, "completed": 1}, "bureau": {"total": 1, "completed": 1},
                    "department": {"total": 1, "completed": 0}},
        "problems": 3, "rectifications": 3, "overdue": 1,
        "rectifications_by_state": {"open": 1, "done": 1, "verified": 1},
        "self_assessment_completed": True})
    text = text_of(figures)
    assert "本年度完成检查自查自评1次、保密行政管理部门检查1次，年度自查自评已完成" in text
    assert "已整改并复查通过1项、已整改待复查1项、未整改1项（其中逾期1项）" in text


def test_valid_qualifications_are_named_with_their_grade(figures):
    figures["qualification"]["valid"] = [{
        "type": "consulting_filing", "type_label": "涉密业务咨询服务安全保密条件备案",
        "grade": "second", "grade_label": "二级", "certificate_number": "JGBA-2024-0156",
        "expires_on": "2027-02-28"}]
    assert ("有效资质（备案）：涉密业务咨询服务安全保密条件备案二级（证书编号JGBA-2024-0156，有效期至"
            "2027-02-28）") in text_of(figures)
