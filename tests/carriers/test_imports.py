"""Importing an existing carrier ledger (.xlsx): every row registered through the services,
or none, with a per-row error list."""

import datetime
import io

import pytest
from openpyxl import Workbook

from baomi.audit.models import AuditEvent
from baomi.carriers.choices import CarrierOrigin
from baomi.carriers.imports import COLUMNS
from baomi.carriers.models import Carrier
from baomi.core.labels import Level, Scheme
from baomi.secrets.choices import PeriodKind

from . import page_support as support
from .page_support import sheet_rows

cabinet, clerk, head, item, keeper, office, reader, register, safe, yf1 = (
    support.cabinet, support.clerk, support.head, support.item, support.keeper, support.office,
    support.reader, support.register, support.safe, support.yf1)

HEADER = ["编号", "名称", "载体类型", "密级", "保密期限", "来源", "来文单位", "文号",
          "收文或形成日期", "签收人", "部门", "责任人", "保密柜编号", "存放位置", "定密事项编号",
          "份数", "份号", "页数"]


def workbook(*rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "ledger.xlsx"
    return data


def upload(client, user, data):
    client.force_login(user)
    return client.post("/carriers/import/", {"file": data})


RECEIVED = ("SW-2026-015", "关于型号研制保密管理的通知", "纸介质", "机密", "10年", "收文",
            "国防科工局", "科工密〔2026〕15号", datetime.date(2026, 1, 15), "K-001", "研发一部",
            "王保管", "MX-01", "保密室", "", 3, "第2份", 12)
PRODUCED = ("ZT-2026-001", "型号总体方案", "纸介质", "机密★20年", "", "", "", "", "2026-02-01",
            "", "YF1", "王保管", "WJG-01", "", "DM-0001", "", "", "")
WORK = ("GZ-2026-001", "年度工作计划", "光盘", "工作秘密", "6个月", "自产", "", "", "2026/03/01",
        "", "研发一部", "何读者", "", "档案室", "", 1, "", "")


@pytest.mark.rule("C2")
def test_import_registers_every_row(client, office, keeper, safe, cabinet, item, reader):
    response = upload(client, office, workbook(RECEIVED, PRODUCED, WORK))
    assert response.status_code == 302, response.context and response.context["row_errors"]
    received = Carrier.objects.get(number="SW-2026-015")
    assert (received.origin, received.source_unit, received.signed_by) == (
        CarrierOrigin.RECEIVED, "国防科工局", keeper)
    assert (received.copies, received.copy_no, received.pages, received.container) == (
        3, "第2份", 12, safe)
    produced = Carrier.objects.get(number="ZT-2026-001")
    assert (produced.level, produced.period_kind, produced.period_value) == (
        Level.CONFIDENTIAL, PeriodKind.YEARS, 20)
    assert (produced.origin, produced.secret_item, produced.container) == (
        CarrierOrigin.PRODUCED, item, cabinet)
    work = Carrier.objects.get(number="GZ-2026-001")
    assert (work.scheme, work.level, work.period_kind, work.period_value) == (
        Scheme.WORK, Level.SECRET, PeriodKind.MONTHS, 6)
    assert work.custodian == reader.person and work.received_on == datetime.date(2026, 3, 1)
    assert AuditEvent.objects.filter(action="CARRIER_REGISTERED").count() == 3


@pytest.mark.rule("C3")
def test_one_bad_row_imports_nothing_and_every_error_is_listed(client, office, keeper, safe,
                                                               cabinet, register):
    register(number="OLD-1")
    rows = [
        RECEIVED,                                                            # line 2: fine
        ("X-1", "方案", "纸介质", "绝密", "30年", "自产", "", "", "2026-01-02", "", "研发一部",
         "王保管", "WJG-01", "", "", "", "", ""),                           # 3: rule C3
        ("X-2", "通知", "纸介质", "秘密", "10年", "收文", "上级机关", "", "2026-01-02", "",
         "研发一部", "王保管", "", "", "", "", "", ""),                      # 4: rule C2
        ("X-3", "图纸", "胶片", "特密", "永久", "借来", "", "", "明天", "", "无此部门", "无此人",
         "XX-9", "", "DM-9999", "许多", "", ""),                            # 5: read errors
        ("OLD-1", "旧件", "纸介质", "秘密", "10年", "", "", "", "2026-01-02", "", "研发一部",
         "王保管", "", "", "", "", "", ""),                                 # 6: number exists
        ("SW-2026-015", "重复", "纸介质", "秘密", "10年", "", "", "", "2026-01-02", "", "研发一部",
         "王保管", "", "", "", "", "", ""),                                 # 7: twice in file
    ]
    response = upload(client, office, workbook(*rows))
    assert response.status_code == 400
    errors = response.context["row_errors"]
    lines = {error.line for error in errors}
    assert lines == {3, 4, 5, 6, 7}
    assert len([e for e in errors if e.line == 5]) >= 8  # one message per wrong cell
    assert any("保密柜编号" in e.message for e in errors if e.line == 3)
    assert any("签收人" in e.message for e in errors if e.line == 4)
    assert any("编号" in e.message for e in errors if e.line == 6)
    assert list(Carrier.objects.values_list("number", flat=True)) == ["OLD-1"]
    assert AuditEvent.objects.filter(action="CARRIER_REGISTERED").count() == 1


def test_the_same_file_twice_imports_nothing_the_second_time(client, office, keeper, safe):
    assert upload(client, office, workbook(RECEIVED)).status_code == 302
    again = upload(client, office, workbook(RECEIVED))
    assert again.status_code == 400 and [e.line for e in again.context["row_errors"]] == [2]
    assert Carrier.objects.count() == 1


@pytest.mark.parametrize(("data", "line"), [
    (workbook(RECEIVED, header=HEADER[:3]), 1),
    (workbook(), 0),
    (io.BytesIO(b"not a workbook"), 0),
])
def test_unusable_files_are_refused(client, office, data, line):
    data.name = "ledger.xlsx"
    response = upload(client, office, data)
    assert response.status_code == 400
    assert [error.line for error in response.context["row_errors"]] == [line]


def test_only_the_office_imports(client, reader, keeper, safe):
    assert upload(client, reader, workbook(RECEIVED)).status_code == 404
    assert client.get("/carriers/import/template.xlsx").status_code == 404
    assert not Carrier.objects.exists()


def test_the_page_documents_the_columns_and_offers_the_template(client, office):
    client.force_login(office)
    page = client.get("/carriers/import/").content.decode()
    assert all(column in page for column in COLUMNS)
    template = client.get("/carriers/import/template.xlsx")
    rows = sheet_rows(template.content)
    assert list(rows[0]) == list(COLUMNS) and len(rows) == 2
