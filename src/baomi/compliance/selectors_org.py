"""Who sees the 保密委员会 and its meetings, and the year's figures (rule Q1).

The committee of a unit is read by its 保密办 and its leaders (a role held at a 集团 covers its
units) and by its current members; only the 保密办 writes (`services_org`). The committee's
record carries no secrecy level: its minutes are kept as 内部 work records (rule L5 does not
narrow it further).
"""

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.core.access import perimeter_query, sees_business_data, unit_perimeter
from baomi.core.errors import NotFound
from baomi.core.paging import parse_key
from baomi.core.policy import policy_of

from .choices_org import POSITION_ORDER, MemberPosition
from .models import Committee, CommitteeMeeting, CommitteeMember, MeetingAttendance

READERS = frozenset({Role.SECRECY_OFFICE, Role.LEADER})
MEETINGS_KEY = "compliance.committee_meetings_per_year"


def committees_visible_to(user: Any) -> QuerySet[Committee]:
    """Committees of the units where the user is the 保密办 or a leader, and those the user is
    a current member of."""
    if not sees_business_data(user):
        return Committee.objects.none()
    member_of = CommitteeMember.objects.filter(committee=OuterRef("pk"), user_id=user.pk,
                                               to_on__isnull=True)
    return Committee.objects.filter(
        Q(unit_id__in=perimeter_query(user, READERS)) | Exists(member_of)).select_related("unit")


def committee_of_unit(user: Any, unit: Unit) -> Committee | None:
    """The active committee of `unit` when the user sees it; None when there is none or the
    user does not see it."""
    return committees_visible_to(user).filter(unit=unit, active=True).first()


def can_manage(user: Any, committee_or_unit: Committee | Unit) -> bool:
    """Whether the user writes the committee of this unit (its 保密办)."""
    unit_id = committee_or_unit.unit_id if isinstance(committee_or_unit, Committee) \
        else committee_or_unit.pk
    return sees_business_data(user) and unit_id in unit_perimeter(user, {Role.SECRECY_OFFICE})


def current_members(committee: Committee) -> list[CommitteeMember]:
    """Current members, chair first, then deputies, the 保密办 head and the members."""
    members = CommitteeMember.objects.filter(committee=committee, to_on__isnull=True)\
        .select_related("user", "user__person")
    return sorted(members, key=lambda m: (POSITION_ORDER.get(m.position, 9), m.pk))


def former_members(committee: Committee) -> QuerySet[CommitteeMember]:
    return CommitteeMember.objects.filter(committee=committee, to_on__isnull=False)\
        .order_by("-to_on", "-id")


def member_for(user: Any, pk: Any) -> CommitteeMember:
    """A member of a committee the user sees; NotFound for anything else."""
    key = parse_key(pk)
    found = CommitteeMember.objects.filter(
        pk=key, committee__in=committees_visible_to(user)).select_related(
        "committee", "committee__unit").first() if key else None
    if found is None:
        raise NotFound()
    return found


def meetings_visible_to(user: Any) -> QuerySet[CommitteeMeeting]:
    return CommitteeMeeting.objects.filter(
        committee__in=committees_visible_to(user)).select_related("committee",
                                                                 "committee__unit")


def meeting_for(user: Any, pk: Any) -> CommitteeMeeting:
    key = parse_key(pk)
    found = meetings_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def meeting_attendance(meeting: CommitteeMeeting) -> list[MeetingAttendance]:
    rows = MeetingAttendance.objects.filter(meeting=meeting).select_related("member")
    return sorted(rows, key=lambda a: (POSITION_ORDER.get(a.member.position, 9), a.member_id))


def is_quorate(meeting: CommitteeMeeting) -> bool | None:
    """More than half of the members listed were present (a baomi default, shown as a warning,
    never refused); None when no attendance was recorded."""
    counts = MeetingAttendance.objects.filter(meeting=meeting).aggregate(
        total=Count("id"), present=Count("id", filter=Q(present=True)))
    if not counts["total"]:
        return None
    return bool(counts["present"] * 2 > counts["total"])


def meetings_required(unit: Unit) -> int:
    """rule Q1: meetings a year the unit's policy asks for (seed 000: at least 2)."""
    return int(policy_of(unit)[MEETINGS_KEY])


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def meetings_in_year(committee: Committee, year: int) -> QuerySet[CommitteeMeeting]:
    """The meetings held in `year`: one on 31 December counts for that year, one on 1 January
    for the next (rule Q1)."""
    first, last = year_bounds(year)
    return CommitteeMeeting.objects.filter(committee=committee, held_on__gte=first,
                                           held_on__lte=last)


def chair_is_legal_representative(committee: Committee) -> bool:
    """rule Q1: the current chair is the committee's legal representative (false after the
    legal representative changed and before the new one is appointed chair)."""
    return CommitteeMember.objects.filter(
        committee=committee, to_on__isnull=True, position=MemberPosition.CHAIR,
        name=committee.legal_representative).exists()


def committee_summary(unit: Unit, year: int) -> dict[str, Any]:
    """The year's figures of the unit's committee for the annual report and the dashboard
    (rule Q1), without access checks: the caller has checked the reader.

    `committee` (None when the unit has none), `members` (members at the end of the year, or
    today for the current year), `meetings_held`, `meetings_required`, `meets_requirement`,
    `attendance_rate` (present / listed over the year's meetings, 0..1, None without any
    attendance recorded), `chair_is_legal_representative`."""
    required = meetings_required(unit)
    committee = Committee.objects.filter(unit=unit, active=True).first()
    summary: dict[str, Any] = {"year": year, "committee": committee, "members": 0,
                               "meetings_held": 0, "meetings_required": required,
                               "meets_requirement": False, "attendance_rate": None,
                               "chair_is_legal_representative": False}
    if committee is None:
        return summary
    first, last = year_bounds(year)
    today = timezone.localdate()
    on = today if year == today.year else last
    held = meetings_in_year(committee, year).count()
    counts = MeetingAttendance.objects.filter(
        meeting__committee=committee, meeting__held_on__gte=first,
        meeting__held_on__lte=last).aggregate(
        total=Count("id"), present=Count("id", filter=Q(present=True)))
    summary.update({
        "members": CommitteeMember.objects.filter(committee=committee, from_on__lte=on)
        .exclude(to_on__lt=on).count(),
        "meetings_held": held, "meets_requirement": held >= required,
        "attendance_rate": counts["present"] / counts["total"] if counts["total"] else None,
        "chair_is_legal_representative": chair_is_legal_representative(committee)})
    return summary
