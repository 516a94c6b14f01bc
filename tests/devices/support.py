"""Fixtures of the devices tests (no tests here).

A unit with 研发一部; its 保密办 (`office`, 核心); a second officer cleared 机密 only
(`office_important`); the 保密办 of another unit (`office2`); the head of 研发一部 (`head`,
核心); the unit leader (`leader`); staff of 研发一部 of each clearance — `none` (非密),
`secret` (秘密), `confidential` (机密), `top` (绝密). `register_device(**overrides)` and
`register_medium(**overrides)` register through the services as `office` (a 机密 desktop,
resp. a 机密 U盘, responsible `top`).

Test modules import the fixtures they use:

    from . import support
    people, yf1, register_device = support.people, support.yf1, support.register_device
"""

import io
import itertools
from datetime import date

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from baomi.accounts.roles import Role
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory, UnitFactory
from baomi.devices import services
from baomi.devices.choices import DeviceKind, MediumKind

_numbers = itertools.count(1)
CLEARANCE_OF = {"none": Category.NONE, "secret": Category.GENERAL,
                "confidential": Category.IMPORTANT, "top": Category.CORE}


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def yf1(unit):
    return DepartmentFactory(unit=unit, name="研发一部", code="YF1")


@pytest.fixture
def other_unit(db):
    return UnitFactory(name="另一单位", code="OTHER-T")


@pytest.fixture
def people(make_user, yf1, other_unit):
    """Who acts, by key (see the module docstring)."""
    made = {
        "office": make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                            person__name="刘保密"),
        "office_important": make_user("office_important", roles=[Role.SECRECY_OFFICE],
                                      category=Category.IMPORTANT, person__name="钱干事"),
        "office2": make_user("office2", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                             unit=other_unit, person__name="吴外单位"),
        "head": make_user("head", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE,
                          department_=yf1, person__name="张部长"),
        "leader": make_user("leader", roles=[Role.LEADER], category=Category.CORE,
                            person__name="陈领导"),
    }
    names = {"none": "罗非密", "secret": "马秘密", "confidential": "何机密", "top": "郭绝密"}
    for key, category in CLEARANCE_OF.items():
        made[key] = make_user(key, roles=[Role.STAFF], category=category, department_=yf1,
                              person__name=names[key])
    return made


def device_fields(unit, yf1, people):
    return {"unit": unit, "department": yf1, "number": f"SB-{next(_numbers):04d}",
            "kind": DeviceKind.DESKTOP, "level": Level.CONFIDENTIAL,
            "responsible": people["top"].person, "location": "科研楼 201",
            "in_use_on": today(), "model": "联想 启天M430", "serial_no": "SN-001",
            "asset_no": "ZC-001", "disk_serial": "WD-001", "mac": "00-1A-2B-3C-4D-5E",
            "os": "中标麒麟 7.0", "os_installed_on": today()}


@pytest.fixture
def register_device(people, unit, yf1):
    """register_device(actor=None, **overrides): a device registered by the 保密办."""

    def make(actor=None, **overrides):
        fields = {**device_fields(unit, yf1, people), **overrides}
        return services.register_device(actor or people["office"], **fields)

    return make


def medium_fields(unit, yf1, people):
    return {"unit": unit, "department": yf1, "number": f"JZ-{next(_numbers):04d}",
            "kind": MediumKind.USB_DRIVE, "level": Level.CONFIDENTIAL,
            "responsible": people["top"].person, "capacity": "64GB", "model": "朗科 U208",
            "serial_no": "U-001", "location": "保密办"}


@pytest.fixture
def register_medium(people, unit, yf1):
    """register_medium(actor=None, **overrides): a medium registered by the 保密办."""

    def make(actor=None, **overrides):
        fields = {**medium_fields(unit, yf1, people), **overrides}
        return services.register_medium(actor or people["office"], **fields)

    return make


def sheet_rows(content: bytes) -> list[tuple]:
    """The rows of the first sheet of an .xlsx."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    try:
        return list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a .docx, one per line."""
    document = Document(io.BytesIO(content))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(lines)
