"""The key-place and classified-meeting API (/api/v1/compliance/key-places,
/api/v1/compliance/classified-meetings; rules M1, M2).

Key places are read by the 保密办 and the leaders of their unit and written by the 保密办;
meetings are read by the 保密办, the organiser and the attendees up to their clearance, and
run by the 保密办 or the organiser. Any other id is a 404. Inputs are bounded by their
schemas; a refusal is a DomainError with its code (`measures_missing`, `not_cleared`,
`plan_required`, `documents_not_collected`, `measures_not_recorded` …).
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.accounts.models import Department, User
from baomi.carriers.selectors import carriers_visible_to
from baomi.core.errors import InvalidInput, NotFound
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services_places as sp
from .models import ClassifiedMeeting, KeyPlace, KeyPlacePerson, MeetingAttendee, MeetingDocument
from .selectors import rooms_visible_to
from .selectors_places import (
    attendee_for,
    document_for,
    grant_for,
    meeting_attendees,
    meeting_documents,
    meeting_for,
    meetings_visible_to,
    place_for,
    place_people,
    places_visible_to,
)

router = Router(tags=["compliance: key places and classified meetings"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
OptionalId = Annotated[int | None, Field(None, ge=1, le=MAX_KEY)]


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


# --- key places -------------------------------------------------------------------------------

class KeyPlaceIn(Schema):
    """A key place with its approval and measures (rule M1); all fields, on update too."""

    name: str = Field(min_length=1, max_length=sp.PLACE_NAME_MAX)
    kind: str = Field(max_length=12, description="`department` (要害部门) or `part` (要害部位).")
    department_id: OptionalId = None
    location: str = Field(min_length=1, max_length=sp.PLACE_LOCATION_MAX)
    level: int = Field(ge=1, le=3, description="Highest level handled: 1 秘密, 2 机密, 3 绝密.")
    approved_on: date
    approval_no: str = Field(max_length=sp.APPROVAL_NO_MAX)
    people_measures: str = Field("", max_length=sp.MEASURE_MAX, description="人防.")
    physical_measures: str = Field("", max_length=sp.MEASURE_MAX, description="物防.")
    technical_measures: str = Field("", max_length=sp.MEASURE_MAX, description="技防.")
    phone_storage: str = Field(max_length=sp.PHONE_STORAGE_MAX)
    room_id: OptionalId = None
    active: bool = True


class KeyPlaceOut(Schema):
    id: int
    unit_id: int
    name: str
    kind: str
    department_id: int | None
    location: str
    level: int
    approved_on: date
    approval_no: str
    people_measures: str
    physical_measures: str
    technical_measures: str
    phone_storage: str
    phones_forbidden: bool
    room_id: int | None
    active: bool
    created_at: datetime
    updated_at: datetime


class KeyPlacePage(Schema):
    items: list[KeyPlaceOut]
    next_after: int | None


class GrantIn(Schema):
    user_id: int = Field(ge=1, le=MAX_KEY)
    granted_on: date | None = None


class RevokeIn(Schema):
    revoked_on: date | None = None


class GrantOut(Schema):
    id: int
    user_id: int
    name: str
    granted_on: date
    revoked_on: date | None


def place_out(place: KeyPlace) -> dict[str, Any]:
    return {name: getattr(place, name) for name in KeyPlaceOut.model_fields}


def grant_out(grant: KeyPlacePerson) -> dict[str, Any]:
    return {"id": grant.pk, "user_id": grant.user_id, "name": grant.user.person.name,
            "granted_on": grant.granted_on, "revoked_on": grant.revoked_on}


def _not_found_text() -> str:
    return str(NotFound().message)


def _missing(field: str) -> InvalidInput:
    return InvalidInput(_not_found_text(), fields={field: _not_found_text()})


def _unit_user(unit_id: int, pk: int, field: str) -> User:
    """A person with a login of the unit; InvalidInput naming `field` otherwise."""
    user = User.objects.select_related("person", "person__unit").filter(
        pk=pk, person__unit_id=unit_id).first()
    if user is None:
        raise _missing(field)
    return user


def _place_values(request: HttpRequest, unit_id: int, data: KeyPlaceIn) -> dict[str, Any]:
    values = data.dict()
    department_id, room_id = values.pop("department_id"), values.pop("room_id")
    values["department"] = None
    if department_id is not None:
        values["department"] = Department.objects.filter(pk=department_id,
                                                         unit_id=unit_id).first()
        if values["department"] is None:
            raise _missing("department_id")
    values["room"] = None
    if room_id is not None:
        values["room"] = rooms_visible_to(request.user).filter(pk=room_id,
                                                               unit_id=unit_id).first()
        if values["room"] is None:
            raise _missing("room_id")
    return values


@router.get("/key-places", response={200: KeyPlacePage, **ERRORS},
            summary="Key departments and parts of your units (保密办, leaders; rule M1)")
def list_key_places(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    page = keyset_page(places_visible_to(request.user), None, size=query.limit,
                       after=query.after)
    return {"items": [place_out(place) for place in page.items], "next_after": page.next_after}


@router.post("/key-places", response={201: KeyPlaceOut, **ERRORS},
             summary="Register an approved key department or part with its measures (rule M1)")
def register_key_place(request: HttpRequest, data: KeyPlaceIn) -> Status:
    user: Any = request.user
    unit = user.person.unit
    place = sp.register_key_place(user, unit=unit, **_place_values(request, unit.pk, data))
    return Status(201, place_out(place))


@router.get("/key-places/{place_id}", response={200: KeyPlaceOut, **ERRORS},
            summary="One key department or part")
def get_key_place(request: HttpRequest, place_id: Id) -> dict[str, Any]:
    return place_out(place_for(request.user, place_id))


@router.post("/key-places/{place_id}", response={200: KeyPlaceOut, **ERRORS},
             summary="Record a key place as it is now (保密办; rule M1)")
def update_key_place(request: HttpRequest, place_id: Id, data: KeyPlaceIn) -> dict[str, Any]:
    place = place_for(request.user, place_id)
    updated = sp.update_key_place(request.user, place,
                                  **_place_values(request, place.unit_id, data))
    return place_out(updated)


@router.get("/key-places/{place_id}/people", response={200: list[GrantOut], **ERRORS},
            summary="The people allowed into a key place, those still allowed first")
def list_place_people(request: HttpRequest, place_id: Id) -> list[dict[str, Any]]:
    place = place_for(request.user, place_id)
    return [grant_out(grant) for grant in place_people(place)[:1000]]


@router.post("/key-places/{place_id}/people", response={201: GrantOut, **ERRORS},
             summary="Allow a person cleared for the place's level in (保密办; rule M1)")
def grant_place_access(request: HttpRequest, place_id: Id, data: GrantIn) -> Status:
    place = place_for(request.user, place_id)
    user = _unit_user(place.unit_id, data.user_id, "user_id")
    grant = sp.grant_place_access(request.user, place, user=user, granted_on=data.granted_on)
    return Status(201, grant_out(grant))


@router.post("/key-places/{place_id}/people/{grant_id}/revoke",
             response={200: GrantOut, **ERRORS},
             summary="The person is no longer allowed into the place (保密办)")
def revoke_place_access(request: HttpRequest, place_id: Id, grant_id: Id,
                        data: RevokeIn) -> dict[str, Any]:
    place = place_for(request.user, place_id)
    grant = grant_for(request.user, place, grant_id)
    return grant_out(sp.revoke_place_access(request.user, grant, data.revoked_on))


# --- classified meetings ----------------------------------------------------------------------

class MeetingIn(Schema):
    """A classified meeting to plan (rule M2)."""

    title: str = Field(min_length=1, max_length=sp.MEETING_TITLE_MAX)
    level: int = Field(ge=0, le=3, description="1 秘密, 2 机密, 3 绝密 (0 非密 is refused).")
    starts_at: datetime
    ends_at: datetime
    organiser_id: OptionalId = Field(None, description="Yourself when left out.")
    key_place_id: OptionalId = None
    room_id: OptionalId = None
    place_text: str = Field("", max_length=sp.MEETING_PLACE_MAX)
    plan: str = Field("", max_length=sp.PLAN_MAX, description="保密方案.")


class AttendeeOut(Schema):
    id: int
    user_id: int | None
    name: str
    organisation: str
    id_note: str
    signed_in_at: datetime | None
    phone_handed_in: bool


class DocumentOut(Schema):
    id: int
    title: str
    number: str
    copies: int
    carrier_id: int | None
    issued_to_id: int | None
    issued_at: datetime
    returned_at: datetime | None


class MeetingOut(Schema):
    id: int
    unit_id: int
    title: str
    level: int
    starts_at: datetime
    ends_at: datetime
    organiser_id: int
    key_place_id: int | None
    room_id: int | None
    place_text: str
    plan: str
    identity_check: bool
    phones_collected: bool
    signal_jammer: bool
    state: str
    closed_at: datetime | None


class MeetingDetailOut(MeetingOut):
    attendees: list[AttendeeOut]
    documents: list[DocumentOut]


class MeetingPage(Schema):
    items: list[MeetingOut]
    next_after: int | None


class AttendeeIn(Schema):
    """A person of the unit (`user_id`), or a guest (`name`, `organisation`)."""

    user_id: OptionalId = None
    name: str = Field("", max_length=sp.ATTENDEE_NAME_MAX)
    organisation: str = Field("", max_length=sp.ORGANISATION_MAX)
    id_note: str = Field("", max_length=sp.ID_NOTE_MAX)


class SignInIn(Schema):
    phone_handed_in: bool


class MeasuresIn(Schema):
    identity_check: bool
    phones_collected: bool
    signal_jammer: bool


class DocumentIn(Schema):
    title: str = Field(min_length=1, max_length=sp.DOCUMENT_TITLE_MAX)
    number: str = Field("", max_length=sp.DOCUMENT_NUMBER_MAX)
    copies: int = Field(1, ge=1, le=sp.COPIES_MAX)
    carrier_id: OptionalId = None
    issued_to_id: OptionalId = None


def meeting_out(meeting: ClassifiedMeeting) -> dict[str, Any]:
    return {name: getattr(meeting, name) for name in MeetingOut.model_fields}


def attendee_out(attendee: MeetingAttendee) -> dict[str, Any]:
    return {name: getattr(attendee, name) for name in AttendeeOut.model_fields}


def document_out(document: MeetingDocument) -> dict[str, Any]:
    return {name: getattr(document, name) for name in DocumentOut.model_fields}


def meeting_detail(meeting: ClassifiedMeeting) -> dict[str, Any]:
    return {**meeting_out(meeting),
            "attendees": [attendee_out(a) for a in meeting_attendees(meeting)],
            "documents": [document_out(d) for d in meeting_documents(meeting)]}


@router.get("/classified-meetings", response={200: MeetingPage, **ERRORS},
            summary="Classified meetings you run or attend, up to your clearance (rule M2)")
def list_meetings(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    page = keyset_page(meetings_visible_to(request.user), None, size=query.limit,
                       after=query.after)
    return {"items": [meeting_out(m) for m in page.items], "next_after": page.next_after}


@router.post("/classified-meetings", response={201: MeetingDetailOut, **ERRORS},
             summary="Plan a classified meeting (保密办 or its organiser; rule M2)")
def plan_meeting(request: HttpRequest, data: MeetingIn) -> Status:
    user: Any = request.user
    unit = user.person.unit
    organiser = None if data.organiser_id is None else _unit_user(unit.pk, data.organiser_id,
                                                                  "organiser_id")
    key_place = room = None
    if data.key_place_id is not None:
        key_place = KeyPlace.objects.filter(pk=data.key_place_id, unit=unit).first()
        if key_place is None:
            raise _missing("key_place_id")
    if data.room_id is not None:
        room = rooms_visible_to(user).filter(pk=data.room_id, unit=unit).first()
        if room is None:
            raise _missing("room_id")
    meeting = sp.plan_meeting(user, unit=unit, title=data.title, level=data.level,
                              starts_at=data.starts_at, ends_at=data.ends_at,
                              organiser=organiser, key_place=key_place, room=room,
                              place_text=data.place_text, plan=data.plan)
    return Status(201, meeting_detail(meeting))


@router.get("/classified-meetings/{meeting_id}", response={200: MeetingDetailOut, **ERRORS},
            summary="One classified meeting with its attendees and documents "
                    "(reading a 机密 or 绝密 one is audited)")
def get_meeting(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    meeting = meeting_for(request.user, meeting_id)
    sp.record_meeting_read(request.user, meeting)
    return meeting_detail(meeting)


@router.post("/classified-meetings/{meeting_id}/attendees", response={201: AttendeeOut, **ERRORS},
             summary="Name an attendee cleared for the meeting, or a guest (rule M2)")
def add_attendee(request: HttpRequest, meeting_id: Id, data: AttendeeIn) -> Status:
    meeting = meeting_for(request.user, meeting_id)
    user = None
    if data.user_id is not None:
        user = User.objects.select_related("person", "person__unit").filter(
            pk=data.user_id).first()
        if user is None:
            raise _missing("user_id")
    attendee = sp.add_attendee(request.user, meeting, user=user, name=data.name,
                               organisation=data.organisation, id_note=data.id_note)
    return Status(201, attendee_out(attendee))


@router.post("/classified-meetings/{meeting_id}/attendees/{attendee_id}/sign-in",
             response={200: AttendeeOut, **ERRORS},
             summary="A named attendee signs in at the door (rule M2)")
def sign_in(request: HttpRequest, meeting_id: Id, attendee_id: Id,
            data: SignInIn) -> dict[str, Any]:
    meeting = meeting_for(request.user, meeting_id)
    attendee = attendee_for(meeting, attendee_id)
    return attendee_out(sp.sign_in_attendee(request.user, attendee,
                                            phone_handed_in=data.phone_handed_in))


@router.post("/classified-meetings/{meeting_id}/measures", response={200: MeetingOut, **ERRORS},
             summary="Record the measures taken at the meeting (rule M2)")
def record_measures(request: HttpRequest, meeting_id: Id, data: MeasuresIn) -> dict[str, Any]:
    meeting = meeting_for(request.user, meeting_id)
    return meeting_out(sp.record_meeting_measures(request.user, meeting, **data.dict()))


@router.post("/classified-meetings/{meeting_id}/documents", response={201: DocumentOut, **ERRORS},
             summary="Issue a document at the meeting (rule M2)")
def issue_document(request: HttpRequest, meeting_id: Id, data: DocumentIn) -> Status:
    meeting = meeting_for(request.user, meeting_id)
    carrier = issued_to = None
    if data.carrier_id is not None:
        carrier = carriers_visible_to(request.user).filter(pk=data.carrier_id).first()
        if carrier is None:
            raise _missing("carrier_id")
    if data.issued_to_id is not None:
        try:
            issued_to = attendee_for(meeting, data.issued_to_id)
        except NotFound:
            raise _missing("issued_to_id") from None
    document = sp.issue_meeting_document(request.user, meeting, title=data.title,
                                         number=data.number, copies=data.copies,
                                         carrier=carrier, issued_to=issued_to)
    return Status(201, document_out(document))


@router.post("/classified-meetings/{meeting_id}/documents/{document_id}/return",
             response={200: DocumentOut, **ERRORS},
             summary="A document is collected back (rule M2)")
def return_document(request: HttpRequest, meeting_id: Id, document_id: Id) -> dict[str, Any]:
    meeting = meeting_for(request.user, meeting_id)
    document = document_for(meeting, document_id)
    return document_out(sp.return_meeting_document(request.user, document))


@router.post("/classified-meetings/{meeting_id}/close", response={200: MeetingOut, **ERRORS},
             summary="Close a held meeting: every document back, measures recorded (rule M2)")
def close_meeting(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    meeting = meeting_for(request.user, meeting_id)
    return meeting_out(sp.close_meeting(request.user, meeting))
