"""Fixtures of the leak-incident tests (no tests here).

`people`: the 保密办 of the unit cleared 绝密 (`office`) and cleared 秘密 only
(`office_secret`), the unit leader (`leader`), staff cleared 秘密 (`staff`) and 非密 (`none`),
the 保密办 of another unit (`office2`). `reported(...)` reports an incident as `staff` (a 秘密
suspected leak discovered two days ago unless told); `handled(...)` also reports it to the
保密局, records a measure and the four items — ready to close.
"""

import datetime as dt

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.compliance import services_incidents as handling
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import UnitFactory

ITEMS = {"cause": "当事人保密意识淡薄", "responsibility": "通报批评",
         "rectification": "设置手机存放柜", "education": "全员警示教育"}


def ago(**delta: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


@pytest.fixture
def other_unit(db):
    return UnitFactory(name="另一单位", code="OTHER-T")


@pytest.fixture
def people(make_user, other_unit):
    return {
        "office": make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                            person__name="刘保密"),
        "office_secret": make_user("office_secret", roles=[Role.SECRECY_OFFICE],
                                   category=Category.GENERAL, person__name="钱干事"),
        "leader": make_user("leader", roles=[Role.LEADER], category=Category.CORE),
        "staff": make_user("staff", roles=[Role.STAFF], category=Category.GENERAL,
                           person__name="周员工"),
        "none": make_user("none", roles=[Role.STAFF], category=Category.NONE),
        "office2": make_user("office2", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                             unit=other_unit),
    }


@pytest.fixture
def reported(people, unit):
    def report(actor=None, **overrides):
        fields = {"unit": unit, "kind": "suspected_leak", "level": Level.SECRET,
                  "title": "秘密级文件被个人手机拍照", "discovered_at": ago(days=2),
                  "description": "会议室内发现"}
        fields.update(overrides)
        return handling.report_incident(actor or people["staff"], **fields)
    return report


@pytest.fixture
def handled(people, reported):
    def handle(**overrides):
        incident = reported(**overrides)
        office = people["office"]
        incident = handling.record_bureau_report(office, incident, reported_at=ago(hours=25),
                                                 reported_to="市国家保密局")
        handling.add_measure(office, incident, taken_at=ago(days=1), measure="删除照片")
        return handling.record_investigation(office, incident, **ITEMS)
    return handle
