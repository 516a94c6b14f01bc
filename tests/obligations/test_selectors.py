from datetime import date, timedelta

import pytest

from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.core.errors import AccessDenied, InvalidInput
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import UnitFactory
from baomi.obligations.models import Obligation
from baomi.obligations.selectors import (
    UnitFilters,
    decode_cursor,
    my_obligations,
    my_open_count,
    obligations_page,
    unit_obligations,
    unit_summary,
)

TODAY = date(2026, 3, 2)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


@pytest.fixture
def staff(make_user):
    return make_user("staff", roles=[Role.STAFF])


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.IMPORTANT)


def subjects(obligations):
    return [o.subject_id for o in obligations]


def test_overdue_is_before_today_and_today_is_upcoming(staff, make_obligation):
    yesterday = make_obligation(day(-1), staff)
    today = make_obligation(day(0), staff)
    found = my_obligations(staff, TODAY)
    assert subjects(found.overdue) == [yesterday.subject_id]
    assert subjects(found.upcoming) == [today.subject_id]


def test_upcoming_window_ends_on_day_30(staff, make_obligation):
    day30 = make_obligation(day(30), staff)
    make_obligation(day(31), staff)
    found = my_obligations(staff, TODAY)
    assert subjects(found.upcoming) == [day30.subject_id]
    assert found.horizon == day(30)
    assert my_open_count(staff, TODAY) == 1


def test_upcoming_window_follows_the_unit_policy(staff, unit, make_obligation):
    Unit.objects.filter(pk=unit.pk).update(policy_overrides={"obligations.upcoming_days": 7})
    staff.person.unit.refresh_from_db()
    make_obligation(day(7), staff)
    make_obligation(day(8), staff)
    assert len(my_obligations(staff, TODAY).upcoming) == 1
    assert my_open_count(staff, TODAY) == 1


def test_lists_are_ordered_by_due_date_and_capped(staff, make_obligation):
    late = make_obligation(day(-1), staff)
    early = make_obligation(day(-9), staff)
    middle = make_obligation(day(-5), staff)
    found = my_obligations(staff, TODAY, limit=2)
    assert subjects(found.overdue) == [early.subject_id, middle.subject_id]
    assert late not in found.overdue and found.overdue_more
    assert not found.upcoming_more


def test_closed_and_other_peoples_obligations_are_not_mine(staff, make_user, make_obligation):
    make_obligation(day(1), staff, state=Obligation.State.CLOSED)
    make_obligation(day(1), make_user("other"))
    assert my_obligations(staff, TODAY).upcoming == []
    assert my_open_count(staff, TODAY) == 0


def test_open_count_is_one_query(staff, make_obligation, django_assert_num_queries):
    make_obligation(day(-3), staff)
    make_obligation(day(3), staff)
    staff.person.unit  # noqa: B018 (loaded by the page header already)
    with django_assert_num_queries(1):
        assert my_open_count(staff, TODAY) == 2


def test_unassigned_obligations_go_to_the_secrecy_office(office, staff, make_obligation):
    unassigned = make_obligation(day(2), None)
    assert subjects(my_obligations(office, TODAY).upcoming) == [unassigned.subject_id]
    assert my_obligations(staff, TODAY).upcoming == []
    assert my_open_count(office, TODAY) == 1


def test_unassigned_obligations_of_another_unit_are_not_mine(office, make_obligation):
    make_obligation(day(2), None, unit_=UnitFactory(code="OTHER"))
    assert my_open_count(office, TODAY) == 0


def test_group_secrecy_office_gets_the_units_of_its_group(make_user, make_obligation):
    group = UnitFactory(code="GROUP", kind=Unit.Kind.GROUP)
    member = UnitFactory(code="MEMBER", parent=group)
    head = make_user("head", roles=[Role.SECRECY_OFFICE], unit=group)
    make_obligation(day(1), None, unit_=member)
    assert my_open_count(head, TODAY) == 1
    assert unit_obligations(head, today=TODAY).count() == 1


@pytest.mark.rule("L5")
def test_obligations_above_clearance_are_hidden(office, make_obligation):
    make_obligation(day(2), None, level=Level.CONFIDENTIAL)
    make_obligation(day(2), None, level=Level.TOP_SECRET)
    assert len(my_obligations(office, TODAY).upcoming) == 1
    assert unit_obligations(office, today=TODAY).count() == 1


@pytest.mark.rule("T2")
@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR, Role.STAFF,
                                  Role.DEPARTMENT_HEAD])
def test_only_secrecy_office_and_leaders_have_a_unit_view(make_user, role, make_obligation):
    user = make_user("someone", roles=[role], category=Category.CORE)
    make_obligation(day(1), None)
    with pytest.raises(AccessDenied):
        unit_obligations(user, today=TODAY)
    assert my_open_count(user, TODAY) == 0


@pytest.mark.rule("T2")
def test_admins_see_their_own_obligations(sysadmin, make_obligation):
    mine = make_obligation(day(-1), sysadmin)
    make_obligation(day(-1), None)
    assert subjects(my_obligations(sysadmin, TODAY).overdue) == [mine.subject_id]


@pytest.mark.rule("T2")
def test_leader_has_a_unit_view(make_user, make_obligation):
    leader = make_user("leader", roles=[Role.LEADER])
    make_obligation(day(1), None)
    make_obligation(day(1), None, unit_=UnitFactory(code="OTHER"))
    assert unit_obligations(leader, today=TODAY).count() == 1
    # …but the 保密办's unassigned tasks are not the leader's own
    assert my_open_count(leader, TODAY) == 0


def test_unit_filters(office, staff, make_obligation):
    overdue = make_obligation(day(-1), staff, rule_code="test.a")
    unassigned = make_obligation(day(5), None, rule_code="test.b")
    closed = make_obligation(day(-3), staff, rule_code="test.a", state=Obligation.State.CLOSED)

    def found(**filters):
        return subjects(unit_obligations(office, UnitFilters(**filters), TODAY))

    assert found() == [overdue.subject_id, unassigned.subject_id]
    assert found(state="closed") == [closed.subject_id]
    assert found(state="all") == [closed.subject_id, overdue.subject_id, unassigned.subject_id]
    assert found(rule_code="test.b") == [unassigned.subject_id]
    assert found(overdue=True, state="all") == [overdue.subject_id]
    assert found(responsible="staff") == [overdue.subject_id]
    assert found(unassigned=True) == [unassigned.subject_id]
    assert found(unit_id=office.person.unit_id + 1000) == []


def test_unit_summary_counts_open_and_overdue_per_rule(office, staff, make_obligation):
    make_obligation(day(-1), staff, rule_code="test.a")
    make_obligation(day(3), staff, rule_code="test.a")
    make_obligation(day(3), None, rule_code="test.b")
    make_obligation(day(-3), None, rule_code="test.b", state=Obligation.State.CLOSED)
    summary = {row.rule_code: (row.open, row.overdue) for row in unit_summary(office, TODAY)}
    assert summary == {"test.a": (2, 1), "test.b": (1, 0)}


def test_keyset_pages_follow_due_date_then_id(office, make_obligation):
    made = [make_obligation(day(offset), None) for offset in (3, 1, 1, 2, 1, 0, 3)]
    expected = [o.pk for o in sorted(made, key=lambda o: (o.due_date, o.pk))]
    queryset = unit_obligations(office, today=TODAY)
    seen, after = [], None
    for _ in range(10):
        items, after = obligations_page(queryset, after, 2)
        seen += [o.pk for o in items]
        if after is None:
            break
    assert seen == expected


@pytest.mark.parametrize("cursor", [-1, 0, 5, 10**19])
def test_impossible_cursors_are_refused(cursor):
    with pytest.raises(InvalidInput):
        decode_cursor(cursor)
