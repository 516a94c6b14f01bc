"""The scene of the carrier browser tests (no tests here): 研发一部 with its head (核心), a
reader (重要) in the 知悉范围 of a 机密 secret item, the 保密办 (核心) and a 密码保险柜 in a
secure room that meets rule Q7; `carrier_scene(..., number=, title=)` also registers a 机密
carrier of the item in the safe."""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.carriers import services
from baomi.carriers.choices import CarrierKind, CarrierOrigin, ContainerKind
from baomi.core.labels import Category, Level, Scheme
from baomi.core.testing.factories import DepartmentFactory, SecureRoomFactory
from baomi.secrets.choices import ItemState, PeriodKind
from baomi.secrets.models import ScopeEntry, SecretItem


@dataclass
class Scene:
    yf1: Any
    office: Any
    head: Any
    reader: Any
    safe: Any
    item: Any
    carrier: Any = None


def carrier_scene(make_user: Any, unit: Any, *, number: str = "", title: str = "",
                  pages: int = 12) -> Scene:
    yf1 = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘保密")
    head = make_user("head", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE,
                     department_=yf1)
    reader = make_user("reader", roles=[Role.STAFF], category=Category.IMPORTANT,
                       department_=yf1, person__name="何振宇")
    safe = services.register_container(office, unit=unit, number="MX-01",
                                       kind=ContainerKind.SAFE, rating=Level.TOP_SECRET,
                                       location="保密室", room=SecureRoomFactory(unit=unit))
    today = timezone.localdate()
    item = SecretItem.objects.create(
        unit=unit, scheme=Scheme.STATE, number="DM-0001", title="型号总体方案",
        level=Level.CONFIDENTIAL, period_kind=PeriodKind.YEARS, period_value=20,
        basis="保密事项范围第3条", state=ItemState.DETERMINED, proposer=office.person,
        created_by=office, decided_on=today)
    ScopeEntry.objects.create(item=item, person=reader.person, added_on=today, added_by=office)
    scene = Scene(yf1, office, head, reader, safe, item)
    if number:
        scene.carrier = services.register_carrier(
            office, unit=unit, department=yf1, number=number, title=title,
            kind=CarrierKind.PAPER, scheme=Scheme.STATE, level=Level.CONFIDENTIAL,
            period_kind=PeriodKind.YEARS, period_value=20, origin=CarrierOrigin.PRODUCED,
            received_on=today, custodian=office.person, container=safe, secret_item=item,
            pages=pages)
    return scene
