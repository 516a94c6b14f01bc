"""A removable medium in use, in a real browser (rule D4).

The 保密办 binds a 机密 U盘 to a 机密 computer from the computer's page (the 秘密 computer is
not offered for it), checks the medium out to a person cleared 机密 from the medium's page,
sees it in the check-out list, and takes it back recording that the data written on it was
cleared (返回信息清除情况).
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory
from baomi.devices import services
from baomi.devices.choices import DeviceKind, MediumKind
from baomi.devices.models import MediumBinding, MediumLoan


@pytest.mark.rule("D4")
def test_medium_bound_checked_out_and_returned(page, make_user, unit, as_user):
    yf1 = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    user = make_user("engineer", roles=[Role.STAFF], category=Category.IMPORTANT,
                     department_=yf1, person__name="郭婷")
    today = timezone.localdate()
    computer = services.register_device(
        office, unit=unit, department=yf1, number="JSJ-001", kind=DeviceKind.DESKTOP,
        level=Level.CONFIDENTIAL, responsible=user.person, location="科研楼 203",
        in_use_on=today)
    services.register_device(
        office, unit=unit, department=yf1, number="JSJ-LOW", kind=DeviceKind.DESKTOP,
        level=Level.SECRET, responsible=user.person, location="科研楼 205", in_use_on=today)
    medium = services.register_medium(
        office, unit=unit, department=yf1, number="U-001", kind=MediumKind.USB_DRIVE,
        level=Level.CONFIDENTIAL, responsible=office.person, capacity="64GB")

    as_user(office)
    # From the computer's page: bind the U盘 (rule D4: 机密 on 机密).
    page.goto(f"/devices/{computer.pk}/")
    bind = page.locator("#media-panel #action-bind")
    bind.locator("[name=medium]").select_option(str(medium.pk))
    bind.locator("button[type=submit]").click()
    expect(page.locator("#media-bindings tbody tr[data-id]")).to_have_count(1)
    expect(page.locator("#media-bindings")).to_contain_text("U-001")
    binding = MediumBinding.objects.get()
    assert binding.device_id == computer.pk and binding.unbound_on is None

    # The medium's page lists the computer; the 秘密 one is no choice for a 机密 medium.
    page.goto(f"/devices/media/{medium.pk}/")
    expect(page.locator("#media-bindings")).to_contain_text("JSJ-001")
    expect(page.locator("#action-bind [name=device] option", has_text="JSJ-LOW")).to_have_count(0)

    # Check it out to 郭婷, cleared 机密.
    out = page.locator("#action-check-out")
    out.locator("[name=person]").select_option(str(user.person_id))
    out.locator("[name=purpose]").fill("拷贝试验数据")
    out.locator("button[type=submit]").click()
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "out")
    expect(page.locator("#medium-loans tbody tr[data-state=out]")).to_have_count(1)
    expect(page.locator("#action-check-out")).to_have_count(0)

    page.goto("/devices/medium-loans/?out=1")
    expect(page.locator("#medium-loans tbody tr[data-state=out]")).to_contain_text("郭婷")

    # Take it back: written and cleared needs the note — first without, refused on the form.
    page.goto(f"/devices/media/{medium.pk}/")
    back = page.locator("#action-return")
    back.locator("input[name=content_check][value=cleared]").check()
    back.locator("button[type=submit]").click()
    expect(page.locator("#media-action .error").first).to_be_visible()
    form = page.locator("#media-action")
    form.locator("input[name=content_check][value=cleared]").check()
    form.locator("[name=content_note]").fill("试验数据已导入 JSJ-001，介质上的文件已用专用工具清除")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "in_store")
    expect(page.locator("#medium-loans [data-field=content_check]")).to_have_attribute(
        "data-value", "cleared")
    loan = MediumLoan.objects.get()
    assert loan.content_check == "cleared" and loan.received_by_id == office.pk
