"""In Chromium (rule Q7, equipment side): the 保密办 registers a 机密 server choosing a room
without an intrusion alarm and sees the refusal on the form naming what the room lacks; it
chooses the machine room meeting Q7, the server is registered, and the room's page lists it."""

import pytest
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory, SecureRoomFactory
from baomi.devices.models import Device


@pytest.mark.rule("Q7")
def test_a_confidential_server_is_registered_only_in_a_room_meeting_q7(page, make_user, unit,
                                                                      login):
    xx = DepartmentFactory(unit=unit, name="信息中心", code="XX")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密", department_=xx)
    poor = SecureRoomFactory(unit=unit, name="旧库房", alarm=False)
    machine_room = SecureRoomFactory(unit=unit, name="中心机房")
    login(office)
    page.goto("/devices/new/")
    form = page.locator("#device-form")
    form.locator("[name=number]").fill("HX-FWQ-001")
    form.locator("[name=kind]").select_option("server")
    form.locator("[name=level]").select_option(str(Level.CONFIDENTIAL.value))
    form.locator("[name=department]").select_option(label="信息中心")
    form.locator("[name=location]").fill("信息中心 1号机柜")
    expect(form.locator(f"[name=room] option[value='{poor.pk}']")).to_contain_text("不符合 Q7")
    form.locator("[name=room]").select_option(str(poor.pk))
    form.locator("button[type=submit]").click()
    error = page.locator("#device-form .has-error .error")
    expect(error).to_contain_text("旧库房")
    expect(error).to_contain_text("无入侵报警")  # what the room lacks, in Chinese
    assert not Device.objects.exists()

    page.locator("#device-form [name=room]").select_option(str(machine_room.pk))
    page.locator("#device-form button[type=submit]").click()
    expect(page.locator("[data-field=room]")).to_have_attribute("data-meets-q7", "yes")
    assert Device.objects.get(number="HX-FWQ-001").room_id == machine_room.pk

    page.locator("[data-field=room] a").click()
    expect(page.locator("#room-devices tr[data-number='HX-FWQ-001']")).to_have_count(1)
