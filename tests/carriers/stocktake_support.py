"""Fixtures of the stocktake and missing-carrier tests (no tests here), on top of
`service_support` (a unit with 研发一部, its people, a 绝密 safe, `register(**overrides)`).

Adds a 密码文件柜 rated 机密 (`cabinet`), a 保密办 officer cleared 机密 only (`office_m`), a
leader cleared 机密 (`leader_m`) and `patched_today(day)`, which moves the clock of the
stocktake services."""

from contextlib import contextmanager
from datetime import date, timedelta
from unittest.mock import patch

import pytest

from baomi.accounts.roles import Role
from baomi.carriers.choices import ContainerKind
from baomi.carriers.models import Container
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import SecureRoomFactory

from . import service_support as support
from .service_support import today

people, yf1, keeper, safe, item, register = (
    support.people, support.yf1, support.keeper, support.safe, support.item, support.register)

DAY = timedelta(days=1)
CLOCK = "baomi.carriers.services.stocktake._today"


@pytest.fixture
def cabinet(unit):
    return Container.objects.create(unit=unit, number="WJG-01", kind=ContainerKind.CODED_CABINET,
                                    rating=Level.CONFIDENTIAL, location="资料室",
                                    room=SecureRoomFactory(unit=unit))


@pytest.fixture
def office_m(make_user):
    """A 保密办 officer cleared 机密: 绝密 carriers are out of sight (rule L5)."""
    return make_user("office_m", roles=[Role.SECRECY_OFFICE], category=Category.IMPORTANT)


@pytest.fixture
def leader_m(make_user):
    return make_user("leader_m", roles=[Role.LEADER], category=Category.IMPORTANT)


@contextmanager
def patched_today(day: date):
    with patch(CLOCK, return_value=day):
        yield day


def three_in(register, container, **overrides):
    """Three carriers in `container` (机密 unless overridden)."""
    return [register(container=container, **overrides) for _ in range(3)]


__all__ = ["DAY", "cabinet", "item", "keeper", "leader_m", "office_m", "patched_today",
           "people", "register", "safe", "three_in", "today", "yf1"]
