"""Device passwords in a real browser (rule D6): the responsible person of a 机密 computer
records a password change on its page — a password too short for the level is refused on the
form — and the panel shows the change and the next due day."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory
from baomi.devices import services
from baomi.devices.choices import DeviceKind
from baomi.devices.models import Device


@pytest.mark.rule("D6")
def test_responsible_person_records_a_password_change(page, make_user, unit, as_user):
    yf1 = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    engineer = make_user("engineer", roles=[Role.STAFF], category=Category.IMPORTANT,
                         department_=yf1, person__name="何机密")
    today = timezone.localdate()
    device = services.register_device(
        office, unit=unit, department=yf1, number="HX-JSJ-001", kind=DeviceKind.DESKTOP,
        level=Level.CONFIDENTIAL, responsible=engineer.person, location="科研楼 203",
        in_use_on=today - dt.timedelta(days=30))

    as_user(engineer)
    page.goto(f"/devices/{device.pk}/")
    panel = page.locator("#password-panel")
    expect(panel.locator("[data-field=password_due_on]")).to_have_attribute(
        "data-overdue", "true")
    form = page.locator("#action-password")
    form.locator("[name=changed_on]").fill(today.isoformat())
    form.locator("[name=length]").fill("9")  # 机密: at least 10
    form.locator("[name=classes]").select_option("4")
    form.locator("button[type=submit]").click()
    expect(page.locator("#action-password .has-error .error")).to_have_count(1)
    page.locator("#action-password [name=length]").fill("12")
    page.click("#action-password button[type=submit]")
    expect(page.locator("#password-panel [data-field=password_due_on]")).to_have_attribute(
        "data-overdue", "false")
    expect(page.locator("#password-panel [data-field=password_changed_on]")).to_have_text(
        today.isoformat())
    assert Device.objects.get(pk=device.pk).password_changed_on == today
