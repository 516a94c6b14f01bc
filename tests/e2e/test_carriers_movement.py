"""A classified carrier leaving the unit in a real browser (rules C2, C6).

A person in the 知悉范围 of the carrier's item asks, from the carrier's page, to take it to a
review meeting; the head of their department and the 保密办 approve in their inboxes; the
保密办 hands it over (the carrier is out of the unit, listed among the carriers out) and
records its return. Then the same person asks to send it out through the 机要 traffic
service; once approved and handed over, the 保密办 records the recipient's signature and the
carrier is on the ledger as sent out.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .carrier_scene import carrier_scene

NUMBER = "ZT-2026-040"


def approve_chain(as_user, approve_from_inbox, *deciders):
    for decider in deciders:
        as_user(decider)
        approve_from_inbox(NUMBER)


@pytest.mark.rule("C2")
@pytest.mark.rule("C6")
def test_carried_out_and_back_then_sent_and_signed_for(page, make_user, unit, as_user,
                                                       approve_from_inbox):
    scene = carrier_scene(make_user, unit, number=NUMBER, title="型号总体方案评审稿", pages=40)
    office, head, reader, carrier = scene.office, scene.head, scene.reader, scene.carrier
    today = timezone.localdate()

    # The reader asks to take it to the review meeting (rule C6: approval first).
    as_user(reader)
    page.goto(f"/carriers/{carrier.pk}/")
    page.click("#movement-link")
    expect(page.locator("#carrier-mark")).to_have_text("机密★20年")
    form = page.locator("#movement-form")
    expect(form.locator("[name=carried_by]")).to_have_count(0)  # the reader carries it
    form.locator("[name=kind]").select_option("carry_out")
    form.locator("[name=destination]").fill("总体设计部评审会")
    form.locator("[name=purpose]").fill("型号方案评审")
    form.locator("[name=escorts]").fill("何振宇\n马骏")
    form.locator("[name=due_back_on]").fill(today.isoformat())
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/carriers/movements/\d+/$"))
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "requested")
    expect(page.locator("[data-field=escorts]")).to_have_text("何振宇、马骏")
    expect(page.locator("#movement-request")).to_be_visible()
    movement_url = page.url

    approve_chain(as_user, approve_from_inbox, head, office)

    # The 保密办 hands it over: out of the unit, on the list of carriers out.
    as_user(office)
    page.goto(movement_url)
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "approved")
    page.click("#movement-action-form button[type=submit]")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "out")
    expect(page.locator("[data-field=out-at]")).to_contain_text("刘保密")
    page.goto("/carriers/movements/?state=out")
    row = page.locator(f"#movements tbody tr[data-number='{NUMBER}']")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("何振宇")
    expect(row.locator(".mark")).to_have_text("机密★20年")
    page.goto(f"/carriers/{carrier.pk}/")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "out")
    expect(page.locator("#movement-link")).to_have_count(0)

    # Back from the meeting: in store again.
    page.goto(movement_url)
    page.click("#movement-action-form button[type=submit]")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "returned")
    expect(page.locator("[data-field=returned-at]")).to_be_visible()
    page.goto(f"/carriers/{carrier.pk}/")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "in_store")
    expect(page.locator("#movement-panel tbody tr[data-state=returned]")).to_have_count(1)

    # Sent out through the 机要 traffic service (rule C2), then signed for.
    as_user(reader)
    page.goto(f"/carriers/{carrier.pk}/movement/")
    form = page.locator("#movement-form")
    form.locator("[name=kind]").select_option("send_out")
    form.locator("[name=channel]").select_option("traffic")
    form.locator("[name=destination]").fill("十四所科技处")
    form.locator("[name=purpose]").fill("送审")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "requested")
    expect(page.locator("[data-field=channel]")).to_be_visible()
    send_url = page.url

    approve_chain(as_user, approve_from_inbox, head, office)

    as_user(office)
    page.goto(send_url)
    page.click("#movement-action-form button[type=submit]")  # hand over
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "out")
    receipt = page.locator("#movement-receipt")
    receipt.locator("[name=signed_by_name]").fill("王建军")
    receipt.locator("[name=received_on]").fill(today.isoformat())
    receipt.locator("button[type=submit]").click()
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "delivered")
    expect(page.locator("[data-field=receipt]")).to_contain_text("王建军")
    page.goto(f"/carriers/{carrier.pk}/")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "sent")
    expect(page.locator("#movement-panel tbody tr")).to_have_count(2)
