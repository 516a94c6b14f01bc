"""The 保密办 in a real browser: opens the 保密津贴 sheet of the current month from the ledger
(rule P15), downloads it for payroll, and opens the 备案 (rule P16)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category
from baomi.core.testing.factories import PersonFactory
from baomi.personnel.choices import FileState
from baomi.personnel.models import PersonnelFile


@pytest.mark.rule("P15")
@pytest.mark.rule("P16")
def test_office_exports_allowance_and_opens_filing(page, login, make_user, department, tmp_path):
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    unit = department.unit
    unit.policy_overrides = {"personnel.allowance.core": 900}
    unit.save(update_fields=["policy_overrides"])
    person = PersonFactory(unit=unit, department=department, name="何振宇", employee_no="E-0001",
                           category=Category.CORE)
    PersonnelFile.objects.create(person=person, unit=unit, category=Category.CORE,
                                 state=FileState.IN_POST,
                                 in_post_since=timezone.localdate().replace(day=1))
    login(office)

    page.goto(reverse("personnel:person_list"))
    page.locator(f"main a[href='{reverse('personnel:allowance')}']").click()
    page.wait_for_load_state("networkidle")
    month = f"{timezone.localdate():%Y-%m}"
    expect(page.locator("input[name=month]")).to_have_value(month)
    row = page.locator("#allowance tbody tr", has_text="何振宇")
    expect(row.locator("[data-field=amount]")).to_have_text("900.00")
    expect(page.locator("[data-field=total]")).to_have_text("900.00")
    expect(page.locator("#amounts-not-set")).to_have_count(0)

    with page.expect_download() as download_info:
        page.locator(f"a[href$='month={month}']").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(load_workbook(saved).worksheets[0].values)
    assert rows[1][0] == "何振宇" and Decimal(str(rows[1][-1])) == Decimal("900.00")

    page.goto(reverse("personnel:filing"))
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("#filing-roster tbody")).to_contain_text("何振宇")
    expect(page.locator("#filing-changes tbody")).to_contain_text("何振宇")  # 上岗 this month

