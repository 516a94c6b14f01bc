"""Trips abroad and document custody (rules P8, P9): talk, commitment, issue, return, the
deadlines at their boundaries and the P9 refusal."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.approvals.services import decide
from baomi.audit.models import AuditEvent
from baomi.core.errors import Conflict, RuleViolation
from baomi.core.labels import Category
from baomi.personnel.choices import DocumentState, FileState, TripPurpose, TripState
from baomi.personnel.models import PersonnelFile
from baomi.personnel.rules import passport_return, return_visit
from baomi.personnel.selectors.travel import overdue_trips_of
from baomi.personnel.services.travel import (
    apply_for_trip,
    cancel_trip,
    issue_document_for_trip,
    receive_document,
    record_pre_trip_talk,
    record_return,
    record_return_visit,
    record_travel_commitment,
    register_document,
)

from .onboarding_support import people, yf1  # noqa: F401

pytestmark = pytest.mark.django_db
TALKERS = ["张保密", "李保密"]


@pytest.fixture
def traveller(make_user, yf1):
    user = make_user("traveller", roles=[Role.STAFF], category=Category.IMPORTANT,
                     department_=yf1)
    PersonnelFile.objects.create(person=user.person, unit=user.person.unit,
                                 category=Category.IMPORTANT, state=FileState.IN_POST)
    return user


@pytest.fixture
def passport(traveller, people):
    return register_document(people["office"], traveller.person, kind="passport",
                             number="E12345678", issued_on=date(2024, 1, 1),
                             expires_on=date(2034, 1, 1))


def applied(traveller, kind=TripPurpose.OFFICIAL):
    today = timezone.localdate()
    return apply_for_trip(traveller, traveller.person.personnel_file, purpose_kind=kind,
                          destinations="德国", purpose="学术会议",
                          depart_on=today, return_on=today + timedelta(days=5))


def approved(traveller, people, kind=TripPurpose.OFFICIAL):
    trip = applied(traveller, kind)
    request = trip.request
    for name in ("head", "office", "leader"):
        request = decide(people[name], request, "approve")
    trip.refresh_from_db()
    return trip


def issued(traveller, people, passport, kind=TripPurpose.OFFICIAL):
    trip = approved(traveller, people, kind)
    today = timezone.localdate()
    record_pre_trip_talk(people["office"], trip, talkers=TALKERS, held_on=today)
    record_travel_commitment(people["office"], trip, signed_on=today)
    return issue_document_for_trip(people["office"], trip, document=passport, issued_on=today)


def returned(traveller, people, passport, kind, days_ago):
    trip = issued(traveller, people, passport, kind)
    back = timezone.localdate() - timedelta(days=days_ago)
    # the trip was issued today in the test; move the issue date before the return
    trip.__class__.objects.filter(pk=trip.pk).update(document_issued_on=back)
    trip.document_issued_on = back
    return record_return(people["office"], trip, returned_on=back)


def test_trip_from_application_to_closing(traveller, people, passport):
    trip = approved(traveller, people)
    assert trip.state == TripState.APPROVED
    assert trip.request.request_type == "travel"
    trip = record_pre_trip_talk(people["office"], trip, talkers=TALKERS,
                                held_on=timezone.localdate(), notes="提醒")
    trip = record_travel_commitment(people["office"], trip, signed_on=timezone.localdate())
    trip = issue_document_for_trip(people["office"], trip, document=passport,
                                   issued_on=timezone.localdate())
    passport.refresh_from_db()
    assert (trip.state, passport.state) == (TripState.ISSUED, DocumentState.ISSUED)
    trip = record_return(people["office"], trip, returned_on=timezone.localdate())
    assert trip.document_due_on == timezone.localdate() + timedelta(days=7)
    trip = receive_document(people["office"], trip, received_on=timezone.localdate())
    trip = record_return_visit(people["office"], trip, visited_on=timezone.localdate(),
                               visitors=["张保密"], findings="无异常")
    passport.refresh_from_db()
    assert (trip.state, passport.state) == (TripState.CLOSED, DocumentState.IN_CUSTODY)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"TRIP_APPLIED", "TRIP_APPROVED", "TRIP_TALK_RECORDED", "TRIP_DOCUMENT_ISSUED",
            "TRIP_RETURN_RECORDED", "TRAVEL_DOCUMENT_RECEIVED",
            "TRIP_VISIT_RECORDED"} <= actions


def test_rejected_trip(traveller, people):
    trip = applied(traveller)
    decide(people["head"], trip.request, "reject", comment="不宜出境")
    trip.refresh_from_db()
    assert trip.state == TripState.REJECTED


@pytest.mark.rule("P8")
def test_talk_needs_two_distinct_talkers(traveller, people):
    trip = approved(traveller, people)
    for talkers in (["张保密"], ["张保密", "张保密"]):
        with pytest.raises(RuleViolation) as exc:
            record_pre_trip_talk(people["office"], trip, talkers=talkers,
                                 held_on=timezone.localdate())
        assert exc.value.code == "two_talkers"
    trip = record_pre_trip_talk(people["office"], trip, talkers=TALKERS,
                                held_on=timezone.localdate())
    assert trip.state == TripState.TALKED and trip.talkers == TALKERS


@pytest.mark.rule("P8")
def test_issue_refused_without_talk_or_commitment(traveller, people, passport):
    trip = approved(traveller, people)
    with pytest.raises(RuleViolation) as exc:
        issue_document_for_trip(people["office"], trip, document=passport,
                                issued_on=timezone.localdate())
    assert exc.value.code == "not_ready"
    record_pre_trip_talk(people["office"], trip, talkers=TALKERS, held_on=timezone.localdate())
    with pytest.raises(RuleViolation) as exc:
        issue_document_for_trip(people["office"], trip, document=passport,
                                issued_on=timezone.localdate())
    assert exc.value.code == "not_ready"
    record_travel_commitment(people["office"], trip, signed_on=timezone.localdate())
    trip = issue_document_for_trip(people["office"], trip, document=passport,
                                   issued_on=timezone.localdate())
    assert trip.state == TripState.ISSUED


def _rows(rule, trip):
    return [row for row in rule(timezone.localdate()) if row["subject_id"] == trip.pk]


def _overdue(rule, trip):
    (row,) = _rows(rule, trip)
    return row["due_date"] < timezone.localdate()


@pytest.mark.rule("P8")
@pytest.mark.parametrize(("kind", "days", "late"), [
    (TripPurpose.OFFICIAL, 7, False), (TripPurpose.OFFICIAL, 8, True),
    (TripPurpose.PRIVATE, 10, False), (TripPurpose.PRIVATE, 11, True)])
def test_passport_return_deadline(traveller, people, passport, kind, days, late):
    trip = returned(traveller, people, passport, kind, days)
    assert _overdue(passport_return, trip) is late
    assert overdue_trips_of(traveller.person_id).exists() is late  # rule P9
    assert _rows(passport_return, trip)[0]["responsible_id"] == traveller.pk


@pytest.mark.rule("P8")
@pytest.mark.parametrize(("days", "late"), [(10, False), (11, True)])
def test_return_visit_deadline(traveller, people, passport, days, late):
    trip = returned(traveller, people, passport, TripPurpose.PRIVATE, days)
    assert _overdue(return_visit, trip) is late
    record_return_visit(people["office"], trip, visited_on=timezone.localdate(),
                        visitors=["张保密"])
    assert _rows(return_visit, trip) == []


@pytest.mark.rule("P9")
def test_no_new_trip_while_document_overdue(traveller, people, passport):
    trip = returned(traveller, people, passport, TripPurpose.OFFICIAL, 8)
    with pytest.raises(RuleViolation) as exc:
        applied(traveller)
    assert (exc.value.code, exc.value.rule) == ("document_overdue", "P9")
    receive_document(people["office"], trip, received_on=timezone.localdate())
    assert applied(traveller).state == TripState.APPLIED


@pytest.mark.rule("P9")
def test_document_of_cancelled_trip_must_come_back(traveller, people, passport):
    trip = issued(traveller, people, passport)
    trip = cancel_trip(people["office"], trip, reason="行程取消")
    with pytest.raises(RuleViolation):
        applied(traveller)
    receive_document(people["office"], trip, received_on=timezone.localdate())
    passport.refresh_from_db()
    assert passport.state == DocumentState.IN_CUSTODY
    assert applied(traveller).state == TripState.APPLIED


def test_only_the_secrecy_office_records(traveller, people):
    trip = approved(traveller, people)
    with pytest.raises(Exception) as exc:
        record_pre_trip_talk(traveller, trip, talkers=TALKERS, held_on=timezone.localdate())
    assert exc.value.code == "not_secrecy_office"


def test_talk_twice_is_a_conflict(traveller, people):
    trip = approved(traveller, people)
    record_pre_trip_talk(people["office"], trip, talkers=TALKERS, held_on=timezone.localdate())
    with pytest.raises(Conflict):
        record_pre_trip_talk(people["office2"], trip, talkers=TALKERS,
                             held_on=timezone.localdate())


@pytest.mark.rule("P8")
def test_withdrawn_request_cancels_the_trip(traveller, people):
    from baomi.approvals.services import withdraw_request

    trip = applied(traveller)
    withdraw_request(traveller, trip.request, reason="行程取消")
    trip.refresh_from_db()
    assert trip.state == TripState.CANCELLED
    assert AuditEvent.objects.filter(action="TRIP_CANCELLED", object_id=str(trip.pk)).exists()


@pytest.mark.rule("P8")
def test_returned_request_can_be_resubmitted(traveller, people):
    from baomi.approvals.services import resubmit_request

    trip = applied(traveller)
    request = decide(people["head"], trip.request, "return", comment="请补充同行人员")
    request = resubmit_request(traveller, request, payload=request.payload, title=request.title)
    for name in ("head", "office2", "leader"):
        request = decide(people[name], request, "approve")
    trip.refresh_from_db()
    assert trip.state == TripState.APPROVED
