"""The 保密办 in a real browser: opens the 保密津贴 sheet of the current month from the ledger
(rule P15: a person whose exit was approved on the 1st is paid that day only), downloads it
for payroll, and opens the 备案 (rule P16: the exit is a change, the person is listed in 脱密期)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category
from baomi.core.testing.factories import PersonFactory
from baomi.personnel.choices import ExitKind, ExitState, FileState
from baomi.personnel.models import ExitCase, PersonnelFile


@pytest.mark.rule("P15")
@pytest.mark.rule("P16")
def test_office_exports_allowance_and_opens_filing(page, login, make_user, department, tmp_path):
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    unit = department.unit
    unit.policy_overrides = {"personnel.allowance.core": 900}
    unit.save(update_fields=["policy_overrides"])
    person = PersonFactory(unit=unit, department=department, name="何振宇", employee_no="E-0001",
                           category=Category.CORE)
    first = timezone.localdate().replace(day=1)
    PersonnelFile.objects.create(person=person, unit=unit, category=Category.CORE,
                                 state=FileState.IN_POST, in_post_since=first)
    leaver = PersonFactory(unit=unit, department=department, name="梁晨", employee_no="E-0002",
                           category=Category.NONE)
    ends_on = first.replace(year=first.year + 3)
    left = PersonnelFile.objects.create(
        person=leaver, unit=unit, category=Category.CORE, state=FileState.DECLASSIFYING,
        in_post_since=first.replace(year=first.year - 5), left_on=first,
        declassification_ends_on=ends_on)
    ExitCase.objects.create(file=left, kind=ExitKind.LEAVE_UNIT, state=ExitState.APPROVED,
                            leave_on=first, reason="调离", category=Category.CORE,
                            approved_on=first, period_months=36, ends_on=ends_on,
                            created_by=office)
    login(office)

    page.goto(reverse("personnel:person_list"))
    page.locator(f"main a[href='{reverse('personnel:allowance')}']").click()
    page.wait_for_load_state("networkidle")
    month = f"{timezone.localdate():%Y-%m}"
    expect(page.locator("input[name=month]")).to_have_value(month)
    row = page.locator("#allowance tbody tr", has_text="何振宇")
    expect(row.locator("[data-field=amount]")).to_have_text("900.00")
    gone = page.locator("#allowance tbody tr", has_text="梁晨")
    expect(gone.locator("[data-field=left_on]")).to_have_text(first.isoformat())
    one_day = (Decimal(900) / Decimal(len_of_month(first))).quantize(Decimal("0.01"))
    expect(gone.locator("[data-field=amount]")).to_have_text(str(one_day))
    expect(page.locator("[data-field=total]")).to_have_text(str(Decimal(900) + one_day))
    expect(page.locator("#amounts-not-set")).to_have_count(0)

    with page.expect_download() as download_info:
        page.locator(f"a[href$='month={month}']").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = {row[0]: row for row in load_workbook(saved).worksheets[0].values}
    assert Decimal(str(rows["何振宇"][-1])) == Decimal("900.00")
    assert rows["梁晨"][5].date() == first

    page.goto(reverse("personnel:filing"))
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("#filing-roster tbody")).to_contain_text("何振宇")
    expect(page.locator("#filing-changes tbody")).to_contain_text("何振宇")  # 上岗 this month
    expect(page.locator("#filing-changes tbody")).to_contain_text("梁晨")  # the exit
    expect(page.locator("#filing-roster tbody")).not_to_contain_text("梁晨")
    declassifying = page.locator("#filing-declassifying tbody tr", has_text="梁晨")
    expect(declassifying).to_contain_text(ends_on.isoformat())


def len_of_month(first):
    import calendar

    return calendar.monthrange(first.year, first.month)[1]

