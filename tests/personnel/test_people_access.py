"""Who sees which file and post: the unit's 保密办 and leaders all, a 部门负责人 their
department, a person their own file, the 三员 nothing (T2), another unit nothing."""

import datetime

import pytest

from baomi.accounts.roles import Role
from baomi.core.errors import NotFound
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory, PersonFactory, UnitFactory
from baomi.personnel.selectors import people as selectors
from baomi.personnel.services import people as services


@pytest.fixture
def world(make_user, department):
    """Two departments of the unit with one file each, and a file in another unit."""
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    other_dept = DepartmentFactory(unit=department.unit, name="研发部", code="YF")
    mine = PersonFactory(unit=department.unit, department=department)
    theirs = PersonFactory(unit=department.unit, department=other_dept)
    post = services.create_post(office, department=other_dept, name="设计员",
                                level=Level.SECRET)
    files = {"mine": services.open_file(office, mine), "theirs": services.open_file(office, theirs)}
    services.assign_post(office, theirs, post, started_on=datetime.date(2024, 1, 1))
    other_unit = UnitFactory(code="OTHER")
    other_office = make_user("other", roles=[Role.SECRECY_OFFICE], unit=other_unit)
    foreign = PersonFactory(unit=other_unit, department=DepartmentFactory(unit=other_unit))
    files["foreign"] = services.open_file(other_office, foreign)
    return {"office": office, "files": files, "other_dept": other_dept, "post": post}


def visible(user):
    return set(selectors.ledger(user).values_list("pk", flat=True))


def test_office_sees_its_unit_only(world):
    files = world["files"]
    assert visible(world["office"]) == {files["mine"].pk, files["theirs"].pk}
    assert selectors.posts_visible_to(world["office"]).count() == 1


def test_department_head_sees_own_department_only(world, make_user, department):
    head = make_user("head", roles=[Role.DEPARTMENT_HEAD], department_=department)
    assert visible(head) == {world["files"]["mine"].pk}
    assert not selectors.posts_visible_to(head).exists()
    with pytest.raises(NotFound):
        selectors.file_for(head, world["files"]["theirs"].pk)
    other_head = make_user("head2", roles=[Role.DEPARTMENT_HEAD], department_=world["other_dept"])
    assert list(selectors.posts_visible_to(other_head)) == [world["post"]]


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR])
def test_three_admins_see_nothing(world, make_user, role):
    admin = make_user("admin", roles=[role])
    assert visible(admin) == set()
    assert not selectors.posts_visible_to(admin).exists()


def test_other_unit_sees_nothing_of_ours(world):
    other = world["files"]["foreign"].unit
    from baomi.accounts.models import User

    other_office = User.objects.get(username="other")
    assert visible(other_office) == {world["files"]["foreign"].pk}
    assert other.pk != world["files"]["mine"].unit_id


def test_person_sees_own_file(world, make_user):
    from baomi.accounts.models import User

    staff = make_user("staff", roles=[Role.STAFF])
    file = services.open_file(world["office"], staff.person)
    assert visible(User.objects.get(pk=staff.pk)) == {file.pk}


def test_filters(world):
    office, files = world["office"], world["files"]
    by = selectors.LedgerFilters
    assert visible_with(office, by(department_id=world["other_dept"].pk)) == {files["theirs"].pk}
    assert visible_with(office, by(category=Category.GENERAL)) == {files["theirs"].pk}
    assert visible_with(office, by(state="in_post")) == set()
    name = files["mine"].person.name
    assert visible_with(office, by(text=name)) == {files["mine"].pk}


def visible_with(user, filters):
    return set(selectors.ledger(user, filters).values_list("pk", flat=True))


def test_detail_page_is_404_for_others(world, make_user, client, department):
    head = make_user("head", roles=[Role.DEPARTMENT_HEAD], department_=department)
    client.force_login(head)
    assert client.get(f"/personnel/people/{world['files']['mine'].pk}/").status_code == 200
    assert client.get(f"/personnel/people/{world['files']['theirs'].pk}/").status_code == 404
    assert client.get(f"/personnel/people/{world['files']['foreign'].pk}/").status_code == 404
