"""People and items the page, API, export and form tests share: a unit with 定密权限 up to
绝密, its 保密办, 定密责任人 and leader, a 承办人 and two colleagues to name in the scope."""

from datetime import date

import pytest

from baomi.accounts.roles import Role
from baomi.approvals.services import decide
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory
from baomi.secrets import services

ISSUED = date(2025, 1, 15)


@pytest.fixture
def cast(make_user, unit, department):
    """Who is who: office (保密办), officer (定密责任人), leader, proposer (承办人), the two
    people named in the scope (zhang 机密, li 秘密) and an outsider cleared 机密."""
    yf = DepartmentFactory(unit=unit, name="研发一部", code="YF1")
    return {
        "office": make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE),
        "officer": make_user("officer", roles=[Role.CLASSIFICATION_OFFICER],
                             category=Category.CORE),
        "leader": make_user("leader", roles=[Role.LEADER], category=Category.CORE),
        "proposer": make_user("proposer", roles=[Role.STAFF], category=Category.IMPORTANT,
                              department_=yf, person__name="王承办"),
        "zhang": make_user("zhang", roles=[Role.STAFF], category=Category.IMPORTANT,
                           department_=yf, person__name="张知悉"),
        "li": make_user("li", roles=[Role.STAFF], category=Category.GENERAL,
                        department_=yf, person__name="李秘密"),
        "outsider": make_user("outsider", roles=[Role.STAFF], category=Category.IMPORTANT,
                              person__name="赵无关"),
        "yf": yf,
    }


@pytest.fixture
def authority(cast, unit):
    return services.set_authority(cast["office"], unit, max_level=Level.TOP_SECRET,
                                  document="国保〔2024〕1号", granted_on=date(2024, 1, 1))


def propose(cast, number="JM-001", level=Level.CONFIDENTIAL, people=("zhang",), **overrides):
    values = {"scheme": "state", "number": number, "title": f"事项{number}", "level": level,
              "period_kind": "years", "period_value": 10, "declassify_condition": "",
              "basis": "保密事项范围目录第3项", "issued_on": ISSUED,
              "description": "研制方案", "scope_people": [cast[p].person for p in people]}
    values.update(overrides)
    return services.propose_item(cast["proposer"], unit=cast["proposer"].person.unit,
                                 **values)


def determined(cast, **kwargs):
    """An item proposed and approved by the 定密责任人 (rule S4)."""
    item = propose(cast, **kwargs)
    decide(cast["officer"], item.request, "approve")
    item.refresh_from_db()
    return item
