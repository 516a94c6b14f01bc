"""A trip abroad from application to return visit in a real browser (rules P8, P9).

The person applies from their file page; the department head, the 保密办 and the unit
leader approve in their inboxes; the 保密办 registers the passport, records the pre-trip talk
(one talker is refused), the commitment, issues the passport, records the return, receives
the passport and records the return visit.
"""


import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category
from baomi.core.testing.factories import DepartmentFactory
from baomi.personnel.models import PersonnelFile, Trip


def act(page, action, **fields):
    form = page.locator(f"#action-{action}")
    for name, value in fields.items():
        form.locator(f"[name={action}-{name}]").fill(value)
    form.locator("button[type=submit]").click()


@pytest.mark.rule("P8")
def test_trip_from_application_to_return_visit(page, make_user, unit, as_user,
                                               approve_from_inbox):
    yf1 = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    head = make_user("head", roles=[Role.DEPARTMENT_HEAD], category=Category.IMPORTANT,
                     department_=yf1)
    leader = make_user("leader", roles=[Role.LEADER], category=Category.CORE)
    traveller = make_user("traveller", roles=[Role.STAFF], category=Category.GENERAL,
                          department_=yf1, person__name="何振宇")
    PersonnelFile.objects.create(person=traveller.person, unit=unit,
                                 category=Category.GENERAL, state="in_post")
    today = timezone.localdate().isoformat()

    # The person applies from their own file page.
    as_user(traveller)
    page.goto("/personnel/me/")
    page.click("#my-trips-link")
    page.select_option("#trip-form select[name=purpose_kind]", "private")
    page.fill("#trip-form input[name=destinations]", "新加坡")
    page.fill("#trip-form textarea[name=purpose]", "探亲")
    page.fill("#trip-form input[name=depart_on]", today)
    page.fill("#trip-form input[name=return_on]", today)
    page.click("#trip-form button[type=submit]")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "applied")
    trip = Trip.objects.get()

    for decider in (head, office, leader):
        as_user(decider)
        approve_from_inbox("何振宇")

    # The 保密办 registers the passport into custody.
    as_user(office)
    page.goto("/personnel/travel/documents/")
    page.select_option("#document-form select[name=person]", str(traveller.person_id))
    page.select_option("#document-form select[name=kind]", "passport")
    page.fill("#document-form input[name=number]", "E99887766")
    page.fill("#document-form input[name=issued_on]", "2022-01-01")
    page.fill("#document-form input[name=expires_on]", "2032-01-01")
    page.click("#document-form button[type=submit]")
    expect(page.locator("#documents tbody tr[data-state=in_custody]")).to_have_count(1)

    page.goto(f"/personnel/trips/{trip.pk}/")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "approved")
    act(page, "talk", talkers="张保密")  # rule P8: one talker is refused
    expect(page.locator("#action-talk .error")).to_have_count(1)
    act(page, "talk", talkers="张保密，李保密", notes="行前提醒")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "talked")
    act(page, "commitment")
    page.locator("#action-issue select[name=issue-document]").select_option(index=1)
    act(page, "issue")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "issued")
    act(page, "return")
    expect(page.locator("[data-step=returned]")).to_have_count(1)
    act(page, "receive")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state",
                                                               "document_back")
    act(page, "visit", visitors="张保密", findings="无异常")
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "closed")
    expect(page.locator("#trip-timeline li")).to_have_count(10)
