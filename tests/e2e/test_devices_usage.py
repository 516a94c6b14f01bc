"""The usage log in a real browser (rule D5): the responsible person of a 机密 computer opens
the year's book from the computer's page, records a use — the form offers no level above the
computer's (rule D2) — and exports the book as .xlsx."""

import datetime as dt

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory
from baomi.devices import services
from baomi.devices.choices import DeviceKind
from baomi.devices.models import UsageEntry


@pytest.mark.rule("D5")
def test_open_a_book_record_a_use_and_export_it(page, make_user, unit, as_user, tmp_path):
    yf1 = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    engineer = make_user("engineer", roles=[Role.STAFF], category=Category.CORE,
                         department_=yf1, person__name="郭绝密")
    device = services.register_device(
        office, unit=unit, department=yf1, number="HX-JSJ-007", kind=DeviceKind.DESKTOP,
        level=Level.CONFIDENTIAL, responsible=engineer.person, location="科研楼 203",
        in_use_on=timezone.localdate() - dt.timedelta(days=30))
    start = (timezone.localtime() - dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    end = start + dt.timedelta(minutes=50)

    as_user(engineer)
    page.goto(f"/devices/{device.pk}/")
    expect(page.locator("#usage-missing")).to_be_visible()
    page.locator("#action-usage-open [name=year]").fill(str(start.year))
    page.click("#action-usage-open button[type=submit]")
    expect(page.locator("[data-field=year]")).to_have_text(str(start.year))

    form = page.locator("#action-usage-record")
    form.locator("[name=record-started_at]").fill(start.strftime("%Y-%m-%dT%H:%M"))
    form.locator("[name=record-ended_at]").fill(end.strftime("%Y-%m-%dT%H:%M"))
    form.locator("[name=record-work]").fill("起草《某型设备总体方案》")
    expect(form.locator("[name=record-level] option")).to_have_count(3)  # 非密 to 机密 (D2)
    form.locator("[name=record-level]").select_option(str(Level.CONFIDENTIAL))
    form.locator("button[type=submit]").click()
    row = page.locator("#usage-entries tbody tr[data-id]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("起草《某型设备总体方案》")

    with page.expect_download() as download_info:
        page.click("#usage-export")
    download = download_info.value
    assert download.suggested_filename == f"usage-HX-JSJ-007-{start.year}.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(load_workbook(saved, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[3][:4] == (start.replace(tzinfo=None), end.replace(tzinfo=None), "郭绝密",
                           "起草《某型设备总体方案》")
    assert UsageEntry.objects.get().recorded_by == engineer
