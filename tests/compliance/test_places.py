"""Key places (rule M1) and classified meetings (rule M2), services: who may write, the
measures a key place needs, clearance against the level (boundary level vs level), the plan,
sign-in, documents collected back, closing, concurrency, and the audit trail."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance import services_places as sp
from baomi.compliance.choices_places import MeetingState
from baomi.compliance.models import (
    ClassifiedMeeting,
    KeyPlace,
    KeyPlacePerson,
    MeetingAttendee,
    MeetingDocument,
)
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, RuleViolation
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import SecureRoomFactory, UnitFactory

from .test_places_support import (  # noqa: F401
    PLACE,
    general,
    important,
    leader,
    meeting,
    office,
    place,
    plan,
    soon,
)


def counts():
    return (KeyPlace.objects.count(), KeyPlacePerson.objects.count(),
            ClassifiedMeeting.objects.count(), MeetingAttendee.objects.count(),
            MeetingDocument.objects.count(), AuditEvent.objects.count())


# --- key places (M1) --------------------------------------------------------------------------

@pytest.mark.rule("M1")
def test_the_office_registers_an_approved_key_place_with_its_measures(unit, office):
    room = SecureRoomFactory(unit=unit, name="机要室")
    place = sp.register_key_place(office, unit=unit, **{**PLACE, "room": room})
    stored = KeyPlace.objects.get(pk=place.pk)
    assert (stored.unit, stored.level, stored.room, stored.approval_no, stored.active) == (
        unit, Level.CONFIDENTIAL, room, "华信保〔2026〕3号", True)
    assert stored.phones_forbidden is True
    event = AuditEvent.objects.get(action="KEY_PLACE_REGISTERED")
    assert json.loads(event.after)["technical_measures"].startswith("门禁")


@pytest.mark.rule("M1")
@pytest.mark.parametrize("missing", [("people_measures",), ("physical_measures",),
                                     ("technical_measures",),
                                     ("people_measures", "technical_measures")])
def test_each_kind_of_measure_is_needed_and_named(unit, office, missing):
    before = counts()
    with pytest.raises(RuleViolation) as caught:
        sp.register_key_place(office, unit=unit, **{**PLACE, **{m: "  " for m in missing}})
    assert caught.value.code == "measures_missing" and caught.value.rule == "M1"
    assert sorted(caught.value.fields) == sorted(missing)
    assert counts() == before


@pytest.mark.rule("M1")
@pytest.mark.parametrize("field", ["approval_no", "phone_storage", "name", "location"])
def test_a_place_is_registered_only_once_approved_and_with_the_phone_arrangement(
        unit, office, field):
    with pytest.raises(InvalidInput) as caught:
        sp.register_key_place(office, unit=unit, **{**PLACE, field: ""})
    assert caught.value.code == "required" and field in caught.value.fields


@pytest.mark.parametrize(("changes", "field"), [
    ({"level": Level.NONSECRET}, "level"), ({"level": 7}, "level"), ({"kind": "room"}, "kind"),
    ({"approved_on": "2026-03-01"}, "approved_on"), ({"name": "机要\x00室"}, "name"),
    ({"colour": "red"}, "colour")])
def test_bad_values_are_refused_naming_the_field(unit, office, changes, field):
    with pytest.raises(InvalidInput) as caught:
        sp.register_key_place(office, unit=unit, **{**PLACE, **changes})
    assert field in caught.value.fields


def test_only_the_office_of_the_unit_registers_and_names_are_unique(
        unit, office, leader, make_user):
    with pytest.raises(AccessDenied) as caught:
        sp.register_key_place(leader, unit=unit, **PLACE)
    assert caught.value.code == "not_secrecy_office"
    other = UnitFactory()
    stranger = make_user("stranger", roles=[Role.SECRECY_OFFICE], unit=other)
    with pytest.raises(AccessDenied):
        sp.register_key_place(stranger, unit=unit, **PLACE)
    sp.register_key_place(office, unit=unit, **PLACE)
    with pytest.raises(Conflict) as caught:
        sp.register_key_place(office, unit=unit, **PLACE)
    assert caught.value.code == "name_exists"
    foreign_room = SecureRoomFactory(unit=other)
    with pytest.raises(InvalidInput) as caught:
        sp.register_key_place(office, unit=unit, **{**PLACE, "name": "档案室",
                                                    "room": foreign_room})
    assert "room" in caught.value.fields


@pytest.mark.rule("M1")
def test_the_office_updates_a_place_and_the_trail_keeps_before_and_after(place, office):
    sp.update_key_place(office, place, **{**PLACE, "active": False,
                                          "technical_measures": "门禁、视频监控、报警、屏蔽"})
    stored = KeyPlace.objects.get(pk=place.pk)
    assert (stored.active, stored.technical_measures) == (False, "门禁、视频监控、报警、屏蔽")
    event = AuditEvent.objects.get(action="KEY_PLACE_UPDATED")
    assert json.loads(event.before)["active"] is True and json.loads(event.after)["active"] is False
    with pytest.raises(RuleViolation) as caught:
        sp.update_key_place(office, place, **{**PLACE, "physical_measures": ""})
    assert caught.value.code == "measures_missing"


@pytest.mark.rule("M1")
@pytest.mark.parametrize(("category", "allowed"), [
    (Category.GENERAL, False), (Category.IMPORTANT, True), (Category.CORE, True),
    (Category.NONE, False)])
def test_only_people_cleared_for_the_place_level_are_allowed_in(
        place, office, make_user, category, allowed):
    person = make_user(f"p{category}", roles=[Role.STAFF], category=category)
    if allowed:
        grant = sp.grant_place_access(office, place, user=person)
        assert grant.revoked_on is None and grant.granted_by == office
        return
    before = counts()
    with pytest.raises(RuleViolation) as caught:
        sp.grant_place_access(office, place, user=person)
    assert (caught.value.code, caught.value.rule) == ("not_cleared", "M1")
    assert counts() == before


@pytest.mark.rule("M1")
def test_a_person_who_left_is_not_cleared(place, office, important):
    important.person.active = False
    important.person.save()
    with pytest.raises(RuleViolation) as caught:
        sp.grant_place_access(office, place, user=important)
    assert caught.value.code == "not_cleared"


@pytest.mark.rule("M1")
def test_a_grant_is_revoked_once_and_can_then_be_given_again(place, office, important,
                                                             make_user):
    grant = sp.grant_place_access(office, place, user=important,
                                  granted_on=dt.date(2026, 3, 2))
    with pytest.raises(Conflict) as caught:
        sp.grant_place_access(office, place, user=important)
    assert caught.value.code == "already_allowed"
    stale = KeyPlacePerson.objects.get(pk=grant.pk)
    sp.revoke_place_access(office, grant, dt.date(2026, 6, 1))
    with pytest.raises(Conflict) as caught:  # the second of two concurrent revocations
        sp.revoke_place_access(office, stale, dt.date(2026, 6, 1))
    assert caught.value.code == "already_revoked"
    assert KeyPlacePerson.objects.get(pk=grant.pk).revoked_on == dt.date(2026, 6, 1)
    again = sp.grant_place_access(office, place, user=important)
    assert again.pk != grant.pk
    other = make_user("other", unit=UnitFactory(), category=Category.CORE)
    with pytest.raises(InvalidInput):
        sp.grant_place_access(office, place, user=other)


# --- classified meetings (M2) -----------------------------------------------------------------

@pytest.mark.rule("M2")
def test_a_non_secret_meeting_is_not_recorded(unit, office):
    with pytest.raises(InvalidInput) as caught:
        plan(office, unit, level=Level.NONSECRET)
    assert "level" in caught.value.fields
    assert ClassifiedMeeting.objects.count() == 0


@pytest.mark.rule("M2")
@pytest.mark.parametrize(("level", "needs_plan"), [
    (Level.SECRET, False), (Level.CONFIDENTIAL, True), (Level.TOP_SECRET, True)])
def test_a_secrecy_plan_is_required_from_confidential(unit, office, level, needs_plan):
    if needs_plan:
        with pytest.raises(RuleViolation) as caught:
            plan(office, unit, level=level, plan="")
        assert (caught.value.code, caught.value.rule) == ("plan_required", "M2")
        assert ClassifiedMeeting.objects.count() == 0
    else:
        meeting = plan(office, unit, level=level, plan="")
        assert meeting.state == MeetingState.PLANNED and meeting.plan == ""


@pytest.mark.rule("M2")
def test_the_plan_threshold_is_a_policy_setting(unit, office):
    unit.policy_overrides = {"meetings.plan_from_level": 1}
    unit.save()
    with pytest.raises(RuleViolation) as caught:
        plan(office, unit, level=Level.SECRET, plan="")
    assert caught.value.code == "plan_required"


@pytest.mark.parametrize(("changes", "field"), [
    ({"ends_at": soon(24)}, "ends_at"), ({"starts_at": dt.datetime(2026, 12, 1, 9)},
                                         "starts_at"),
    ({"place_text": ""}, "place_text"), ({"title": ""}, "title"), ({"level": True}, "level")])
def test_bad_meeting_values_are_refused(unit, office, changes, field):
    with pytest.raises(InvalidInput) as caught:
        plan(office, unit, **changes)
    assert field in caught.value.fields


@pytest.mark.rule("M2")
def test_staff_plan_their_own_meetings_only_when_cleared(unit, general, important, office):
    with pytest.raises(RuleViolation) as caught:
        plan(general, unit)  # 一般 organising a 机密 meeting
    assert caught.value.code == "not_cleared"
    assert plan(general, unit, level=Level.SECRET).organiser == general
    assert plan(important, unit).organiser == important
    with pytest.raises(AccessDenied):  # naming someone else as organiser is the office's job
        plan(general, unit, level=Level.SECRET, organiser=important)
    assert plan(office, unit, organiser=important).organiser == important


@pytest.mark.rule("M2")
@pytest.mark.parametrize(("category", "allowed"), [
    (Category.GENERAL, False), (Category.IMPORTANT, True), (Category.CORE, True)])
def test_an_internal_attendee_is_cleared_for_the_meeting_level(
        meeting, office, make_user, category, allowed):
    person = make_user(f"a{category}", roles=[Role.STAFF], category=category)
    if allowed:
        attendee = sp.add_attendee(office, meeting, user=person)
        assert (attendee.name, attendee.user) == (person.person.name, person)
        return
    with pytest.raises(RuleViolation) as caught:
        sp.add_attendee(office, meeting, user=person)
    assert (caught.value.code, caught.value.rule) == ("not_cleared", "M2")
    assert MeetingAttendee.objects.count() == 0


@pytest.mark.rule("M2")
def test_guests_are_named_with_their_organisation_and_people_only_once(
        meeting, office, important):
    guest = sp.add_attendee(office, meeting, name="王专家", organisation="某研究所",
                            id_note="工作证 0123")
    assert (guest.user, guest.organisation) == (None, "某研究所")
    with pytest.raises(InvalidInput) as caught:
        sp.add_attendee(office, meeting, name="李某")
    assert "organisation" in caught.value.fields
    sp.add_attendee(office, meeting, user=important)
    with pytest.raises(Conflict) as caught:
        sp.add_attendee(office, meeting, user=important)
    assert caught.value.code == "already_attending"


@pytest.mark.rule("M2")
def test_sign_in_marks_the_meeting_held_and_happens_once(meeting, office, important):
    attendee = sp.add_attendee(office, meeting, user=important)
    stale = MeetingAttendee.objects.get(pk=attendee.pk)
    sp.sign_in_attendee(office, attendee, phone_handed_in=True)
    stored = MeetingAttendee.objects.get(pk=attendee.pk)
    assert stored.signed_in_at is not None and stored.phone_handed_in is True
    assert ClassifiedMeeting.objects.get(pk=meeting.pk).state == MeetingState.HELD
    with pytest.raises(Conflict) as caught:  # two concurrent sign-ins: one wins
        sp.sign_in_attendee(office, stale, phone_handed_in=False)
    assert caught.value.code == "already_signed_in"
    assert MeetingAttendee.objects.get(pk=attendee.pk).phone_handed_in is True


def test_only_the_office_or_the_organiser_runs_the_meeting(unit, office, important, general,
                                                           make_user):
    meeting = plan(office, unit, organiser=important)
    attendee = sp.add_attendee(important, meeting, user=important)  # the organiser
    with pytest.raises(AccessDenied):
        sp.add_attendee(general, meeting, name="某人", organisation="某单位")
    with pytest.raises(AccessDenied):
        sp.sign_in_attendee(general, attendee, phone_handed_in=True)
    stranger = make_user("stranger", roles=[Role.SECRECY_OFFICE], unit=UnitFactory(),
                         category=Category.CORE)
    with pytest.raises(AccessDenied):
        sp.close_meeting(stranger, meeting)


def _held(meeting, office, important):
    attendee = sp.add_attendee(office, meeting, user=important)
    sp.sign_in_attendee(office, attendee, phone_handed_in=True)
    return attendee


@pytest.mark.rule("M2")
def test_closing_waits_for_every_document_and_names_those_out(meeting, office, important):
    attendee = _held(meeting, office, important)
    sp.record_meeting_measures(office, meeting, identity_check=True, phones_collected=True,
                               signal_jammer=True)
    first = sp.issue_meeting_document(office, meeting, title="总体方案（评审稿）", number="1号",
                                      copies=2, issued_to=attendee)
    sp.issue_meeting_document(office, meeting, title="评审意见表")
    with pytest.raises(RuleViolation) as caught:
        sp.close_meeting(office, meeting)
    assert (caught.value.code, caught.value.rule) == ("documents_not_collected", "M2")
    assert "总体方案（评审稿）" in caught.value.message and "评审意见表" in caught.value.message
    for document in MeetingDocument.objects.filter(meeting=meeting):
        sp.return_meeting_document(office, document)
    with pytest.raises(Conflict) as caught:
        sp.return_meeting_document(office, first)  # stale: already back
    assert caught.value.code == "already_returned"
    closed = sp.close_meeting(office, meeting)
    assert closed.state == MeetingState.CLOSED and closed.closed_at is not None
    assert AuditEvent.objects.filter(action="MEETING_CLOSED").count() == 1


@pytest.mark.rule("M2")
@pytest.mark.parametrize(("level", "flags", "missing"), [
    (Level.CONFIDENTIAL, {"identity_check": False}, ["identity_check"]),
    (Level.CONFIDENTIAL, {"phones_collected": False}, ["phones_collected"]),
    (Level.CONFIDENTIAL, {"signal_jammer": False}, ["signal_jammer"]),
    (Level.SECRET, {"signal_jammer": False}, []),  # the jammer from 机密 up
])
def test_closing_needs_the_measures_recorded(unit, office, important, level, flags, missing):
    meeting = plan(office, unit, level=level)
    _held(meeting, office, important)
    values = {"identity_check": True, "phones_collected": True, "signal_jammer": True, **flags}
    sp.record_meeting_measures(office, meeting, **values)
    if not missing:
        assert sp.close_meeting(office, meeting).state == MeetingState.CLOSED
        return
    with pytest.raises(RuleViolation) as caught:
        sp.close_meeting(office, meeting)
    assert caught.value.code == "measures_not_recorded"
    assert sorted(caught.value.fields) == missing
    assert ClassifiedMeeting.objects.get(pk=meeting.pk).state == MeetingState.HELD


@pytest.mark.rule("M2")
def test_a_planned_meeting_is_not_closed_and_two_closings_one_wins(meeting, office, important):
    with pytest.raises(Conflict) as caught:
        sp.close_meeting(office, meeting)
    assert caught.value.code == "illegal_transition"
    _held(meeting, office, important)
    sp.record_meeting_measures(office, meeting, identity_check=True, phones_collected=True,
                               signal_jammer=True)
    stale = ClassifiedMeeting.objects.get(pk=meeting.pk)
    sp.close_meeting(office, meeting)
    with pytest.raises(Conflict):
        sp.close_meeting(office, stale)
    assert AuditEvent.objects.filter(action="MEETING_CLOSED").count() == 1
    with pytest.raises(Conflict) as caught:  # nothing changes on a closed meeting
        sp.add_attendee(office, stale, name="迟到者", organisation="某单位")
    assert caught.value.code == "meeting_closed"


@pytest.mark.rule("M2")
def test_a_linked_carrier_is_not_above_the_meeting(unit, office, important):
    from baomi.carriers import services as carrier_services
    from baomi.carriers.choices import CarrierKind, CarrierOrigin, ContainerKind
    from baomi.core.labels import Scheme
    from baomi.secrets.choices import PeriodKind

    safe = carrier_services.register_container(
        office, unit=unit, number="MX-01", kind=ContainerKind.SAFE, rating=Level.TOP_SECRET,
        location="机要室", room=SecureRoomFactory(unit=unit))

    def carrier(number, level):
        return carrier_services.register_carrier(
            office, unit=unit, department=office.person.department, number=number,
            title="型号总体方案", kind=CarrierKind.PAPER, scheme=Scheme.STATE, level=level,
            period_kind=PeriodKind.YEARS, period_value=10 if level == Level.SECRET else 20,
            origin=CarrierOrigin.PRODUCED, received_on=timezone.localdate(),
            custodian=office.person, container=safe, pages=8)

    meeting = plan(office, unit, level=Level.SECRET)
    same = carrier("ZT-0001", Level.SECRET)
    above = carrier("ZT-0002", Level.CONFIDENTIAL)
    document = sp.issue_meeting_document(office, meeting, title="方案", carrier=same)
    assert document.carrier == same
    with pytest.raises(RuleViolation) as caught:
        sp.issue_meeting_document(office, meeting, title="方案", carrier=above)
    assert caught.value.code == "carrier_above_meeting"
    with pytest.raises(InvalidInput):
        sp.issue_meeting_document(office, meeting, title="方案", copies=0)


def test_reading_a_confidential_meeting_is_audited(meeting, office, unit):
    sp.record_meeting_read(office, meeting)
    sp.record_meeting_read(office, plan(office, unit, level=Level.SECRET))
    assert AuditEvent.objects.filter(action="MEETING_READ").count() == 1


def test_moments_are_bounded_and_paper_records_keep_their_past_time(meeting, office,
                                                                    important):
    far = dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-12)))
    with pytest.raises(InvalidInput) as caught:
        plan(office, meeting.unit, starts_at=far - dt.timedelta(hours=1), ends_at=far)
    assert "starts_at" in caught.value.fields
    attendee = sp.add_attendee(office, meeting, user=important)
    with pytest.raises(InvalidInput) as caught:
        sp.sign_in_attendee(office, attendee, phone_handed_in=True, at=soon(1))
    assert "at" in caught.value.fields
    earlier = timezone.now() - dt.timedelta(hours=2)
    sp.sign_in_attendee(office, attendee, phone_handed_in=True, at=earlier)
    assert MeetingAttendee.objects.get(pk=attendee.pk).signed_in_at == earlier
    document = sp.issue_meeting_document(office, meeting, title="评审稿", at=earlier)
    with pytest.raises(InvalidInput):
        sp.return_meeting_document(office, document, at=earlier - dt.timedelta(minutes=1))
    assert sp.return_meeting_document(office, document).returned_at > earlier
