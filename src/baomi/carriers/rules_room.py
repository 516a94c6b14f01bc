"""Obligation of containers standing outside a secure room (rule Q7): a container holding 机密
or 绝密 carriers stands in a room with door access control, video kept ≥ 30 days from a
camera outside the room, and an intrusion alarm.

Placing such a carrier in such a container is refused by the services; this rule finds what
reality changed afterwards (a room's alarm recorded broken, containers registered before
rooms were, a ledger imported) — one query, due at once, for the unit's 保密办.
"""

from collections.abc import Iterator
from datetime import date

from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from baomi.compliance.services import q7_unmet
from baomi.core.labels import Scheme
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .choices import CarrierState
from .models import Container
from .services.ledger import SECURE_ROOM_FROM

SUBJECT = "carriers.container"
# Carriers no longer kept in the container: destroyed, or sent out for good.
GONE = (CarrierState.DESTROYED, CarrierState.SENT)


@obligation_rule("carriers.secure_room", "Q7",
                 _("Keep confidential carriers only in a room that meets Q7"))
def container_outside_secure_room(today: date) -> Iterator[ObligationRow]:
    """rule Q7: each container holding state secrets of 机密 and above whose room is missing
    or lacks a measure; at the level of the highest carrier in it (rule L5)."""
    held = Q(carriers__scheme=Scheme.STATE) & ~Q(carriers__state__in=GONE)
    containers = (Container.objects.filter(q7_unmet("room__"))
                  .annotate(top=Max("carriers__level", filter=held))
                  .filter(top__gte=SECURE_ROOM_FROM)
                  .values("id", "number", "location", "unit_id", "top"))
    for container in containers.iterator(chunk_size=5000):
        yield {
            "subject_type": SUBJECT,
            "subject_id": container["id"],
            "subject_label": f"{container['number']} {container['location']}"[:200],
            "unit_id": container["unit_id"],
            "responsible_id": None,  # the unit's 保密办
            "due_date": today,
            "severity": Severity.CRITICAL,
            "level": int(container["top"]),
        }
