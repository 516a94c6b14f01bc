"""A device check in a real browser (rules D3, D11): the 保密办 records a check of a 机密
computer with an item not met, records the signatures of the checker, the user and the
department head, the responsible person rectifies the finding and the 保密办 verifies it."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory
from baomi.devices import services
from baomi.devices.choices import DeviceKind
from baomi.devices.models import CheckFinding


@pytest.mark.rule("D11")
def test_record_sign_rectify_and_verify_a_check(page, make_user, unit, as_user):
    yf1 = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    make_user("head", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE, department_=yf1,
              person__name="张部长")
    engineer = make_user("engineer", roles=[Role.STAFF], category=Category.IMPORTANT,
                         department_=yf1, person__name="何机密")
    today = timezone.localdate()
    device = services.register_device(
        office, unit=unit, department=yf1, number="HX-JSJ-001", kind=DeviceKind.DESKTOP,
        level=Level.CONFIDENTIAL, responsible=engineer.person, location="科研楼 203",
        in_use_on=today)

    as_user(office)
    page.goto(f"/devices/{device.pk}/")
    expect(page.locator("[data-field=check_due_on]")).to_have_attribute("data-overdue", "false")
    page.click("#check-new-link")
    form = page.locator("#check-form")
    form.locator("[name=tool]").fill("计算机终端保密检查系统")
    form.locator("[name=tool_version]").fill("V5.0.3")
    form.locator("[name=item-password]").select_option("no")
    form.locator("[name=note-password]").fill("口令长度不足")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-field=passed]")).to_have_attribute("data-passed", "false")
    expect(page.locator("#findings tr[data-state=open]")).to_have_count(1)

    for role, label in (("checker", "刘保密（综合部）"), ("user", "何机密（研发一部）"),
                        ("head", "张部长（研发一部）")):
        sign = page.locator("#action-sign")
        sign.locator("[name=sign-role]").select_option(role)
        sign.locator("[name=sign-person]").select_option(label=label)
        sign.locator("[name=sign-signed_on]").fill(today.isoformat())
        sign.locator("button[type=submit]").click()
        expect(page.locator(f"#sign-offs tr[data-role={role}]")).to_have_attribute(
            "data-signed", "true")
    expect(page.locator("[data-field=signed]")).to_have_attribute("data-signed", "true")
    expect(page.locator("#action-sign")).to_have_count(0)
    check_url = page.url

    finding = CheckFinding.objects.get()
    as_user(engineer)
    page.goto(check_url)
    rectify = page.locator(f"#action-rectify-{finding.pk}")
    rectify.locator(f"[name=rectify-{finding.pk}-rectified_on]").fill(today.isoformat())
    rectify.locator(f"[name=rectify-{finding.pk}-rectification]").fill("已更换为12位复杂口令")
    rectify.locator("button[type=submit]").click()
    expect(page.locator(f"#findings tr[data-finding='{finding.pk}']")).to_have_attribute(
        "data-state", "rectified")

    as_user(office)
    page.goto(check_url)
    verify = page.locator(f"#action-verify-{finding.pk}")
    verify.locator(f"[name=verify-{finding.pk}-verified_on]").fill(today.isoformat())
    verify.locator(f"[name=verify-{finding.pk}-passed]").select_option("yes")
    verify.locator("button[type=submit]").click()
    expect(page.locator(f"#findings tr[data-finding='{finding.pk}']")).to_have_attribute(
        "data-state", "verified")
    page.goto("/devices/findings/?state=verified")
    expect(page.locator("#findings tbody tr[data-state=verified]")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/devices/findings/"))
