"""Shared set-up of the committee tests (rule Q1): the 保密办, the leader who is the legal
representative, a committee with its chair, and helpers."""

import datetime as dt

import pytest

from baomi.accounts.roles import Role
from baomi.compliance import services_org
from baomi.core.labels import Category

ESTABLISHED_ON = dt.date(2021, 3, 15)
MEETING = {"place": "第一会议室", "topics": "部署年度保密工作", "minutes": "会议研究部署了年度保密工作。",
           "decisions": "通过年度保密工作计划"}


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                     person__name="刘晓燕")


@pytest.fixture
def leader(make_user):
    return make_user("leader", roles=[Role.LEADER], category=Category.CORE,
                     person__name="陈建华")


@pytest.fixture
def committee(unit, office, leader):
    return services_org.establish_committee(
        office, unit=unit, kind="committee", name="示范单位保密委员会",
        established_on=ESTABLISHED_ON, legal_representative="陈建华",
        document_number="示范〔2021〕12号", chair_user=leader, chair_title="院长")


@pytest.fixture
def member(committee, office, make_user):
    staff = make_user("member", roles=[Role.STAFF], person__name="张伟")
    return services_org.add_member(office, committee, position="member", user=staff,
                                   from_on=ESTABLISHED_ON, duties="负责研发部门保密工作")


def meet(office, committee, held_on, attendance=(), **extra):
    return services_org.record_meeting(office, committee, held_on=held_on,
                                       attendance=list(attendance), **{**MEETING, **extra})
