"""Fixtures shared by the inspection tests (rules Q9, Q10)."""

import datetime as dt

import pytest

from baomi.accounts.roles import Role
from baomi.compliance import services_inspections as services
from baomi.compliance.models import InspectionItem
from baomi.core.labels import Category
from baomi.core.testing.factories import DepartmentFactory, UnitFactory

STARTED_ON = dt.date(2026, 3, 10)


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


@pytest.fixture
def owner(make_user):
    return make_user("owner", roles=[Role.STAFF], category=Category.GENERAL)


@pytest.fixture
def other_unit(db):
    return UnitFactory(name="另一单位", code="OTHER-T")


@pytest.fixture
def outsider(make_user, other_unit):
    return make_user("outsider", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                     department_=DepartmentFactory(unit=other_unit))


@pytest.fixture
def inspection(office, unit):
    return services.start_inspection(office, unit=unit, kind="self",
                                     library="self_assessment_58", started_on=STARTED_ON)


def items(inspection):
    return list(InspectionItem.objects.filter(inspection=inspection).order_by("position"))


def check_all(office, inspection, problems=(), rectify_owner=None,
              due_on=STARTED_ON + dt.timedelta(days=30)):
    """Every item passed but those in `problems` (codes), which get a finding and, when
    `rectify_owner` is given, a rectification."""
    for item in items(inspection):
        if item.code in problems:
            services.record_item_result(office, item, result="problem",
                                        finding=f"{item.code} 存在问题")
            if rectify_owner is not None:
                services.open_rectification(office, item, owner=rectify_owner, due_on=due_on)
        else:
            services.record_item_result(office, item, result="pass")
