"""Fixtures of the allowance and filing tests (no tests here): a 保密办 officer, a unit paying 1000/600/300
元 a month by category, a maker of files in post, and a maker of files whose exit was approved
(set directly as `services.exit.conclude_exit` leaves them, without the approvals chain)."""

from datetime import date, timedelta

import pytest

from baomi.accounts.roles import Role
from baomi.core.labels import Category
from baomi.core.testing.factories import PersonFactory
from baomi.personnel.choices import ExitKind, ExitState, FileState
from baomi.personnel.models import ExitCase, PersonnelFile

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


@pytest.fixture
def exited(in_post, office):
    """make(name, category, since, left_on, …): a file in 脱密期 (or `state`) whose exit was
    approved on `left_on`, with its exit case; `withdrawn_on` files the 撤销备案 (rule P14)."""

    def make(name, category, since, left_on, *, state=FileState.DECLASSIFYING,
             kind=ExitKind.LEAVE_UNIT, ends_on=None, withdrawn_on=None, reference=""):
        ends_on = ends_on or left_on + timedelta(days=364)
        file = in_post(name, category, since, state=state)
        file.left_on, file.declassification_ends_on = left_on, ends_on
        file.save(update_fields=["left_on", "declassification_ends_on"])
        ExitCase.objects.create(
            file=file, kind=kind, state=ExitState.APPROVED, leave_on=left_on, reason="调离",
            category=category, approved_on=left_on, period_months=12, ends_on=ends_on,
            filing_withdrawn_on=withdrawn_on, filing_reference=reference, created_by=office)
        return file

    return make


def day(text):
    return date.fromisoformat(text)
