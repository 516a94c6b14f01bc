"""In Chromium: a staff member reports a suspected leak from the menu; the 保密办 records the
report to the 保密局, a remedial measure and the four items of 四不放过 — the close button
refuses (disabled, with the reason) while an item is missing — and closes the incident."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.compliance.choices import IncidentState
from baomi.compliance.models import Incident
from baomi.core.labels import Category

ITEMS = {"cause": "当事人为方便查阅擅自拍摄", "responsibility": "通报批评",
         "rectification": "会议室设手机存放柜", "education": "全员警示教育"}


def moment(hours_ago: float) -> str:
    value = timezone.localtime(timezone.now() - dt.timedelta(hours=hours_ago))
    return value.strftime("%Y-%m-%dT%H:%M")


@pytest.mark.rule("I2")
def test_a_suspected_leak_is_reported_handled_and_closed(page, make_user, unit, login,
                                                         as_user):
    staff = make_user("staff", roles=[Role.STAFF], category=Category.GENERAL,
                      person__name="周员工")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    login(staff)
    page.click("a[href='/compliance/incidents/report/']")
    form = page.locator("#incident-report-form")
    form.locator("[name=kind]").select_option("suspected_leak")
    form.locator("[name=level]").select_option("1")
    form.locator("[name=title]").fill("秘密级文件被个人手机拍照")
    form.locator("[name=discovered_at]").fill(moment(3))
    form.locator("button[type=submit]").click()
    expect(page.locator("#incident-report-form")).to_be_visible()
    incident = Incident.objects.get()
    assert (incident.created_by_id, incident.unit_id) == (staff.pk, unit.pk)

    as_user(office)
    page.goto("/compliance/incidents/")
    page.locator(f"#incidents tr[data-id='{incident.pk}']").get_by_role("link").click()
    expect(page.locator("#close-button")).to_be_disabled()
    expect(page.locator("#close-refusal")).to_be_visible()

    report = page.locator("#action-bureau_report")
    report.locator("[name='bureau_report-reported_at']").fill(moment(1))
    report.locator("[name='bureau_report-reported_to']").fill("市国家保密局")
    report.locator("button[type=submit]").click()
    expect(page.locator("[data-field=reported]")).to_have_attribute("data-late", "false")
    measure = page.locator("#action-measure")
    measure.locator("[name='measure-taken_at']").fill(moment(2))
    measure.locator("[name='measure-measure']").fill("当场删除照片并核查手机")
    measure.locator("button[type=submit]").click()
    expect(page.locator("#measures tbody tr[data-id]")).to_have_count(1)

    for name, text in ITEMS.items():
        expect(page.locator("#close-button")).to_be_disabled()
        item = page.locator(f"#action-{name}")
        item.locator(f"[name='{name}-text']").fill(text)
        item.locator("button[type=submit]").click()
        expect(page.locator(f"#item-{name}")).to_have_attribute("data-done", "true")

    expect(page.locator("#close-button")).to_be_enabled()
    page.locator("#close-button").click()
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "closed")
    expect(page.locator("#close-button")).to_have_count(0)
    assert Incident.objects.get(pk=incident.pk).state == IncidentState.CLOSED
    expect(page).to_have_url(re.compile(rf"/compliance/incidents/{incident.pk}/$"))
