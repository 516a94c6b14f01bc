"""Shared fixtures. The audit guard is lifted so the test runner can empty tables between
tests; tests of the guard itself use `baomi.audit.guard.guard_enforced()`."""

import pytest

from baomi.accounts.roles import Role
from baomi.audit.guard import set_lifted
from baomi.core.testing.factories import DepartmentFactory, UnitFactory, UserFactory

set_lifted(True)


@pytest.fixture
def unit(db):
    return UnitFactory(name="示范单位", code="DEMO-T")


@pytest.fixture
def department(unit):
    return DepartmentFactory(unit=unit, name="综合部", code="ZH")


@pytest.fixture
def make_user(department):
    """make_user("alice", roles=[Role.SECRECY_OFFICE], category=Category.IMPORTANT)."""

    def make(username=None, roles=(), category=0, unit=None, department_=None, **kwargs):
        dept = department_ or (department if unit is None else DepartmentFactory(unit=unit))
        extra = {"username": username} if username else {}
        return UserFactory(
            person__unit=dept.unit, person__department=dept, person__category=category,
            roles=list(roles), **extra, **kwargs,
        )

    return make


@pytest.fixture
def secadmin(make_user):
    return make_user("secadmin", roles=[Role.SECADMIN])


@pytest.fixture
def sysadmin(make_user):
    return make_user("sysadmin", roles=[Role.SYSADMIN])


@pytest.fixture
def auditor(make_user):
    return make_user("auditor", roles=[Role.AUDITOR])
