"""In Chromium: the 保密办 opens 资质与备案 from the menu, registers a 备案 (valid 3 years,
rule Q4) and sees its renewal deadline, files a renewal application; then records a change of
ownership, sees that it asks for a new filing, and reports it late (rule Q6)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.compliance import services_qualification as services
from baomi.compliance.models import Qualification, QualificationApplication, UnitChange
from baomi.core.labels import Category


@pytest.mark.rule("Q4")
@pytest.mark.rule("Q6")
def test_register_renew_and_report_a_change(page, make_user, unit, login):
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    login(office)
    page.click("a[href='/compliance/qualifications/']")
    expect(page).to_have_url(re.compile(r"/compliance/qualifications/$"))

    form = page.locator("#qualification-form")
    form.locator("[name=type]").select_option("consulting_filing")
    form.locator("[name=grade]").select_option("second")
    form.locator("[name=certificate_number]").fill("JGBA-2024-0156")
    form.locator("[name=issuing_authority]").fill("国家国防科技工业局")
    form.locator("[name=issued_on]").fill("2024-01-01")
    form.locator("button[type=submit]").click()
    row = page.locator("#qualifications tr[data-number='JGBA-2024-0156']")
    expect(row).to_have_attribute("data-state", "valid")
    expect(row.locator("td.expires_on")).to_have_text("2026-12-31")
    q = Qualification.objects.get(certificate_number="JGBA-2024-0156")
    expect(row.locator("td.deadline")).to_contain_text(
        services.requalification_deadline(q).date.isoformat())

    application = page.locator("#application-form")
    application.locator("[name=type]").select_option("consulting_filing")
    application.locator("[name=kind]").select_option("renewal")
    application.locator("[name=renews]").select_option(str(q.pk))
    application.locator("[name=applied_on]").fill("2026-11-02")
    application.locator("button[type=submit]").click()
    filed = page.locator("#applications tr[data-result='pending']")
    expect(filed).to_have_count(1)
    assert QualificationApplication.objects.get().renews_id == q.pk

    page.click("a[href='/compliance/unit-changes/']")
    change_form = page.locator("#unit-change-form")
    change_form.locator("[name=kind]").select_option("ownership")
    change_form.locator("[name=description]").fill("引入战略投资者，股权结构调整")
    change_form.locator("[name=old_value]").fill("国有独资")
    change_form.locator("[name=new_value]").fill("国有控股")
    change_form.locator("[name=occurred_on]").fill("2026-11-05")
    change_form.locator("button[type=submit]").click()
    expect(page.locator("#filing-warning")).to_have_attribute("data-filing", "new")
    expect(page.locator("[data-field=report_due_on]")).to_contain_text("2026-11-19")

    report = page.locator("#report-form")
    report.locator("[name=reported_on]").fill("2026-11-20")
    report.locator("[name=reported_to]").fill("省国防科技工业办公室")
    report.locator("button[type=submit]").click()
    expect(page.locator("[data-field=reported_on]")).to_have_attribute("data-late", "yes")
    change = UnitChange.objects.get()
    assert (change.reported_on, change.reported_late) == (dt.date(2026, 11, 20), True)
    page.click("a[href='/compliance/unit-changes/']")
    expect(page.locator(f"#unit-changes tr[data-id='{change.pk}']")).to_have_attribute(
        "data-late", "yes")
