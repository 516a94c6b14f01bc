"""A classified carrier from registration to loan and return, in a real browser (rules C2,
C3, C5).

The 保密办 registers a received 机密 document carrying a secret item; a person in the item's
知悉范围 asks to borrow it from its page; the head of their department and the 保密办 approve
in their inboxes; the 保密办 hands it out and takes it back. The ledger shows where the carrier
is at each step.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.carriers.models import Carrier
from baomi.core.labels import Level

from .carrier_scene import carrier_scene

NUMBER = "SW-2026-015"


def ledger_state(page, state):
    page.goto("/carriers/")
    expect(page.locator(f"#carriers tbody tr[data-number='{NUMBER}']")).to_have_attribute(
        "data-state", state)


def loan_button(page, action):
    page.click(f"#loans form.loan-action[data-action={action}] button[type=submit]")


@pytest.mark.rule("C5")
def test_carrier_registered_borrowed_and_returned(page, make_user, unit, as_user,
                                                  approve_from_inbox):
    scene = carrier_scene(make_user, unit)
    yf1, office, head, reader = scene.yf1, scene.office, scene.head, scene.reader
    safe, item, today = scene.safe, scene.item, timezone.localdate()

    # The 保密办 registers the received document (rule C2) into the safe (rule C3).
    as_user(office)
    page.goto("/carriers/")
    page.click("#carrier-new-link")
    form = page.locator("#carrier-form")
    form.locator("[name=number]").fill(NUMBER)
    form.locator("[name=title]").fill("型号总体方案评审意见")
    form.locator("[name=kind]").select_option("paper")
    form.locator("[name=scheme]").select_option("state")
    form.locator("[name=level]").select_option(str(int(Level.CONFIDENTIAL)))
    form.locator("[name=period_kind]").select_option("years")
    form.locator("[name=period_value]").fill("20")
    form.locator("[name=secret_item]").select_option(str(item.pk))
    form.locator("[name=origin]").select_option("received")
    form.locator("[name=source_unit]").fill("国防科工局")
    form.locator("[name=source_document_no]").fill("科工密〔2026〕15号")
    form.locator("[name=received_on]").fill(today.isoformat())
    form.locator("[name=signed_by]").select_option(str(office.person_id))
    form.locator("[name=department]").select_option(str(yf1.pk))
    form.locator("[name=custodian]").select_option(str(office.person_id))
    form.locator("[name=container]").select_option(str(safe.pk))
    form.locator("[name=pages]").fill("12")
    form.locator("button[type=submit]").click()
    expect(page.locator("#carrier-mark")).to_have_text("机密★20年")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "in_store")
    carrier = Carrier.objects.get(number=NUMBER)
    ledger_state(page, "in_store")

    # A person in the item's 知悉范围 asks to borrow it (rule C5).
    as_user(reader)
    page.goto("/carriers/")
    page.locator(f"#carriers tbody tr[data-number='{NUMBER}'] a").first.click()
    page.locator("#action-loan [name=loan-kind]").select_option("borrow")
    page.fill("#action-loan [name=loan-purpose]", "编写设计报告")
    page.fill("#action-loan [name=loan-room]", "保密阅览室")
    page.click("#action-loan button[type=submit]")
    expect(page.locator("#loans tbody tr[data-state=requested]")).to_have_count(1)

    for decider in (head, office):
        as_user(decider)
        approve_from_inbox(NUMBER)

    # The 保密办 hands it out and takes it back; the ledger follows.
    as_user(office)
    page.goto(f"/carriers/{carrier.pk}/")
    expect(page.locator("#loans tbody tr[data-state=approved]")).to_have_count(1)
    loan_button(page, "hand_out")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "on_loan")
    ledger_state(page, "on_loan")
    page.goto("/carriers/loans/?out=1")
    expect(page.locator("#loans tbody tr[data-state=out]")).to_have_count(1)
    loan_button(page, "return")
    expect(page).to_have_url(re.compile(r"/carriers/loans/$"))
    expect(page.locator("#loans tbody tr[data-state=returned]")).to_have_count(1)
    ledger_state(page, "in_store")
