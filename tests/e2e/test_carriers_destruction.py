"""Two carriers destroyed, in a real browser (rule C7).

The 保密办 opens a destruction list, puts two carriers on it (one by number, one from the
select of carriers in store) and submits it; a second officer checks it and the unit leader
approves it in their inboxes; the 保密办 records the destruction by two people at the
designated body; the ledger shows both carriers destroyed.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.carriers import services
from baomi.carriers.choices import CarrierKind, CarrierOrigin, ContainerKind
from baomi.carriers.models import DestructionBatch
from baomi.core.labels import Category, Level, Scheme
from baomi.core.testing.factories import DepartmentFactory, PersonFactory, SecureRoomFactory
from baomi.secrets.choices import PeriodKind

NUMBERS = ("ZT-2026-031", "ZT-2026-032")


def ledger_state(page, number, state):
    page.goto("/carriers/")
    expect(page.locator(f"#carriers tbody tr[data-number='{number}']")).to_have_attribute(
        "data-state", state)


@pytest.mark.rule("C7")
def test_two_carriers_listed_approved_and_destroyed(page, make_user, unit, as_user,
                                                    approve_from_inbox):
    yf1 = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    office2 = make_user("office2", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                        person__name="钱干事")
    leader = make_user("leader", roles=[Role.LEADER], category=Category.CORE,
                       person__name="陈领导")
    keeper = PersonFactory(unit=unit, department=yf1, name="王保管", category=Category.CORE)
    safe = services.register_container(office, unit=unit, number="MX-01",
                                       kind=ContainerKind.SAFE, rating=Level.TOP_SECRET,
                                       location="保密室", room=SecureRoomFactory(unit=unit))
    carriers = [services.register_carrier(
        office, unit=unit, department=yf1, number=number, title=f"型号方案过程稿{n}",
        kind=CarrierKind.PAPER, scheme=Scheme.STATE, level=Level.CONFIDENTIAL,
        period_kind=PeriodKind.YEARS, period_value=10, origin=CarrierOrigin.PRODUCED,
        received_on=timezone.localdate(), custodian=keeper, container=safe, pages=20)
        for n, number in enumerate(NUMBERS, start=1)]

    # The 保密办 opens the list and puts both carriers on it (清点/登记/造册).
    as_user(office)
    page.goto("/carriers/destruction/")
    form = page.locator("#batch-form")
    form.locator("[name=reason]").fill("型号结题，过程稿无保存价值")
    form.locator("[name=planned_method]").select_option("body")
    form.locator("[name=planned_place]").fill("市保密局指定销毁中心")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "draft")
    batch = DestructionBatch.objects.get()
    page.fill("#action-add [name=add-number]", NUMBERS[0])
    page.click("#action-add button[type=submit]")
    page.locator("#action-add [name=add-carrier]").select_option(str(carriers[1].pk))
    page.click("#action-add button[type=submit]")
    expect(page.locator("#items tbody tr[data-state=to_destroy]")).to_have_count(2)
    page.click("#action-submit button[type=submit]")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "submitted")
    expect(page.locator("#destruction-request-link")).to_be_visible()

    # A second officer checks it, the leader approves (保密办 → 单位领导).
    for decider in (office2, leader):
        as_user(decider)
        approve_from_inbox(batch.number)

    # The 保密办 records the destruction by two people.
    as_user(office)
    page.goto(f"/carriers/destruction/{batch.pk}/")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "approved")
    record = page.locator("#action-record")
    record.locator("[name=record-body]").fill("市保密局指定销毁中心")
    record.locator("[name=record-certificate_no]").fill("XHZ-2026-0031")
    record.locator("[name=record-executors]").fill("刘保密\n王保管")
    record.locator("button[type=submit]").click()
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "destroyed")
    expect(page.locator("[data-field=executors]")).to_have_text("刘保密、王保管")
    expect(page.locator("#items tbody tr[data-state=destroyed]")).to_have_count(2)

    for number in NUMBERS:
        ledger_state(page, number, "destroyed")
