"""In Chromium: the 保密办 opens the overview (charts with their tables), generates this year's
annual self-inspection report, opens the downloaded .docx, and records it as filed (rule Q5)."""

import io
import re

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.compliance.models import AnnualReport
from baomi.core.labels import Category


@pytest.mark.rule("Q5")
def test_the_office_generates_opens_and_files_the_annual_report(page, make_user, unit, login):
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    login(office)
    page.click("a[href='/compliance/overview/']")
    expect(page.locator("#chart-carriers svg")).to_be_visible()
    page.locator("#chart-people summary").click()
    expect(page.locator("#chart-people table.chart-table")).to_be_visible()

    page.click("a[href='/compliance/annual-reports/']")
    year = timezone.localdate().year
    page.locator("#generate-form [name=year]").fill(str(year))
    page.locator("#generate-form button[type=submit]").click()
    row = page.locator(f"#annual-reports tr[data-year='{year}']")
    expect(row).to_have_attribute("data-state", "generated")

    with page.expect_download() as info:
        row.locator("a.download").click()
    document = Document(io.BytesIO(info.value.path().read_bytes()))
    assert document.paragraphs[0].text == f"{unit.name}{year}年度保密自查报告"
    assert re.search("涉密载体管理", "\n".join(p.text for p in document.paragraphs))

    row.locator("[name=filed_to]").fill("市国家保密局")
    row.locator("button[type=submit]").click()
    expect(page.locator(f"#annual-reports tr[data-year='{year}']")).to_have_attribute(
        "data-state", "filed")
    assert AnnualReport.objects.get().filed_to == "市国家保密局"
