"""Writes of the 保密委员会 / 保密工作领导小组 and its meetings (rule Q1), by the 保密办 of the unit.

rule Q1 (seed 000 组织条件): the committee is led by the legal representative (法定代表人) and
meets at least `compliance.committee_meetings_per_year` times a year. The accounts Unit does not
record its legal representative, so the committee does; the checkable reading of "led by the
legal representative" is: the current chair's name equals the committee's legal
representative's name (`chair_not_legal_representative` otherwise), and there is exactly one
current chair (`chair_required` when establishing a committee or ending the chair, `one_chair`
when appointing a second one).
"""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Unit, User
from baomi.audit.services import record_event
from baomi.core.errors import Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.validation import clean_text

from .choices_org import CommitteeKind, MeetingKind, MemberPosition
from .models import Committee, CommitteeMeeting, CommitteeMember, MeetingAttendance
from .services import invalid, require_office

NAME_MAX = 100
DOCUMENT_NUMBER_MAX = 100
DUTIES_MAX = 4000
MEMBER_DUTIES_MAX = 500
TITLE_MAX = 100
PLACE_MAX = 200
TOPICS_MAX = 2000
MINUTES_MAX = 10000
DECISIONS_MAX = 4000
REASON_MAX = 200
# A meeting lists each current member once; a committee is never this large.
ATTENDANCE_MAX = 200
EARLIEST = dt.date(1949, 10, 1)
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENT_EXTENSIONS = frozenset({"pdf", "ofd", "doc", "docx", "jpg", "jpeg", "png"})


def _day(value: Any, field: str, *, not_after: dt.date | None = None) -> dt.date:
    """A calendar day between 1949-10-01 and `not_after` (default: no bound)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime) \
            or not EARLIEST <= value <= (not_after or dt.date.max):
        raise invalid(field, _("Enter a valid date, not in the future."), "invalid_date")
    return value


def _choice(value: Any, choices: Any, field: str) -> str:
    if not isinstance(value, str) or value not in choices.values:
        raise invalid(field)
    return value


def _committee_values(committee: Committee) -> dict[str, Any]:
    return {"kind": committee.kind, "name": committee.name,
            "established_on": committee.established_on.isoformat(),
            "document_number": committee.document_number,
            "legal_representative": committee.legal_representative,
            "duties": committee.duties, "active": committee.active}


def _member_values(member: CommitteeMember) -> dict[str, Any]:
    return {"name": member.name, "user_id": member.user_id, "position": member.position,
            "title": member.title, "is_legal_representative": member.is_legal_representative,
            "duties": member.duties, "from_on": member.from_on.isoformat(),
            "to_on": member.to_on.isoformat() if member.to_on else None}


def _committee_fields(*, kind: Any, name: Any, established_on: Any, document_number: Any,
                      legal_representative: Any, duties: Any) -> dict[str, Any]:
    return {
        "kind": _choice(kind, CommitteeKind, "kind"),
        "name": clean_text(name, "name", NAME_MAX),
        "established_on": _day(established_on, "established_on",
                               not_after=timezone.localdate()),
        "document_number": clean_text(document_number, "document_number",
                                      DOCUMENT_NUMBER_MAX, required=False),
        "legal_representative": clean_text(legal_representative, "legal_representative",
                                           NAME_MAX),
        "duties": clean_text(duties, "duties", DUTIES_MAX, required=False),
    }


def _member_identity(unit: Unit, user: Any, name: Any) -> tuple[User | None, str]:
    """A member is a user of the unit (named as the person is) or, without a login, a name."""
    if user is not None:
        if not isinstance(user, User) or user.person.unit_id != unit.pk:
            raise invalid("user", _("Choose a person of the unit."))
        return user, user.person.name
    return None, clean_text(name, "name", NAME_MAX)


def _not_legal_representative(legal_representative: str) -> RuleViolation:
    # rule Q1: the committee is led by the legal representative.
    message = _("The chair must be the legal representative (%(name)s).") % {
        "name": legal_representative}
    return RuleViolation(message, code="chair_not_legal_representative",
                         fields={"position": message}, rule="Q1")


def _one_chair() -> Conflict:
    message = _("The committee already has a chair; appoint the new chair in the chair's "
                "place.")
    return Conflict(message, code="one_chair", fields={"position": message})


def _check_chair(legal_representative: str, name: str) -> None:
    """rule Q1, read checkably: the chair's name is the legal representative's name."""
    if name != legal_representative:
        raise _not_legal_representative(legal_representative)


def establish_committee(actor: Any, *, unit: Unit, kind: str, name: str,
                        established_on: dt.date, legal_representative: str,
                        document_number: str = "", duties: str = "",
                        chair_user: User | None = None, chair_name: str = "",
                        chair_title: str = "", chair_duties: str = "") -> Committee:
    """The 保密办 records the unit's committee with its chair, who must be the legal
    representative (rule Q1). A unit has one active committee (`committee_exists`)."""
    if not isinstance(unit, Unit) or unit.pk is None:
        raise invalid("unit")
    require_office(actor, unit)
    fields = _committee_fields(kind=kind, name=name, established_on=established_on,
                               document_number=document_number,
                               legal_representative=legal_representative, duties=duties)
    if chair_user is None and not (isinstance(chair_name, str) and chair_name.strip()):
        message = _("Name the chair: the legal representative leads the committee.")
        raise RuleViolation(message, code="chair_required", fields={"chair_name": message},
                            rule="Q1")
    user, chair = _member_identity(unit, chair_user, chair_name)
    _check_chair(fields["legal_representative"], chair)
    chair_fields = {"title": clean_text(chair_title, "chair_title", TITLE_MAX, required=False),
                    "duties": clean_text(chair_duties, "chair_duties", MEMBER_DUTIES_MAX,
                                         required=False)}
    try:
        with transaction.atomic():
            if Committee.objects.filter(unit=unit, active=True).exists():
                raise _committee_exists()
            committee = Committee.objects.create(unit=unit, **fields)
            member = CommitteeMember.objects.create(
                committee=committee, user=user, name=chair, position=MemberPosition.CHAIR,
                is_legal_representative=True, from_on=committee.established_on,
                **chair_fields)
            record_event(actor, "COMMITTEE_ESTABLISHED", committee,
                         after={**_committee_values(committee), "chair": chair})
            record_event(actor, "COMMITTEE_MEMBER_ADDED", member, after=_member_values(member))
    except IntegrityError:  # committee_one_active_per_unit: a concurrent one won
        raise _committee_exists() from None
    return committee


def _committee_exists() -> Conflict:
    return Conflict(_("The unit already has a secrecy committee."), code="committee_exists")


def update_committee(actor: Any, committee: Committee, *, kind: str, name: str,
                     established_on: dt.date, legal_representative: str,
                     document_number: str = "", duties: str = "") -> Committee:
    """The 保密办 corrects the committee's record. A new legal representative does not change
    the chair: the committee page then shows that the chair is not the legal representative
    until the new one is appointed chair (rule Q1)."""
    if not isinstance(committee, Committee) or committee.pk is None:
        raise NotFound()
    require_office(actor, committee.unit)
    fields = _committee_fields(kind=kind, name=name, established_on=established_on,
                               document_number=document_number,
                               legal_representative=legal_representative, duties=duties)
    with transaction.atomic():
        fresh = Committee.objects.select_for_update().get(pk=committee.pk)
        _check_established_on(fresh, fields["established_on"])
        before = _committee_values(fresh)
        for field, value in fields.items():
            setattr(fresh, field, value)
        fresh.save()
        record_event(actor, "COMMITTEE_UPDATED", fresh, before=before,
                     after=_committee_values(fresh))
    return fresh


def _check_established_on(committee: Committee, established_on: dt.date) -> None:
    """A committee is not established after its first meeting or its first member."""
    earliest = [day for day in (
        CommitteeMeeting.objects.filter(committee=committee).order_by("held_on")
        .values_list("held_on", flat=True).first(),
        CommitteeMember.objects.filter(committee=committee).order_by("from_on")
        .values_list("from_on", flat=True).first()) if day is not None]
    if earliest and established_on > min(earliest):
        raise invalid("established_on", _(
            "The committee has members or meetings from %(day)s on.") % {"day": min(earliest)},
            "after_first_record")


def add_member(actor: Any, committee: Committee, *, position: str, from_on: dt.date,
               user: User | None = None, name: str = "", title: str = "", duties: str = "",
               replaces_chair: bool = False) -> CommitteeMember:
    """The 保密办 adds a member. A chair must be the legal representative (rule Q1); with
    `replaces_chair` the current chair's membership ends the day before `from_on`, otherwise
    a second chair is refused (`one_chair`)."""
    if not isinstance(committee, Committee) or committee.pk is None:
        raise NotFound()
    require_office(actor, committee.unit)
    position = _choice(position, MemberPosition, "position")
    from_on = _day(from_on, "from_on")
    if not isinstance(replaces_chair, bool):
        raise invalid("replaces_chair")
    member_user, member_name = _member_identity(committee.unit, user, name)
    fields = {"title": clean_text(title, "title", TITLE_MAX, required=False),
              "duties": clean_text(duties, "duties", MEMBER_DUTIES_MAX, required=False)}
    is_chair = position == MemberPosition.CHAIR
    if is_chair:
        _check_chair(committee.legal_representative, member_name)
    if from_on < committee.established_on:
        raise invalid("from_on", _("The committee was established on %(day)s.") % {
            "day": committee.established_on}, "before_established")
    try:
        with transaction.atomic():
            Committee.objects.select_for_update().get(pk=committee.pk)
            if member_user is not None and _current(committee).filter(
                    user=member_user).exists():
                message = _("This person is already a member.")
                raise Conflict(message, code="already_member", fields={"user": message})
            if is_chair:
                _end_current_chair(actor, committee, from_on, replaces_chair)
            member = CommitteeMember.objects.create(
                committee=committee, user=member_user, name=member_name, position=position,
                is_legal_representative=is_chair, from_on=from_on, **fields)
            record_event(actor, "COMMITTEE_MEMBER_ADDED", member, after=_member_values(member))
    except IntegrityError:  # committee_one_current_chair: a concurrent appointment won
        raise _one_chair() from None
    return member


def _current(committee: Committee) -> Any:
    return CommitteeMember.objects.filter(committee=committee, to_on__isnull=True)


def _end_current_chair(actor: Any, committee: Committee, from_on: dt.date,
                       replaces_chair: bool) -> None:
    chair = _current(committee).filter(position=MemberPosition.CHAIR).first()
    if chair is None:
        return
    if not replaces_chair:
        raise _one_chair()
    _end(actor, chair, max(chair.from_on, from_on - dt.timedelta(days=1)))


def _end(actor: Any, member: CommitteeMember, to_on: dt.date) -> None:
    """Compare-and-set: only a current membership ends; of two concurrent ends one wins."""
    before = _member_values(member)
    updated = CommitteeMember.objects.filter(pk=member.pk, to_on__isnull=True).update(
        to_on=to_on)
    if updated != 1:
        raise Conflict(_("This membership has already ended."), code="already_ended")
    member.to_on = to_on
    record_event(actor, "COMMITTEE_MEMBER_ENDED", member, before=before,
                 after=_member_values(member))


def end_member(actor: Any, member: CommitteeMember, *, to_on: dt.date) -> CommitteeMember:
    """The 保密办 ends a membership on `to_on`. The chair stays until a new chair replaces
    them (`chair_required`, rule Q1)."""
    if not isinstance(member, CommitteeMember) or member.pk is None:
        raise NotFound()
    require_office(actor, member.committee.unit)
    to_on = _day(to_on, "to_on")
    if member.position == MemberPosition.CHAIR:
        message = _("The committee needs its chair: appoint the new chair in the chair's "
                    "place instead.")
        raise RuleViolation(message, code="chair_required", fields={"to_on": message},
                            rule="Q1")
    if to_on < member.from_on:
        raise invalid("to_on", _("The membership cannot end before it began."),
                       "before_start")
    with transaction.atomic():
        _end(actor, member, to_on)
    return member


def members_on(committee: Committee, day: dt.date) -> Any:
    """The members of `committee` on `day`."""
    return CommitteeMember.objects.filter(committee=committee, from_on__lte=day).exclude(
        to_on__lt=day)


def _attendance(committee: Committee, held_on: dt.date, rows: Any
                ) -> list[tuple[CommitteeMember, bool, str]]:
    """Checked attendance rows `{"member": id, "present": bool, "absence_reason": str}`, each
    a member on the day of the meeting, at most once; an absence needs its reason."""
    if not isinstance(rows, list | tuple) or len(rows) > ATTENDANCE_MAX:
        raise invalid("attendance")
    members = {m.pk: m for m in members_on(committee, held_on)}
    checked: list[tuple[CommitteeMember, bool, str]] = []
    seen: set[int] = set()
    for row in rows:
        if not isinstance(row, dict):
            raise invalid("attendance")
        member = members.get(row.get("member"))  # type: ignore[arg-type]
        present = row.get("present", True)
        if member is None or member.pk in seen or not isinstance(present, bool):
            raise invalid("attendance", _("List each member of the day of the meeting once."))
        seen.add(member.pk)
        reason = clean_text(row.get("absence_reason", ""), "attendance", REASON_MAX,
                            required=False)
        if not present and not reason:
            raise invalid("attendance", _("Give the reason of %(name)s's absence.") % {
                "name": member.name}, "absence_reason_required")
        checked.append((member, present, "" if present else reason))
    return checked


def record_meeting(actor: Any, committee: Committee, *, held_on: dt.date, place: str,
                   topics: str, minutes: str, kind: str = MeetingKind.REGULAR,
                   decisions: str = "", attendance: Any = (),
                   attachment: UploadedFile | None = None) -> CommitteeMeeting:
    """The 保密办 records a meeting held (not in the future, not before the committee was
    established) with its minutes, decisions and the attendance of the members of that day.
    Each meeting counts for the year it was held in (rule Q1). `attachment`: the signed
    minutes or the sign-in sheet, scanned (pdf, ofd, doc, docx, jpg, png; at most 20 MB)."""
    if not isinstance(committee, Committee) or committee.pk is None:
        raise NotFound()
    require_office(actor, committee.unit)
    held_on = _day(held_on, "held_on", not_after=timezone.localdate())
    if held_on < committee.established_on:
        raise invalid("held_on", _("The committee was established on %(day)s.") % {
            "day": committee.established_on}, "before_established")
    fields = {"kind": _choice(kind, MeetingKind, "kind"),
              "place": clean_text(place, "place", PLACE_MAX),
              "topics": clean_text(topics, "topics", TOPICS_MAX),
              "minutes": clean_text(minutes, "minutes", MINUTES_MAX),
              "decisions": clean_text(decisions, "decisions", DECISIONS_MAX, required=False)}
    rows = _attendance(committee, held_on, attendance)
    extension = _attachment_extension(attachment)
    with transaction.atomic():
        meeting = CommitteeMeeting(committee=committee, held_on=held_on, recorded_by=actor,
                                   **fields)
        if attachment is not None:
            meeting.attachment.save(f"meeting-{held_on:%Y%m%d}.{extension}", attachment,
                                    save=False)
        meeting.save()
        MeetingAttendance.objects.bulk_create(
            MeetingAttendance(meeting=meeting, member=member, present=present,
                              absence_reason=reason) for member, present, reason in rows)
        record_event(actor, "COMMITTEE_MEETING_RECORDED", meeting, after={
            "held_on": held_on.isoformat(), "kind": meeting.kind, "place": meeting.place,
            "topics": meeting.topics, "attachment": bool(meeting.attachment),
            "present": [member.name for member, present, _reason in rows if present],
            "absent": [member.name for member, present, _reason in rows if not present]})
    return meeting


def _attachment_extension(upload: Any) -> str:
    """The extension of an allowed attachment; InvalidInput for a file too large or of a kind
    not allowed. Empty without an attachment."""
    if upload is None:
        return ""
    if not isinstance(upload, UploadedFile) or not upload.name:
        raise invalid("attachment", _("Choose a file."))
    if upload.size is None or upload.size > ATTACHMENT_MAX_BYTES:
        raise InvalidInput(_("The file is too large (at most 20 MB)."), code="too_large",
                           fields={"attachment": _("At most 20 MB.")})
    name = str(upload.name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_EXTENSIONS:
        message = _("Allowed file types: %(types)s.") % {
            "types": ", ".join(sorted(ATTACHMENT_EXTENSIONS))}
        raise invalid("attachment", message, "file_type")
    return extension


def record_meetings_export(actor: Any, committee: Committee, year: int, rows: int) -> None:
    """An export of the year's meetings leaves a trace: who took which list out."""
    with transaction.atomic():
        record_event(actor, "COMMITTEE_MEETINGS_EXPORTED", committee,
                     after={"year": year, "rows": rows})
