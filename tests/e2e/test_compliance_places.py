"""In Chromium: the 保密办 plans a 机密 meeting with its secrecy plan, names two attendees,
signs them in, issues a document, tries to close the meeting (refused: the document is out,
rule M2), collects the document back, records the measures and closes the meeting."""

import re

import pytest
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.compliance.models import ClassifiedMeeting, MeetingDocument
from baomi.core.labels import Category


@pytest.mark.rule("M2")
def test_the_office_runs_a_classified_meeting_to_its_close(page, make_user, unit, login):
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    engineer = make_user("engineer", roles=[Role.STAFF], category=Category.IMPORTANT,
                         person__name="郭工程")
    login(office)
    page.click("a[href='/compliance/meetings/']")
    page.click("#meeting-new")
    form = page.locator("#meeting-form")
    form.locator("[name=title]").fill("型号方案评审会")
    form.locator("[name=level]").select_option("2")
    form.locator("[name=starts_at]").fill("2026-12-01T09:00")
    form.locator("[name=ends_at]").fill("2026-12-01T11:30")
    form.locator("[name=place_text]").fill("科研楼二层第一会议室")
    form.locator("[name=plan]").fill("会前清场，开启屏蔽器，手机集中存放，文件会后收回")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/compliance/meetings/\d+/$"))
    expect(page.locator("#meeting-state")).to_have_attribute("data-state", "planned")

    for user in (office, engineer):
        attendee_form = page.locator("#attendee-form")
        attendee_form.locator("[name=attendee-user]").select_option(str(user.pk))
        attendee_form.locator("button[type=submit]").click()
        expect(page.locator(f"#attendees tr[data-name='{user.person.name}']")).to_be_visible()
    for name in ("刘保密", "郭工程"):
        page.locator(f"#attendees tr[data-name='{name}'] button.sign-in").click()
        expect(page.locator(f"#attendees tr[data-name='{name}']")).to_have_attribute(
            "data-signed-in", "yes")
    expect(page.locator("#meeting-state")).to_have_attribute("data-state", "held")

    document_form = page.locator("#document-form")
    document_form.locator("[name=document-title]").fill("型号总体方案（评审稿）")
    document_form.locator("[name=document-number]").fill("评审-01")
    document_form.locator("[name=document-issued_to]").select_option(label="郭工程")
    document_form.locator("button[type=submit]").click()
    row = page.locator("#documents tr[data-title='型号总体方案（评审稿）']")
    expect(row).to_have_attribute("data-returned", "no")

    measures = page.locator("#measures-form")
    for flag in ("identity_check", "phones_collected", "signal_jammer"):
        measures.locator(f"[name=measures-{flag}]").check()
    measures.locator("button[type=submit]").click()
    expect(page.locator("#measures-unrecorded")).to_have_count(0)

    page.locator("#close-form button[type=submit]").click()
    expect(page.locator("#close-form .error")).to_contain_text("型号总体方案（评审稿）")
    meeting = ClassifiedMeeting.objects.get()
    assert meeting.state == "held"

    page.locator("#documents tr[data-title='型号总体方案（评审稿）'] button.return").click()
    expect(page.locator("#documents tr[data-title='型号总体方案（评审稿）']")).to_have_attribute(
        "data-returned", "yes")
    page.locator("#close-form button[type=submit]").click()
    expect(page.locator("#meeting-state")).to_have_attribute("data-state", "closed")
    assert ClassifiedMeeting.objects.get().state == "closed"
    assert MeetingDocument.objects.get().returned_at is not None
