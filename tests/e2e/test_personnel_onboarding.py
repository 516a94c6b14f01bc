"""Onboard a person from 拟定 to 在岗 in a real browser (rules P2, P3).

The 保密办 files the security review from the person's page; the department head, a second
保密办 officer and the unit leader approve it in their inboxes; the 保密办 records the
training and the signed commitment and starts the person in post.
"""


import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category
from baomi.core.testing.factories import DepartmentFactory, PersonFactory
from baomi.personnel.models import PersonnelFile


@pytest.mark.rule("P3")
def test_onboard_a_person_to_in_post(page, make_user, unit, as_user, approve_from_inbox):
    yf1 = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    office2 = make_user("office2", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    head = make_user("head", roles=[Role.DEPARTMENT_HEAD], category=Category.IMPORTANT,
                     department_=yf1)
    leader = make_user("leader", roles=[Role.LEADER], category=Category.CORE)
    person = PersonFactory(unit=unit, department=yf1, name="何振宇", category=Category.GENERAL)
    file = PersonnelFile.objects.create(person=person, unit=unit, category=Category.GENERAL)
    detail = f"/personnel/people/{file.pk}/"
    today = timezone.localdate().isoformat()

    # The 保密办 files the review from the person's page.
    as_user(office)
    page.goto(detail)
    expect(page.locator("[data-field=state]")).to_have_text(file.get_state_display())
    page.click(f"a[href='/personnel/files/{file.pk}/reviews/new/?kind=initial']")
    page.fill("textarea[name=personal_history]", "2012年入职研发一部，从事电子设计。")
    page.fill("textarea[name=conduct]", "政治可靠，遵纪守法。")
    page.fill("input[name=family-0-relation]", "配偶")
    page.fill("input[name=family-0-name]", "李静")
    page.fill("input[name=history-0-from]", "2008-09")
    page.fill("input[name=history-0-to]", "2012-07")
    page.fill("input[name=history-0-unit]", "西安电子科技大学")
    page.click("form.review-form button[type=submit]")
    expect(page.locator("[data-outcome]")).to_have_attribute("data-outcome", "pending")

    # 部门负责人 → 保密办 → 单位领导 approve in their inboxes.
    for decider in (head, office2, leader):
        as_user(decider)
        approve_from_inbox("何振宇")
    file.refresh_from_db()
    assert file.state == "training"

    # The 保密办 sees what is missing, records training and the commitment, starts in post.
    as_user(office)
    page.goto(detail)
    expect(page.locator("[data-missing]")).to_have_count(2)
    page.locator("details:has(form.training-form) summary").click()
    page.fill("form.training-form input[name=course]", "保密法律法规")
    page.fill("form.training-form input[name=held_on]", today)
    page.fill("form.training-form input[name=hours]", "16")
    page.select_option("form.training-form select[name=exam_result]", "passed")
    page.click("form.training-form button[type=submit]")
    expect(page.locator("[data-missing]")).to_have_count(1)
    page.locator("details:has(form.commitment-form) summary").click()
    page.select_option("form.commitment-form select[name=kind]", "commitment")
    page.click("form.commitment-form button[type=submit]")
    expect(page.locator("[data-missing]")).to_have_count(0)
    page.fill("form.start-form input[name=since]", today)
    page.click("form.start-form button[type=submit]")
    file.refresh_from_db()
    assert file.state == "in_post"
    expect(page.locator("[data-field=state]")).to_have_text(file.get_state_display())
