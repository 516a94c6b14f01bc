"""What the key-place and classified-meeting tests share (rules M1, M2): the people of the
unit by clearance, a key place, a 机密 meeting and the values that register them. No tests
here; the fixtures are imported by the test modules."""

import datetime as dt

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.compliance import services_places as sp
from baomi.core.labels import Category, Level

PLACE = {"name": "机要室", "kind": "part", "location": "行政楼三层301", "level": Level.CONFIDENTIAL,
         "approved_on": dt.date(2026, 3, 1), "approval_no": "华信保〔2026〕3号",
         "people_measures": "专人值守，外来人员登记并由专人陪同",
         "physical_measures": "防盗门、铁窗、密码文件柜",
         "technical_measures": "门禁、视频监控（保存90天）、入侵报警",
         "phone_storage": "门外手机存放柜", "department": None, "room": None}


def soon(hours: int = 24) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                     person__name="刘保密")


@pytest.fixture
def leader(make_user):
    return make_user("leader", roles=[Role.LEADER], category=Category.CORE)


@pytest.fixture
def general(make_user):
    """A 一般涉密人员: cleared for 秘密 only."""
    return make_user("general", roles=[Role.STAFF], category=Category.GENERAL,
                     person__name="周一般")


@pytest.fixture
def important(make_user):
    """A 重要涉密人员: cleared for 机密."""
    return make_user("important", roles=[Role.STAFF], category=Category.IMPORTANT,
                     person__name="郭重要")


@pytest.fixture
def place(unit, office):
    return sp.register_key_place(office, unit=unit, **PLACE)


def plan(actor, unit, level=Level.CONFIDENTIAL, **changes):
    values = {"title": "型号方案评审会", "level": level, "starts_at": soon(24),
              "ends_at": soon(27), "place_text": "三楼会议室", "plan": "会前清场，手机集中存放"}
    return sp.plan_meeting(actor, unit=unit, **{**values, **changes})


@pytest.fixture
def meeting(unit, office):
    return plan(office, unit)
