"""Populating a carrier ledger for the carrier benchmarks (bulk inserts: the services are not
what is measured).

One unit, 20 departments, one 保密办 user (核心, sees every carrier) and one ordinary user
(重要 → 机密 clearance, department 0, the custodian of a few hundred carriers and in the 知悉范围
of a few secret items that a few thousand carriers belong to).
"""

import datetime
import random
from dataclasses import dataclass
from typing import Any

DEPARTMENTS = 20
ITEMS = 500
BATCH = 10_000


@dataclass
class Ledger:
    office: Any
    user: Any
    departments: list[int]


def populate(carriers: int) -> Ledger:
    from django.db import connection, transaction

    from baomi.accounts.models import Department, Person, RoleAssignment, Unit, User
    from baomi.accounts.roles import Role
    from baomi.carriers.choices import CarrierKind, CarrierOrigin, CarrierState
    from baomi.carriers.models import Carrier
    from baomi.core.labels import Category, Level, Scheme
    from baomi.secrets.choices import ItemState, PeriodKind
    from baomi.secrets.models import ScopeEntry, SecretItem

    unit = Unit.objects.create(name="基准单位", code="BENCH")
    departments = Department.objects.bulk_create(
        Department(unit=unit, name=f"部门{i:02d}", code=f"D{i:02d}") for i in range(DEPARTMENTS))

    def user(username: str, category: int, roles: list[str]) -> Any:
        person = Person.objects.create(unit=unit, department=departments[0], name=username,
                                       employee_no=username.upper(), category=category)
        account = User.objects.create(username=username, person=person,
                                      must_change_password=False)
        for role in roles:
            RoleAssignment.objects.create(user=account, role=role, unit=unit)
        return account

    office = user("office", Category.CORE, [Role.SECRECY_OFFICE])
    staff = user("staff", Category.IMPORTANT, [Role.STAFF])
    today = datetime.date.today()
    items = SecretItem.objects.bulk_create(
        SecretItem(unit=unit, number=f"DM-{n:04d}", title=f"事项{n}", level=Level.CONFIDENTIAL,
                   period_kind=PeriodKind.YEARS, period_value=10, basis="保密事项范围",
                   state=ItemState.DETERMINED, proposer=office.person, decided_on=today,
                   created_by=office) for n in range(ITEMS))
    ScopeEntry.objects.bulk_create(
        ScopeEntry(item=item, person=staff.person, added_on=today, added_by=office)
        for item in items[:5])
    rng = random.Random(3)
    levels = [Level.SECRET] * 6 + [Level.CONFIDENTIAL] * 3 + [Level.TOP_SECRET]
    states = [CarrierState.IN_STORE] * 8 + [CarrierState.ON_LOAN, CarrierState.DESTROYED]
    custodians = [office.person] * 999 + [staff.person]
    for start in range(0, carriers, BATCH):
        with transaction.atomic():
            Carrier.objects.bulk_create(
                Carrier(unit=unit, department=departments[n % DEPARTMENTS], number=f"ZT-{n:07d}",
                        title=f"载体{n}", kind=CarrierKind.PAPER, scheme=Scheme.STATE,
                        level=rng.choice(levels), period_kind=PeriodKind.YEARS, period_value=10,
                        secret_item=items[n % ITEMS] if n % 3 == 0 else None,
                        origin=CarrierOrigin.RECEIVED, source_unit="上级机关",
                        source_document_no=f"文〔2026〕{n}号", received_on=today,
                        custodian=rng.choice(custodians), state=rng.choice(states),
                        registered_by=office)
                for n in range(start, min(start + BATCH, carriers)))
    with connection.cursor() as cursor:  # fresh statistics, as after a real load
        cursor.execute("ANALYZE")
    return Ledger(office=office, user=staff, departments=[d.pk for d in departments])
