"""In Chromium: the 保密办 registers a container standing in a room that lacks an alarm and
sees that the room does not meet rule Q7; a container holding a 机密 carrier cannot be moved
into such a room (the refusal is shown on the form), only into one that meets Q7."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.carriers import services
from baomi.carriers.choices import CarrierKind, CarrierOrigin, ContainerKind
from baomi.carriers.models import Container
from baomi.core.labels import Category, Level, Scheme
from baomi.core.testing.factories import SecureRoomFactory
from baomi.secrets.choices import PeriodKind


@pytest.mark.rule("Q7")
def test_containers_stand_in_secure_rooms(page, make_user, unit, as_user):
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    good = SecureRoomFactory(unit=unit, name="机要室")
    other_good = SecureRoomFactory(unit=unit, name="新机要室")
    poor = SecureRoomFactory(unit=unit, name="文件室", alarm=False)
    safe = services.register_container(office, unit=unit, number="MX-01",
                                       kind=ContainerKind.SAFE, rating=Level.TOP_SECRET,
                                       location="机要室", room=good)
    services.register_carrier(
        office, unit=unit, department=office.person.department, number="ZT-0001",
        title="型号总体方案", kind=CarrierKind.PAPER, scheme=Scheme.STATE,
        level=Level.CONFIDENTIAL, period_kind=PeriodKind.YEARS, period_value=20,
        origin=CarrierOrigin.PRODUCED, received_on=timezone.localdate(),
        custodian=office.person, container=safe, pages=8)

    as_user(office)
    page.goto("/carriers/containers/")
    form = page.locator("#container-form")
    form.locator("[name=number]").fill("BMG-01")
    form.locator("[name=kind]").select_option("cabinet")
    form.locator("[name=rating]").select_option(str(int(Level.NONSECRET)))
    form.locator("[name=location]").fill("文件室")
    form.locator("[name=room]").select_option(str(poor.pk))
    form.locator("button[type=submit]").click()
    cabinet = page.locator("#containers tr[data-number='BMG-01'] td.room")
    expect(cabinet).to_have_attribute("data-meets-q7", "no")
    expect(cabinet).to_contain_text("文件室")
    expect(page.locator("#containers tr[data-number='MX-01'] td.room")).to_have_attribute(
        "data-meets-q7", "yes")

    # The safe holds a 机密 carrier: not into the room without an alarm (rule Q7).
    page.click("#containers tr[data-number='MX-01'] a")
    edit = page.locator("#container-edit-form")
    edit.locator("[name=room]").select_option(str(poor.pk))
    edit.locator("button[type=submit]").click()
    expect(page.locator("#container-edit-form")).to_contain_text("Q7")
    assert Container.objects.get(pk=safe.pk).room_id == good.pk
    edit = page.locator("#container-edit-form")
    edit.locator("[name=room]").select_option(str(other_good.pk))
    edit.locator("button[type=submit]").click()
    expect(page.locator("#containers tr[data-number='MX-01'] td.room")).to_contain_text(
        "新机要室")
    assert Container.objects.get(pk=safe.pk).room_id == other_good.pk
