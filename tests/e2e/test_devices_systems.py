"""Classified information systems in a real browser (rules D2, D10): the 保密办 registers a
system, adds a device (one below the system's level is refused on the form), records a risk
assessment and sees the next one due on the page and in the list."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.calendar import add_months
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory
from baomi.devices import services
from baomi.devices.choices import DeviceKind
from baomi.devices.models import ClassifiedSystem


@pytest.mark.rule("D10")
def test_register_a_system_add_a_device_and_assess_it(page, make_user, unit, as_user):
    yf1 = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    engineer = make_user("engineer", roles=[Role.STAFF], category=Category.IMPORTANT,
                         department_=yf1, person__name="何机密")
    today = timezone.localdate()
    in_use_on = today - dt.timedelta(days=400)

    def desktop(number, level):
        return services.register_device(
            office, unit=unit, department=yf1, number=number, kind=DeviceKind.DESKTOP,
            level=level, responsible=engineer.person, location="科研楼 203",
            in_use_on=in_use_on)

    desktop("HX-JSJ-001", Level.CONFIDENTIAL)
    desktop("HX-JSJ-002", Level.SECRET)

    as_user(office)
    page.goto("/devices/systems/")
    page.click("#system-new-link")
    form = page.locator("#system-form")
    form.locator("[name=name]").fill("研发涉密网")
    form.locator("[name=level]").select_option(str(Level.CONFIDENTIAL.value))
    form.locator("[name=responsible]").select_option(label="何机密（研发一部）")
    form.locator("[name=in_use_on]").fill(in_use_on.isoformat())
    form.locator("button[type=submit]").click()
    expect(page.locator("#system-level")).to_have_attribute("data-level", "2")
    expect(page.locator("[data-field=next_due_on]")).to_have_attribute("data-overdue", "true")

    add = page.locator("#action-add_device")
    add.locator("select").select_option(label="HX-JSJ-002 · 台式计算机 · 秘密")
    add.locator("button[type=submit]").click()
    expect(page.locator("#action-add_device .has-error .error")).to_have_count(1)
    page.locator("#action-add_device select").select_option(
        label="HX-JSJ-001 · 台式计算机 · 机密")
    page.click("#action-add_device button[type=submit]")
    expect(page.locator("#system-devices [data-number=HX-JSJ-001]")).to_have_count(1)

    assessed_on = today - dt.timedelta(days=30)
    assess = page.locator("#action-assess")
    assess.locator("[name=assess-assessed_on]").fill(assessed_on.isoformat())
    assess.locator("[name=assess-assessor]").fill("国家保密科技测评中心")
    assess.locator("[name=assess-report_no]").fill("GBCP-2025-001")
    assess.locator("[name=assess-passed]").select_option("yes")
    assess.locator("button[type=submit]").click()
    due = add_months(assessed_on, 24).isoformat()
    expect(page.locator("[data-field=next_due_on]")).to_have_attribute("data-overdue", "false")
    expect(page.locator("[data-field=next_due_on]")).to_contain_text(due)

    page.goto("/devices/systems/")
    row = page.locator("#systems tbody tr").first
    expect(row.locator("[data-field=device_count]")).to_have_text("1")
    expect(row.locator("[data-field=next_due_on]")).to_contain_text(due)
    assert ClassifiedSystem.objects.get().assessments.count() == 1
