"""Two officers assigning the same post to the same person at once: one holding."""

import datetime

import pytest

from baomi.accounts.roles import Role
from baomi.core.errors import DomainError
from baomi.core.labels import Category, Level
from baomi.core.testing.concurrency import race
from baomi.core.testing.factories import PersonFactory
from baomi.personnel.models import PersonnelFile, PostHolding
from baomi.personnel.services import people as services


@pytest.mark.rule("L3")
@pytest.mark.django_db(transaction=True)
def test_concurrent_assignment_yields_one_holding(make_user, department):
    office = make_user("office", roles=[Role.SECRECY_OFFICE])
    person = PersonFactory(unit=department.unit, department=department)
    post = services.create_post(office, department=department, name="机要员",
                                level=Level.CONFIDENTIAL)
    services.open_file(office, person)
    day = datetime.date(2024, 1, 1)
    results = race(lambda: services.assign_post(office, person, post, started_on=day),
                   lambda: services.assign_post(office, person, post, started_on=day))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError), results
    assert errors[0].code == "post_held"
    assert PostHolding.objects.filter(person=person, post=post).count() == 1
    assert PersonnelFile.objects.get(person=person).category == Category.IMPORTANT


@pytest.mark.django_db(transaction=True)
def test_concurrent_open_file_yields_one_file(make_user, department):
    office = make_user("office", roles=[Role.SECRECY_OFFICE])
    person = PersonFactory(unit=department.unit, department=department)
    results = race(lambda: services.open_file(office, person),
                   lambda: services.open_file(office, person))
    errors = [r for r in results if isinstance(r, Exception)]
    assert [getattr(e, "code", e) for e in errors] == ["file_exists"]
