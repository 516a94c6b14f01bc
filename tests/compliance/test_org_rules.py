"""The obligation `compliance.committee_meetings` (rule Q1): none held in the first half opens
it on 1 July (due 30 June); fewer than required opens it on 1 October (due 31 December); the
count of the year closes it; a meeting on 31 December counts for that year, on 1 January for
the next; the number follows the policy."""

import datetime as dt

import pytest

from baomi.compliance.rules_org import committee_meetings
from baomi.obligations.models import Obligation
from baomi.obligations.services import run_sweep

from .org_support import committee, leader, meet, office  # noqa: F401

YEAR = 2025


def due(committee, today):  # noqa: F811
    rows = [row for row in committee_meetings(today) if row["subject_id"] == committee.pk]
    assert len(rows) <= 1
    return rows[0]["due_date"] if rows else None


@pytest.mark.rule("Q1")
def test_none_in_the_first_half_opens_on_1_july(office, committee):  # noqa: F811
    assert due(committee, dt.date(YEAR, 6, 30)) is None
    assert due(committee, dt.date(YEAR, 7, 1)) == dt.date(YEAR, 6, 30)
    meet(office, committee, dt.date(YEAR, 6, 30))
    assert due(committee, dt.date(YEAR, 7, 1)) is None
    assert due(committee, dt.date(YEAR, 9, 30)) is None


@pytest.mark.rule("Q1")
def test_fewer_than_required_opens_at_the_start_of_q4(office, committee):  # noqa: F811
    meet(office, committee, dt.date(YEAR, 3, 18))
    assert due(committee, dt.date(YEAR, 9, 30)) is None
    assert due(committee, dt.date(YEAR, 10, 1)) == dt.date(YEAR, 12, 31)


@pytest.mark.rule("Q1")
def test_one_meeting_against_two_on_31_december(office, committee):  # noqa: F811
    meet(office, committee, dt.date(YEAR, 3, 18))
    assert due(committee, dt.date(YEAR, 12, 31)) == dt.date(YEAR, 12, 31)
    meet(office, committee, dt.date(YEAR, 12, 31))  # on the last day: counts for the year
    assert due(committee, dt.date(YEAR, 12, 31)) is None


@pytest.mark.rule("Q1")
def test_a_meeting_on_1_january_counts_for_the_next_year(office, committee):  # noqa: F811
    meet(office, committee, dt.date(YEAR, 3, 18))
    meet(office, committee, dt.date(YEAR + 1, 1, 1))
    assert due(committee, dt.date(YEAR, 12, 31)) == dt.date(YEAR, 12, 31)
    assert due(committee, dt.date(YEAR + 1, 10, 1)) == dt.date(YEAR + 1, 12, 31)


@pytest.mark.rule("Q1")
def test_the_number_follows_the_policy(office, committee, unit):  # noqa: F811
    meet(office, committee, dt.date(YEAR, 3, 18))
    meet(office, committee, dt.date(YEAR, 9, 18))
    assert due(committee, dt.date(YEAR, 12, 31)) is None
    unit.policy_overrides = {"compliance.committee_meetings_per_year": 3}
    unit.save(update_fields=["policy_overrides"])
    assert due(committee, dt.date(YEAR, 12, 31)) == dt.date(YEAR, 12, 31)


@pytest.mark.rule("Q1")
def test_a_committee_established_in_the_second_half_is_not_held_to_that_year(
        office, unit, leader):  # noqa: F811
    from baomi.compliance import services_org

    late = services_org.establish_committee(
        office, unit=unit, kind="leading_group", name="保密工作领导小组",
        established_on=dt.date(YEAR, 7, 15), legal_representative="陈建华", chair_user=leader)
    assert due(late, dt.date(YEAR, 12, 31)) is None
    assert due(late, dt.date(YEAR + 1, 7, 1)) == dt.date(YEAR + 1, 6, 30)


@pytest.mark.rule("Q1")
def test_the_sweep_opens_and_closes_the_obligation(office, committee):  # noqa: F811
    meet(office, committee, dt.date(YEAR, 3, 18))
    run_sweep(dt.date(YEAR, 11, 24))
    obligation = Obligation.objects.get(rule_code="compliance.committee_meetings")
    assert (obligation.state, obligation.subject_id, obligation.due_date, obligation.severity,
            obligation.rule_id) == ("open", committee.pk, dt.date(YEAR, 12, 31), "warning", "Q1")
    meet(office, committee, dt.date(YEAR, 11, 20))
    run_sweep(dt.date(YEAR, 11, 24))
    obligation.refresh_from_db()
    assert obligation.state != "open"
