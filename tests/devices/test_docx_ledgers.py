"""The printed device and media ledgers (.docx, landscape; rules D1, D4, D9, L5): the columns
of the users' ledgers, one family per ledger, the filters of the list pages, only what the
user sees, the computers a medium may be used on, audited as an export."""

import io
import json

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT

from baomi.audit.models import AuditEvent
from baomi.core.labels import Level
from baomi.core.testing.factories import DepartmentFactory
from baomi.devices import docx_ledgers, services
from baomi.devices.choices import DeviceKind, DeviceState, MediumKind

from . import support
from .support import today

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)


def printed(client, user, url, query=""):
    client.force_login(user)
    response = client.get(f"{reverse(url)}{query}")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return Document(io.BytesIO(response.content))


def table_rows(document):
    """The header and the filled rows of the ledger table (blank rows to fill by hand left
    out)."""
    [table] = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    return rows[0], [row for row in rows[1:] if any(row)]


def numbers(document):
    header, rows = table_rows(document)
    return [row[header.index("保密编号")] for row in rows]


def text_of(document):
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


@pytest.mark.rule("D1")
def test_the_computer_ledger_has_the_columns_of_the_users_ledger(client, people, unit,
                                                                  register_device):
    register_device(number="JSJ-2", level=Level.SECRET, responsible=people["secret"].person)
    register_device(number="JSJ-1")
    register_device(number="DYJ-1", kind=DeviceKind.PRINTER)  # another ledger (rule D9)
    document = printed(client, people["office"], "devices:device_ledger_docx")
    assert document.paragraphs[0].text == "涉密计算机台帐"
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    header, rows = table_rows(document)
    assert header == ["序号", "保密编号", "密级", "类型", "品牌型号", "序列号", "资产编号",
                      "硬盘序列号", "MAC地址", "操作系统及安装日期", "部门", "责任人",
                      "存放位置", "所在保密室", "启用日期", "状态"]
    day = today().isoformat()
    assert rows == [
        ["1", "JSJ-1", "机密", "台式计算机", "联想 启天M430", "SN-001", "ZC-001", "WD-001",
         "00-1A-2B-3C-4D-5E", f"中标麒麟 7.0（{day}）", "研发一部", "郭绝密", "科研楼 201",
         "—", day, "在用"],
        ["2", "JSJ-2", "秘密", "台式计算机", "联想 启天M430", "SN-001", "ZC-001", "WD-001",
         "00-1A-2B-3C-4D-5E", f"中标麒麟 7.0（{day}）", "研发一部", "马秘密", "科研楼 201",
         "—", day, "在用"]]
    assert len(document.tables[0].rows) == 4  # header, 2 rows, 1 blank to fill by hand
    words = text_of(document)
    assert f"单位：{unit.name}" in words and "范围：全部" in words and "共2台。" in words
    assert "制表人：" in words and "保密办核对人：" in words
    event = AuditEvent.objects.get(action="DEVICES_EXPORTED")
    assert json.loads(event.after) == {"filters": {"family": "computer", "format": "docx"},
                                       "rows": 2}


@pytest.mark.rule("D9")
def test_office_equipment_and_security_products_have_their_own_ledgers(client, people,
                                                                      register_device):
    register_device(number="DGN-1", kind=DeviceKind.MULTIFUNCTION, level=Level.NONSECRET,
                    responsible=people["none"].person, phone_line=True)
    register_device(number="AQ-1", kind=DeviceKind.SECURITY_PRODUCT)
    register_device(number="JSJ-1")
    office = printed(client, people["office"], "devices:device_ledger_docx", "?family=office")
    assert office.paragraphs[0].text == "涉密办公自动化设备台帐"
    header, rows = table_rows(office)
    assert "连接电话线" in header and "硬盘序列号" not in header
    assert [(row[1], row[2], row[3], row[header.index("连接电话线")]) for row in rows] == [
        ("DGN-1", "非密", "多功能一体机", "是")]
    security = printed(client, people["office"], "devices:device_ledger_docx",
                       "?family=security")
    assert security.paragraphs[0].text == "安全保密产品台帐" and numbers(security) == ["AQ-1"]


@pytest.mark.rule("L5")
def test_each_user_prints_only_what_they_see(client, people, make_user, register_device):
    register_device(number="MINE", level=Level.SECRET, responsible=people["secret"].person)
    register_device(number="ABOVE", level=Level.CONFIDENTIAL)
    other = DepartmentFactory(unit=people["office"].person.unit, name="研发二部", code="YF2")
    register_device(number="OTHER-DEPT", level=Level.SECRET, department=other)
    assert numbers(printed(client, people["secret"], "devices:device_ledger_docx")) == ["MINE"]
    assert numbers(printed(client, people["head"], "devices:device_ledger_docx")) == [
        "ABOVE", "MINE"]  # the head of 研发一部: its devices only
    assert numbers(printed(client, people["office_important"],
                           "devices:device_ledger_docx")) == ["ABOVE", "MINE", "OTHER-DEPT"]
    assert numbers(printed(client, people["office2"], "devices:device_ledger_docx")) == []


def test_the_filters_of_the_list_apply_and_are_named(client, people, register_device):
    register_device(number="S-1", level=Level.SECRET)
    idle = register_device(number="S-2", level=Level.SECRET)
    services.update_device(people["office"], idle, location=idle.location,
                           responsible=idle.responsible, state=DeviceState.IDLE)
    register_device(number="C-1")
    query = f"?level=1&state=idle&department={idle.department_id}"
    document = printed(client, people["office"], "devices:device_ledger_docx", query)
    assert numbers(document) == ["S-2"]
    assert "部门：研发一部" in text_of(document) and "密级：秘密" in text_of(document)
    assert "状态：停用" in text_of(document)


def test_a_long_ledger_is_cut_with_a_note(client, people, register_device, monkeypatch):
    monkeypatch.setattr(docx_ledgers, "MAX_LEDGER_ROWS", 2)
    from baomi.devices.views import importing as views

    monkeypatch.setattr(views, "MAX_LEDGER_ROWS", 2)
    for n in range(3):
        register_device(number=f"N-{n}")
    document = printed(client, people["office"], "devices:device_ledger_docx")
    assert numbers(document) == ["N-0", "N-1"]
    assert "前2台" in text_of(document) and "共2台。" in text_of(document)


@pytest.mark.rule("D4")
def test_the_media_ledger_names_the_computers_each_medium_is_used_on(client, people,
                                                                     register_device,
                                                                     register_medium):
    secret_pc = register_device(number="PC-S", level=Level.SECRET)
    confidential_pc = register_device(number="PC-C", level=Level.CONFIDENTIAL)
    usb = register_medium(number="U-1", level=Level.SECRET, responsible=people["secret"].person)
    register_medium(number="GP-1", kind=MediumKind.OPTICAL, level=Level.CONFIDENTIAL,
                    capacity="", model="")
    for device in (confidential_pc, secret_pc):
        services.bind_medium(people["office"], usb, device)
    document = printed(client, people["office"], "devices:medium_ledger_docx")
    assert document.paragraphs[0].text == "涉密存储介质台帐"
    header, rows = table_rows(document)
    assert header == ["序号", "保密编号", "密级", "类型", "品牌型号", "序列号", "容量", "部门",
                      "责任人", "存放位置", "可使用的计算机", "状态"]
    assert rows == [
        ["1", "GP-1", "机密", "光盘", "—", "U-001", "—", "研发一部", "郭绝密", "保密办", "—",
         "在库"],
        ["2", "U-1", "秘密", "U盘", "朗科 U208", "U-001", "64GB", "研发一部", "马秘密", "保密办",
         "PC-C、PC-S", "在库"]]
    assert "共2件。" in text_of(document)
    # rule L5: the 秘密 responsible person sees the medium, not the 机密 computer
    mine = printed(client, people["secret"], "devices:medium_ledger_docx")
    _header, [row] = table_rows(mine)
    assert row[1] == "U-1" and row[header.index("可使用的计算机")] == "PC-S"
    kinds = printed(client, people["office"], "devices:medium_ledger_docx", "?kind=optical")
    assert numbers(kinds) == ["GP-1"] and "类型：光盘" in text_of(kinds)
    assert AuditEvent.objects.filter(action="MEDIA_EXPORTED").count() == 3


@pytest.mark.rule("T2")
@pytest.mark.parametrize("url", ["devices:device_ledger_docx", "devices:medium_ledger_docx"])
def test_the_three_administrators_print_nothing(client, sysadmin, url):
    client.force_login(sysadmin)
    assert client.get(reverse(url)).status_code == 404


def test_unknown_filters_are_dropped(client, people, register_device):
    register_device(number="X-1")
    document = printed(client, people["office"], "devices:device_ledger_docx",
                       "?family=nope&level=9&state=%00&department=abc&responsible=-1")
    assert numbers(document) == ["X-1"] and document.paragraphs[0].text == "涉密计算机台帐"
