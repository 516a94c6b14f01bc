"""Copying a classified carrier in a real browser (rule C4).

A person in the 知悉范围 of the carrier's item asks for two copies from the carrier's page;
the head of their department and the 保密办 approve in their inboxes; the 保密办 makes the
copies; the ledger lists them with their copy numbers, and each copy's page shows its 复制戳记.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .carrier_scene import carrier_scene

NUMBER = "ZT-2026-030"


@pytest.mark.rule("C4")
def test_copies_requested_approved_made_and_on_the_ledger(page, make_user, unit, as_user,
                                                          approve_from_inbox):
    scene = carrier_scene(make_user, unit, number=NUMBER, title="型号总体方案评审意见")
    office, head, reader, original = scene.office, scene.head, scene.reader, scene.carrier
    today = timezone.localdate()

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
