"""In Chromium: an inspection to a rectification and its re-check (rule Q10). The 保密办
starts this year's self-assessment from the menu, marks an item a problem with an owner and a
due day, and completes it; the owner records the measures from "my rectifications"; the 保密办
re-checks it passed. The other 51 items are passed through the service, to keep the test
short."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.compliance import services_inspections as services
from baomi.compliance.models import Inspection, Rectification
from baomi.core.labels import Category


@pytest.mark.rule("Q10")
def test_an_inspection_to_a_rectification_and_its_re_check(page, make_user, unit, login):
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    owner = make_user("owner", roles=[Role.STAFF], category=Category.GENERAL,
                      person__name="周整改")
    today = timezone.localdate()
    login(office)
    page.click("a[href='/compliance/inspections/']")
    form = page.locator("#inspection-form")
    form.locator("[name=kind]").select_option("self")
    form.locator("[name=library]").select_option("self_assessment_58")
    form.locator("button[type=submit]").click()
    expect(page.locator("#inspection-props")).to_have_attribute("data-state", "draft")
    inspection = Inspection.objects.get()
    first, *rest = inspection.items.order_by("position")
    for item in rest:
        services.record_item_result(office, item, result="pass")

    row = page.locator(f"#item-{first.pk}")
    row.locator("[name=result]").select_option("problem")
    row.locator("[name=finding]").fill("保密委员会成员调整后未发文")
    row.locator("form.item-result button").click()
    row = page.locator(f"#item-{first.pk}")
    expect(row).to_have_attribute("data-result", "problem")
    row.locator("[name=owner]").select_option(str(owner.pk))
    row.locator("[name=due_on]").fill((today + dt.timedelta(days=14)).isoformat())
    row.locator("form.rectification-form button").click()
    expect(page.locator(f"#item-{first.pk} a.rectification-link")).to_contain_text("周整改")
    page.locator("#complete-form button[type=submit]").click()
    expect(page.locator("#inspection-props")).to_have_attribute("data-state", "completed")
    rectification = Rectification.objects.get()
    assert (rectification.owner, rectification.state) == (owner, "open")

    page.context.clear_cookies()
    login(owner)
    page.click("a[href='/compliance/rectifications/mine/']")
    page.locator(f"#rectifications tr[data-id='{rectification.pk}'] a").first.click()
    page.locator("#measures-form [name=measures]").fill("已重新发文调整保密委员会成员")
    page.locator("#measures-form button[type=submit]").click()
    expect(page.locator("#rectification-props")).to_have_attribute("data-state", "done")

    page.context.clear_cookies()
    login(office)
    page.goto(f"/compliance/rectifications/{rectification.pk}/")
    page.locator("#recheck-form [name=passed]").select_option("yes")
    page.locator("#recheck-form [name=note]").fill("文件已下发")
    page.locator("#recheck-form button[type=submit]").click()
    expect(page.locator("#rectification-props")).to_have_attribute("data-state", "verified")
    expect(page).to_have_url(re.compile(rf"/compliance/rectifications/{rectification.pk}/$"))
    assert Rectification.objects.get().checks.get().passed is True
