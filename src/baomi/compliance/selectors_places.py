"""Who sees which key place and which classified meeting (DESIGN.md 'Access model', rules M1,
M2, L5), and the year's figures for the annual report and the dashboard.

Key places are seen by the 保密办 and the leaders of their unit (a role held at a 集团 covers
its units). A classified meeting is seen by the 保密办 of its unit, its organiser and its
named attendees — each only when cleared for its level: a 秘密 reader never learns that a
机密 meeting took place.
"""

from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.core.access import clearance, perimeter_query, sees_business_data
from baomi.core.errors import NotFound
from baomi.core.labels import Level
from baomi.core.paging import parse_key

from .choices_places import MeetingState, PlaceKind
from .models import ClassifiedMeeting, KeyPlace, KeyPlacePerson, MeetingAttendee, MeetingDocument

PLACE_READERS = frozenset({Role.SECRECY_OFFICE, Role.LEADER})


def places_visible_to(user: Any) -> QuerySet[KeyPlace]:
    """rule M1: the key places of the units where the user is the 保密办 or a leader."""
    if not sees_business_data(user):
        return KeyPlace.objects.none()
    return KeyPlace.objects.filter(
        unit_id__in=perimeter_query(user, PLACE_READERS)).select_related(
        "unit", "department", "room")


def place_for(user: Any, pk: Any) -> KeyPlace:
    """One visible key place by id; NotFound for anything else."""
    key = parse_key(pk)
    found = places_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def place_people(place: KeyPlace, *, current_only: bool = False) -> QuerySet[KeyPlacePerson]:
    """The people allowed into the place, those still allowed first."""
    grants = KeyPlacePerson.objects.filter(place=place).select_related(
        "user", "user__person", "user__person__department")
    if current_only:
        grants = grants.filter(revoked_on__isnull=True)
    return grants.order_by(F("revoked_on").desc(nulls_first=True), "id")


def grant_for(user: Any, place: KeyPlace, pk: Any) -> KeyPlacePerson:
    key = parse_key(pk)
    found = KeyPlacePerson.objects.filter(place=place, pk=key).select_related(
        "place", "place__unit", "user").first() if key else None
    if found is None:
        raise NotFound()
    return found


def meetings_visible_to(user: Any) -> QuerySet[ClassifiedMeeting]:
    """rule M2 with L5: the meetings of the units where the user is the 保密办, those the user
    organises and those they are named for — up to the user's clearance."""
    if not sees_business_data(user):
        return ClassifiedMeeting.objects.none()
    attending = MeetingAttendee.objects.filter(meeting_id=OuterRef("pk"), user_id=user.pk)
    involved = (Q(unit_id__in=perimeter_query(user, {Role.SECRECY_OFFICE}))
                | Q(organiser_id=user.pk) | Q(Exists(attending)))
    return ClassifiedMeeting.objects.filter(
        involved & Q(level__lte=int(clearance(user)))).select_related(
        "unit", "organiser", "organiser__person", "key_place", "room")


def meeting_for(user: Any, pk: Any) -> ClassifiedMeeting:
    """One visible meeting by id; NotFound for anything else."""
    key = parse_key(pk)
    found = meetings_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def meeting_attendees(meeting: ClassifiedMeeting) -> QuerySet[MeetingAttendee]:
    return MeetingAttendee.objects.filter(meeting=meeting).select_related("user",
                                                                         "user__person")


def attendee_for(meeting: ClassifiedMeeting, pk: Any) -> MeetingAttendee:
    key = parse_key(pk)
    found = meeting_attendees(meeting).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    found.meeting = meeting
    return found


def meeting_documents(meeting: ClassifiedMeeting) -> QuerySet[MeetingDocument]:
    return MeetingDocument.objects.filter(meeting=meeting).select_related("carrier",
                                                                         "issued_to")


def document_for(meeting: ClassifiedMeeting, pk: Any) -> MeetingDocument:
    key = parse_key(pk)
    found = meeting_documents(meeting).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    found.meeting = meeting
    return found


def places_summary(unit: Any, year: int) -> dict[str, Any]:
    """The figures of one unit for `year` (rules M1, M2), for the annual report and the
    dashboard; no visibility applied — the caller shows them to the 保密办 and leaders:

    - `key_places`: key places in use, `{"total", "departments", "parts"}`;
    - `meetings_held`: meetings held or closed in the year, per level `{1: n, 2: n, 3: n}`;
    - `meetings_planned`: meetings of the year not held yet;
    - `documents_issued` / `documents_not_returned`: documents of the year's meetings, and
      those still out.
    """
    places = KeyPlace.objects.filter(unit=unit, active=True).aggregate(
        total=Count("id"), departments=Count("id", filter=Q(kind=PlaceKind.DEPARTMENT)),
        parts=Count("id", filter=Q(kind=PlaceKind.PART)))
    meetings = ClassifiedMeeting.objects.filter(unit=unit, starts_at__year=year)
    held = {int(level): 0 for level in Level.values if level != Level.NONSECRET}
    rows = meetings.exclude(state=MeetingState.PLANNED).values("level").annotate(n=Count("id"))
    for row in rows:
        held[int(row["level"])] = row["n"]
    documents = MeetingDocument.objects.filter(meeting__in=meetings).aggregate(
        issued=Count("id"), out=Count("id", filter=Q(returned_at__isnull=True)))
    return {"year": year, "key_places": places, "meetings_held": held,
            "meetings_planned": meetings.filter(state=MeetingState.PLANNED).count(),
            "documents_issued": documents["issued"],
            "documents_not_returned": documents["out"]}


def meeting_is_over(meeting: ClassifiedMeeting) -> bool:
    return meeting.ends_at <= timezone.now()
