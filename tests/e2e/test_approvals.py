"""A role grant request through its whole chain in a real browser (rule S4).

A staff member asks that a colleague become 定密责任人; the 保密办 approves step 1, the unit
leader step 2 (the written authorisation); the requester sees it approved. The inbox badge
follows each step.
"""

import re

import pytest
from playwright.sync_api import expect

from baomi.accounts.models import RoleAssignment
from baomi.accounts.roles import Role
from baomi.approvals.services import submit_request
from baomi.core.labels import Category

BADGE = "[data-count='approvals:inbox']"


def as_user(page, login, user):
    page.context.clear_cookies()
    login(user)
    return page


def approve_from_inbox(page, title, comment=""):
    page.goto("/approvals/")
    row = page.locator("table.requests tbody tr", has_text=title)
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    if comment:
        page.fill("textarea[name=comment]", comment)
    page.click("form.decision button[value=approve]")
    expect(page).to_have_url(re.compile(r"/approvals/$"))


@pytest.mark.rule("S4")
def test_role_grant_walks_its_chain(page, login, make_user):
    requester = make_user("zhang", roles=[Role.STAFF], category=Category.IMPORTANT)
    candidate = make_user("li", roles=[Role.STAFF], category=Category.CORE)
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    leader = make_user("leader", roles=[Role.LEADER], category=Category.CORE)

    # the requester files the request
    as_user(page, login, requester)
    page.goto("/approvals/new/")
    page.click("a[data-type=role_grant]")
    page.select_option("select[name=payload-user_id]", str(candidate.pk))
    page.select_option("select[name=payload-role]", "classification_officer")
    page.fill("textarea[name=payload-reason]", "负责本部门定密工作")
    page.fill("input[name=title]", "定密责任人授权")
    page.click("form.card button[type=submit]")
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "pending")
    expect(page.locator("table.timeline tbody tr")).to_have_count(2)

    # step 1: the 保密办 sees it counted and approves
    as_user(page, login, office)
    expect(page.locator(BADGE)).to_have_text("1")
    approve_from_inbox(page, "定密责任人授权")
    expect(page.locator(BADGE)).to_have_count(0)
    assert not RoleAssignment.objects.filter(user=candidate,
                                             role=Role.CLASSIFICATION_OFFICER).exists()

    # step 2: the leader's written authorisation
    as_user(page, login, leader)
    expect(page.locator(BADGE)).to_have_text("1")
    approve_from_inbox(page, "定密责任人授权", comment="同意，书面授权")
    expect(page.locator(BADGE)).to_have_count(0)

    # the requester sees it approved, with who decided and from where
    as_user(page, login, requester)
    page.goto("/approvals/mine/")
    page.locator("table.requests tbody tr", has_text="定密责任人授权").get_by_role("link").click()
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "approved")
    steps = page.locator("table.timeline tbody tr.step-approved")
    expect(steps).to_have_count(2)
    expect(steps.nth(1)).to_contain_text(leader.person.name)
    expect(steps.nth(1)).to_contain_text("同意，书面授权")
    expect(steps.nth(1)).to_contain_text("127.0.0.1")
    assert RoleAssignment.objects.filter(user=candidate,
                                         role=Role.CLASSIFICATION_OFFICER).exists()


def test_a_refusal_is_shown_on_the_page(page, login, make_user):
    """Returning without a comment: the form says why, nothing is decided, no 500."""
    requester = make_user("zhang", roles=[Role.STAFF], category=Category.IMPORTANT)
    candidate = make_user("li", roles=[Role.STAFF])
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    make_user("leader", roles=[Role.LEADER], category=Category.CORE)
    request = submit_request(requester, "role_grant", title="授权申请",
                             payload={"user_id": candidate.pk, "role": "leader",
                                      "reason": "轮岗"})
    as_user(page, login, office)
    page.goto(f"/approvals/{request.pk}/")
    page.click("form.decision button[value=return]")
    expect(page.locator("form.decision .error")).to_have_count(1)
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "pending")
