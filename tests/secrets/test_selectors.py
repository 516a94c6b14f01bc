"""Who sees a secret item (rule L5): cleared for its level AND inside its 知悉范围 (named or
through the department) or holding a duty for it (the 保密办, 定密责任人 or leader of its unit,
its 承办人). The 三员 see nothing through their admin roles (rule T2); 工作秘密 and 商业秘密
carry no state clearance (rule L4) but still need the scope or a duty; a role held at a 集团
covers its units.

The rows are made directly with the ORM: visibility is a property of the rows, whatever
service wrote them.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from baomi.accounts.models import RoleAssignment
from baomi.accounts.roles import Role
from baomi.core.errors import NotFound
from baomi.core.labels import Category, Level, Scheme
from baomi.core.testing.factories import (
    DepartmentFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)
from baomi.secrets.choices import ItemState, PeriodKind
from baomi.secrets.models import ScopeEntry, SecretItem
from baomi.secrets.selectors import in_scope, item_for, items_visible_to

TODAY = datetime.date(2026, 3, 2)

CLEARANCES = {"nonsecret": Category.NONE, "secret": Category.GENERAL,
              "confidential": Category.IMPORTANT, "top_secret": Category.CORE}
LEVELS = {"secret": Level.SECRET, "confidential": Level.CONFIDENTIAL,
          "top_secret": Level.TOP_SECRET}
SCOPES = ["by_name", "by_department", "not_in_scope"]
# role of the subject -> (role held, held in another unit, is the item's 承办人)
ROLES: dict[str, tuple[str, bool, bool]] = {
    "staff": (Role.STAFF, False, False),
    "department_head": (Role.DEPARTMENT_HEAD, False, False),
    "secrecy_office": (Role.SECRECY_OFFICE, False, False),
    "secrecy_office_other_unit": (Role.SECRECY_OFFICE, True, False),
    "classification_officer": (Role.CLASSIFICATION_OFFICER, False, False),
    "leader": (Role.LEADER, False, False),
    "proposer": (Role.STAFF, False, True),
    "sysadmin": (Role.SYSADMIN, False, False),
}
# The roles whose holder sees the unit's items without being in their scope: an explicit
# management duty (rule L5). A 部门负责人 has none, not even for the proposing department.
DUTY = {"secrecy_office", "classification_officer", "leader", "proposer"}


@dataclass
class World:
    unit: Any
    department: Any  # the item's proposing department; the subject works in it
    other_department: Any
    clerk: Any  # the user who registered the items
    colleague: Any  # a person of the unit, in the scope when the subject is not


def make_world() -> World:
    unit = UnitFactory(code="SEC-L5")
    department, other_department = (DepartmentFactory(unit=unit, code=code)
                                    for code in ("YF", "ZH"))
    clerk = UserFactory(person__unit=unit, person__department=other_department,
                        roles=[Role.STAFF])
    colleague = PersonFactory(unit=unit, department=other_department)
    return World(unit, department, other_department, clerk, colleague)


def make_subject(world: World, role_key: str, category: int) -> Any:
    role, elsewhere, _ = ROLES[role_key]
    unit, department = world.unit, world.department
    if elsewhere:
        unit = UnitFactory(code="SEC-OTHER")
        department = DepartmentFactory(unit=unit)
    return UserFactory(person__unit=unit, person__department=department,
                       person__category=category, roles=[role])


def make_item(world: World, *, level: int, scheme: str = Scheme.STATE, proposer: Any = None,
              number: str = "DM-1", unit: Any = None) -> SecretItem:
    return SecretItem.objects.create(
        unit=unit or world.unit, department=world.department, scheme=scheme, number=number,
        title="某型雷达关键技术参数", level=level, period_kind=PeriodKind.YEARS,
        period_value=10, basis="《国防科技工业国家秘密范围的规定》", issued_on=TODAY,
        state=ItemState.DETERMINED, proposer=proposer or world.colleague,
        decider=world.clerk, decided_on=TODAY, created_by=world.clerk)


def add_scope(item: SecretItem, *, person: Any = None, department: Any = None,
              removed_on: datetime.date | None = None) -> ScopeEntry:
    return ScopeEntry.objects.create(item=item, person=person, department=department,
                                     added_on=TODAY, added_by=item.created_by,
                                     removed_on=removed_on)


def scope_item(item: SecretItem, subject: Any, world: World, how: str) -> None:
    """Put the subject in the item's scope by name or department, or leave them out (the
    scope then names someone else and another department)."""
    if how == "by_name":
        add_scope(item, person=subject.person)
    elif how == "by_department":
        add_scope(item, department=subject.person.department)
    else:
        add_scope(item, person=world.colleague)
        add_scope(item, department=world.other_department)


def sees(user: Any, item: SecretItem) -> bool:
    """Both ways in: the list (items_visible_to) and one item by id (item_for) agree."""
    listed = items_visible_to(user).filter(pk=item.pk).exists()
    try:
        found = item_for(user, item.pk) == item
    except NotFound:
        found = False
    assert listed == found
    return listed


@pytest.mark.rule("L5")
@pytest.mark.django_db
@pytest.mark.parametrize("role_key", list(ROLES))
@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("level_key", list(LEVELS))
@pytest.mark.parametrize("clearance_key", list(CLEARANCES))
def test_visibility_matrix(clearance_key, level_key, scope, role_key):
    world = make_world()
    subject = make_subject(world, role_key, CLEARANCES[clearance_key])
    proposer = subject.person if ROLES[role_key][2] else None
    item = make_item(world, level=LEVELS[level_key], proposer=proposer)
    scope_item(item, subject, world, scope)

    cleared = CLEARANCES[clearance_key] >= LEVELS[level_key]
    reason_to_see = role_key in DUTY or scope != "not_in_scope"
    expected = role_key != "sysadmin" and cleared and reason_to_see  # rule T2, rule L5
    assert sees(subject, item) is expected


@pytest.mark.rule("L5")
@pytest.mark.django_db
def test_removed_scope_entry_no_longer_grants_access():
    world = make_world()
    subject = make_subject(world, "staff", Category.CORE)
    named = make_item(world, level=Level.SECRET, number="DM-1")
    entry = add_scope(named, person=subject.person)
    by_department = make_item(world, level=Level.SECRET, number="DM-2")
    department_entry = add_scope(by_department, department=world.department)
    assert sees(subject, named) and sees(subject, by_department)

    # the change request of rule S10 took them out: the rows stay, with removed_on
    ScopeEntry.objects.filter(pk__in=[entry.pk, department_entry.pk]).update(removed_on=TODAY)
    assert not sees(subject, named) and not sees(subject, by_department)
    assert not in_scope(named, subject.person) and not in_scope(by_department, subject.person)

    # still in through the department while the named entry is removed
    add_scope(named, department=world.department)
    assert sees(subject, named) and in_scope(named, subject.person)


@pytest.mark.rule("L5")
@pytest.mark.django_db
def test_only_the_entry_removed_from_the_scope_loses_access():
    world = make_world()
    staying = make_subject(world, "staff", Category.IMPORTANT)
    leaving = make_subject(world, "staff", Category.IMPORTANT)
    item = make_item(world, level=Level.CONFIDENTIAL)
    add_scope(item, person=staying.person)
    add_scope(item, person=leaving.person, removed_on=TODAY)
    assert sees(staying, item) and not sees(leaving, item)


# scheme, level (rule L4: 工作秘密 1; 普通商密 1, 核心商密 2)
OTHER_SCHEMES = [(Scheme.WORK, Level.SECRET), (Scheme.COMMERCIAL, Level.SECRET),
                 (Scheme.COMMERCIAL, Level.CONFIDENTIAL)]


@pytest.mark.rule("L4")
@pytest.mark.rule("L5")
@pytest.mark.django_db
@pytest.mark.parametrize("role_key", ["staff", "department_head", "secrecy_office", "leader",
                                      "classification_officer", "proposer", "sysadmin"])
@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize(("scheme", "level"), OTHER_SCHEMES)
def test_work_and_commercial_secrets_ignore_clearance_not_scope(scheme, level, scope, role_key):
    world = make_world()
    subject = make_subject(world, role_key, Category.NONE)  # no state clearance at all
    proposer = subject.person if ROLES[role_key][2] else None
    item = make_item(world, level=level, scheme=scheme, proposer=proposer)
    scope_item(item, subject, world, scope)

    expected = role_key != "sysadmin" and (role_key in DUTY or scope != "not_in_scope")
    assert sees(subject, item) is expected


@pytest.mark.rule("L5")
@pytest.mark.django_db
def test_state_secret_beside_a_work_secret_still_needs_clearance():
    world = make_world()
    subject = make_subject(world, "staff", Category.NONE)
    work = make_item(world, level=Level.SECRET, scheme=Scheme.WORK, number="GZ-1")
    state = make_item(world, level=Level.SECRET, number="GJ-1")
    for item in (work, state):
        add_scope(item, person=subject.person)
    assert set(items_visible_to(subject)) == {work}


@pytest.mark.rule("T2")
@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR])
def test_admin_roles_see_nothing_even_named_in_scope(role):
    world = make_world()
    admin = UserFactory(person__unit=world.unit, person__department=world.department,
                        person__category=Category.CORE, roles=[role])
    items = [make_item(world, level=level, scheme=scheme, number=f"N-{n}",
                       proposer=admin.person)
             for n, (scheme, level) in enumerate([(Scheme.STATE, Level.SECRET),
                                                  (Scheme.WORK, Level.SECRET)])]
    for item in items:
        add_scope(item, person=admin.person)
        add_scope(item, department=world.department)
    assert not items_visible_to(admin).exists()
    with pytest.raises(NotFound):
        item_for(admin, items[0].pk)


@pytest.mark.rule("L5")
@pytest.mark.django_db
def test_group_secrecy_office_sees_its_units_up_to_its_clearance():
    world = make_world()
    group = UnitFactory(code="GROUP", kind="group")
    first, second = world.unit, UnitFactory(code="SEC-2", parent=group)
    first.parent = group
    first.save()
    stranger = UnitFactory(code="STRANGER", parent=UnitFactory(code="GROUP-2", kind="group"))
    office = UserFactory(person__unit=group, person__department=DepartmentFactory(unit=group),
                         person__category=Category.IMPORTANT, roles=[Role.SECRECY_OFFICE])
    assert RoleAssignment.objects.get(user=office).unit == group  # held at the 集团

    def item(unit: Any, level: int, number: str) -> SecretItem:
        made = make_item(world, level=level, number=number, unit=unit)
        add_scope(made, person=world.colleague)
        return made

    seen = [item(first, Level.SECRET, "A-1"), item(first, Level.CONFIDENTIAL, "A-2"),
            item(second, Level.CONFIDENTIAL, "B-1")]
    unseen = [item(first, Level.TOP_SECRET, "A-3"),  # above its clearance
              item(second, Level.TOP_SECRET, "B-2"),
              item(stranger, Level.SECRET, "C-1")]  # a unit of another 集团
    assert set(items_visible_to(office)) == set(seen)
    for hidden in unseen:
        with pytest.raises(NotFound):
            item_for(office, hidden.pk)


@pytest.mark.rule("L5")
@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["", "abc", "-1", "0", "1e3", "99999999999999999999", None])
def test_item_for_rejects_keys_that_are_not_ids(raw):
    world = make_world()
    subject = make_subject(world, "secrecy_office", Category.CORE)
    make_item(world, level=Level.SECRET)
    with pytest.raises(NotFound):
        item_for(subject, raw)
