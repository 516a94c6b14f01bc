"""Writes of 要害部门部位 (rule M1) and 涉密会议 (rule M2).

Key places: the 保密办 of the unit registers a place once it is approved, with its 人防, 物防
and 技防 measures (each required), and names the people allowed in — only people cleared for
the highest level handled there.

Classified meetings: the 保密办 of the unit, or the organiser, plans a meeting of 秘密 or above
(a 保密方案 from `meetings.plan_from_level`), names the attendees (people of the system cleared
for the level, or outside guests with their identity document), signs them in at the door
(the first sign-in marks the meeting held), records the measures taken, issues the documents
and collects them back; the meeting closes only when every document is back and the measures
are recorded.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Department, Unit, User
from baomi.audit.services import record_event
from baomi.carriers.models import Carrier
from baomi.core.access import clearance, unit_perimeter
from baomi.core.errors import Conflict, NotFound, RuleViolation
from baomi.core.labels import Level, dominates
from baomi.core.policy import policy_of
from baomi.core.transitions import table
from baomi.core.validation import clean_text

from .choices_places import MeetingState, PlaceKind
from .models import (
    ClassifiedMeeting,
    KeyPlace,
    KeyPlacePerson,
    MeetingAttendee,
    MeetingDocument,
    SecureRoom,
)
from .services import invalid, require_office

PLACE_NAME_MAX = 100
PLACE_LOCATION_MAX = 200
APPROVAL_NO_MAX = 100
MEASURE_MAX = 2000
PHONE_STORAGE_MAX = 300
MEETING_TITLE_MAX = 200
MEETING_PLACE_MAX = 200
PLAN_MAX = 4000
ATTENDEE_NAME_MAX = 100
ORGANISATION_MAX = 200
ID_NOTE_MAX = 100
DOCUMENT_TITLE_MAX = 300
DOCUMENT_NUMBER_MAX = 100
COPIES_MAX = 999
# rule M1: each of the three kinds of measures is recorded before a place is registered.
PLACE_MEASURES = ("people_measures", "physical_measures", "technical_measures")
PLAN_FROM_LEVEL = "meetings.plan_from_level"
JAMMER_FROM_LEVEL = "meetings.jammer_from_level"
RETURN_DAYS = "meetings.documents_return_days"
# DESIGN.md 'Access model': opening the detail of a 机密 or 绝密 object is audited.
READ_AUDITED_FROM = Level.CONFIDENTIAL


def _checked_level(level: Any, *, classified: bool = False) -> int:
    if isinstance(level, bool) or not isinstance(level, int) or level not in Level.values:
        raise invalid("level")
    if classified and level == Level.NONSECRET:
        raise invalid("level", _("Choose secret or above."))
    return level


def _checked_day(value: Any, field: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime) \
            or value.year not in YEARS:
        raise invalid(field, _("Enter a date."))
    return value


# Moments outside these years are typing errors (and past 9999 they overflow in UTC).
YEARS = range(1900, 2201)


def _checked_moment(value: Any, field: str) -> dt.datetime:
    if not isinstance(value, dt.datetime) or timezone.is_naive(value) \
            or value.year not in YEARS:
        raise invalid(field, _("Enter a date and time."))
    return value


def _field_label(model: Any, name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _moment_or_now(at: Any, field: str) -> dt.datetime:
    """When something happened: now, or a moment in the past given when a paper record (the
    signed 签到表, the 登记表) is entered afterwards."""
    now = timezone.now()
    if at is None:
        return now
    moment = _checked_moment(at, field)
    if moment > now:
        raise invalid(field, _("The moment is in the future."))
    return moment


def is_cleared(user: User, level: int) -> bool:
    """rule L2: the person's category gives the clearance; someone who left has none."""
    return bool(user.person.active) and dominates(clearance(user), level)


def _require_cleared(user: User, level: int, field: str, rule: str) -> None:
    if not is_cleared(user, level):
        message = _("%(name)s is not cleared for %(level)s.") % {
            "name": user.person.name, "level": Level(level).label}
        raise RuleViolation(message, code="not_cleared", fields={field: message}, rule=rule)


# --- key places (rule M1) ---------------------------------------------------------------------

def measures_missing(values: dict[str, Any]) -> list[str]:
    """rule M1: the names of the 人防/物防/技防 measures not recorded in `values`."""
    return [name for name in PLACE_MEASURES
            if not isinstance(values.get(name), str) or not values[name].strip()]


def _require_measures(values: dict[str, Any]) -> None:
    missing = measures_missing(values)
    if missing:
        labels = [_field_label(KeyPlace, name) for name in missing]
        message = _("Record the measures of the place: %(missing)s.") % {
            "missing": "、".join(labels)}
        raise RuleViolation(message, code="measures_missing", rule="M1",
                            fields={name: _("This field is required.") for name in missing})


def _place_fields(unit: Unit, values: dict[str, Any]) -> dict[str, Any]:
    known = {"name", "kind", "department", "location", "level", "approved_on", "approval_no",
             *PLACE_MEASURES, "phone_storage", "room", "active"}
    unknown = set(values) - known
    if unknown:
        raise invalid(sorted(unknown)[0])
    _require_measures(values)  # rule M1
    kind = values.get("kind")
    if not isinstance(kind, str) or kind not in PlaceKind.values:
        raise invalid("kind")
    department = values.get("department")
    if department is not None and (not isinstance(department, Department)
                                   or department.unit_id != unit.pk):
        raise invalid("department")
    room = values.get("room")
    if room is not None and (not isinstance(room, SecureRoom) or room.unit_id != unit.pk):
        raise invalid("room")
    active = values.get("active", True)
    if not isinstance(active, bool):
        raise invalid("active")
    return {
        "name": clean_text(values.get("name"), "name", PLACE_NAME_MAX),
        "kind": kind, "department": department, "room": room, "active": active,
        "location": clean_text(values.get("location"), "location", PLACE_LOCATION_MAX),
        "level": _checked_level(values.get("level"), classified=True),
        # rule M1: a key place is registered once approved — the date and the document.
        "approved_on": _checked_day(values.get("approved_on"), "approved_on"),
        "approval_no": clean_text(values.get("approval_no"), "approval_no", APPROVAL_NO_MAX),
        **{name: clean_text(values.get(name), name, MEASURE_MAX) for name in PLACE_MEASURES},
        "phone_storage": clean_text(values.get("phone_storage"), "phone_storage",
                                    PHONE_STORAGE_MAX),
    }


def _place_values(place: KeyPlace) -> dict[str, Any]:
    return {"name": place.name, "kind": place.kind, "level": place.level,
            "department_id": place.department_id, "location": place.location,
            "approved_on": place.approved_on.isoformat(), "approval_no": place.approval_no,
            "room_id": place.room_id, "active": place.active,
            "phone_storage": place.phone_storage,
            **{name: getattr(place, name) for name in PLACE_MEASURES}}


def _place_name_exists() -> Conflict:
    message = _("The unit already has a key place of this name.")
    return Conflict(message, code="name_exists", fields={"name": message})


def register_key_place(actor: Any, *, unit: Unit, **values: Any) -> KeyPlace:
    """rule M1: the 保密办 registers an approved key department or part with its measures:
    `name`, `kind`, `department`, `location`, `level`, `approved_on`, `approval_no`,
    `people_measures`, `physical_measures`, `technical_measures`, `phone_storage`, `room`."""
    if not isinstance(unit, Unit) or unit.pk is None:
        raise invalid("unit")
    require_office(actor, unit)
    fields = _place_fields(unit, values)
    try:
        with transaction.atomic():
            if KeyPlace.objects.filter(unit=unit, name=fields["name"]).exists():
                raise _place_name_exists()
            place = KeyPlace.objects.create(unit=unit, **fields)
            record_event(actor, "KEY_PLACE_REGISTERED", place, after=_place_values(place))
    except IntegrityError:  # key_place_unique_name: a concurrent registration won
        raise _place_name_exists() from None
    return place


def update_key_place(actor: Any, place: KeyPlace, **values: Any) -> KeyPlace:
    """The 保密办 records the place as it is now (all fields, as on registration; rule M1)."""
    if not isinstance(place, KeyPlace) or place.pk is None:
        raise NotFound()
    require_office(actor, place.unit)
    fields = _place_fields(place.unit, values)
    try:
        with transaction.atomic():
            fresh = KeyPlace.objects.select_for_update().get(pk=place.pk)
            if KeyPlace.objects.filter(unit_id=fresh.unit_id, name=fields["name"]).exclude(
                    pk=fresh.pk).exists():
                raise _place_name_exists()
            before = _place_values(fresh)
            for field, value in fields.items():
                setattr(fresh, field, value)
            fresh.save()
            record_event(actor, "KEY_PLACE_UPDATED", fresh, before=before,
                         after=_place_values(fresh))
    except IntegrityError:
        raise _place_name_exists() from None
    return fresh


def grant_place_access(actor: Any, place: KeyPlace, *, user: Any,
                       granted_on: dt.date | None = None) -> KeyPlacePerson:
    """rule M1: allow a person of the unit into a key place; only someone cleared for the
    highest level handled there (rule L5)."""
    if not isinstance(place, KeyPlace) or place.pk is None:
        raise NotFound()
    office = require_office(actor, place.unit)
    if not isinstance(user, User) or user.person.unit_id != place.unit_id:
        raise invalid("user")
    day = _checked_day(granted_on or timezone.localdate(), "granted_on")
    _require_cleared(user, place.level, "user", "M1")  # rule M1 with L5
    already = _("This person is already allowed in.")
    try:
        with transaction.atomic():
            if KeyPlacePerson.objects.filter(place=place, user=user,
                                             revoked_on__isnull=True).exists():
                raise Conflict(already, code="already_allowed", fields={"user": already})
            grant = KeyPlacePerson.objects.create(place=place, user=user, granted_on=day,
                                                  granted_by=office)
            record_event(actor, "KEY_PLACE_ACCESS_GRANTED", place, after={
                "user_id": user.pk, "granted_on": day.isoformat()})
    except IntegrityError:  # key_place_person_once: a concurrent grant won
        raise Conflict(already, code="already_allowed", fields={"user": already}) from None
    return grant


def revoke_place_access(actor: Any, grant: KeyPlacePerson,
                        revoked_on: dt.date | None = None) -> KeyPlacePerson:
    """The person is no longer allowed into the place from `revoked_on` (today by default);
    of two concurrent revocations exactly one wins."""
    if not isinstance(grant, KeyPlacePerson) or grant.pk is None:
        raise NotFound()
    require_office(actor, grant.place.unit)
    day = _checked_day(revoked_on or timezone.localdate(), "revoked_on")
    if day < grant.granted_on:
        raise invalid("revoked_on", _("The day is before the person was allowed in."))
    with transaction.atomic():
        updated = KeyPlacePerson.objects.filter(pk=grant.pk, revoked_on__isnull=True).update(
            revoked_on=day)
        if updated != 1:
            raise Conflict(_("This person is no longer allowed in."), code="already_revoked")
        record_event(actor, "KEY_PLACE_ACCESS_REVOKED", grant.place, after={
            "user_id": grant.user_id, "revoked_on": day.isoformat()})
    grant.revoked_on = day
    return grant


# --- classified meetings (rule M2) ------------------------------------------------------------

def _require_organiser_or_office(actor: Any, meeting: ClassifiedMeeting) -> User:
    """The 保密办 of the unit or the meeting's organiser runs the meeting's records."""
    if isinstance(actor, User) and actor.pk == meeting.organiser_id \
            and actor.person.unit_id == meeting.unit_id:
        return actor
    return require_office(actor, meeting.unit)


def _require_open(meeting: ClassifiedMeeting) -> None:
    if meeting.state == MeetingState.CLOSED:
        raise Conflict(_("The meeting is closed."), code="meeting_closed")


def _lock_open(meeting: ClassifiedMeeting) -> None:
    """Inside the transaction: lock the meeting row and refuse when it is closed by now, so
    that nothing is added to a meeting while (or after) it closes."""
    state = ClassifiedMeeting.objects.select_for_update().filter(pk=meeting.pk).values_list(
        "state", flat=True).first()
    if state is None or state == MeetingState.CLOSED:
        raise Conflict(_("The meeting is closed."), code="meeting_closed")


def plan_required(unit: Unit, level: int) -> bool:
    """rule M2: a 保密方案 is required from `meetings.plan_from_level` (机密 by default)."""
    return level >= int(policy_of(unit)[PLAN_FROM_LEVEL])


def jammer_required(unit: Unit, level: int) -> bool:
    """rule M2 (seed 002): a signal jammer at important meetings, from
    `meetings.jammer_from_level` (机密 by default)."""
    return level >= int(policy_of(unit)[JAMMER_FROM_LEVEL])


def _meeting_place(unit: Unit, key_place: Any, room: Any, place_text: Any) -> dict[str, Any]:
    if key_place is not None and (not isinstance(key_place, KeyPlace)
                                  or key_place.unit_id != unit.pk):
        raise invalid("key_place")
    if room is not None and (not isinstance(room, SecureRoom) or room.unit_id != unit.pk):
        raise invalid("room")
    text = clean_text(place_text, "place_text", MEETING_PLACE_MAX,
                      required=key_place is None and room is None)
    return {"key_place": key_place, "room": room, "place_text": text}


def plan_meeting(actor: Any, *, unit: Unit, title: Any, level: Any, starts_at: Any,
                 ends_at: Any, organiser: Any = None, key_place: Any = None, room: Any = None,
                 place_text: Any = "", plan: Any = "") -> ClassifiedMeeting:
    """rule M2: plan a classified meeting of 秘密 or above (a 非密 meeting is not recorded
    here) with its place and, from `meetings.plan_from_level`, its 保密方案. The 保密办 plans
    any meeting of the unit; anyone else only one they organise themselves."""
    if not isinstance(unit, Unit) or unit.pk is None:
        raise invalid("unit")
    organiser = actor if organiser is None else organiser
    if not isinstance(organiser, User) or organiser.person.unit_id != unit.pk:
        raise invalid("organiser")
    if not (isinstance(actor, User) and actor.pk == organiser.pk
            and unit.pk in unit_perimeter(actor)):
        require_office(actor, unit)
    level = _checked_level(level, classified=True)
    fields = {"title": clean_text(title, "title", MEETING_TITLE_MAX),
              "starts_at": _checked_moment(starts_at, "starts_at"),
              "ends_at": _checked_moment(ends_at, "ends_at"),
              "plan": clean_text(plan, "plan", PLAN_MAX, required=False),
              **_meeting_place(unit, key_place, room, place_text)}
    if fields["ends_at"] <= fields["starts_at"]:
        raise invalid("ends_at", _("The meeting ends after it starts."))
    if not fields["plan"] and plan_required(unit, level):  # rule M2
        message = _("A meeting of this level needs a secrecy plan.")
        raise RuleViolation(message, code="plan_required", fields={"plan": message}, rule="M2")
    _require_cleared(organiser, level, "organiser", "M2")
    with transaction.atomic():
        meeting = ClassifiedMeeting.objects.create(
            unit=unit, level=level, organiser=organiser, created_by=actor, **fields)
        record_event(actor, "MEETING_PLANNED", meeting, after={
            "title": meeting.title, "level": level, "organiser_id": organiser.pk,
            "starts_at": meeting.starts_at.isoformat(), "ends_at": meeting.ends_at.isoformat(),
            "key_place_id": meeting.key_place_id, "room_id": meeting.room_id,
            "place_text": meeting.place_text, "has_plan": bool(meeting.plan)})
    return meeting


def add_attendee(actor: Any, meeting: ClassifiedMeeting, *, user: Any = None, name: Any = "",
                 organisation: Any = "", id_note: Any = "") -> MeetingAttendee:
    """rule M2: name an attendee — a person of the system cleared for the meeting's level, or
    a guest from outside with their organisation (and identity document, checked at the
    door)."""
    if not isinstance(meeting, ClassifiedMeeting) or meeting.pk is None:
        raise NotFound()
    _require_organiser_or_office(actor, meeting)
    _require_open(meeting)
    if user is not None:
        if not isinstance(user, User):
            raise invalid("user")
        _require_cleared(user, meeting.level, "user", "M2")  # rule M2 with L5
        fields = {"user": user, "name": user.person.name,
                  "organisation": str(user.person.unit.name)[:ORGANISATION_MAX],
                  "id_note": clean_text(id_note, "id_note", ID_NOTE_MAX, required=False)}
    else:
        fields = {"user": None, "name": clean_text(name, "name", ATTENDEE_NAME_MAX),
                  "organisation": clean_text(organisation, "organisation", ORGANISATION_MAX),
                  "id_note": clean_text(id_note, "id_note", ID_NOTE_MAX, required=False)}
    already = _("This person is already named for the meeting.")
    try:
        with transaction.atomic():
            _lock_open(meeting)
            if user is not None and MeetingAttendee.objects.filter(meeting=meeting,
                                                                   user=user).exists():
                raise Conflict(already, code="already_attending", fields={"user": already})
            attendee = MeetingAttendee.objects.create(meeting=meeting, **fields)
            record_event(actor, "MEETING_ATTENDEE_ADDED", meeting, after={
                "attendee_id": attendee.pk, "user_id": attendee.user_id, "name": attendee.name,
                "organisation": attendee.organisation})
    except IntegrityError:  # meeting_attendee_once: a concurrent addition won
        raise Conflict(already, code="already_attending", fields={"user": already}) from None
    return attendee


def sign_in_attendee(actor: Any, attendee: MeetingAttendee, *, phone_handed_in: bool,
                     at: dt.datetime | None = None) -> MeetingAttendee:
    """rule M2: a named attendee signs in at the door, saying whether they handed in their
    phone; the first sign-in marks the meeting held. Signing in twice is refused."""
    if not isinstance(attendee, MeetingAttendee) or attendee.pk is None:
        raise NotFound()
    meeting = attendee.meeting
    _require_organiser_or_office(actor, meeting)
    _require_open(meeting)
    if not isinstance(phone_handed_in, bool):
        raise invalid("phone_handed_in")
    now = _moment_or_now(at, "at")
    with transaction.atomic():
        _lock_open(meeting)
        updated = MeetingAttendee.objects.filter(
            pk=attendee.pk, signed_in_at__isnull=True).update(
            signed_in_at=now, phone_handed_in=phone_handed_in)
        if updated != 1:
            raise Conflict(_("This attendee has already signed in."), code="already_signed_in")
        # The meeting is under way from the first sign-in; later ones find it held already.
        ClassifiedMeeting.objects.filter(pk=meeting.pk, state=MeetingState.PLANNED).update(
            state=MeetingState.HELD)
        record_event(actor, "MEETING_ATTENDEE_SIGNED_IN", meeting, after={
            "attendee_id": attendee.pk, "name": attendee.name,
            "phone_handed_in": phone_handed_in})
    attendee.signed_in_at, attendee.phone_handed_in = now, phone_handed_in
    if meeting.state == MeetingState.PLANNED:
        meeting.state = MeetingState.HELD
    return attendee


def record_meeting_measures(actor: Any, meeting: ClassifiedMeeting, *, identity_check: Any,
                            phones_collected: Any, signal_jammer: Any) -> ClassifiedMeeting:
    """rule M2: record the measures taken at the meeting as they are."""
    if not isinstance(meeting, ClassifiedMeeting) or meeting.pk is None:
        raise NotFound()
    _require_organiser_or_office(actor, meeting)
    _require_open(meeting)
    flags = {"identity_check": identity_check, "phones_collected": phones_collected,
             "signal_jammer": signal_jammer}
    for field, value in flags.items():
        if not isinstance(value, bool):
            raise invalid(field)
    with transaction.atomic():
        before = {field: getattr(meeting, field) for field in flags}
        updated = ClassifiedMeeting.objects.filter(pk=meeting.pk).exclude(
            state=MeetingState.CLOSED).update(**flags)
        if updated != 1:
            raise Conflict(_("The meeting is closed."), code="meeting_closed")
        record_event(actor, "MEETING_MEASURES_RECORDED", meeting, before=before, after=flags)
    for field, value in flags.items():
        setattr(meeting, field, value)
    return meeting


def issue_meeting_document(actor: Any, meeting: ClassifiedMeeting, *, title: Any,
                           number: Any = "", copies: Any = 1, carrier: Any = None,
                           issued_to: Any = None, at: dt.datetime | None = None
                           ) -> MeetingDocument:
    """rule M2: issue a document at the meeting, to a named attendee or to the table; a
    registered carrier of the unit may be linked, never one above the meeting's level (rule
    L5: information does not flow down)."""
    if not isinstance(meeting, ClassifiedMeeting) or meeting.pk is None:
        raise NotFound()
    _require_organiser_or_office(actor, meeting)
    _require_open(meeting)
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= COPIES_MAX:
        raise invalid("copies", _("Enter a number from 1 to %(max)s.") % {"max": COPIES_MAX})
    if issued_to is not None and (not isinstance(issued_to, MeetingAttendee)
                                  or issued_to.meeting_id != meeting.pk):
        raise invalid("issued_to")
    if carrier is not None:
        if not isinstance(carrier, Carrier) or carrier.unit_id != meeting.unit_id:
            raise invalid("carrier")
        if carrier.level > meeting.level:  # rule L5 / M2
            message = _("The carrier is classified above the meeting.")
            raise RuleViolation(message, code="carrier_above_meeting",
                                fields={"carrier": message}, rule="M2")
    fields = {"title": clean_text(title, "title", DOCUMENT_TITLE_MAX),
              "number": clean_text(number, "number", DOCUMENT_NUMBER_MAX, required=False),
              "issued_at": _moment_or_now(at, "at")}
    with transaction.atomic():
        _lock_open(meeting)
        document = MeetingDocument.objects.create(
            meeting=meeting, copies=copies, carrier=carrier, issued_to=issued_to, **fields)
        record_event(actor, "MEETING_DOCUMENT_ISSUED", meeting, after={
            "document_id": document.pk, "title": document.title, "number": document.number,
            "copies": copies, "carrier_id": document.carrier_id,
            "issued_to_id": document.issued_to_id})
    return document


def return_meeting_document(actor: Any, document: MeetingDocument,
                            at: dt.datetime | None = None) -> MeetingDocument:
    """rule M2: the document is collected back; of two concurrent returns exactly one wins."""
    if not isinstance(document, MeetingDocument) or document.pk is None:
        raise NotFound()
    meeting = document.meeting
    _require_organiser_or_office(actor, meeting)
    now = _moment_or_now(at, "at")
    if now < document.issued_at:
        raise invalid("at", _("The document came back before it was issued."))
    with transaction.atomic():
        updated = MeetingDocument.objects.filter(pk=document.pk,
                                                 returned_at__isnull=True).update(returned_at=now)
        if updated != 1:
            raise Conflict(_("This document is already back."), code="already_returned")
        record_event(actor, "MEETING_DOCUMENT_RETURNED", meeting, after={
            "document_id": document.pk, "title": document.title})
    document.returned_at = now
    return document


def documents_out(meeting: ClassifiedMeeting) -> list[MeetingDocument]:
    """The documents of the meeting not collected back yet."""
    return list(MeetingDocument.objects.filter(meeting_id=meeting.pk, returned_at__isnull=True))


def measures_unrecorded(meeting: ClassifiedMeeting) -> list[str]:
    """rule M2: the measures not recorded as taken — the identity check and the phones always,
    the signal jammer from `meetings.jammer_from_level`."""
    missing = [field for field in ("identity_check", "phones_collected")
               if not getattr(meeting, field)]
    if not meeting.signal_jammer and jammer_required(meeting.unit, meeting.level):
        missing.append("signal_jammer")
    return missing


def _guard_close(meeting: ClassifiedMeeting) -> None:
    out = documents_out(meeting)
    if out:  # rule M2: documents collected back at the end
        message = _("Documents not collected back: %(titles)s.") % {
            "titles": "、".join(document.title for document in out)}
        raise RuleViolation(message, code="documents_not_collected", rule="M2",
                            fields={"documents": message})
    missing = measures_unrecorded(meeting)
    if missing:  # rule M2: identity check, phones collected, signal jammer
        labels = [_field_label(ClassifiedMeeting, name) for name in missing]
        message = _("Measures not recorded: %(missing)s.") % {"missing": "、".join(labels)}
        raise RuleViolation(message, code="measures_not_recorded", rule="M2",
                            fields={name: message for name in missing})


MEETING_TRANSITIONS = table("state", [
    (MeetingState.PLANNED, MeetingState.HELD, None),
    (MeetingState.HELD, MeetingState.CLOSED, _guard_close),
])


def close_meeting(actor: Any, meeting: ClassifiedMeeting) -> ClassifiedMeeting:
    """rule M2: close a held meeting once every document is back and the measures are
    recorded; of two concurrent closings exactly one wins."""
    if not isinstance(meeting, ClassifiedMeeting) or meeting.pk is None:
        raise NotFound()
    _require_organiser_or_office(actor, meeting)
    with transaction.atomic():
        # The row lock keeps a document from being issued between the guard and the update.
        fresh = ClassifiedMeeting.objects.select_for_update(of=("self",)).select_related("unit").get(
            pk=meeting.pk)
        MEETING_TRANSITIONS.apply(fresh, MeetingState.CLOSED, closed_at=timezone.now())
        record_event(actor, "MEETING_CLOSED", fresh, after={"state": fresh.state})
    return fresh


def meeting_read_is_audited(meeting: ClassifiedMeeting) -> bool:
    return meeting.level >= READ_AUDITED_FROM


def record_meeting_read(actor: Any, meeting: ClassifiedMeeting) -> None:
    """DESIGN.md 'Access model': opening a 机密 or 绝密 meeting is audited."""
    if meeting_read_is_audited(meeting):
        with transaction.atomic():
            record_event(actor, "MEETING_READ", meeting)

