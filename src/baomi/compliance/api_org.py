"""The committee API (/api/v1/compliance/committee, rule Q1): the 保密委员会 of the caller's unit,
its members and its meetings. Read by the unit's 保密办 and leaders and by the committee's
current members; written by the 保密办. Anything else is a 404 (reading) or a 403 (writing a
committee one reads). Refusals carry their codes: `chair_required`, `one_chair`,
`chair_not_legal_representative`, `committee_exists`, `already_ended`, `absence_reason_required` …
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.accounts.models import User
from baomi.core.errors import NotFound
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services_org as s
from .choices_org import CommitteeKind, MeetingKind, MemberPosition
from .models import Committee, CommitteeMeeting, CommitteeMember
from .selectors_org import (
    committee_of_unit,
    committee_summary,
    meeting_attendance,
    meeting_for,
    member_for,
)

router = Router(tags=["compliance: secrecy committee"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
Key = Annotated[int, Field(ge=1, le=MAX_KEY)]


class CommitteeIn(Schema):
    kind: CommitteeKind = CommitteeKind.COMMITTEE
    name: str = Field(min_length=1, max_length=s.NAME_MAX)
    established_on: date
    document_number: str = Field("", max_length=s.DOCUMENT_NUMBER_MAX,
                                 description="The number (文号) of the founding document.")
    legal_representative: str = Field(min_length=1, max_length=s.NAME_MAX,
                                      description="The unit's legal representative (rule Q1).")
    duties: str = Field("", max_length=s.DUTIES_MAX)


class EstablishIn(CommitteeIn):
    chair_user_id: Key | None = Field(None, description="The chair's login, or:")
    chair_name: str = Field("", max_length=s.NAME_MAX,
                            description="The chair's name without a login.")
    chair_title: str = Field("", max_length=s.TITLE_MAX)


class CommitteeOut(Schema):
    id: int
    unit_id: int
    kind: str
    name: str
    established_on: date
    document_number: str
    legal_representative: str
    duties: str
    active: bool
    created_at: datetime
    updated_at: datetime


class MemberIn(Schema):
    user_id: Key | None = Field(None, description="A login of the unit, or:")
    name: str = Field("", max_length=s.NAME_MAX, description="A name without a login.")
    title: str = Field("", max_length=s.TITLE_MAX)
    position: MemberPosition = MemberPosition.MEMBER
    duties: str = Field("", max_length=s.MEMBER_DUTIES_MAX)
    from_on: date
    replaces_chair: bool = Field(False, description="A new chair ends the current chair's "
                                                    "membership the day before.")


class MemberEndIn(Schema):
    to_on: date


class MemberOut(Schema):
    id: int
    user_id: int | None
    name: str
    title: str
    position: str
    is_legal_representative: bool
    duties: str
    from_on: date
    to_on: date | None


class MemberPage(Schema):
    items: list[MemberOut]
    next_after: int | None


class AttendanceIn(Schema):
    member_id: Key
    present: bool = True
    absence_reason: str = Field("", max_length=s.REASON_MAX)


class MeetingIn(Schema):
    held_on: date
    kind: MeetingKind = MeetingKind.REGULAR
    place: str = Field(min_length=1, max_length=s.PLACE_MAX)
    topics: str = Field(min_length=1, max_length=s.TOPICS_MAX)
    minutes: str = Field(min_length=1, max_length=s.MINUTES_MAX)
    decisions: str = Field("", max_length=s.DECISIONS_MAX)
    attendance: list[AttendanceIn] = Field(default_factory=list, max_length=s.ATTENDANCE_MAX)


class AttendanceOut(Schema):
    member_id: int
    name: str
    present: bool
    absence_reason: str


class MeetingOut(Schema):
    id: int
    held_on: date
    kind: str
    place: str
    topics: str
    minutes: str
    decisions: str
    recorded_at: datetime
    has_attachment: bool = Field(description="A scan of the signed minutes is attached "
                                             "(uploaded on the meeting page).")
    attendance: list[AttendanceOut]


class MeetingPage(Schema):
    items: list[MeetingOut]
    next_after: int | None


class SummaryOut(Schema):
    year: int
    members: int
    meetings_held: int
    meetings_required: int
    meets_requirement: bool
    attendance_rate: float | None
    chair_is_legal_representative: bool


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class MemberQuery(PageQuery):
    current: bool = Field(True, description="Only the current members.")


class MeetingQuery(PageQuery):
    year: int | None = Field(None, ge=1949, le=9999)


class YearQuery(Schema):
    year: int | None = Field(None, ge=1949, le=9999)


def committee_out(committee: Committee) -> dict[str, Any]:
    return {name: getattr(committee, name) for name in CommitteeOut.model_fields}


def member_out(member: CommitteeMember) -> dict[str, Any]:
    return {name: getattr(member, name) for name in MemberOut.model_fields}


def meeting_out(meeting: CommitteeMeeting) -> dict[str, Any]:
    return {**{name: getattr(meeting, name) for name in MeetingOut.model_fields
               if name not in ("attendance", "has_attachment")},
            "has_attachment": bool(meeting.attachment),
            "attendance": [{"member_id": row.member_id, "name": row.member.name,
                            "present": row.present, "absence_reason": row.absence_reason}
                           for row in meeting_attendance(meeting)]}


def own_committee(request: HttpRequest) -> Committee:
    user: Any = request.user
    committee = committee_of_unit(user, user.person.unit)
    if committee is None:
        raise NotFound()
    return committee


def unit_user(request: HttpRequest, user_id: int | None, field: str) -> Any:
    """A login of the caller's unit by id; InvalidInput for any other id."""
    if user_id is None:
        return None
    caller: Any = request.user
    found = User.objects.filter(pk=user_id, person__unit_id=caller.person.unit_id).first()
    if found is None:
        raise s.invalid(field, _("Choose a person of the unit."))
    return found


@router.get("/committee", response={200: CommitteeOut, **ERRORS},
            summary="The secrecy committee of your unit (rule Q1)")
def get_committee(request: HttpRequest) -> dict[str, Any]:
    return committee_out(own_committee(request))


@router.post("/committee", response={201: CommitteeOut, **ERRORS},
             summary="Record your unit's committee with its chair, the legal representative "
                     "(保密办; rule Q1)")
def establish_committee(request: HttpRequest, data: EstablishIn) -> Status:
    user: Any = request.user
    fields = data.dict(exclude={"chair_user_id"})
    committee = s.establish_committee(
        user, unit=user.person.unit,
        chair_user=unit_user(request, data.chair_user_id, "chair_user"), **fields)
    return Status(201, committee_out(committee))


@router.put("/committee", response={200: CommitteeOut, **ERRORS},
            summary="Correct the committee's record (保密办)")
def update_committee(request: HttpRequest, data: CommitteeIn) -> dict[str, Any]:
    committee = s.update_committee(request.user, own_committee(request), **data.dict())
    return committee_out(committee)


@router.get("/committee/summary", response={200: SummaryOut, **ERRORS},
            summary="The year's members, meetings held against required and attendance")
def get_summary(request: HttpRequest, query: Query[YearQuery]) -> dict[str, Any]:
    committee = own_committee(request)
    summary = committee_summary(committee.unit, query.year or timezone.localdate().year)
    return {name: summary[name] for name in SummaryOut.model_fields}


@router.get("/committee/members", response={200: MemberPage, **ERRORS},
            summary="Members of the committee (current ones by default)")
def list_members(request: HttpRequest, query: Query[MemberQuery]) -> dict[str, Any]:
    members = CommitteeMember.objects.filter(committee=own_committee(request))
    if query.current:
        members = members.filter(to_on__isnull=True)
    page = keyset_page(members, None, size=query.limit, after=query.after)
    return {"items": [member_out(m) for m in page.items], "next_after": page.next_after}


@router.post("/committee/members", response={201: MemberOut, **ERRORS},
             summary="Add a member; a chair must be the legal representative (保密办; rule Q1)")
def add_member(request: HttpRequest, data: MemberIn) -> Status:
    committee = own_committee(request)
    fields = data.dict(exclude={"user_id"})
    member = s.add_member(request.user, committee,
                          user=unit_user(request, data.user_id, "user"), **fields)
    return Status(201, member_out(member))


@router.post("/committee/members/{member_id}/end", response={200: MemberOut, **ERRORS},
             summary="End a membership; the chair stays until replaced (保密办; rule Q1)")
def end_member(request: HttpRequest, member_id: Id, data: MemberEndIn) -> dict[str, Any]:
    member = member_for(request.user, member_id)
    if member.committee_id != own_committee(request).pk:
        raise NotFound()
    return member_out(s.end_member(request.user, member, to_on=data.to_on))


@router.get("/committee/meetings", response={200: MeetingPage, **ERRORS},
            summary="Meetings of the committee, newest first, optionally of one year")
def list_meetings(request: HttpRequest, query: Query[MeetingQuery]) -> dict[str, Any]:
    meetings = CommitteeMeeting.objects.filter(committee=own_committee(request))
    if query.year is not None:
        meetings = meetings.filter(held_on__year=query.year)
    page = keyset_page(meetings, None, size=query.limit, after=query.after)
    return {"items": [meeting_out(m) for m in page.items], "next_after": page.next_after}


@router.post("/committee/meetings", response={201: MeetingOut, **ERRORS},
             summary="Record a meeting held with its minutes and attendance (保密办; rule Q1)")
def record_meeting(request: HttpRequest, data: MeetingIn) -> Status:
    fields = data.dict(exclude={"attendance"})
    attendance = [{"member": row.member_id, "present": row.present,
                   "absence_reason": row.absence_reason} for row in data.attendance]
    meeting = s.record_meeting(request.user, own_committee(request), attendance=attendance,
                               **fields)
    return Status(201, meeting_out(meeting))


@router.get("/committee/meetings/{meeting_id}", response={200: MeetingOut, **ERRORS},
            summary="One meeting with its minutes and attendance")
def get_meeting(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    return meeting_out(meeting_for(request.user, meeting_id))
