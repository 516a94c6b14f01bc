from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from baomi.accounts.models import User
from baomi.audit.models import AuditEvent
from baomi.obligations.models import Obligation, SweepRun
from baomi.obligations.registry import unregister
from baomi.obligations.services import run_sweep

from .conftest import PASSWORD_DAYS, PASSWORD_RULE

TODAY = date(2026, 3, 2)


def changed_on(day: date):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 9, 0))


@pytest.fixture
def alice(make_user):
    return make_user("alice", password_changed_at=changed_on(date(2026, 1, 1)))


@pytest.fixture
def bob(make_user):
    return make_user("bob", password_changed_at=changed_on(date(2026, 2, 1)))


def open_obligations(code=PASSWORD_RULE):
    return Obligation.objects.filter(rule_code=code, state=Obligation.State.OPEN)


def test_sweep_opens_an_obligation_per_subject(rules, alice, bob):
    rules.add_password_age()
    run = run_sweep(today=TODAY)
    assert run.counts[PASSWORD_RULE] == {"opened": 2, "updated": 0, "closed": 0, "open": 2,
                                         "errors": 0}
    first = open_obligations().get(subject_id=alice.pk)
    assert (first.rule_id, first.subject_type, first.subject_label) == ("T3", "accounts.user",
                                                                        "alice")
    assert first.unit_id == alice.person.unit_id
    assert first.responsible_id == alice.pk
    assert first.due_date == date(2026, 1, 1) + timedelta(days=PASSWORD_DAYS)
    assert (first.severity, first.estimated, first.level) == ("warning", False, 0)
    assert run.finished_at is not None and run.today == TODAY


def test_sweep_updates_a_changed_due_date_in_place(rules, alice, bob):
    rules.add_password_age()
    run_sweep(today=TODAY)
    before = open_obligations().get(subject_id=alice.pk)
    User.objects.filter(pk=alice.pk).update(password_changed_at=changed_on(date(2026, 3, 1)))
    run = run_sweep(today=TODAY)
    assert run.counts[PASSWORD_RULE] == {"opened": 0, "updated": 1, "closed": 0, "open": 2,
                                         "errors": 0}
    after = open_obligations().get(subject_id=alice.pk)
    assert after.pk == before.pk
    assert after.due_date == date(2026, 3, 1) + timedelta(days=PASSWORD_DAYS)
    assert after.updated_at > before.updated_at


def test_sweep_closes_fulfilled_obligations(rules, alice, bob):
    rules.add_password_age()
    run_sweep(today=TODAY)
    User.objects.filter(pk=bob.pk).update(is_active=False)
    run = run_sweep(today=TODAY)
    assert run.counts[PASSWORD_RULE]["closed"] == 1
    assert run.counts[PASSWORD_RULE]["open"] == 1
    closed = Obligation.objects.get(subject_id=bob.pk)
    assert closed.state == Obligation.State.CLOSED and closed.closed_at is not None


def test_a_fulfilled_obligation_needed_again_opens_a_new_row(rules, alice):
    rules.add_password_age()
    run_sweep(today=TODAY)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    run_sweep(today=TODAY)
    User.objects.filter(pk=alice.pk).update(is_active=True)
    run = run_sweep(today=TODAY)
    assert run.counts[PASSWORD_RULE]["opened"] == 1
    states = sorted(Obligation.objects.filter(subject_id=alice.pk).values_list("state", flat=True))
    assert states == ["closed", "open"]


def test_second_sweep_changes_nothing(rules, alice, bob):
    rules.add_password_age()
    run_sweep(today=TODAY)
    snapshot = list(Obligation.objects.order_by("id").values())
    run = run_sweep(today=TODAY)
    assert run.counts[PASSWORD_RULE] == {"opened": 0, "updated": 0, "closed": 0, "open": 2,
                                         "errors": 0}
    assert list(Obligation.objects.order_by("id").values()) == snapshot


def test_sweep_uses_a_bounded_number_of_queries(rules, make_user, django_assert_max_num_queries):
    rules.add_password_age()
    for n in range(30):
        make_user(f"u{n}", password_changed_at=changed_on(date(2026, 1, 1)))
    run_sweep(today=TODAY)
    User.objects.filter(username__in=["u1", "u2", "u3"]).update(is_active=False)
    User.objects.filter(username__in=["u4", "u5"]).update(
        password_changed_at=changed_on(date(2026, 2, 2)))
    make_user("newcomer", password_changed_at=changed_on(date(2026, 1, 1)))
    # Independent of the number of obligations: no per-obligation query.
    with django_assert_max_num_queries(20):
        run = run_sweep(today=TODAY)
    assert run.counts[PASSWORD_RULE] == {"opened": 1, "updated": 2, "closed": 3, "open": 28,
                                         "errors": 0}


def test_a_failing_rule_is_recorded_and_does_not_stop_the_others(rules, alice):
    def broken(today):
        yield {"subject_type": "x", "subject_id": 1, "unit_id": alice.person.unit_id,
               "due_date": today}
        raise RuntimeError("boom")

    rules.add("test.aa_broken", broken)
    rules.add_password_age()
    run = run_sweep(today=TODAY)
    assert run.counts["test.aa_broken"]["errors"] == 1
    assert "boom" in run.counts["test.aa_broken"]["error"]
    assert run.counts[PASSWORD_RULE]["opened"] == 1
    assert not Obligation.objects.filter(rule_code="test.aa_broken").exists()
    assert run.failed and run.totals()["errors"] == 1


@pytest.mark.parametrize("bad_row", [
    {"subject_type": "x", "subject_id": 1, "due_date": date(2026, 1, 1)},  # no unit
    {"subject_type": "x", "subject_id": 1, "unit_id": 1, "due_date": "not a date"},
    {"subject_type": "x", "subject_id": 1, "unit_id": 1, "due_date": 20260101},
    {"subject_type": "x", "subject_id": 1, "unit_id": 1, "due_date": date(2026, 1, 1),
     "severity": "apocalyptic"},
    {"subject_type": "x" * 61, "subject_id": 1, "unit_id": 1, "due_date": date(2026, 1, 1)},
    {"subject_type": "x", "subject_id": 1, "unit_id": 1, "due_date": date(2026, 1, 1),
     "level": 4},
])
def test_a_malformed_row_fails_its_rule(rules, bad_row):
    rules.add("test.bad", lambda today: [bad_row])
    run = run_sweep(today=TODAY)
    assert run.counts["test.bad"]["errors"] == 1
    assert not Obligation.objects.exists()


def test_duplicate_subjects_keep_the_earliest_due_date(rules, unit):
    def twice(today):
        return [
            {"subject_type": "x", "subject_id": 7, "unit_id": unit.pk,
             "due_date": date(2026, 5, 1), "severity": "info"},
            {"subject_type": "x", "subject_id": 7, "unit_id": unit.pk,
             "due_date": date(2026, 4, 1), "severity": "critical", "estimated": True,
             "level": 2},
        ]

    rules.add("test.twice", twice)
    run_sweep(today=TODAY)
    obligation = Obligation.objects.get()
    assert (obligation.due_date, obligation.severity) == (date(2026, 4, 1), "critical")
    assert obligation.estimated and obligation.level == 2 and obligation.responsible is None


def test_responsible_and_label_changes_are_written_back(rules, alice, bob):
    rows = [{"subject_type": "x", "subject_id": 1, "unit_id": alice.person.unit_id,
             "responsible_id": alice.pk, "subject_label": "old", "due_date": TODAY}]
    rules.add("test.owner", lambda today: rows)
    run_sweep(today=TODAY)
    rows[0].update(responsible_id=bob.pk, subject_label="new")
    run = run_sweep(today=TODAY)
    assert run.counts["test.owner"]["updated"] == 1
    obligation = Obligation.objects.get()
    assert (obligation.responsible_id, obligation.subject_label) == (bob.pk, "new")


def test_obligations_of_a_rule_no_longer_registered_are_closed(rules, alice):
    rules.add_password_age()
    run_sweep(today=TODAY)
    unregister(PASSWORD_RULE)
    run = run_sweep(today=TODAY)
    assert run.counts[PASSWORD_RULE]["closed"] == 1 and run.counts[PASSWORD_RULE]["retired"]
    assert not open_obligations().exists()


def test_one_audit_event_per_run(rules, alice, bob, secadmin):
    rules.add_password_age()
    before = AuditEvent.objects.count()
    run = run_sweep(today=TODAY, actor=secadmin)
    events = AuditEvent.objects.filter(seq__gt=0).order_by("seq")[before:]
    assert [event.action for event in events] == ["SWEEP_RUN"]
    event = events[0]
    assert event.actor_id == secadmin.pk
    assert event.object_type == "obligations.sweeprun" and event.object_id == str(run.pk)
    assert '"opened":3' in event.after  # alice, bob and the secadmin


def test_only_one_open_obligation_per_rule_and_subject(make_obligation):
    make_obligation(TODAY, subject_id=5)
    make_obligation(TODAY, subject_id=5, state=Obligation.State.CLOSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_obligation(TODAY, subject_id=5)


def test_sweep_without_rules_records_an_empty_run(rules):
    run = run_sweep(today=TODAY)
    assert run.counts == {} and run.totals()["errors"] == 0
    assert SweepRun.objects.filter(pk=run.pk, finished_at__isnull=False).exists()
