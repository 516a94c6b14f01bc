"""The 保密办 in a real browser: creates a post, opens a file, assigns the post, sees the
derived category in the ledger (rule L3) and filters it by department."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory, PersonFactory


@pytest.mark.rule("L3")
@pytest.mark.rule("P1")
def test_office_builds_the_ledger(page, login, make_user, department):
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    rd = DepartmentFactory(unit=department.unit, name="研发一部", code="YF1")
    person = PersonFactory(unit=department.unit, department=rd, name="何振宇",
                           employee_no="E-0001")
    elsewhere = PersonFactory(unit=department.unit, department=department, name="梁晨",
                              employee_no="E-0002")
    login(office)

    page.goto(reverse("personnel:post_list"))
    form = page.locator("#post-create form")
    form.locator("select[name=department]").select_option(str(rd.pk))
    form.locator("input[name=name]").fill("型号总师")
    form.locator("select[name=level]").select_option(str(int(Level.CONFIDENTIAL)))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_contain_text("型号总师")

    page.goto(reverse("personnel:person_list"))
    for someone in (person, elsewhere):
        form = page.locator("#open-file form")
        form.locator("select[name=person]").select_option(str(someone.pk))
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("h1")).to_contain_text(someone.name)
        if someone is person:
            assign = page.locator("#assign-post form")
            assign.locator("select[name=post]").select_option(label="研发一部·型号总师（机密）")
            assign.locator("button[type=submit]").click()
            page.wait_for_load_state("networkidle")
            expect(page.locator("[data-field=category]")).to_have_text(
                str(Category.IMPORTANT.label))
        page.goto(reverse("personnel:person_list"))

    ledger = page.locator("#ledger tbody")
    expect(ledger.locator("tr")).to_have_count(2)
    row = ledger.locator("tr", has_text="何振宇")
    expect(row).to_contain_text("型号总师")
    expect(row).to_contain_text(str(Category.IMPORTANT.label))

    filters = page.locator("#ledger-filters")
    filters.locator("select[name=department]").select_option(str(rd.pk))
    filters.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(ledger.locator("tr")).to_have_count(1)
    expect(ledger).to_contain_text("何振宇")
    expect(ledger).not_to_contain_text("梁晨")
