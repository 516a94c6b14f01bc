"""Fixtures of the carriers service tests (no tests here): a unit with 研发一部, its head, two
保密办 officers, a leader, readers of each clearance, a keeper, a 密码保险柜, a 机密 secret item
made directly with the ORM (state determined, `reader` named in its 知悉范围), and helpers
that register a carrier and carry a loan through the approvals chain.

The chain `carrier_loan` is 部门负责人 → 保密办 (绝密 adds 单位领导): the borrower files, `head`
and `office2` (and `leader`) decide, `office` hands out and receives."""

import itertools
from datetime import date

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.approvals.services import decide
from baomi.carriers import services
from baomi.carriers.choices import CarrierKind, CarrierOrigin, ContainerKind, LoanKind
from baomi.carriers.models import Container, Loan
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
def people(make_user, yf1):
    """Who acts: the 保密办 (two officers: one files or hands out, the other decides), the
    head of 研发一部, the unit leader, and staff of 研发一部 cleared 机密 (`reader`, in the
    item's scope; `outsider`, not), 秘密 (`clerk`) and 绝密 (`senior`)."""
    return {
        "office": make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE),
        "office2": make_user("office2", roles=[Role.SECRECY_OFFICE], category=Category.CORE),
        "head": make_user("head", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE,
                          department_=yf1),
        "leader": make_user("leader", roles=[Role.LEADER], category=Category.CORE),
        "reader": make_user("reader", roles=[Role.STAFF], category=Category.IMPORTANT,
                            department_=yf1),
        "outsider": make_user("outsider", roles=[Role.STAFF], category=Category.IMPORTANT,
                              department_=yf1),
        "clerk": make_user("clerk", roles=[Role.STAFF], category=Category.GENERAL,
                           department_=yf1),
        "senior": make_user("senior", roles=[Role.STAFF], category=Category.CORE,
                            department_=yf1),
    }


@pytest.fixture
def keeper(unit, yf1):
    """The custodian of the carriers registered here, cleared 绝密."""
    return PersonFactory(unit=unit, department=yf1, name="保管员", category=Category.CORE)


@pytest.fixture
def safe(unit):
    return Container.objects.create(unit=unit, number="BXG-01", kind=ContainerKind.SAFE,
                                    rating=Level.TOP_SECRET, location="保密室",
                                    room=SecureRoomFactory(unit=unit))


def make_item(unit, people, *, level=Level.CONFIDENTIAL, scheme=Scheme.STATE, scope=("reader",),
              state=ItemState.DETERMINED, number=None):
    """A secret item in force, `scope` (people's keys) named in its 知悉范围."""
    office = people["office"]
    item = SecretItem.objects.create(
        unit=unit, scheme=scheme, number=number or f"DM-{next(_numbers):04d}",
        title="型号总体方案", level=level, period_kind=PeriodKind.YEARS, period_value=10,
        basis="保密事项范围第3条", state=state, proposer=office.person, created_by=office,
        decided_on=today())
    for key in scope:
        ScopeEntry.objects.create(item=item, person=people[key].person, added_on=today(),
                                  added_by=office)
    return item


@pytest.fixture
def item(unit, people):
    return make_item(unit, people)


def carrier_fields(unit, yf1, keeper, safe):
    return {
        "unit": unit, "department": yf1, "number": f"ZT-{next(_numbers):04d}",
        "title": "型号总体方案（送审稿）", "kind": CarrierKind.PAPER, "scheme": Scheme.STATE,
        "level": Level.CONFIDENTIAL, "period_kind": PeriodKind.YEARS, "period_value": 10,
        "origin": CarrierOrigin.PRODUCED, "received_on": today(), "custodian": keeper,
        "container": safe, "pages": 12,
    }


@pytest.fixture
def register(people, unit, yf1, keeper, safe):
    """register(**overrides): a carrier registered by the 保密办 (机密, produced, in the safe)."""

    def make(actor=None, **overrides):
        fields = {**carrier_fields(unit, yf1, keeper, safe), **overrides}
        return services.register_carrier(actor or people["office"], **fields)

    return make


def decide_chain(people, loan, names=("head", "office2")):
    """Approve the loan's request by each of `names`, in order."""
    request = loan.request
    for name in names:
        request = decide(people[name], request, "approve")
    return Loan.objects.select_related("carrier", "request").get(pk=loan.pk)


def approved_loan(people, carrier, borrower="reader", kind=LoanKind.BORROW):
    loan = services.request_loan(people[borrower], carrier, kind=kind, purpose="编写设计报告",
                                 room="保密阅览室")
    return decide_chain(people, loan)
