"""The check tool's server side in a real browser (rule D11): the 保密办 uploads a report file
carried from a 非涉密 computer, sees its violations and the rectification opened, and edits
the unit's keyword list."""

import json
import re

import pytest
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.compliance.models import Rectification
from baomi.core.labels import Category
from baomi.scans import services
from baomi.scans.models import KeywordList
from tests.scans.support import make_report


@pytest.mark.rule("D11")
def test_upload_a_report_and_edit_the_keyword_list(page, make_user, as_user, tmp_path):
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    keywords = services.create_keyword_list(office, name="本单位报警关键字", terms="天枢-3")
    report = tmp_path / "report.json"
    report.write_text(json.dumps(make_report(1), ensure_ascii=False, indent=2), encoding="utf-8")

    as_user(office)
    page.goto("/scans/")
    page.click("#report-upload")
    form = page.locator("#upload-form")
    form.locator("[name=file]").set_input_files(str(report))
    form.locator("[name=device]").fill("HX-FM-017")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/scans/\d+/$"))
    expect(page.locator(".verdict")).to_have_attribute("data-clean", "no")
    expect(page.locator("#violations")).to_contain_text("报告0.docx")
    rectification = Rectification.objects.get()
    expect(page.locator("#rectifications")).to_contain_text("HX-FM-017")
    expect(page.locator("#rectifications a")).to_have_attribute(
        "href", f"/compliance/rectifications/{rectification.pk}/")
    expect(page.locator("#files")).to_contain_text("机密")

    page.goto("/scans/")
    expect(page.locator("#reports tbody tr")).to_have_count(1)
    expect(page.locator("#reports .verdict")).to_have_attribute("data-clean", "no")

    page.goto(f"/scans/keywords/{keywords.pk}/")
    page.locator("#keyword-list-form [name=terms]").fill("天枢-3\n玄武二型\n天枢-3\nProject Aurora")
    page.locator("#keyword-list-form button[name=save]").click()
    expect(page.locator("#term-count")).to_contain_text("3")
    assert KeywordList.objects.get().term_list == ["天枢-3", "玄武二型", "Project Aurora"]
