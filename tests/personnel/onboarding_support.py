"""Fixtures shared by the onboarding tests (imported by each test_onboarding_* module):
a unit with a 研发一部, its head, two 保密办 officers, a leader, and a proposed person."""

from datetime import date

import pytest

from baomi.accounts.roles import Role
from baomi.approvals.services import decide
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory, PersonFactory
from baomi.personnel.choices import CommitmentKind, ExamResult, FileState, ReviewKind
from baomi.personnel.models import Commitment, PersonnelFile, TrainingRecord
from baomi.personnel.services.onboarding import start_review

FORM = {
    "personal_history": "2010年至今在本单位从事研发工作。",
    "conduct": "政治可靠，遵纪守法。",
    "family": [{"relation": "配偶", "name": "王芳", "work_unit": "某中学教师",
                "political_status": "群众", "overseas": False}],
    "history": [{"from": "2006-09", "to": "2010-06", "unit": "某大学", "role": "学生"},
                {"from": "2010-07", "to": "", "unit": "示范单位", "role": "工程师"}],
    "overseas_ties": "",
    "relatives_abroad": False,
}


@pytest.fixture
def yf1(unit):
    return DepartmentFactory(unit=unit, name="研发一部", code="YF1")


@pytest.fixture
def people(make_user, unit, department, yf1):
    """Who decides: 部门负责人 of 研发一部, two 保密办 officers (the one filing cannot decide its
    own request, rule T1), and the unit leader."""
    return {
        "office": make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE),
        "office2": make_user("office2", roles=[Role.SECRECY_OFFICE], category=Category.CORE),
        "head": make_user("head", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE,
                          department_=yf1),
        "leader": make_user("leader", roles=[Role.LEADER], category=Category.CORE),
    }


@pytest.fixture
def make_file(unit, yf1):
    def make(name="何振宇", category=Category.GENERAL, state=FileState.PROPOSED, **kwargs):
        person = PersonFactory(unit=unit, department=yf1, name=name, category=category)
        return PersonnelFile.objects.create(person=person, unit=unit, category=category,
                                            state=state, **kwargs)

    return make


@pytest.fixture
def proposed(make_file):
    return make_file()


def approve_all(review, people, decider_names=("head", "office2", "leader")):
    request = review.request
    for name in decider_names:
        request = decide(people[name], request, "approve")
    return request


def reviewed(file, people, *, kind=ReviewKind.INITIAL, level=None):
    """File a review and approve it through the whole chain."""
    review = start_review(people["office"], file, kind=kind, form=FORM,
                          level=level or max(int(file.category), Level.SECRET))
    approve_all(review, people)
    review.refresh_from_db()
    file.refresh_from_db()
    return review


def train(person, held_on=date(2026, 1, 10), hours="8", exam=ExamResult.PASSED):
    return TrainingRecord.objects.create(person=person, course="保密法律法规", held_on=held_on,
                                         hours=hours, exam_result=exam)


def commit(person, kind=CommitmentKind.COMMITMENT, year=2026, signed_on=date(2026, 1, 10)):
    return Commitment.objects.create(person=person, kind=kind, year=year, signed_on=signed_on,
                                     text_version="2026-1")
