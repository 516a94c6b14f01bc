"""A stocktake in a real browser (rules C1, C8): the 保密办 starts a stocktake of a container
holding three carriers, scans two of them — the scanner types each label's payload into the
scan box and presses Enter — and closes it; the differences show the third carrier missing
with its deadline, and the missing carriers list shows it."""

import datetime

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.carriers import services
from baomi.carriers.choices import CarrierKind, CarrierOrigin, ContainerKind
from baomi.carriers.labels import label_payload
from baomi.core.labels import Category, Level, Scheme
from baomi.core.testing.factories import DepartmentFactory, SecureRoomFactory
from baomi.secrets.choices import PeriodKind


def scan(page, code):
    box = page.locator("#scan-form [name=code]")
    expect(box).to_be_focused()  # the box keeps the focus for the next scan
    box.fill(code)
    box.press("Enter")
    page.wait_for_load_state("networkidle")


@pytest.mark.rule("C1")
def test_stocktake_of_a_container_finds_two_and_records_the_third_missing(page, make_user, unit,
                                                                          as_user, tmp_path):
    yf1 = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    cabinet = services.register_container(office, unit=unit, number="WJG-01",
                                          kind=ContainerKind.CODED_CABINET,
                                          rating=Level.CONFIDENTIAL, location="研发一部资料室",
                                          room=SecureRoomFactory(unit=unit))
    today = timezone.localdate()
    carriers = [services.register_carrier(
        office, unit=unit, department=yf1, number=f"ZT-2026-00{n}", title=f"设计报告第{n}册",
        kind=CarrierKind.PAPER, scheme=Scheme.STATE, level=Level.CONFIDENTIAL,
        period_kind=PeriodKind.YEARS, period_value=20, origin=CarrierOrigin.PRODUCED,
        received_on=today, custodian=office.person, container=cabinet) for n in (1, 2, 3)]

    as_user(office)
    page.goto("/carriers/stocktakes/")
    page.locator("#stocktake-form [name=container]").select_option(str(cabinet.pk))
    page.locator("#stocktake-form [name=note]").fill("月度清查")
    page.click("#stocktake-form button[type=submit]")
    expect(page.locator("#counts")).to_have_attribute("data-unchecked", "3")

    scan(page, label_payload(carriers[0]))
    scan(page, label_payload(carriers[1]))
    expect(page.locator("#counts")).to_have_attribute("data-found", "2")
    for carrier, result in zip(carriers, ("found", "found", "unchecked"), strict=True):
        expect(page.locator(f"#lines tr[data-number='{carrier.number}']")).to_have_attribute(
            "data-result", result)
    scan(page, "ZT-9999")  # not on the list: a difference, shown on the scan box
    expect(page.locator("#scan-form .error")).to_contain_text("ZT-9999")

    page.click("#close-form button[type=submit]")
    deadline = (today + datetime.timedelta(days=60)).isoformat()
    missing = page.locator(f"#differences tr[data-number='{carriers[2].number}']")
    expect(missing).to_have_count(1)
    expect(missing.locator(".deadline")).to_have_text(deadline)
    expect(page.locator("#differences tbody tr")).to_have_count(1)

    # the printed record (rule C1): the list with the results and the difference
    with page.expect_download() as download_info:
        page.click("#stocktake-docx-link")
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    document = Document(saved)
    text = "\n".join(cell.text for table in document.tables for row in table.rows
                     for cell in row.cells)
    assert saved.name.startswith("涉密载体清查盘点记录表")
    assert carriers[2].number in text and "未找到" in text

    page.goto("/carriers/missing/")
    row = page.locator(f"#missing tr[data-number='{carriers[2].number}']")
    expect(row).to_have_attribute("data-state", "open")
    expect(row.locator(".deadline")).to_contain_text(deadline)
