"""Importing an existing device or media ledger (.xlsx): the columns of the export by their
Chinese titles, every row registered through the ledger services (rules D1, D2, D9, L5) or
none, every problem listed by row and column."""

import datetime
import io
import json

import pytest
from openpyxl import Workbook

from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory, PersonFactory, SecureRoomFactory
from baomi.devices import importing, services
from baomi.devices.choices import DeviceKind, DeviceState, MediumKind, MediumState
from baomi.devices.importing import DEVICE_COLUMNS, MEDIUM_COLUMNS, ImportRejected
from baomi.devices.models import Device, Medium

from . import support
from .support import today

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)

DEVICE_HEADER = [column.title for column in DEVICE_COLUMNS]
MEDIUM_HEADER = [column.title for column in MEDIUM_COLUMNS]
IN_USE = datetime.date(2024, 3, 1)


def workbook(*rows, header=DEVICE_HEADER, above=()):
    """An .xlsx upload: the rows `above` (a title), the header, the rows."""
    book = Workbook()
    sheet = book.active
    for row in above:
        sheet.append(list(row))
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "台帐.xlsx"
    return data


def device_row(number="HX-JSJ-101", level="机密", kind="台式计算机", responsible="郭绝密",
               department="研发一部", in_use_on=IN_USE, state="在用", phone="否", **other):
    """A row in the order of DEVICE_HEADER."""
    values = {"保密编号": number, "密级": level, "类型": kind, "品牌型号": "联想 启天M437",
              "序列号": "PC0A1B2C", "资产编号": "ZC-0101", "硬盘序列号": "WD-0101",
              "MAC 地址": "00-1A-2B-3C-4D-01", "操作系统": "中标麒麟 V7.0",
              "操作系统安装日期": in_use_on, "部门": department, "责任人": responsible,
              "存放位置": "科研楼 203", "启用日期": in_use_on, "连接电话线": phone,
              "状态": state, "保密室": "", **other}
    return [values[title] for title in DEVICE_HEADER]


def medium_row(number="HX-U-101", level="秘密", kind="U盘", responsible="马秘密",
               department="研发一部", state="在库"):
    values = {"保密编号": number, "密级": level, "类型": kind, "品牌型号": "朗科 U208",
              "序列号": "NTK-1", "容量": "64GB", "部门": department, "责任人": responsible,
              "存放位置": "保密柜 1", "状态": state}
    return [values[title] for title in MEDIUM_HEADER]


def import_devices(people, unit, *rows, actor="office", **kwargs):
    return services.import_devices(people[actor], unit, workbook(*rows, **kwargs))


def rejected(call, *args, **kwargs):
    """The (row, column) of every problem of a refused import."""
    with pytest.raises(ImportRejected) as refused:
        call(*args, **kwargs)
    assert refused.value.code == "import_rows" and refused.value.status == 400
    return refused.value


def where(refusal):
    return [(error.line, error.column) for error in refusal.errors]


# --- what is imported -------------------------------------------------------------------------


@pytest.mark.rule("D1")
def test_every_row_is_registered_through_the_services(people, unit, yf1):
    created = import_devices(
        people, unit,
        device_row(),
        device_row("HX-DYJ-101", "秘密", "打印机", "马秘密", in_use_on="2024.3.1"),
        device_row("HX-JSJ-102", "非密", "笔记本电脑", "罗非密", in_use_on="2024/3/1",
                   state="停用"))
    assert created == 3
    desktop = Device.objects.get(number="HX-JSJ-101")
    assert (desktop.kind, desktop.level, desktop.department, desktop.responsible) == (
        DeviceKind.DESKTOP, Level.CONFIDENTIAL, yf1, people["top"].person)
    assert (desktop.model, desktop.serial_no, desktop.asset_no, desktop.disk_serial,
            desktop.mac, desktop.os, desktop.os_installed_on, desktop.location,
            desktop.in_use_on, desktop.phone_line, desktop.state) == (
        "联想 启天M437", "PC0A1B2C", "ZC-0101", "WD-0101", "00-1A-2B-3C-4D-01",
        "中标麒麟 V7.0", IN_USE, "科研楼 203", IN_USE, False, DeviceState.IN_USE)
    printer = Device.objects.get(number="HX-DYJ-101")
    assert (printer.kind, printer.level, printer.in_use_on) == (
        DeviceKind.PRINTER, Level.SECRET, IN_USE)
    laptop = Device.objects.get(number="HX-JSJ-102")
    assert (laptop.kind, laptop.level, laptop.state) == (
        DeviceKind.PORTABLE, Level.NONSECRET, DeviceState.IDLE)
    assert AuditEvent.objects.filter(action="DEVICE_REGISTERED").count() == 3
    assert AuditEvent.objects.filter(action="DEVICE_UPDATED").count() == 1  # 停用
    event = AuditEvent.objects.get(action="DEVICES_IMPORTED")
    assert json.loads(event.after) == {"created": 3, "file": "台帐.xlsx"}
    assert (event.unit_id, event.actor_id) == (unit.pk, people["office"].pk)


def test_columns_in_any_order_under_a_title_with_spaces_and_other_names(people, unit, yf1):
    room = SecureRoomFactory(unit=unit, name="中心机房")  # rule Q7: a 机密 server stands in it
    header = ["  启用日期 ", "责任人", "使用部门", "存放位置", "MAC地址", "设备类型", "密级",
              "保密编号", "备注", "所在机房"]
    rows = [["2024年3月1日", "何机密", "YF1", "机房", "00-1A", "服务器", "机密级", "FWQ-1",
             "不读", "中心机房"],
            ["2024-3-1", "马秘密", "研发一部", "机房", "", "中间转换机", "秘密", "ZJJ-1", "", ""]]
    created = import_devices(people, unit, *rows, header=header,
                             above=[["涉密计算机台帐"], ["填报单位：示范单位"]])
    assert created == 2
    server = Device.objects.get(number="FWQ-1")
    assert (server.kind, server.level, server.department, server.mac, server.in_use_on) == (
        DeviceKind.SERVER, Level.CONFIDENTIAL, yf1, "00-1A", IN_USE)
    assert server.room == room
    assert Device.objects.get(number="ZJJ-1").kind == DeviceKind.INTERMEDIARY


def test_empty_rows_are_skipped_and_numbers_read_as_text(people, unit):
    created = import_devices(people, unit, device_row(number=20240001), [None] * 16,
                             device_row(number="HX-2"))
    assert created == 2
    assert set(Device.objects.values_list("number", flat=True)) == {"20240001", "HX-2"}


# --- nothing when anything is wrong -----------------------------------------------------------


@pytest.mark.rule("D2")
def test_one_bad_row_imports_nothing_and_every_problem_is_listed(people, unit,
                                                                 register_device):
    register_device(number="OLD-1")
    before = AuditEvent.objects.count()
    refusal = rejected(
        import_devices, people, unit,
        device_row("NEW-1"),                                  # row 2: fine
        device_row("NEW-2", responsible="罗非密"),             # 3: a 非密 person, 机密 (D2)
        device_row("NEW-3", level="内部", kind="平板"),        # 4: two unknown words
        device_row("NEW-4", department="研发九部"),            # 5: no such department
        device_row("NEW-5", in_use_on=today() + datetime.timedelta(days=1)),  # 6: future
        device_row("NEW-1"),                                  # 7: twice in the file
        device_row("OLD-1"),                                  # 8: already on the ledger
        device_row("NEW-8", in_use_on="2024-02-30", responsible=""))  # 9: no date, empty
    assert where(refusal) == [
        (3, "责任人"), (4, "密级"), (4, "类型"), (5, "部门"), (6, "启用日期"),
        (7, "保密编号"), (8, "保密编号"), (9, "启用日期"), (9, "操作系统安装日期"),
        (9, "责任人")]
    messages = {(e.line, e.column): e.message for e in refusal.errors}
    assert "罗非密" in messages[(3, "责任人")]  # the service's own refusal
    assert "绝密" in messages[(4, "密级")] and "研发九部" in messages[(5, "部门")]
    assert "2" in messages[(7, "保密编号")]  # the row it is also on
    assert refusal.fields["3.责任人"] == messages[(3, "责任人")]
    assert list(Device.objects.values_list("number", flat=True)) == ["OLD-1"]
    assert AuditEvent.objects.count() == before


@pytest.mark.rule("D9")
def test_a_classified_multifunction_device_on_a_phone_line_is_refused(people, unit):
    refusal = rejected(import_devices, people, unit,
                       device_row(kind="多功能一体机", level="秘密", phone="是"))
    assert where(refusal) == [(2, "连接电话线")]
    assert not Device.objects.exists()
    assert import_devices(people, unit, device_row(kind="多功能一体机", level="非密",
                                                   responsible="罗非密", phone="是")) == 1
    assert Device.objects.get().phone_line is True


@pytest.mark.rule("L5")
def test_nobody_imports_above_their_own_clearance(people, unit):
    refusal = rejected(import_devices, people, unit, device_row(level="绝密"),
                       actor="office_important")
    assert where(refusal) == [(2, "密级")]
    assert import_devices(people, unit, device_row(level="机密"), actor="office_important") == 1


def test_responsible_person_by_name_in_the_department_then_the_unit(people, unit, yf1,
                                                                    department):
    elsewhere = PersonFactory(unit=unit, department=department, name="郭绝密",
                              category=Category.CORE, employee_no="E-ZH-1")
    assert import_devices(people, unit, device_row("A-1")) == 1  # the one in 研发一部
    assert Device.objects.get(number="A-1").responsible == people["top"].person
    assert import_devices(people, unit, device_row("A-2", responsible="刘保密")) == 1
    assert Device.objects.get(number="A-2").responsible == people["office"].person  # 综合部
    # the same name twice in the department: the name is not enough, the employee number is
    PersonFactory(unit=unit, department=yf1, name="郭绝密", category=Category.CORE)
    refusal = rejected(import_devices, people, unit, device_row("A-3"))
    assert where(refusal) == [(2, "责任人")]
    assert import_devices(people, unit, device_row("A-3", responsible="E-ZH-1")) == 1
    assert Device.objects.get(number="A-3").responsible == elsewhere


def test_someone_who_left_is_nobody(people, unit):
    person = people["top"].person
    person.active = False
    person.save()
    assert where(rejected(import_devices, people, unit, device_row())) == [(2, "责任人")]


@pytest.mark.rule("D7")
@pytest.mark.parametrize("state", ["维修", "已报废", "外出维修", "不明"])
def test_a_device_away_or_retired_is_not_imported(people, unit, state):
    assert where(rejected(import_devices, people, unit, device_row(state=state))) == [
        (2, "状态")]


# --- the file itself --------------------------------------------------------------------------


@pytest.mark.parametrize("upload", [b"not a workbook", b"PK\x03\x04 broken zip", b""])
def test_an_unreadable_file_is_refused(people, unit, upload):
    refusal = rejected(services.import_devices, people["office"], unit, io.BytesIO(upload))
    assert where(refusal) == [(0, "")] and list(refusal.fields) == ["file"]


def test_missing_columns_are_named(people, unit):
    refusal = rejected(import_devices, people, unit, ["X-1", "机密"], header=["保密编号", "密级"])
    [error] = refusal.errors
    assert error.line == 1
    for title in ("类型", "部门", "责任人", "存放位置", "启用日期"):
        assert title in error.message
    assert "品牌型号" not in error.message  # optional


def test_an_empty_sheet_and_a_header_alone_are_refused(people, unit):
    book = Workbook()
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    assert where(rejected(services.import_devices, people["office"], unit, data)) == [(0, "")]
    assert where(rejected(import_devices, people, unit)) == [(0, "")]


def test_at_most_so_many_rows_and_bytes(people, unit, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    assert import_devices(people, unit, device_row("R-1"), device_row("R-2")) == 2
    refusal = rejected(import_devices, people, unit, *(device_row(f"S-{n}") for n in range(3)))
    assert where(refusal) == [(0, "")] and "2" in refusal.errors[0].message
    monkeypatch.setattr(importing, "MAX_ROWS", 10_000)
    monkeypatch.setattr(importing, "MAX_BYTES", 100)
    assert where(rejected(import_devices, people, unit, device_row("T-1"))) == [(0, "")]
    assert Device.objects.count() == 2


def test_many_errors_are_cut_and_counted(people, unit, monkeypatch):
    monkeypatch.setattr(importing, "MAX_REPORTED", 3)
    refusal = rejected(import_devices, people, unit,
                       *(device_row(f"E-{n}", level="内部") for n in range(5)))
    assert len(refusal.errors) == 3 and refusal.more == 2
    assert "5" in refusal.message  # rows with problems


# --- who imports ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["head", "leader", "top", "office2"])
def test_only_the_secrecy_office_of_the_unit_imports(people, unit, who):
    with pytest.raises(AccessDenied):
        import_devices(people, unit, device_row(), actor=who)
    assert not Device.objects.exists()


@pytest.mark.rule("T2")
def test_the_three_administrators_import_nothing(people, unit, sysadmin, secadmin):
    for admin in (sysadmin, secadmin):
        with pytest.raises(AccessDenied):
            services.import_devices(admin, unit, workbook(device_row()))
    assert not Device.objects.exists()


# --- media --------------------------------------------------------------------------------------


@pytest.mark.rule("D4")
def test_media_are_imported_with_their_level_and_kind(people, unit, yf1):
    created = services.import_media(people["office"], unit, workbook(
        medium_row(), medium_row("HX-GP-101", "机密级", "光盘", "何机密", state=""),
        medium_row("HX-U-102", "非密", "优盘", "罗非密"), header=MEDIUM_HEADER))
    assert created == 3
    usb = Medium.objects.get(number="HX-U-101")
    assert (usb.kind, usb.level, usb.responsible, usb.capacity, usb.location, usb.state) == (
        MediumKind.USB_DRIVE, Level.SECRET, people["secret"].person, "64GB", "保密柜 1",
        MediumState.IN_STORE)
    assert Medium.objects.get(number="HX-GP-101").kind == MediumKind.OPTICAL
    assert Medium.objects.get(number="HX-U-102").level == Level.NONSECRET
    assert AuditEvent.objects.filter(action="MEDIUM_REGISTERED").count() == 3
    assert json.loads(AuditEvent.objects.get(action="MEDIA_IMPORTED").after)["created"] == 3


@pytest.mark.rule("D2")
def test_a_medium_row_refused_by_the_service_imports_no_medium(people, unit):
    refusal = rejected(services.import_media, people["office"], unit, workbook(
        medium_row(), medium_row("HX-U-2", level="绝密"), medium_row("HX-U-3", state="已领用"),
        medium_row("HX-U-4", kind="软盘"), header=MEDIUM_HEADER))
    assert where(refusal) == [(3, "责任人"), (4, "状态"), (5, "类型")]
    assert not Medium.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="MEDI").exists()


# --- the export reads back --------------------------------------------------------------------


@pytest.fixture
def twin_unit(make_user, other_unit, people):
    """Another unit with a 研发一部 and people of the same names and clearances."""
    twin = DepartmentFactory(unit=other_unit, name="研发一部", code="YF1")
    for key in ("none", "secret", "confidential", "top"):
        PersonFactory(unit=other_unit, department=twin, name=people[key].person.name,
                      category=people[key].person.category)
    return other_unit


def test_the_export_of_every_device_ledger_imports_into_another_unit(client, people, unit,
                                                                     register_device,
                                                                     twin_unit):
    register_device(number="C-1")
    register_device(number="C-2", kind=DeviceKind.PORTABLE, level=Level.SECRET,
                    responsible=people["secret"].person, os_installed_on=None, os="")
    register_device(number="O-1", kind=DeviceKind.MULTIFUNCTION, level=Level.NONSECRET,
                    responsible=people["none"].person, phone_line=True)
    register_device(number="S-1", kind=DeviceKind.SECURITY_PRODUCT, level=Level.CONFIDENTIAL)
    idle = register_device(number="C-3", level=Level.SECRET)
    services.update_device(people["office"], idle, location=idle.location,
                           responsible=idle.responsible, state=DeviceState.IDLE)
    client.force_login(people["office"])
    for family in ("computer", "office", "security"):
        response = client.get(f"/devices/export.xlsx?family={family}")
        upload = io.BytesIO(support.streamed(response))
        services.import_devices(people["office2"], twin_unit, upload)
    fields = ("number", "kind", "level", "model", "serial_no", "asset_no", "disk_serial", "mac",
              "os", "os_installed_on", "location", "in_use_on", "phone_line", "state",
              "department__name", "responsible__name")
    original = list(Device.objects.filter(unit=unit).order_by("number").values_list(*fields))
    copied = list(Device.objects.filter(unit=twin_unit).order_by("number")
                  .values_list(*fields))
    assert copied == original and len(copied) == 5


def test_the_export_of_the_media_ledger_imports_into_another_unit(client, people, unit,
                                                                  register_medium, twin_unit):
    register_medium(number="M-1")
    register_medium(number="M-2", kind=MediumKind.OPTICAL, level=Level.NONSECRET,
                    responsible=people["none"].person, capacity="", model="")
    client.force_login(people["office"])
    upload = io.BytesIO(support.streamed(client.get("/devices/media/export.xlsx")))
    assert services.import_media(people["office2"], twin_unit, upload) == 2
    fields = ("number", "kind", "level", "model", "serial_no", "capacity", "location", "state",
              "department__name", "responsible__name")
    assert list(Medium.objects.filter(unit=twin_unit).order_by("number").values_list(*fields)) \
        == list(Medium.objects.filter(unit=unit).order_by("number").values_list(*fields))


def test_the_words_of_the_export_are_the_words_of_the_import():
    """The Chinese names the export writes (the catalog's) are those the import reads."""
    from baomi.devices.exports import ledger_headers, media_headers

    assert ledger_headers() == DEVICE_HEADER and media_headers() == MEDIUM_HEADER
    assert {str(label): kind for kind, label in DeviceKind.choices} == importing.DEVICE_KIND_NAMES
    assert {str(label): kind for kind, label in MediumKind.choices} == importing.MEDIUM_KIND_NAMES
    assert {str(label) for _v, label in Level.choices} == set(importing.LEVELS)
    assert {str(DeviceState.IN_USE.label), str(DeviceState.IDLE.label)} <= set(
        importing.DEVICE_STATES)
    assert str(MediumState.IN_STORE.label) in importing.MEDIUM_STATES
