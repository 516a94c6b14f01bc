"""rule L5 on stocktakes, missing carriers and their leak incidents: above a user's clearance
they do not exist for that user — not in a list, not by id, not in the API."""

import pytest

from baomi.accounts.roles import Role
from baomi.carriers import services
from baomi.carriers.selectors_stocktake import (
    missing_case_for,
    missing_cases_visible_to,
    stocktakes_visible_to,
)
from baomi.compliance.selectors import incidents_visible_to
from baomi.core.errors import NotFound
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory, UnitFactory
from baomi.secrets.choices import PeriodKind

from . import stocktake_support as support
from .stocktake_support import DAY, today

(cabinet, item, keeper, leader_m, office_m, people, register, safe, yf1) = (
    support.cabinet, support.item, support.keeper, support.leader_m, support.office_m,
    support.people, support.register, support.safe, support.yf1)


@pytest.fixture
def lost(people, register):
    """A 机密 and a 绝密 carrier reported missing long enough ago to be leak incidents."""
    old = today() - 100 * DAY
    confidential = register(received_on=old)
    top = register(received_on=old, level=Level.TOP_SECRET, period_kind=PeriodKind.YEARS,
                   period_value=30)
    cases = [services.report_missing(people["office"], carrier, discovered_on=today() - 61 * DAY,
                                     note="遗失") for carrier in (confidential, top)]
    return {"confidential": cases[0], "top": cases[1]}


@pytest.mark.rule("L5")
def test_missing_cases_above_clearance_are_invisible(people, lost, office_m):
    assert set(missing_cases_visible_to(people["office"])) == set(lost.values())
    assert list(missing_cases_visible_to(office_m)) == [lost["confidential"]]
    with pytest.raises(NotFound):
        missing_case_for(office_m, lost["top"].pk)
    with pytest.raises(NotFound):
        services.record_found(office_m, lost["top"], found_on=today(), note="x")
    for who in ("head", "leader", "reader"):  # not the 保密办's work
        assert not missing_cases_visible_to(people[who]).exists(), who


@pytest.mark.rule("L5")
def test_incidents_above_clearance_are_invisible(people, lost, office_m, leader_m, make_user):
    incidents = {name: case.incident for name, case in lost.items()}
    assert None not in incidents.values()
    for cleared in (people["office"], people["leader"]):
        assert set(incidents_visible_to(cleared)) == set(incidents.values())
    for limited in (office_m, leader_m):
        assert list(incidents_visible_to(limited)) == [incidents["confidential"]]
    for nobody in (people["head"], people["reader"], people["senior"]):
        assert not incidents_visible_to(nobody).exists()
    elsewhere = UnitFactory(code="OTHER")
    foreign = make_user("foreign", roles=[Role.SECRECY_OFFICE, Role.LEADER],
                        category=Category.CORE,
                        department_=DepartmentFactory(unit=elsewhere))
    assert not incidents_visible_to(foreign).exists()
    assert not missing_cases_visible_to(foreign).exists()


@pytest.mark.rule("L5")
def test_a_stocktake_listing_a_top_secret_carrier_is_invisible_below(people, unit, register,
                                                                     office_m):
    register(level=Level.TOP_SECRET, period_kind=PeriodKind.YEARS, period_value=30)
    top = services.start_stocktake(people["office"], unit=unit)
    assert list(stocktakes_visible_to(office_m)) == []
    assert list(stocktakes_visible_to(people["office2"])) == [top]
    assert not stocktakes_visible_to(people["leader"]).exists()
