"""Fixtures and helpers of the service, rule and request-type tests (no tests here).

A unit with its 保密办 (office), two 定密责任人 (officer, officer2), the leader, a 承办人
(proposer, 重要 → 机密) in 研发一部 with two colleagues (zhang 重要, li 一般), a 核心 colleague
(core) and someone of another department (outsider, 重要). `on_day(day)` makes the services'
clock show `day`."""

from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

import pytest

from baomi.accounts.roles import Role
from baomi.approvals.services import decide
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory
from baomi.secrets import services

ISSUED = date(2025, 1, 15)
CLOCK = "baomi.secrets.services.common.today"


@contextmanager
def on_day(day):
    with patch(CLOCK, return_value=day):
        yield


@pytest.fixture
def yf(unit):
    return DepartmentFactory(unit=unit, name="研发一部", code="YF1")


@pytest.fixture
def people(make_user, yf):
    def staff(username, category, name, **kwargs):
        return make_user(username, roles=[Role.STAFF], category=category, department_=yf,
                         person__name=name, **kwargs)

    return {
        "office": make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE),
        "officer": make_user("officer", roles=[Role.CLASSIFICATION_OFFICER],
                             category=Category.CORE),
        "officer2": make_user("officer2", roles=[Role.CLASSIFICATION_OFFICER],
                              category=Category.CORE),
        "leader": make_user("leader", roles=[Role.LEADER], category=Category.CORE),
        "proposer": staff("proposer", Category.IMPORTANT, "王承办"),
        "zhang": staff("zhang", Category.IMPORTANT, "张知悉"),
        "li": staff("li", Category.GENERAL, "李一般"),
        "core": staff("core", Category.CORE, "陈核心"),
        "outsider": make_user("outsider", roles=[Role.STAFF], category=Category.IMPORTANT,
                              person__name="赵无关"),
    }


@pytest.fixture
def authority(people, unit):
    """The unit may classify up to 绝密 (rule S3)."""
    return services.set_authority(people["office"], unit, max_level=Level.TOP_SECRET,
                                  document="国保〔2024〕1号", granted_on=date(2024, 1, 1))


def values(**overrides):
    base = {"scheme": "state", "number": "JM-001", "title": "某型号总体方案",
            "level": Level.CONFIDENTIAL, "period_kind": "years", "period_value": 10,
            "declassify_condition": "", "basis": "保密事项范围目录第3项", "issued_on": ISSUED}
    base.update(overrides)
    return base


def propose(people, actor="proposer", scope=("zhang",), **overrides):
    user = people[actor]
    kwargs = {"scope_people": [people[p].person for p in scope], **values(**overrides)}
    return services.propose_item(user, unit=user.person.unit, **kwargs)


def determined(people, decider="officer", **overrides):
    """Proposed and approved by the 定密责任人 (rule S4)."""
    item = propose(people, **overrides)
    decide(people[decider], item.request, "approve")
    item.refresh_from_db()
    return item


def approve(user, request, comment=""):
    request.refresh_from_db()
    return decide(user, request, "approve", comment=comment)
