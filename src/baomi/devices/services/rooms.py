"""Secure rooms on the equipment side (rule Q7).

baomi's reading of Q7 for equipment: a classified server (`DeviceKind.SERVER`) of 机密 or 绝密
processes and stores the unit's 机密 and 绝密 information in bulk, so it stands in a secure
room of its unit that meets Q7 — door access control, video kept ≥ 30 days from a camera
outside the room, an intrusion alarm (`baomi.compliance.services.q7_shortfalls`). Desktops,
portables and office equipment stand on desks under the D rules and are not affected; 秘密
and 非密 servers are not either, but may name the room they stand in.

The ledger services check this when a device is registered, moved to another room or raised
in level; the obligation rule `devices.secure_room` finds what reality changed afterwards.
"""

from typing import Any

from django.utils.translation import gettext as _

from baomi.compliance.models import SecureRoom
from baomi.compliance.services import q7_shortfalls
from baomi.core.errors import RuleViolation
from baomi.core.labels import Level
from baomi.core.paging import MAX_KEY

from ..choices import DeviceKind
from .common import invalid

# rule Q7: a server of this level and above stands in a secure room meeting Q7.
SECURE_ROOM_FROM = Level.CONFIDENTIAL
# The kinds that process and store information in bulk (rule Q7, equipment side).
ROOM_KINDS = frozenset({DeviceKind.SERVER})


def needs_secure_room(kind: str, level_value: int) -> bool:
    """rule Q7: a 机密 or 绝密 server stands in a secure room meeting Q7."""
    return kind in ROOM_KINDS and int(level_value) >= SECURE_ROOM_FROM


def room_of(unit_id: int, value: Any, field: str = "room") -> SecureRoom | None:
    """The secure room `value` (a SecureRoom or its id; None for none) as stored now, which
    must be a room of the unit (code `unknown_room`)."""
    if value is None:
        return None
    if isinstance(value, SecureRoom):
        value = value.pk
    room = None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_KEY:
        room = SecureRoom.objects.filter(pk=value, unit_id=unit_id).first()
    if room is None:
        raise invalid(field, _("Choose a secure room of the unit."), code="unknown_room")
    return room


def require_secure_room(kind: str, level_value: int, room: SecureRoom | None,
                        field: str = "room") -> None:
    """rule Q7: refuse (code `secure_room`) a 机密 or 绝密 server standing in no room or in a
    room that lacks a measure, the message naming what it lacks."""
    if not needs_secure_room(kind, level_value):
        return
    level_label = Level(int(level_value)).label
    if room is None:
        message = _("A %(level)s server stands in a secure room that meets Q7; choose its "
                    "room.") % {"level": level_label}
        raise RuleViolation(message, code="secure_room", rule="Q7", fields={field: message})
    shortfalls = q7_shortfalls(room)
    if shortfalls:
        message = _("%(room)s cannot house a %(level)s server (rule Q7): %(shortfalls)s.") % {
            "room": room.name, "level": level_label, "shortfalls": "; ".join(shortfalls)}
        raise RuleViolation(message, code="secure_room", rule="Q7", fields={field: message})
