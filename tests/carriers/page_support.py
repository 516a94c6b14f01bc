"""Fixtures of the carriers page, API, file and demo tests (no tests here).

A unit with 研发一部; the 保密办 (`office`, 核心), the head of 研发一部, staff of 研发一部
cleared 机密 (`reader`) and 秘密 (`clerk`), both named in the 知悉范围 of a 机密 secret item
(made with the ORM: the 定密 app is tested elsewhere); a 密码保险柜 and a 密码文件柜
registered through the services; `register(**overrides)` registers a carrier (机密, produced,
in the safe, custodian `keeper`), `approved_loan(carrier)` files a loan for `reader` and has
the chain (部门负责人 → 保密办) approve it.
"""

import io
import itertools
from datetime import date

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from baomi.accounts.roles import Role
from baomi.approvals.services import decide
from baomi.carriers import services
from baomi.carriers.choices import CarrierKind, CarrierOrigin, ContainerKind, LoanKind
from baomi.carriers.models import Loan
from baomi.core.labels import Category, Level, Scheme
from baomi.core.testing.factories import DepartmentFactory, PersonFactory, SecureRoomFactory
from baomi.secrets.choices import ItemState, PeriodKind
from baomi.secrets.models import ScopeEntry, SecretItem

_numbers = itertools.count(1)


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def yf1(unit):
    return DepartmentFactory(unit=unit, name="研发一部", code="YF1")


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                     person__name="刘保密")


@pytest.fixture
def head(make_user, yf1):
    return make_user("head", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE,
                     department_=yf1, person__name="张部长")


@pytest.fixture
def reader(make_user, yf1):
    return make_user("reader", roles=[Role.STAFF], category=Category.IMPORTANT,
                     department_=yf1, person__name="何读者")


@pytest.fixture
def clerk(make_user, yf1):
    """Cleared 秘密 only, though named in the item's scope (rule L5: clearance first)."""
    return make_user("clerk", roles=[Role.STAFF], category=Category.GENERAL,
                     department_=yf1, person__name="马文员")


@pytest.fixture
def keeper(unit, yf1):
    return PersonFactory(unit=unit, department=yf1, name="王保管", employee_no="K-001",
                         category=Category.CORE)


@pytest.fixture
def safe(office, unit):
    return services.register_container(office, unit=unit, number="MX-01",
                                       kind=ContainerKind.SAFE, rating=Level.TOP_SECRET,
                                       location="保密室", room=SecureRoomFactory(unit=unit))


@pytest.fixture
def cabinet(office, unit):
    return services.register_container(office, unit=unit, number="WJG-01",
                                       kind=ContainerKind.CODED_CABINET,
                                       rating=Level.CONFIDENTIAL, location="资料室",
                                       room=SecureRoomFactory(unit=unit))


@pytest.fixture
def item(unit, office, reader, clerk):
    """A 机密 item in force; `reader` and `clerk` are in its 知悉范围."""
    secret = SecretItem.objects.create(
        unit=unit, scheme=Scheme.STATE, number="DM-0001", title="型号总体方案",
        level=Level.CONFIDENTIAL, period_kind=PeriodKind.YEARS, period_value=10,
        basis="保密事项范围第3条", state=ItemState.DETERMINED, proposer=office.person,
        created_by=office, decided_on=today())
    for person in (reader.person, clerk.person):
        ScopeEntry.objects.create(item=secret, person=person, added_on=today(),
                                  added_by=office)
    return secret


def carrier_fields(unit, yf1, keeper, safe, **overrides):
    fields = {
        "unit": unit, "department": yf1, "number": f"ZT-{next(_numbers):04d}",
        "title": "型号总体方案（送审稿）", "kind": CarrierKind.PAPER, "scheme": Scheme.STATE,
        "level": Level.CONFIDENTIAL, "period_kind": PeriodKind.YEARS, "period_value": 10,
        "origin": CarrierOrigin.PRODUCED, "received_on": today(), "custodian": keeper,
        "container": safe, "pages": 12,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def register(office, unit, yf1, keeper, safe):
    """register(**overrides): a carrier registered by the 保密办 (机密, produced, in the safe)."""

    def make(**overrides):
        return services.register_carrier(office, **carrier_fields(unit, yf1, keeper, safe,
                                                                  **overrides))

    return make


@pytest.fixture
def approved_loan(reader, head, office):
    """approved_loan(carrier, kind=…): `reader` asks, the head and the 保密办 approve."""

    def make(carrier, kind=LoanKind.BORROW):
        loan = services.request_loan(reader, carrier, kind=kind, purpose="编写设计报告",
                                     room="保密阅览室")
        request = loan.request
        for decider in (head, office):
            request = decide(decider, request, "approve", comment="同意。")
        return Loan.objects.select_related("carrier", "request").get(pk=loan.pk)

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
