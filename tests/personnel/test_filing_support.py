"""Fixtures of the allowance and filing tests (no tests here): a 保密办 officer, a unit paying 1000/600/300
元 a month by category, and a maker of files in post."""

from datetime import date

import pytest

from baomi.accounts.roles import Role
from baomi.core.labels import Category
from baomi.core.testing.factories import PersonFactory
from baomi.personnel.choices import FileState
from baomi.personnel.models import PersonnelFile

AMOUNTS = {"personnel.allowance.core": 1000, "personnel.allowance.important": 600,
           "personnel.allowance.general": 300}


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


@pytest.fixture
def paying(unit):
    unit.policy_overrides = {**unit.policy_overrides, **AMOUNTS}
    unit.save(update_fields=["policy_overrides"])
    return unit


@pytest.fixture
def in_post(unit, department):
    def make(name, category, since, state=FileState.IN_POST, employee_no=None):
        person = PersonFactory(unit=unit, department=department, name=name,
                               category=category, **({"employee_no": employee_no}
                                                     if employee_no else {}))
        return PersonnelFile.objects.create(person=person, unit=unit, category=category,
                                            state=state, in_post_since=since)

    return make


def day(text):
    return date.fromisoformat(text)
