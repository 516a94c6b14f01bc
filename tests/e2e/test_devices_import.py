"""Importing an existing device ledger in a real browser (rules D1, D2): the 保密办 uploads a
ledger with one bad row, sees the row and column of the problem and that nothing was
imported, corrects it, imports it, finds the devices on the ledger and prints it (.docx)."""

import io

import pytest
from docx import Document
from openpyxl import Workbook
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category
from baomi.core.testing.factories import DepartmentFactory
from baomi.devices.importing import DEVICE_COLUMNS
from baomi.devices.models import Device

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ledger(*rows):
    book = Workbook()
    sheet = book.active
    sheet.append([column.title for column in DEVICE_COLUMNS])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return {"name": "涉密计算机台帐.xlsx", "mimeType": XLSX, "buffer": data.getvalue()}


def row(number, responsible):
    return [number, "机密", "台式计算机", "联想 启天M437", "PC0A1B2C", "ZC-01", "WD-01",
            "00-1A-2B-3C-4D-01", "中标麒麟 V7.0", "2024-03-01", "研发一部", responsible,
            "科研楼 203", "2024-03-01", "否", "在用"]


@pytest.mark.rule("D2")
def test_office_imports_a_ledger_after_correcting_a_bad_row(page, make_user, unit, as_user):
    yf1 = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    make_user("engineer", roles=[Role.STAFF], category=Category.IMPORTANT, department_=yf1,
              person__name="何机密")
    make_user("clerk", roles=[Role.STAFF], category=Category.GENERAL, department_=yf1,
              person__name="马秘密")

    as_user(office)
    page.goto("/devices/")
    page.click("#device-import-link")
    # rule D2: 马秘密 (秘密) cannot be responsible for a 机密 computer — row 3
    page.set_input_files("#import-form input[type=file]",
                         ledger(row("HX-JSJ-001", "何机密"), row("HX-JSJ-002", "马秘密")))
    page.click("#import-form button[type=submit]")
    errors = page.locator("#row-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_have_attribute("data-line", "3")
    expect(errors.first).to_have_attribute("data-column", "责任人")
    expect(errors.first).to_contain_text("马秘密")
    assert not Device.objects.exists()

    page.set_input_files("#import-form input[type=file]",
                         ledger(row("HX-JSJ-001", "何机密"), row("HX-JSJ-002", "何机密")))
    page.click("#import-form button[type=submit]")
    expect(page.locator("#devices tbody tr[data-number='HX-JSJ-002']")).to_have_count(1)
    expect(page.locator("#devices tbody tr[data-number='HX-JSJ-001']")).to_have_count(1)
    assert Device.objects.count() == 2

    with page.expect_download() as download:
        page.click("#device-ledger-docx-link")
    document = Document(download.value.path())
    assert document.paragraphs[0].text == "涉密计算机台帐"
    cells = [cell.text for table_row in document.tables[0].rows for cell in table_row.cells]
    assert "HX-JSJ-001" in cells and "HX-JSJ-002" in cells and "何机密" in cells
