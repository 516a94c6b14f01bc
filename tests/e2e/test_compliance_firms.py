"""In Chromium: the 保密办 opens 外协与中介机构 from the menu, registers a consulting firm, tries a
秘密 contract and sees it refused with every unmet condition (rule Q11), records the security
review and the filed protocol with 保密 clauses, and signs the contract."""

import re

import pytest
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.compliance.demo_firms import credit_code
from baomi.compliance.models import Firm, FirmContract
from baomi.core.labels import Category, Level


@pytest.mark.rule("Q11")
def test_the_office_qualifies_a_firm_and_signs_classified_work(page, make_user, unit, login):
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    login(office)
    page.click("a[href='/compliance/firms/']")
    expect(page).to_have_url(re.compile(r"/compliance/firms/$"))

    form = page.locator("#firm-form")
    form.locator("[name=name]").fill("北京智诚保密咨询有限公司")
    form.locator("[name=credit_code]").fill(credit_code("91110108MA00XY4F6"))
    form.locator("[name=kind]").select_option("consulting")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/compliance/firms/\d+/$"))
    expect(page.locator("#firm-qualified")).to_have_attribute("data-qualified", "no")

    def sign():
        contract = page.locator("#firm-contract-form")
        contract.locator("[name=contract-title]").fill("保密资格复审咨询")
        contract.locator("[name=contract-level]").select_option(str(Level.SECRET))
        contract.locator("[name=contract-work_kind]").fill("咨询服务")
        contract.locator("[name=contract-signed_on]").fill("2026-03-02")
        contract.locator("[name=contract-responsible]").select_option(str(office.person.pk))
        contract.locator("button[type=submit]").click()

    sign()
    alert = page.locator("#firm-contract-form .error[role=alert]")
    expect(alert).to_be_visible()
    reasons = page.locator("#firm-qualified li")
    expect(reasons).to_have_count(2)
    for reason in reasons.all_inner_texts():
        expect(alert).to_contain_text(reason)
    assert FirmContract.objects.count() == 0

    edit = page.locator("#firm-edit-form")
    edit.locator("[name=update-security_review_passed_on]").fill("2026-01-05")
    edit.locator("button[type=submit]").click()
    protocol = page.locator("#firm-protocol-form")
    protocol.locator("[name=protocol-signed_on]").fill("2026-01-06")
    protocol.locator("[name=protocol-filed_on]").fill("2026-01-08")
    protocol.locator("[name=protocol-scope]").fill("保密咨询服务")
    protocol.locator("[name=protocol-secrecy_clauses]").check()
    protocol.locator("button[type=submit]").click()
    expect(page.locator("#firm-qualified")).to_have_attribute("data-qualified", "yes")

    sign()
    expect(page.locator("#firm-contracts tr[data-title='保密资格复审咨询']")).to_have_attribute(
        "data-level", str(Level.SECRET))
    contract = FirmContract.objects.get()
    assert (contract.firm, contract.level) == (Firm.objects.get(), Level.SECRET)
