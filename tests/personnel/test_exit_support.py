"""Fixtures of the exit and 脱密期 tests (no tests here): the deciders of onboarding_support,
a classified person in post in 研发一部 with a login, a post and an API token, and helpers
that file an exit and carry it through the approvals chain on a chosen day.

The chain `exit` is 部门负责人 → 保密办 → 单位领导: `office` files, `head`, `office2` and
`leader` decide (nobody decides a request they filed, rule T1)."""

from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

import pytest

from baomi.accounts.roles import Role
from baomi.accounts.services import create_api_token
from baomi.approvals.services import decide
from baomi.core.labels import Category, Level
from baomi.personnel.choices import ExitKind, FileState
from baomi.personnel.models import ExitCase, PersonnelFile, Post, PostHolding
from baomi.personnel.services.exit import file_exit

from . import onboarding_support

# The deciders and 研发一部 of onboarding_support, re-exported with the fixtures below.
people, yf1 = onboarding_support.people, onboarding_support.yf1

IN_POST_SINCE = date(2020, 1, 1)
DECIDERS = ("head", "office2", "leader")
TALKERS = ["保密办主任", "保密办干事"]


@pytest.fixture
def post(unit, yf1):
    return Post.objects.create(unit=unit, department=yf1, name="设计员", level=Level.SECRET)


@pytest.fixture
def make_leaver(make_user, yf1, post):
    """A person in post holding `post` since 2020, with a login holding `roles`."""

    def make(username="leaver", *, category=Category.GENERAL,
             roles=(Role.STAFF, Role.CLASSIFICATION_OFFICER)):
        user = make_user(username, roles=list(roles), category=category, department_=yf1)
        PersonnelFile.objects.create(person=user.person, unit=user.person.unit,
                                     category=category, state=FileState.IN_POST,
                                     in_post_since=IN_POST_SINCE)
        PostHolding.objects.create(post=post, person=user.person, started_on=IN_POST_SINCE)
        return user

    return make


@pytest.fixture
def leaver(make_leaver):
    return make_leaver()


@pytest.fixture
def token(leaver):
    """The plaintext of an API token of the leaver."""
    return create_api_token(leaver, "脚本")[1]


def file_of(user):
    return PersonnelFile.objects.get(person=user.person)


def filed(people, user, *, kind=ExitKind.LEAVE_UNIT, leave_on=date(2026, 1, 31),
          reason="辞职（个人发展原因）", destination="某民营企业"):
    return file_exit(people["office"], file_of(user), kind=kind, leave_on=leave_on,
                     reason=reason, destination=destination)


@contextmanager
def on_day(day):
    """The exit services see `day` as today (the approval date, rule P11)."""
    with patch("baomi.personnel.services.exit._today", return_value=day):
        yield


def decide_all(people, case, names=DECIDERS, *, day=None):
    """Approve the case's request by each of `names`; the last decision on `day`."""
    request = case.request
    for index, name in enumerate(names):
        if day is not None and index == len(names) - 1:
            with on_day(day):
                request = decide(people[name], request, "approve")
        else:
            request = decide(people[name], request, "approve")
    return ExitCase.objects.select_related("file", "request").get(pk=case.pk)


def approved(people, user, *, day=None, **kwargs):
    """An exit of `user` filed and approved by the whole chain (on `day` when given)."""
    return decide_all(people, filed(people, user, **kwargs), day=day)
