"""Fixtures of the 重大事项报告 tests (rule P7): a staff user with a file in post in 研发一部,
and the 保密办 of the unit (imported by each test_reports_* module)."""

from datetime import date

import pytest

from baomi.accounts.roles import Role
from baomi.core.labels import Category
from baomi.personnel.choices import FileState
from baomi.personnel.models import PersonnelFile


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


@pytest.fixture
def staff(make_user, unit):
    return make_user("staff", roles=[Role.STAFF], category=Category.GENERAL)


@pytest.fixture
def staff_file(staff, unit):
    return PersonnelFile.objects.create(person=staff.person, unit=unit,
                                        category=Category.GENERAL, state=FileState.IN_POST,
                                        in_post_since=date(2020, 1, 1))


MATTER = {"category": "private_travel", "description": "春节赴泰国旅游（因私）",
          "date": "2026-02-10"}
