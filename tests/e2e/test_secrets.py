"""A secret item from proposal to a period change in a real browser (rules S1, S4, S9, S10).

The 承办人 proposes a 机密 item with two people in its 知悉范围; the 定密责任人 approves it
from the inbox; the item shows its mark 机密★10年. The 承办人 then asks to extend the period
to 20 years, the 定密责任人 approves, and the history shows the old and the new mark.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory
from baomi.secrets import services
from baomi.secrets.models import SecretItem


@pytest.mark.rule("S10")
def test_item_from_proposal_to_period_change(page, make_user, unit, as_user,
                                             approve_from_inbox):
    yf = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    officer = make_user("officer", roles=[Role.CLASSIFICATION_OFFICER], category=Category.CORE)
    proposer = make_user("proposer", roles=[Role.STAFF], category=Category.IMPORTANT,
                         department_=yf, person__name="王承办")
    zhang = make_user("zhang", roles=[Role.STAFF], category=Category.IMPORTANT,
                      department_=yf, person__name="张知悉")
    sun = make_user("sun", roles=[Role.STAFF], category=Category.CORE, department_=yf,
                    person__name="孙知悉")
    services.set_authority(office, unit, max_level=Level.TOP_SECRET, document="国保〔2024〕1号",
                           granted_on=date(2024, 1, 1))

    # The 承办人 proposes from the register.
    as_user(proposer)
    page.goto("/secrets/")
    page.click("#item-new-link")
    form = page.locator("#item-form")
    form.locator("[name=number]").fill("JM-E2E")
    form.locator("[name=title]").fill("新型号总体方案")
    form.locator("[name=level]").select_option(str(Level.CONFIDENTIAL))
    form.locator("[name=period_kind]").select_option("years")
    form.locator("[name=period_value]").fill("10")
    form.locator("[name=basis]").fill("保密事项范围目录第3项")
    form.locator("[name=issued_on]").fill("2025-01-15")
    form.locator("[name=scope_people]").select_option([str(zhang.person_id),
                                                       str(sun.person_id)])
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "proposed")
    expect(page.locator("#item-scope tbody tr")).to_have_count(3)  # and the 承办人
    item = SecretItem.objects.get()

    # The 定密责任人 decides in the inbox (rule S4).
    as_user(officer)
    approve_from_inbox("JM-E2E")
    page.goto(f"/secrets/{item.pk}/")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "determined")
    expect(page.locator("#item-mark")).to_have_text("机密★10年")

    # The 承办人 asks to extend the period (rule S10).
    as_user(proposer)
    page.goto(f"/secrets/{item.pk}/")
    change = page.locator("#action-change")
    change.locator("[name=change-kind]").select_option("period")
    change.locator("[name=change-period_kind]").select_option("years")
    change.locator("[name=change-period_value]").fill("20")
    change.locator("[name=change-reason]").fill("型号服役期延长")
    change.locator("button[type=submit]").click()
    expect(page.locator(".messages li")).to_have_count(1)

    as_user(officer)
    approve_from_inbox("JM-E2E")
    page.goto(f"/secrets/{item.pk}/")
    expect(page.locator("#item-mark")).to_have_text("机密★20年")
    history = page.locator("#item-history tr[data-kind=period]")
    expect(history.locator("td.before")).to_contain_text("机密★10年")
    expect(history.locator("td.after")).to_contain_text("机密★20年")
    expect(history).to_contain_text("型号服役期延长")
