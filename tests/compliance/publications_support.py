"""Fixtures of the publication-review tests (rule Q12), no tests here: the people of a unit
(an author of 研发一部 and its head, the 保密办, a leader, a colleague of another department)
and helpers walking a review through its chain.

    from .publications_support import approve, draft, people  # noqa: F401 (fixtures)
"""

import datetime as dt

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.approvals.models import Step
from baomi.approvals.services import decide
from baomi.compliance import services_publications as services
from baomi.compliance.choices import PublicationKind
from baomi.core.labels import Category
from baomi.core.testing.factories import DepartmentFactory, UnitFactory


@pytest.fixture
def people(make_user, unit, department):
    """author (staff of 综合部), head (its department head), office, office_b, leader,
    colleague (staff of another department), head_other (head of that department),
    stranger (the 保密办 of another unit)."""
    other_department = DepartmentFactory(unit=unit, name="研发二部", code="YF2")
    other_unit = UnitFactory(name="另一单位", code="OTHER-P")
    return {
        "author": make_user("author", roles=[Role.STAFF], category=Category.GENERAL,
                            person__name="周敏"),
        "head": make_user("head", roles=[Role.DEPARTMENT_HEAD], category=Category.IMPORTANT,
                          person__name="张伟"),
        "office": make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                            person__name="刘晓燕"),
        "office_b": make_user("office_b", roles=[Role.SECRECY_OFFICE],
                              category=Category.CORE, person__name="钱保密"),
        "leader": make_user("leader", roles=[Role.LEADER], category=Category.CORE,
                            person__name="陈建华"),
        "colleague": make_user("colleague", roles=[Role.STAFF], category=Category.GENERAL,
                               department_=other_department, person__name="林海峰"),
        "head_other": make_user("head_other", roles=[Role.DEPARTMENT_HEAD],
                                category=Category.IMPORTANT, department_=other_department,
                                person__name="黄丽"),
        "stranger": make_user("stranger", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                              unit=other_unit, person__name="吴静"),
    }


TEXT = "我院举办2026年度保密知识竞赛，全院120名职工参加，进一步增强了保密意识。"


def today():
    return timezone.localdate()


def draft(people, kind=PublicationKind.NEWS, **overrides):
    fields = {"title": "我院举办保密知识竞赛", "kind": kind, "channel": "单位门户网站",
              "content": TEXT, "planned_on": today() + dt.timedelta(days=3), **overrides}
    return services.create_review(people["author"], **fields)


def submitted(people, kind=PublicationKind.NEWS, **overrides):
    return services.submit_review(people["author"], draft(people, kind, **overrides),
                                  declaration=True)


def chain_roles(review):
    request = review.request
    return list(Step.objects.filter(request=request, round=request.round)
                .order_by("order").values_list("role", flat=True))


def approve(people, review, comment="同意发布"):
    """Each step of the review's current round approved by its role; the review reloaded."""
    by_role = {Role.DEPARTMENT_HEAD: people["head"], Role.SECRECY_OFFICE: people["office"],
               Role.LEADER: people["leader"]}
    request = review.request
    for role in chain_roles(review):
        request = decide(by_role[role], request, "approve", comment=comment)
    review.refresh_from_db()
    return review


def approved(people, kind=PublicationKind.NEWS, **overrides):
    return approve(people, submitted(people, kind, **overrides))
