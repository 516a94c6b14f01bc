"""重大事项报告 in a real browser (rule P7): a classified person files a zero annual report
from their file; the 保密办 sees it in the year's list."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category
from baomi.personnel.choices import FileState
from baomi.personnel.models import PersonnelFile


@pytest.mark.rule("P7")
def test_zero_annual_report_reaches_the_office(page, login, make_user, unit):
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    staff = make_user("staff", roles=[Role.STAFF], category=Category.GENERAL)
    PersonnelFile.objects.create(person=staff.person, unit=unit, category=Category.GENERAL,
                                 state=FileState.IN_POST, in_post_since=date(2020, 1, 1))

    login(staff)
    page.goto("/personnel/me/")
    page.click("#my-reports-link")
    page.select_option("select[name=kind]", "annual")
    page.check("input[name=is_zero]")
    page.click("form.report-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/personnel/reports/\d+/$"))
    expect(page.locator("[data-field=is_zero]")).to_have_attribute("data-zero", "yes")

    page.context.clear_cookies()
    login(office)
    page.goto("/personnel/reports/")
    row = page.locator("#annual-reports tbody tr", has_text=staff.person.name)
    expect(row).to_have_attribute("data-filed", "yes")
    expect(row).to_have_attribute("data-zero", "yes")
    row.get_by_role("link").last.click()
    expect(page).to_have_url(re.compile(r"/personnel/reports/\d+/$"))
    expect(page.locator("form.acknowledge")).to_have_count(1)
