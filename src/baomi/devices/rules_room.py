"""Obligation of servers standing outside a secure room (rule Q7, equipment side): a 机密 or
绝密 server processes and stores the unit's 机密 and 绝密 information in bulk, so it stands in
a secure room of its unit with door access control, video kept ≥ 30 days from a camera
outside the room, and an intrusion alarm.

Registering such a server outside such a room, moving it out or raising it to 机密 there is
refused by the services; this rule finds what reality changed afterwards (a room's alarm
recorded broken, servers registered before rooms were) — one query, due at once, for the
unit's 保密办.
"""

from collections.abc import Iterator
from datetime import date

from django.utils.translation import gettext_lazy as _

from baomi.compliance.services import q7_unmet
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .choices import DeviceState
from .models import Device
from .services.rooms import ROOM_KINDS, SECURE_ROOM_FROM

SUBJECT = "devices.device"
# A retired server is locked (rule D8); one away for maintenance left with its disk removed
# (rule D7): neither stands anywhere to be checked.
PLACED = (DeviceState.IN_USE, DeviceState.IDLE)


@obligation_rule("devices.secure_room", "Q7",
                 _("Keep confidential servers only in a room that meets Q7"))
def server_outside_secure_room(today: date) -> Iterator[ObligationRow]:
    """rule Q7: each 机密 or 绝密 server in use or idle whose room is missing or lacks a
    measure; at the server's level (rule L5)."""
    servers = (Device.objects.filter(q7_unmet("room__"), kind__in=ROOM_KINDS,
                                     level__gte=SECURE_ROOM_FROM, state__in=PLACED)
               .values("id", "number", "location", "unit_id", "level"))
    for server in servers.iterator(chunk_size=5000):
        yield {
            "subject_type": SUBJECT,
            "subject_id": server["id"],
            "subject_label": f"{server['number']} {server['location']}"[:200],
            "unit_id": server["unit_id"],
            "responsible_id": None,  # the unit's 保密办
            "due_date": today,
            "severity": Severity.CRITICAL,
            "level": int(server["level"]),
        }
