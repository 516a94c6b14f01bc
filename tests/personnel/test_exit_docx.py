"""Printable forms of the exit: 离岗离职保密承诺书 (rule P10) and 脱密期回访记录表 (rule P13)."""

import io

import pytest
from django.utils import timezone
from docx import Document

from baomi.personnel.choices import ExitKind
from baomi.personnel.docx_exit import (
    EXIT_COMMITMENT_TEXT_VERSION,
    build_exit_commitment_docx,
    build_visit_record_docx,
)
from baomi.personnel.services.exit import record_declassification_visit, record_exit_commitment

from .onboarding_support import people, yf1  # noqa: F401
from .test_exit_views import approved, filed, leaver  # noqa: F401

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.mark.rule("P10")
@pytest.mark.rule("P12")
def test_commitment_names_the_person_the_period_and_the_restrictions(leaver, people):
    case = approved(leaver, people)
    text = text_of(build_exit_commitment_docx(case))
    assert "离岗离职保密承诺书" in text and "何振宇" in text and "研发一部" in text
    assert "总体设计师" in text and "重要涉密人员" in text and "离职" in text
    assert cn(case.approved_on) in text and cn(case.ends_on) in text
    assert "外资企业" in text and "出境" in text and "回访" in text
    assert f"文本版本：{EXIT_COMMITMENT_TEXT_VERSION}" in text
    record_exit_commitment(people["office"], case, signed_on=timezone.localdate(),
                           text_version="exit-2025-9")
    case.refresh_from_db()
    assert "文本版本：exit-2025-9" in text_of(build_exit_commitment_docx(case))


def test_commitment_before_approval_leaves_the_period_blank(leaver, people):
    case = filed(leaver, people, kind=ExitKind.LEAVE_POST)
    text = text_of(build_exit_commitment_docx(case))
    assert "何振宇" in text and "离岗" in text and "年    月    日起" in text


@pytest.mark.rule("P13")
def test_visit_record_lists_the_visits(leaver, people):
    case = approved(leaver, people)
    today = timezone.localdate()
    record_declassification_visit(people["office"], case, visited_on=today, method="phone",
                                  visitors=["张保密", "李保密"], current_employer="某研究所",
                                  restrictions_kept=False, findings="曾为外资企业提供咨询")
    case.refresh_from_db()
    content = build_visit_record_docx(case)
    document = Document(io.BytesIO(content))
    text = text_of(content)
    assert "脱密期回访记录表" in text and "何振宇" in text and cn(case.ends_on) in text
    assert "张保密、李保密" in text and "某研究所" in text and "曾为外资企业提供咨询" in text
    visits = document.tables[-1]
    assert visits.rows[1].cells[0].text == cn(today) and visits.rows[1].cells[4].text == "否"
