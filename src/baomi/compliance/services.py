"""Writes of the compliance app: recording a leak incident (rule I1) and reading one;
registering secure rooms with their protective measures (rule Q7).

Incidents are recorded here by the rules that say an event is handled as a leak (rules C8,
D3); reporting one by whoever discovers it and its handling (report within 24 hours,
remedial measures, investigation under 四不放过, rules I1 and I2) are in `services_incidents`.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Unit, User
from baomi.accounts.roles import Role
from baomi.audit.services import record_event
from baomi.core.access import unit_perimeter
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from baomi.core.labels import Level, Scheme
from baomi.core.validation import clean_text

from .choices import IncidentKind
from .models import Incident, SecureRoom
from .models.incidents import REPORT_WITHIN

TITLE_MAX = 300
SOURCE_TYPE_MAX = 60
SOURCE_LABEL_MAX = 200
DESCRIPTION_MAX = 4000
# rule C8: incidents recorded when a missing carrier is handled as a leak (I1 counts from then).
ESCALATED_SOURCES = frozenset({"carriers.carrier"})
# DESIGN.md 'Access model': opening the detail of a 机密 or 绝密 object is audited.
READ_AUDITED_FROM = Level.CONFIDENTIAL


def invalid(field: str, message: Any = None, code: str = "invalid") -> InvalidInput:
    """A refusal of `field`, shown on that field; by default the value is not one offered."""
    text = message or _("Choose from the list.")
    return InvalidInput(text, code=code, fields={field: text})


def _checked_label(scheme: Any, level: Any) -> tuple[str, int]:
    if not isinstance(scheme, str) or scheme not in Scheme.values:
        raise invalid("scheme")
    if isinstance(level, bool) or not isinstance(level, int) or level not in Level.values:
        raise invalid("level")
    return scheme, level


def require_office(actor: Any, unit: Unit) -> User:
    if not isinstance(actor, User) or unit.pk not in unit_perimeter(
            actor, {Role.SECRECY_OFFICE}):
        raise AccessDenied(_("Only the secrecy office of the unit can do this."),
                           code="not_secrecy_office")
    return actor


def _require_recorder(actor: Any, unit: Unit) -> User | None:
    """A daily job (no actor) or the 保密办 of the unit records an incident."""
    return None if actor is None else require_office(actor, unit)


def start_of_day(day: dt.date) -> dt.datetime:
    """00:00 local time of `day`: the moment of discovery when only the day is known."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def record_incident(actor: Any, *, unit: Unit, kind: str, scheme: str, level: int, title: str,
                    discovered_on: dt.date, created_on: dt.date | None = None,
                    source_type: str = "", source_id: int | None = None,
                    source_label: str = "", description: str = "",
                    discovered_at: dt.datetime | None = None) -> Incident:
    """rule I1: record a leak or suspected leak of `unit`, at the level of what leaked (rule
    L5). Runs inside the caller's transaction when there is one (rule C8 records the incident
    and closes the missing-carrier case together). `discovered_at` defaults to the start of
    `discovered_on`."""
    if not isinstance(discovered_on, dt.date) or isinstance(discovered_on, dt.datetime):
        raise invalid("discovered_on")
    if discovered_at is not None and (not isinstance(discovered_at, dt.datetime)
                                      or timezone.is_naive(discovered_at)):
        raise invalid("discovered_at")
    fields = checked_incident_fields(
        unit=unit, kind=kind, scheme=scheme, level=level, title=title,
        source_type=source_type, source_label=source_label, description=description)
    created_by = _require_recorder(actor, unit)
    return create_incident(
        actor, "INCIDENT_RECORDED", created_by=created_by, discovered_on=discovered_on,
        discovered_at=discovered_at or start_of_day(discovered_on),
        created_on=created_on or timezone.localdate(), source_id=source_id, **fields)


def checked_incident_fields(*, unit: Any, kind: Any, scheme: Any, level: Any, title: Any,
                            source_type: Any = "", source_label: Any = "",
                            description: Any = "") -> dict[str, Any]:
    """The checked values of a new incident; InvalidInput naming the first bad one."""
    if not isinstance(unit, Unit) or unit.pk is None:
        raise invalid("unit")
    if not isinstance(kind, str) or kind not in IncidentKind.values:
        raise invalid("kind")
    scheme, level = _checked_label(scheme, level)
    return {"unit": unit, "kind": kind, "scheme": scheme, "level": level,
            "title": clean_text(title, "title", TITLE_MAX),
            "source_type": clean_text(source_type, "source_type", SOURCE_TYPE_MAX,
                                      required=False),
            "source_label": clean_text(source_label, "source_label", SOURCE_LABEL_MAX,
                                       required=False),
            "description": clean_text(description, "description", DESCRIPTION_MAX,
                                      required=False)}


def report_due(discovered_at: dt.datetime, created_on: dt.date,
               source_type: str) -> dt.datetime:
    """rule I1: 24 hours after the leak became known — its discovery, or for a missing carrier
    handled as a leak (rule C8) the day it was, since the loss itself was reported under C8."""
    start = discovered_at
    if source_type in ESCALATED_SOURCES:
        start = max(discovered_at, start_of_day(created_on))
    return start + REPORT_WITHIN


def create_incident(actor: Any, action: str, **fields: Any) -> Incident:
    """Write a checked incident and its audit event `action` in one transaction."""
    fields["report_due_at"] = report_due(fields["discovered_at"], fields["created_on"],
                                         fields.get("source_type", ""))
    with transaction.atomic():
        incident = Incident.objects.create(**fields)
        record_event(actor, action, incident, after={
            "kind": incident.kind, "scheme": incident.scheme, "level": incident.level,
            "title": incident.title, "discovered_on": incident.discovered_on.isoformat(),
            "discovered_at": incident.discovered_at.isoformat()
            if incident.discovered_at else None,
            "source_type": incident.source_type, "source_id": incident.source_id})
    return incident


def read_is_audited(incident: Incident) -> bool:
    return incident.scheme == Scheme.STATE and incident.level >= READ_AUDITED_FROM


def record_incident_read(actor: Any, incident: Incident) -> None:
    """DESIGN.md 'Access model': opening a 机密 or 绝密 incident is audited."""
    if read_is_audited(incident):
        with transaction.atomic():
            record_event(actor, "INCIDENT_READ", incident)


# --- secure rooms (rule Q7) -------------------------------------------------------------------

ROOM_NAME_MAX = 100
ROOM_LOCATION_MAX = 200
ROOM_NOTE_MAX = 500
# rule Q7: video of a secure room is kept at least this many days.
VIDEO_RETENTION_DAYS_MIN = 30
VIDEO_RETENTION_DAYS_MAX = 3660
ROOM_MEASURES = ("access_control", "video", "video_retention_days", "camera_inside", "alarm")


def q7_shortfalls(room: SecureRoom | None) -> list[str]:
    """rule Q7: what a room lacks to hold 机密 and above — door access control, video kept
    ≥ 30 days from a camera outside the room, an intrusion alarm. Empty: it meets Q7."""
    if room is None:
        return [str(_("it stands in no registered secure room"))]
    missing = []
    if not room.access_control:
        missing.append(str(_("no door access control")))
    if not room.video:
        missing.append(str(_("no video surveillance")))
    elif room.video_retention_days < VIDEO_RETENTION_DAYS_MIN:
        missing.append(str(_("video kept %(days)s days, less than %(min)s") % {
            "days": room.video_retention_days, "min": VIDEO_RETENTION_DAYS_MIN}))
    if room.camera_inside:
        missing.append(str(_("a camera films the inside")))
    if not room.alarm:
        missing.append(str(_("no intrusion alarm")))
    return missing


def q7_unmet(prefix: str = "") -> Q:
    """SQL: the rooms (through `prefix`, e.g. "room__") that do not meet Q7 — the same
    measures as `q7_shortfalls`, with no room at all counted as unmet."""
    return (Q(**{f"{prefix}pk__isnull": True}) | Q(**{f"{prefix}access_control": False})
            | Q(**{f"{prefix}video": False})
            | Q(**{f"{prefix}video_retention_days__lt": VIDEO_RETENTION_DAYS_MIN})
            | Q(**{f"{prefix}camera_inside": True}) | Q(**{f"{prefix}alarm": False}))


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise invalid(field)
    return value


def _room_fields(name: Any, location: Any, note: Any, measures: dict[str, Any]
                 ) -> dict[str, Any]:
    days = measures.get("video_retention_days", 0)
    if isinstance(days, bool) or not isinstance(days, int) \
            or not 0 <= days <= VIDEO_RETENTION_DAYS_MAX:
        message = _("Enter a number of days from 0 to %(max)s.") % {
            "max": VIDEO_RETENTION_DAYS_MAX}
        raise InvalidInput(message, fields={"video_retention_days": message})
    fields: dict[str, Any] = {
        "name": clean_text(name, "name", ROOM_NAME_MAX),
        "location": clean_text(location, "location", ROOM_LOCATION_MAX),
        "note": clean_text(note, "note", ROOM_NOTE_MAX, required=False),
        "video_retention_days": days}
    for flag in ("access_control", "video", "camera_inside", "alarm"):
        fields[flag] = _flag(measures.get(flag, False), flag)
    if not fields["video"]:
        fields["video_retention_days"] = 0
    return fields


def _room_values(room: SecureRoom) -> dict[str, Any]:
    return {"name": room.name, "location": room.location, "note": room.note,
            **{measure: getattr(room, measure) for measure in ROOM_MEASURES},
            "meets_q7": not q7_shortfalls(room)}


def _name_exists() -> Conflict:
    message = _("The unit already has a room of this name.")
    return Conflict(message, code="name_exists", fields={"name": message})


def register_room(actor: Any, *, unit: Unit, name: str, location: str, note: str = "",
                  **measures: Any) -> SecureRoom:
    """The 保密办 registers a secure room with its measures (rule Q7): `access_control`,
    `video`, `video_retention_days`, `camera_inside`, `alarm`."""
    if not isinstance(unit, Unit) or unit.pk is None:
        raise invalid("unit")
    require_office(actor, unit)
    _require_known(measures)
    fields = _room_fields(name, location, note, measures)
    try:
        with transaction.atomic():
            if SecureRoom.objects.filter(unit=unit, name=fields["name"]).exists():
                raise _name_exists()
            room = SecureRoom.objects.create(unit=unit, **fields)
            record_event(actor, "SECURE_ROOM_REGISTERED", room, after=_room_values(room))
    except IntegrityError:  # secure_room_unique_name: a concurrent registration won
        raise _name_exists() from None
    return room


def update_room(actor: Any, room: SecureRoom, *, name: str, location: str, note: str = "",
                **measures: Any) -> SecureRoom:
    """The 保密办 records the room's measures as they are now (a broken alarm too: the rule
    `carriers.secure_room` then lists the 机密 carriers kept there, rule Q7)."""
    if not isinstance(room, SecureRoom) or room.pk is None:
        raise NotFound()
    require_office(actor, room.unit)
    _require_known(measures)
    fields = _room_fields(name, location, note, measures)
    try:
        with transaction.atomic():
            fresh = SecureRoom.objects.select_for_update().get(pk=room.pk)
            if SecureRoom.objects.filter(unit_id=fresh.unit_id, name=fields["name"]).exclude(
                    pk=fresh.pk).exists():
                raise _name_exists()
            before = _room_values(fresh)
            for field, value in fields.items():
                setattr(fresh, field, value)
            fresh.save()
            record_event(actor, "SECURE_ROOM_UPDATED", fresh, before=before,
                         after=_room_values(fresh))
    except IntegrityError:
        raise _name_exists() from None
    return fresh


def _require_known(measures: dict[str, Any]) -> None:
    unknown = set(measures) - set(ROOM_MEASURES)
    if unknown:
        raise invalid(sorted(unknown)[0])
