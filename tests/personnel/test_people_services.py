"""Posts, holdings and files: the category follows the highest post (L3), a level change
triggers a re-review (P6), the identification steps run in order (P1)."""

import datetime

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied, Conflict, InvalidInput
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory, PersonFactory, UnitFactory
from baomi.personnel.choices import FileState
from baomi.personnel.models import PersonnelFile, PostHolding
from baomi.personnel.services import people as services

DAY = datetime.date(2024, 3, 1)


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


@pytest.fixture
def person(department):
    return PersonFactory(unit=department.unit, department=department)


@pytest.fixture
def posts(office, department):
    return {level: services.create_post(office, department=department, name=f"岗位{int(level)}",
                                        level=level)
            for level in (Level.SECRET, Level.CONFIDENTIAL, Level.TOP_SECRET)}


@pytest.fixture
def file(office, person):
    return services.open_file(office, person)


def category_of(person):
    """The category on the person's file (their clearance follows it once in post)."""
    return PersonnelFile.objects.get(person=person).category


def clearance_of(person):
    person.refresh_from_db()
    return person.category


@pytest.mark.rule("L3")
def test_category_follows_highest_post_held(office, person, posts, file):
    services.assign_post(office, person, posts[Level.SECRET], started_on=DAY)
    assert category_of(person) == Category.GENERAL
    secret_and_conf = services.assign_post(office, person, posts[Level.CONFIDENTIAL],
                                           started_on=DAY)
    assert category_of(person) == Category.IMPORTANT
    file.refresh_from_db()
    assert file.category == Category.IMPORTANT
    services.end_post(office, secret_and_conf, ended_on=DAY)
    assert category_of(person) == Category.GENERAL


@pytest.mark.rule("L2")
def test_clearance_only_while_in_post(office, person, posts, file):
    services.assign_post(office, person, posts[Level.CONFIDENTIAL], started_on=DAY)
    assert clearance_of(person) == Category.NONE  # 拟定: not reviewed, trained or committed yet
    PersonnelFile.objects.filter(pk=file.pk).update(state=FileState.IN_POST)
    services.assign_post(office, person, posts[Level.TOP_SECRET], started_on=DAY)
    assert clearance_of(person) == Category.CORE  # in post: the clearance follows the posts


@pytest.mark.rule("L3")
def test_no_post_means_no_category(office, person, posts, file):
    holding = services.assign_post(office, person, posts[Level.TOP_SECRET], started_on=DAY)
    assert category_of(person) == Category.CORE
    services.end_post(office, holding, ended_on=DAY)
    assert category_of(person) == Category.NONE
    assert AuditEvent.objects.filter(action="PERSON_CATEGORY_DERIVED").count() == 2


@pytest.mark.rule("L3")
@pytest.mark.rule("P6")
def test_level_change_rederives_holders_and_makes_rereview_due(office, department, posts):
    in_post, proposed = (PersonFactory(unit=department.unit, department=department)
                         for _ in range(2))
    post = posts[Level.SECRET]
    for holder in (in_post, proposed):
        services.open_file(office, holder)
        services.assign_post(office, holder, post, started_on=DAY)
    PersonnelFile.objects.filter(person=in_post).update(
        state=FileState.IN_POST, rereview_due_on=datetime.date(2030, 1, 1))
    services.update_post(office, post, name=post.name, duties="", level=Level.CONFIDENTIAL)
    assert category_of(in_post) == category_of(proposed) == Category.IMPORTANT
    in_post_file = PersonnelFile.objects.get(person=in_post)
    assert in_post_file.category == Category.IMPORTANT
    assert in_post_file.rereview_due_on == timezone.localdate()  # rule P6: at once
    assert PersonnelFile.objects.get(person=proposed).rereview_due_on is None
    assert AuditEvent.objects.filter(action="POST_UPDATED").count() == 1


@pytest.mark.rule("P6")
def test_level_change_below_another_post_changes_nothing(office, person, posts, file):
    services.assign_post(office, person, posts[Level.SECRET], started_on=DAY)
    services.assign_post(office, person, posts[Level.TOP_SECRET], started_on=DAY)
    PersonnelFile.objects.filter(pk=file.pk).update(state=FileState.IN_POST,
                                                    rereview_due_on=datetime.date(2030, 1, 1))
    post = posts[Level.SECRET]
    services.update_post(office, post, name=post.name, duties="", level=Level.CONFIDENTIAL)
    file.refresh_from_db()
    assert category_of(person) == Category.CORE
    assert file.rereview_due_on == datetime.date(2030, 1, 1)


@pytest.mark.rule("L3")
def test_abolishing_a_post_releases_holders(office, person, posts, file):
    services.assign_post(office, person, posts[Level.CONFIDENTIAL], started_on=DAY)
    services.deactivate_post(office, posts[Level.CONFIDENTIAL])
    assert category_of(person) == Category.NONE
    assert not PostHolding.objects.filter(person=person, ended_on__isnull=True).exists()
    with pytest.raises(Conflict) as caught:
        services.deactivate_post(office, posts[Level.CONFIDENTIAL])
    assert caught.value.code == "post_inactive"
    with pytest.raises(InvalidInput) as caught:
        services.assign_post(office, person, posts[Level.CONFIDENTIAL], started_on=DAY)
    assert caught.value.code == "post_inactive"


@pytest.mark.rule("L3")
@pytest.mark.parametrize("level", [Level.NONSECRET, 4, "x", None])
def test_a_post_is_classified(office, department, level):
    with pytest.raises(InvalidInput) as caught:
        services.create_post(office, department=department, name="岗位", level=level)
    assert caught.value.code == "invalid_level"


def test_duplicate_post_name_refused(office, department, posts):
    with pytest.raises(Conflict) as caught:
        services.create_post(office, department=department, name="岗位1", level=Level.SECRET)
    assert caught.value.code == "duplicate_post"


@pytest.mark.rule("P1")
def test_file_opens_in_proposed_once(office, person):
    file = services.open_file(office, person)
    assert file.state == FileState.PROPOSED
    assert AuditEvent.objects.filter(action="PERSONNEL_FILE_OPENED").count() == 1
    with pytest.raises(Conflict) as caught:
        services.open_file(office, person)
    assert caught.value.code == "file_exists"


@pytest.mark.rule("P1")
def test_post_needs_a_file_first(office, person, posts):
    with pytest.raises(InvalidInput) as caught:
        services.assign_post(office, person, posts[Level.SECRET], started_on=DAY)
    assert caught.value.code == "no_file"


def test_duplicate_current_holding_refused_but_a_new_one_after_leaving_is_fine(
        office, person, posts, file):
    post = posts[Level.SECRET]
    holding = services.assign_post(office, person, post, started_on=DAY)
    with pytest.raises(Conflict) as caught:
        services.assign_post(office, person, post, started_on=DAY)
    assert caught.value.code == "post_held"
    services.end_post(office, holding, ended_on=DAY)
    with pytest.raises(Conflict) as caught:
        services.end_post(office, holding, ended_on=DAY)
    assert caught.value.code == "post_ended"
    services.assign_post(office, person, post, started_on=DAY)
    assert PostHolding.objects.filter(person=person, post=post).count() == 2


def test_end_before_start_refused(office, person, posts, file):
    holding = services.assign_post(office, person, posts[Level.SECRET], started_on=DAY)
    with pytest.raises(InvalidInput) as caught:
        services.end_post(office, holding, ended_on=DAY - datetime.timedelta(days=1))
    assert caught.value.code == "invalid_date"


def test_post_of_another_unit_refused(office, person, file, make_user):
    other = UnitFactory(code="OTHER")
    other_office = make_user("other-office", roles=[Role.SECRECY_OFFICE], unit=other)
    foreign = services.create_post(other_office, department=DepartmentFactory(unit=other),
                                   name="外单位岗位", level=Level.SECRET)
    with pytest.raises(AccessDenied):
        services.assign_post(office, person, foreign, started_on=DAY)
    with pytest.raises(InvalidInput) as caught:
        services.assign_post(other_office, person, foreign, started_on=DAY)
    assert caught.value.code == "invalid_post"


@pytest.mark.parametrize("roles", [[Role.DEPARTMENT_HEAD], [Role.LEADER], [Role.SECADMIN],
                                   [Role.STAFF]])
def test_only_the_secrecy_office_writes(make_user, department, person, roles):
    actor = make_user("someone", roles=roles)
    with pytest.raises(AccessDenied):
        services.create_post(actor, department=department, name="岗位", level=Level.SECRET)
    with pytest.raises(AccessDenied):
        services.open_file(actor, person)
    assert not PersonnelFile.objects.exists()
