"""Maintenance (rule D7) and retirement (rule D8) in a real browser.

(a) The responsible person of a 秘密 laptop asks, from its page, to send it out for repair;
the head of the department and the 保密办 approve in their inboxes; the 保密办 records the
disk removed, sends the laptop out (it is away) and records it repaired and back (in use).

(b) The same person proposes a desktop for retirement; once approved the 保密办 records the
clearing of its information and its hand-over for destruction; the desktop's page shows it
retired, without its edit forms.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory
from baomi.devices import services
from baomi.devices.choices import DeviceKind


def scene(make_user, unit, number, kind):
    yf1 = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    head = make_user("head", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE,
                     department_=yf1, person__name="张部长")
    owner = make_user("owner", roles=[Role.STAFF], category=Category.IMPORTANT,
                      department_=yf1, person__name="何机密")
    device = services.register_device(
        office, unit=unit, department=yf1, number=number, kind=kind, level=Level.SECRET,
        responsible=owner.person, location="科研楼 203",
        in_use_on=timezone.localdate().replace(year=2022))
    return office, head, owner, device


def approve_chain(as_user, approve_from_inbox, number, *deciders):
    for decider in deciders:
        as_user(decider)
        approve_from_inbox(number)


@pytest.mark.rule("D7")
def test_a_laptop_sent_out_for_repair(page, make_user, unit, as_user, approve_from_inbox):
    office, head, owner, laptop = scene(make_user, unit, "HX-BJB-001", DeviceKind.PORTABLE)
    today = timezone.localdate().isoformat()

    as_user(owner)
    page.goto(f"/devices/{laptop.pk}/")
    page.click("#maintenance-new-link")
    form = page.locator("#maintenance-form")
    form.locator("[name=mode]").select_option("sent_out")
    form.locator("[name=fault]").fill("主板供电故障，无法开机")
    form.locator("[name=repairer]").fill("联想涉密设备定点维修中心")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/devices/maintenance/\d+/$"))
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "requested")
    expect(page.locator("#maintenance-request")).to_be_visible()
    maintenance_url = page.url

    approve_chain(as_user, approve_from_inbox, "HX-BJB-001", head, office)

    as_user(office)
    page.goto(maintenance_url)
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "approved")
    action = page.locator("#maintenance-action-form")
    action.locator("[name=kept_at]").fill("保密办 密码文件柜 A-03")
    action.locator("button[type=submit]").click()
    expect(page.locator("[data-field=disk-removed]")).to_contain_text("保密办 密码文件柜 A-03")
    page.locator("#maintenance-send_out button[type=submit]").click()  # left today
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "away")
    page.click("#maintenance-device")
    expect(page.locator("dd[data-field=state]")).to_have_attribute("data-state", "away")

    page.goto(maintenance_url)
    repaired = page.locator("#maintenance-repaired")
    repaired.locator("[name=result]").fill("更换主板，经检查无异常")
    repaired.locator("[name=back_on]").fill(today)
    repaired.locator("button[type=submit]").click()
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "done")
    expect(page.locator("[data-field=back-on]")).to_have_text(today)
    page.goto(f"/devices/{laptop.pk}/")
    expect(page.locator("dd[data-field=state]")).to_have_attribute("data-state", "in_use")
    expect(page.locator("#device-maintenances tbody tr[data-state=done]")).to_have_count(1)


@pytest.mark.rule("D8")
def test_a_desktop_retired_cleared_and_destroyed(page, make_user, unit, as_user,
                                                 approve_from_inbox):
    office, head, owner, desktop = scene(make_user, unit, "HX-JSJ-009", DeviceKind.DESKTOP)

    as_user(owner)
    page.goto(f"/devices/{desktop.pk}/")
    page.click("#retirement-new-link")
    page.locator("#retirement-form [name=reason]").fill("使用超过八年，主板老化")
    page.locator("#retirement-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/devices/retirements/\d+/$"))
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "requested")
    retirement_url = page.url

    approve_chain(as_user, approve_from_inbox, "HX-JSJ-009", head, office)

    as_user(office)
    page.goto(retirement_url)
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "approved")
    clearing = page.locator("#retirement-clearing")
    clearing.locator("[name=method]").select_option("degauss")
    clearing.locator("[name=cleared_by]").fill("保密办 刘保密")
    clearing.locator("button[type=submit]").click()
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "cleared")
    destruction = page.locator("#retirement-destruction")
    destruction.locator("[name=destruction_body]").fill("省国家保密局涉密载体销毁中心")
    destruction.locator("[name=certificate_no]").fill("XHZM-2026-0117")
    destruction.locator("button[type=submit]").click()
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "destroyed")
    expect(page.locator("[data-field=certificate]")).to_have_text("XHZM-2026-0117")

    page.click("#retirement-subject")
    expect(page.locator("dd[data-field=state]")).to_have_attribute("data-state", "retired")
    expect(page.locator("#action-update")).to_have_count(0)
    expect(page.locator("#retirement-new-link")).to_have_count(0)
    page.goto("/devices/retirements/?state=destroyed")
    expect(page.locator("#retirements tbody tr[data-number='HX-JSJ-009']")).to_have_count(1)
