"""Copying a classified carrier in a real browser (rule C4).

A person in the 知悉范围 of the carrier's item asks for two copies from the carrier's page;
the head of their department and the 保密办 approve in their inboxes; the 保密办 makes the
copies; the ledger lists them with their copy numbers, and each copy's page shows its 复制戳记.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.carriers import services
from baomi.carriers.choices import CarrierKind, CarrierOrigin, ContainerKind
from baomi.core.labels import Category, Level, Scheme
from baomi.core.testing.factories import DepartmentFactory
from baomi.secrets.choices import ItemState, PeriodKind
from baomi.secrets.models import ScopeEntry, SecretItem

NUMBER = "ZT-2026-030"


@pytest.mark.rule("C4")
def test_copies_requested_approved_made_and_on_the_ledger(page, make_user, unit, as_user,
                                                          approve_from_inbox):
    yf1 = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    head = make_user("head", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE,
                     department_=yf1)
    reader = make_user("reader", roles=[Role.STAFF], category=Category.IMPORTANT,
                       department_=yf1, person__name="何振宇")
    safe = services.register_container(office, unit=unit, number="MX-01",
                                       kind=ContainerKind.SAFE, rating=Level.TOP_SECRET,
                                       location="保密室")
    today = timezone.localdate()
    item = SecretItem.objects.create(
        unit=unit, scheme=Scheme.STATE, number="DM-0001", title="型号总体方案",
        level=Level.CONFIDENTIAL, period_kind=PeriodKind.YEARS, period_value=20,
        basis="保密事项范围第3条", state=ItemState.DETERMINED, proposer=office.person,
        created_by=office, decided_on=today)
    ScopeEntry.objects.create(item=item, person=reader.person, added_on=today, added_by=office)
    original = services.register_carrier(
        office, unit=unit, department=yf1, number=NUMBER, title="型号总体方案评审意见",
        kind=CarrierKind.PAPER, scheme=Scheme.STATE, level=Level.CONFIDENTIAL,
        period_kind=PeriodKind.YEARS, period_value=20, origin=CarrierOrigin.PRODUCED,
        received_on=today, custodian=office.person, container=safe, secret_item=item,
        pages=12)

    # The reader asks for two copies from the carrier's page (rule C4).
    as_user(reader)
    page.goto(f"/carriers/{original.pk}/")
    page.click("#copy-link")
    form = page.locator("#copy-form")
    form.locator("[name=kind]").select_option("copy")
    form.locator("[name=copies]").fill("2")
    form.locator("[name=purpose]").fill("分发评审组成员")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/carriers/copies/\d+/$"))
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "requested")
    order_url = page.url

    for decider in (head, office):
        as_user(decider)
        approve_from_inbox(NUMBER)

    # The 保密办 makes the copies: two new carriers on the ledger.
    as_user(office)
    page.goto(order_url)
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "approved")
    page.fill("#copy-make-form [name=made_on]", today.isoformat())
    page.click("#copy-make-form button[type=submit]")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "made")
    expect(page.locator("#copies tbody tr[data-number]")).to_have_count(2)

    page.goto("/carriers/")
    for n in (1, 2):
        row = page.locator(f"#carriers tbody tr[data-number='{NUMBER}-F{n}']")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(f"第{n}份")
    page.locator(f"#carriers tbody tr[data-number='{NUMBER}-F2'] a").first.click()
    expect(page.locator("#copy-stamp")).to_contain_text("复制件 第2份")
    expect(page.locator("#carrier-mark")).to_have_text("机密★20年")
