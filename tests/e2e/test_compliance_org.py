"""In Chromium: the 保密办 opens 保密组织机构 from the menu, goes to the year's meetings (one of
the two rule Q1 asks for), records a meeting with its minutes and the attendance — one member
absent with a reason — and a scanned sign-in sheet, and sees the year's count reach the requirement."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.compliance import services_org
from baomi.compliance.models import CommitteeMeeting
from baomi.core.labels import Category


@pytest.mark.rule("Q1")
def test_the_office_records_a_meeting_and_reaches_the_years_count(page, make_user, unit, login):
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    leader = make_user("leader", roles=[Role.LEADER], person__name="陈建华")
    committee = services_org.establish_committee(
        office, unit=unit, kind="committee", name="示范单位保密委员会",
        established_on=dt.date(2021, 3, 15), legal_representative="陈建华", chair_user=leader)
    member = services_org.add_member(office, committee, position="member", name="张伟",
                                     from_on=dt.date(2021, 3, 15))
    today = timezone.localdate()
    services_org.record_meeting(office, committee, held_on=today.replace(month=1, day=1),
                                place="第一会议室", topics="年度工作部署", minutes="部署年度保密工作。")

    login(office)
    page.click("a[href='/compliance/committee/']")
    expect(page.locator("#chair-check")).to_have_attribute("data-chair-ok", "yes")
    page.click("a[href='/compliance/committee/meetings/']")
    count = page.locator("#meeting-count")
    expect(count).to_have_attribute("data-held", "1")
    expect(count).to_have_attribute("data-met", "no")

    page.click("#new-meeting")
    form = page.locator("#meeting-form")
    form.locator("[name=held_on]").fill(today.isoformat())
    form.locator("[name=place]").fill("行政楼三层会议室")
    form.locator("[name=topics]").fill("研究年度保密自查报告")
    form.locator("[name=minutes]").fill("会议审议了年度保密自查报告，同意按期报送。")
    form.locator("[name=decisions]").fill("12月底前报送年度保密自查报告")
    form.locator(f"[name=present-{member.pk}]").uncheck()
    form.locator("button[type=submit]").click()
    expect(form.locator(".error").first).to_be_visible()  # an absence needs its reason
    form.locator(f"[name=reason-{member.pk}]").fill("出差")
    form.locator("[name=attachment]").set_input_files(
        files=[{"name": "签到表.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}])
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/compliance/committee/meetings/\d+/$"))
    expect(page.locator("#attendance tr[data-name='张伟']")).to_have_attribute(
        "data-present", "no")
    expect(page.locator("#minutes")).to_contain_text("同意按期报送")
    expect(page.locator("#meeting-attachment")).to_be_visible()
    page.click(f"a[href='/compliance/committee/meetings/?year={today.year}']")
    count = page.locator("#meeting-count")
    expect(count).to_have_attribute("data-held", "2")
    expect(count).to_have_attribute("data-required", "2")
    expect(count).to_have_attribute("data-met", "yes")
    recorded = CommitteeMeeting.objects.filter(held_on=today).get()
    assert recorded.attendance.count() == 2 and recorded.attachment
