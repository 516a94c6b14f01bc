"""The device ledgers in a real browser (rules D1, D2, D4): the 保密办 registers a classified
computer through the page, adds a user cleared for it — a user below its level is refused on
the form — registers a removable medium and hands it to another responsible person."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory
from baomi.devices.models import Device, Medium


@pytest.mark.rule("D2")
def test_office_registers_a_computer_adds_a_user_and_registers_a_medium(page, make_user, unit,
                                                                        as_user):
    yf1 = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    engineer = make_user("engineer", roles=[Role.STAFF], category=Category.IMPORTANT,
                         department_=yf1, person__name="何机密")
    clerk = make_user("clerk", roles=[Role.STAFF], category=Category.GENERAL,
                      department_=yf1, person__name="马秘密")
    today = timezone.localdate().isoformat()

    as_user(office)
    page.goto("/devices/")
    page.click("#device-new-link")
    form = page.locator("#device-form")
    form.locator("[name=number]").fill("HX-JSJ-001")
    form.locator("[name=kind]").select_option("desktop")
    form.locator("[name=level]").select_option(str(int(Level.CONFIDENTIAL)))
    form.locator("[name=model]").fill("联想 启天M437")
    form.locator("[name=serial_no]").fill("PC0A1B2C")
    form.locator("[name=mac]").fill("00-1A-2B-3C-4D-01")
    form.locator("[name=os]").fill("中标麒麟 V7.0")
    form.locator("[name=department]").select_option(str(yf1.pk))
    form.locator("[name=responsible]").select_option(str(engineer.person_id))
    form.locator("[name=location]").fill("科研楼 203")
    form.locator("[name=in_use_on]").fill(today)
    form.locator("button[type=submit]").click()
    expect(page.locator("#device-level")).to_have_attribute("data-level", "2")
    device = Device.objects.get(number="HX-JSJ-001")

    # rule D2: a 秘密 person never uses a 机密 computer
    page.locator("#action-add_user [name=add_user-person]").select_option(str(clerk.person_id))
    page.click("#action-add_user button[type=submit]")
    expect(page.locator("#action-add_user .has-error .error")).to_have_count(1)
    page.locator("#action-add_user [name=add_user-person]").select_option(
        str(engineer.person_id))
    page.click("#action-add_user button[type=submit]")
    expect(page.locator(f"#device-users tr[data-person='{engineer.person_id}']")).to_have_count(1)
    assert list(device.users.all()) == [engineer.person]

    page.goto("/devices/")
    expect(page.locator("#devices tbody tr[data-number='HX-JSJ-001']")).to_have_count(1)

    page.goto("/devices/media/")
    page.click("#medium-new-link")
    form = page.locator("#medium-form")
    form.locator("[name=number]").fill("HX-U-001")
    form.locator("[name=kind]").select_option("usb")
    form.locator("[name=level]").select_option(str(int(Level.SECRET)))
    form.locator("[name=capacity]").fill("64GB")
    form.locator("[name=department]").select_option(str(yf1.pk))
    form.locator("[name=responsible]").select_option(str(clerk.person_id))
    form.locator("button[type=submit]").click()
    expect(page.locator("#medium-level")).to_have_attribute("data-level", "1")
    assert Medium.objects.get().responsible == clerk.person
    medium_url = page.url
    page.locator("#action-update [name=update-location]").fill("保密柜 2")
    page.locator("#action-update [name=update-responsible]").select_option(
        str(engineer.person_id))
    page.click("#action-update button[type=submit]")
    expect(page.locator("dd[data-field=responsible]")).to_have_text("何机密")
    assert page.url == medium_url
    assert Medium.objects.get().location == "保密柜 2"
    page.goto("/devices/media/")
    expect(page.locator("#media tbody tr[data-number='HX-U-001']")).to_have_count(1)
