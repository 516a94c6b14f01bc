"""In Chromium: the 保密办 opens 保密场所 from the menu, registers a room without an intrusion
alarm and sees that it does not meet rule Q7, then records the alarm and sees it meets Q7."""

import re

import pytest
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.compliance.models import SecureRoom
from baomi.core.labels import Category


@pytest.mark.rule("Q7")
def test_the_office_registers_a_room_and_completes_its_measures(page, make_user, unit, login):
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    login(office)
    page.click("a[href='/compliance/rooms/']")
    expect(page).to_have_url(re.compile(r"/compliance/rooms/$"))

    form = page.locator("#room-form")
    form.locator("[name=name]").fill("机要室")
    form.locator("[name=location]").fill("行政楼三层301")
    form.locator("[name=access_control]").check()
    form.locator("[name=video]").check()
    form.locator("[name=video_retention_days]").fill("90")
    form.locator("button[type=submit]").click()
    row = page.locator("#rooms tr[data-name='机要室']")
    expect(row.locator("td.q7")).to_have_attribute("data-meets-q7", "no")
    expect(row.locator("td.alarm")).to_have_attribute("data-on", "no")
    room = SecureRoom.objects.get(name="机要室")
    assert (room.unit_id, room.video_retention_days, room.alarm) == (unit.pk, 90, False)

    row.get_by_role("link", name="机要室").click()
    expect(page.locator("#room-q7")).to_have_attribute("data-meets-q7", "no")
    edit = page.locator("#room-edit-form")
    expect(edit.locator("[name=video_retention_days]")).to_have_value("90")
    edit.locator("[name=alarm]").check()
    edit.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/compliance/rooms/$"))
    row = page.locator("#rooms tr[data-name='机要室']")
    expect(row.locator("td.q7")).to_have_attribute("data-meets-q7", "yes")
    assert SecureRoom.objects.get(pk=room.pk).alarm is True
