"""Units, departments, people and logins: made by the 系统管理员 (rule T2), all or nothing."""

import pytest

from baomi.accounts import selectors, services
from baomi.accounts.models import Person, Unit, User
from baomi.accounts.roles import Role
from baomi.core.access import sees_business_data
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from baomi.core.labels import Category
from baomi.core.testing.factories import DEFAULT_PASSWORD, UnitFactory


def test_system_setup_creates_group_and_unit(events):
    group = services.create_unit(None, name="集团", code="G", kind=Unit.Kind.GROUP)
    unit = services.create_unit(None, name="单位", code="G-1", parent=group)
    assert unit.parent == group
    assert [e.object_id for e in events("UNIT_CREATED")] == [str(group.pk), str(unit.pk)]


def test_unit_rules(make_user):
    group = services.create_unit(None, name="集团", code="G", kind=Unit.Kind.GROUP)
    plain = services.create_unit(None, name="单位", code="U")
    with pytest.raises(InvalidInput) as refused:
        services.create_unit(None, name="子单位", code="U-1", parent=plain)
    assert refused.value.code == "invalid_parent"
    with pytest.raises(Conflict) as refused:
        services.create_unit(None, name="重复", code="G")
    assert refused.value.code == "duplicate_code"
    group_admin = make_user("gadmin", roles=[Role.SYSADMIN], unit=group)
    assert services.create_unit(group_admin, name="子单位", code="G-2", parent=group).parent == group
    with pytest.raises(AccessDenied):
        services.create_unit(group_admin, name="顶层", code="TOP")


@pytest.mark.rule("T2")
def test_sysadmin_creates_department_person_and_login(sysadmin, unit, events):
    department = services.create_department(sysadmin, unit=unit, name="研发部", code="YF")
    person = services.create_person(sysadmin, unit=unit, department=department, name="王五",
                                    employee_no="E-1")
    user = services.create_user(sysadmin, person=person, username="wangwu",
                                initial_password=DEFAULT_PASSWORD)
    assert user.must_change_password  # rule T3: the initial password is changed at once
    assert user.check_password(DEFAULT_PASSWORD)
    assert person.category == Category.NONE
    for action in ("DEPARTMENT_CREATED", "PERSON_CREATED", "USER_CREATED"):
        assert events(action)[0].actor_id == sysadmin.pk
    assert DEFAULT_PASSWORD not in events("USER_CREATED")[0].after


@pytest.mark.rule("T2")
@pytest.mark.parametrize("role", [Role.SECADMIN, Role.AUDITOR, Role.SECRECY_OFFICE])
def test_only_sysadmin_manages_accounts(make_user, unit, role):
    actor = make_user("actor", roles=[role])
    with pytest.raises(AccessDenied):
        services.create_department(actor, unit=unit, name="研发部", code="YF")
    with pytest.raises(AccessDenied):
        services.create_person(actor, unit=unit, department=None, name="王五", employee_no="1")


def test_department_of_another_unit_is_refused(sysadmin, unit):
    other = UnitFactory(code="OTHER")
    department = services.create_department(None, unit=other, name="部门", code="D")
    with pytest.raises(InvalidInput) as refused:
        services.create_person(sysadmin, unit=unit, department=department, name="王五",
                               employee_no="1")
    assert refused.value.code == "invalid_department"


@pytest.mark.rule("T3")
def test_initial_password_follows_the_policy(sysadmin, unit):
    person = services.create_person(sysadmin, unit=unit, department=None, name="王五",
                                    employee_no="1")
    with pytest.raises(InvalidInput) as refused:
        services.create_user(sysadmin, person=person, username="w", initial_password="Ab1!")
    assert refused.value.code == "password_too_short"
    assert "password" in refused.value.fields


def test_person_and_user_are_created_together_or_not_at_all(sysadmin, unit, department):
    with pytest.raises(Conflict) as refused:
        services.create_person_and_user(sysadmin, unit=unit, department=department, name="王五",
                                        employee_no="E-9", username="sysadmin",
                                        initial_password=DEFAULT_PASSWORD)
    assert refused.value.code == "duplicate_username"
    assert not Person.objects.filter(employee_no="E-9").exists()


@pytest.mark.parametrize("username", ["", "with space", "名字", "x" * 51])
def test_bad_usernames(sysadmin, unit, username):
    person = services.create_person(sysadmin, unit=unit, department=None, name="王五",
                                    employee_no="1")
    with pytest.raises(InvalidInput):
        services.create_user(sysadmin, person=person, username=username,
                             initial_password=DEFAULT_PASSWORD)


def test_duplicate_employee_number(sysadmin, unit):
    services.create_person(sysadmin, unit=unit, department=None, name="甲", employee_no="1")
    with pytest.raises(Conflict) as refused:
        services.create_person(sysadmin, unit=unit, department=None, name="乙", employee_no="1")
    assert refused.value.code == "duplicate_employee_no"


def test_enable_and_disable_login(sysadmin, make_user, events):
    target = make_user("target")
    with pytest.raises(InvalidInput):
        services.set_user_active(sysadmin, target, False, "  ")
    services.set_user_active(sysadmin, target, False, "调离")
    assert not User.objects.get(pk=target.pk).is_active
    with pytest.raises(Conflict):
        services.set_user_active(sysadmin, target, False, "again")
    services.set_user_active(sysadmin, target, True, "返岗")
    assert User.objects.get(pk=target.pk).is_active
    assert events("USER_DEACTIVATED")[0].reason == "调离"
    with pytest.raises(InvalidInput) as refused:
        services.set_user_active(sysadmin, sysadmin, False, "oops")
    assert refused.value.code == "cannot_disable_self"


@pytest.mark.rule("L2")
def test_secadmin_sets_category(secadmin, sysadmin, make_user, events):
    person = make_user("target").person
    with pytest.raises(AccessDenied):
        services.set_person_category(sysadmin, person, Category.CORE, reason="x")
    services.set_person_category(secadmin, person, Category.IMPORTANT, reason="岗位定级")
    assert Person.objects.get(pk=person.pk).category == Category.IMPORTANT
    (event,) = events("PERSON_CATEGORY_CHANGED")
    assert (event.before, event.after) == ('{"category":0}', '{"category":2}')
    with pytest.raises(InvalidInput):
        services.set_person_category(secadmin, person, 7, reason="x")


@pytest.mark.rule("T2")
def test_sysadmin_sees_accounts_but_no_business_data(sysadmin, secadmin, auditor, make_user):
    staff = make_user("staff", roles=[Role.STAFF])
    unit_users = {sysadmin.pk, secadmin.pk, auditor.pk, staff.pk}
    assert set(selectors.users_visible_to(sysadmin).values_list("pk", flat=True)) == unit_users
    assert set(selectors.users_visible_to(secadmin).values_list("pk", flat=True)) == unit_users
    assert not sees_business_data(sysadmin)
    assert not sees_business_data(secadmin)
    assert sees_business_data(staff)
    # Everyone else sees only their own account.
    assert list(selectors.users_visible_to(staff)) == [staff]
    assert list(selectors.users_visible_to(auditor)) == [auditor]
    with pytest.raises(NotFound):
        selectors.user_detail_for(staff, sysadmin.pk)


@pytest.mark.rule("T2")
def test_account_perimeter_is_the_unit(sysadmin):
    from baomi.core.testing.factories import UserFactory

    stranger = UserFactory(person__unit=UnitFactory(code="OTHER"))
    assert stranger not in selectors.users_visible_to(sysadmin)
    with pytest.raises(NotFound):
        selectors.user_detail_for(sysadmin, stranger.pk)
    with pytest.raises(NotFound):
        selectors.user_detail_for(sysadmin, 2**64)


def test_group_sysadmin_sees_the_units_of_the_group(make_user):
    group = UnitFactory(code="G", kind=Unit.Kind.GROUP)
    member = UnitFactory(code="G-1", parent=group)
    admin = make_user("gadmin", roles=[Role.SYSADMIN], unit=group)
    inside = make_user("inside", unit=member)
    assert inside in selectors.users_visible_to(admin)
    assert set(selectors.units_visible_to(admin)) == {group, member}
