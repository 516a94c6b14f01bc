"""An exit from request to 脱密期 in a real browser (rules P10, P11, P13).

The 保密办 files a 离职 on the person's page; the department head, a second 保密办 officer
and the unit leader approve in their inboxes; the 保密办 records the exit commitment, the
reminder talk held by two people (one is refused) and a return visit; the page shows the end
of the 脱密期, and the person can no longer log in.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category
from baomi.core.testing.factories import DepartmentFactory
from baomi.personnel.models import ExitCase, PersonnelFile


def act(page, action, **fields):
    form = page.locator(f"#action-{action}")
    for name, value in fields.items():
        form.locator(f"[name={action}-{name}]").fill(value)
    form.locator("button[type=submit]").click()


@pytest.mark.rule("P10")
def test_exit_from_request_to_declassification(page, make_user, unit, login, as_user,
                                               approve_from_inbox):
    yf1 = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    office2 = make_user("office2", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    head = make_user("head", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE,
                     department_=yf1)
    leader = make_user("leader", roles=[Role.LEADER], category=Category.CORE)
    leaver = make_user("leaver", roles=[Role.STAFF], category=Category.IMPORTANT,
                       department_=yf1, person__name="何振宇")
    file = PersonnelFile.objects.create(person=leaver.person, unit=unit,
                                        category=Category.IMPORTANT, state="in_post")
    today = timezone.localdate().isoformat()

    # The 保密办 files the 离职 from the person's page.
    as_user(office)
    page.goto(reverse("personnel:person_detail", args=[file.pk]))
    page.click("#person-exit-link")
    expect(page.locator("[data-custody=none]")).to_have_count(1)
    page.select_option("#exit-form select[name=kind]", "leave_unit")
    page.fill("#exit-form input[name=leave_on]", today)
    page.fill("#exit-form textarea[name=reason]", "合同期满，不再续签")
    page.fill("#exit-form input[name=destination]", "某民营企业")
    page.click("#exit-form button[type=submit]")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "pending")

    for decider in (head, office2, leader):
        as_user(decider)
        approve_from_inbox("何振宇")

    as_user(office)
    case = ExitCase.objects.get()
    page.goto(reverse("personnel:exit_detail", args=[case.pk]))
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "approved")
    expect(page.locator("[data-field=login_disabled]")).not_to_have_text("")
    act(page, "commitment")
    expect(page.locator("#formalities [data-step=commitment]")).to_have_attribute(
        "data-done", "yes")
    act(page, "talk", talkers="张保密")  # rule P10: one talker is refused
    expect(page.locator("#action-talk .error")).to_have_count(1)
    act(page, "talk", talkers="张保密、李保密", notes="提醒脱密期义务")
    expect(page.locator("#formalities [data-step=talk]")).to_have_attribute("data-done", "yes")
    page.select_option("#action-visit select[name=visit-method]", "phone")
    act(page, "visit", visitors="张保密", current_employer="某民营企业 工程师")
    expect(page.locator("#visits tr.visit")).to_have_count(1)
    case.refresh_from_db()
    expect(page.locator("[data-field=ends_on]")).to_have_text(case.ends_on.isoformat())
    expect(page.locator("#exit-restrictions")).to_be_visible()

    # 离职: the login is disabled (rule P10).
    page.context.clear_cookies()
    login(leaver)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
