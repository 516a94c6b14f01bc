"""In Chromium: the 保密办 opens 评分考核 from the menu, starts an assessment against the
shipped consulting-unit standard, scores it at 95 points with one veto item (终止项) not met,
completes it and sees it fail despite the score (rule Q3)."""

import re

import pytest
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.compliance.models import Assessment, AssessmentScore
from baomi.core.labels import Category


@pytest.mark.rule("Q3")
def test_a_veto_item_not_met_fails_a_95_point_assessment(page, make_user, unit, login):
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    login(office)
    page.click("a[href='/compliance/assessments/']")
    expect(page).to_have_url(re.compile(r"/compliance/assessments/$"))

    form = page.locator("#assessment-form")
    form.locator("[name=standard]").select_option(label="军工涉密业务咨询服务安全保密条件备案评分标准（v1）")
    form.locator("[name=year]").fill("2026")
    form.locator("[name=assessed_on]").fill("2026-11-18")
    form.locator("[name=assessor_names]").fill("刘保密、韩磊")
    form.locator("button[type=submit]").click()
    expect(page.locator("#score-sheet")).to_be_visible()
    assessment = Assessment.objects.get()

    sheet = page.locator("#score-sheet")
    for row in AssessmentScore.objects.filter(assessment=assessment):
        cells = sheet.locator(f"tr[data-item='{row.item_code}']")
        if row.veto:
            cells.locator("select").select_option("no" if row.item_code == "basic.2" else "yes")
        else:
            lost = 5 if row.item_code == "staff.4" else 0
            cells.locator("td.value input").fill(str(row.max_points - lost))
    sheet.locator("tr[data-item='basic.2'] td.note input").fill("存在港资股东")
    sheet.locator("button[type=submit]").click()
    expect(page.locator("#score-sheet")).to_be_visible()

    page.locator("#assessment-complete button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/result/$"))
    expect(page.locator("#assessment-score")).to_contain_text("95")
    expect(page.locator("#assessment-verdict")).to_have_attribute("data-passed", "no")
    expect(page.locator("#vetoes-failed li[data-item='basic.2']")).to_contain_text("存在港资股东")
    assessment.refresh_from_db()
    assert (assessment.score, assessment.passed, assessment.vetoed) == (95, False, True)
