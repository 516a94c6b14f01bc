"""Obligation rules of onboarding: training short (P4), 责任书 missing (P5), 复审 due (P6)."""

from datetime import date

import pytest

from baomi.core.labels import Category
from baomi.core.testing.factories import UnitFactory, UserFactory
from baomi.obligations.registry import Severity, get_rule
from baomi.personnel.choices import CommitmentKind, FileState
from baomi.personnel.models import PersonnelFile
from baomi.personnel.rules import rereview_due, responsibility_letter, training_hours

from . import onboarding_support as support
from .onboarding_support import commit, train

# The shared fixtures of onboarding_support.
make_file, yf1 = support.make_file, support.yf1

TODAY = date(2026, 6, 15)


@pytest.fixture
def in_post(make_file):
    def make(name="在岗人员", **kwargs):
        values = {"state": FileState.IN_POST, "in_post_since": date(2020, 1, 1), **kwargs}
        return make_file(name=name, **values)

    return make


def subjects(rows):
    return {row["subject_id"]: row for row in rows}


@pytest.mark.rule("P4")
@pytest.mark.parametrize("code", ["personnel.training_hours", "personnel.rereview_due",
                                  "personnel.responsibility_letter"])
def test_registered(code):
    rule = get_rule(code)
    assert rule is not None and rule.rule_id in ("P4", "P5", "P6")


@pytest.mark.rule("P4")
def test_hours_boundary_14_5_versus_15(in_post):
    short = in_post("差半学时")
    enough = in_post("刚好够")
    for file, hours in ((short, ("7", "7.5")), (enough, ("7", "8"))):
        for day, value in zip((date(2026, 3, 1), date(2026, 5, 1)), hours, strict=True):
            train(file.person, held_on=day, hours=value)
    rows = subjects(training_hours(TODAY))
    assert set(rows) == {short.pk}
    row = rows[short.pk]
    assert row["due_date"] == date(2026, 12, 31) and row["severity"] == Severity.WARNING
    assert row["subject_type"] == "personnel.personnelfile" and row["unit_id"] == short.unit_id


@pytest.mark.rule("P4")
def test_sessions_boundary_1_versus_2(in_post):
    one = in_post("一次")
    two = in_post("两次")
    train(one.person, held_on=date(2026, 2, 1), hours="16")
    train(two.person, held_on=date(2026, 2, 1), hours="8")
    train(two.person, held_on=date(2026, 4, 1), hours="8")
    assert set(subjects(training_hours(TODAY))) == {one.pk}


@pytest.mark.rule("P4")
def test_only_this_years_training_and_only_people_in_post(in_post, make_file):
    last_year = in_post("去年培训")
    train(last_year.person, held_on=date(2025, 6, 1), hours="16")
    train(last_year.person, held_on=date(2025, 12, 31), hours="16")
    proposed = make_file(name="拟定")  # not in post: no obligation yet
    assert set(subjects(training_hours(TODAY))) == {last_year.pk}
    assert proposed.pk not in subjects(training_hours(TODAY))


@pytest.mark.rule("P4")
def test_responsible_is_the_persons_login_and_policy_values_apply(in_post, unit, make_file,
                                                                  django_assert_num_queries):
    with_login = in_post("有账号")
    user = UserFactory(person=with_login.person)
    without = in_post("无账号")
    other_unit = UnitFactory(code="Z2", policy_overrides={"training.min_hours_per_year": 20})
    strict = PersonnelFile.objects.create(
        person=UserFactory(person__unit=other_unit).person, unit=other_unit,
        state=FileState.IN_POST, category=Category.GENERAL)
    for file in (with_login, without, strict):
        train(file.person, held_on=date(2026, 1, 5), hours="8")
        train(file.person, held_on=date(2026, 2, 5), hours="8")
    UnitFactory(code="OFF", policy_overrides={"training.min_hours_per_year": 0,
                                              "training.min_sessions_per_year": 0})
    with django_assert_num_queries(3):  # the units, then one query per distinct policy
        rows = subjects(training_hours(TODAY))
    assert set(rows) == {strict.pk}  # 16 hours: enough for 15, short of 20
    train(with_login.person, held_on=date(2026, 1, 5), hours="0.5")
    unit.policy_overrides = {"training.min_sessions_per_year": 4}
    unit.save()
    rows = subjects(training_hours(TODAY))
    assert rows[with_login.pk]["responsible_id"] == user.pk
    assert rows[without.pk]["responsible_id"] is None


@pytest.mark.rule("P4")
def test_overdue_on_the_last_day(in_post):
    file = in_post()
    (row,) = training_hours(date(2026, 12, 31))
    assert row["subject_id"] == file.pk and row["severity"] == Severity.CRITICAL


@pytest.mark.rule("P5")
def test_responsibility_letter_missing_then_signed(in_post):
    file = in_post(category=Category.IMPORTANT)
    (row,) = responsibility_letter(TODAY)
    assert row["subject_id"] == file.pk and row["due_date"] == date(2026, 3, 31)
    assert row["severity"] == Severity.CRITICAL and row["level"] == Category.IMPORTANT
    assert row["responsible_id"] is None
    commit(file.person, kind=CommitmentKind.RESPONSIBILITY, year=2025,
           signed_on=date(2025, 3, 1))
    commit(file.person, kind=CommitmentKind.COMMITMENT, year=2026, signed_on=date(2026, 1, 1))
    assert len(list(responsibility_letter(TODAY))) == 1  # last year's, or a 承诺书: not this
    commit(file.person, kind=CommitmentKind.RESPONSIBILITY, year=2026,
           signed_on=date(2026, 3, 1))
    assert list(responsibility_letter(TODAY)) == []


@pytest.mark.rule("P5")
def test_responsibility_letter_grace_after_starting_in_post(in_post):
    early = in_post("年初上岗", in_post_since=date(2026, 1, 10))
    late = in_post("年中上岗", in_post_since=date(2026, 6, 1))
    rows = subjects(responsibility_letter(date(2026, 2, 1)))
    assert rows[early.pk]["due_date"] == date(2026, 3, 31)
    assert rows[late.pk]["due_date"] == date(2026, 7, 1)
    assert rows[late.pk]["severity"] == Severity.WARNING


@pytest.mark.rule("P6")
def test_rereview_due_rule(in_post, make_file):
    overdue = in_post("逾期", rereview_due_on=date(2026, 6, 1))
    soon = in_post("将到期", rereview_due_on=date(2026, 7, 1), category=Category.CORE)
    notice = in_post("提前通知", rereview_due_on=date(2026, 9, 13))  # TODAY + 90 days
    in_post("通知期外", rereview_due_on=date(2026, 9, 14))
    in_post("远期", rereview_due_on=date(2029, 6, 1))
    make_file(name="未在岗", rereview_due_on=date(2026, 1, 1))
    in_post("无日期")
    rows = subjects(rereview_due(TODAY))
    assert set(rows) == {overdue.pk, soon.pk, notice.pk}
    assert rows[overdue.pk]["severity"] == Severity.CRITICAL
    assert rows[soon.pk]["severity"] == Severity.WARNING and rows[soon.pk]["level"] == 3
    assert rows[notice.pk]["severity"] == Severity.INFO
    assert rows[notice.pk]["due_date"] == date(2026, 9, 13)
    assert all(row["responsible_id"] is None for row in rows.values())


@pytest.mark.rule("P6")
def test_sweep_opens_the_personnel_obligations(in_post):
    from baomi.obligations.models import Obligation
    from baomi.obligations.services import run_sweep

    file = in_post(rereview_due_on=date(2026, 6, 1))
    run_sweep(TODAY)
    codes = set(Obligation.objects.filter(subject_id=file.pk, state="open")
                .values_list("rule_code", flat=True))
    assert {"personnel.rereview_due", "personnel.training_hours",
            "personnel.responsibility_letter"} <= codes
