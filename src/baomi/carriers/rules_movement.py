"""Obligation rules of carriers out of the unit (rules C2, C6): a carrier taken out or abroad
comes back by its due date; a carrier sent out is signed for by its recipient.

One query per rule; Python only turns rows into obligations.
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.labels import Scheme
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .choices import CarrierState
from .models import Movement
from .models.movement import MovementKind, MovementState

SUBJECT = "carriers.movement"
# rule C2: a carrier sent out without a receipt after this many days is chased.
RECEIPT_DAYS = 10
FIELDS = ("id", "kind", "due_back_on", "out_at", "carrier__number", "carrier__title",
          "carrier__unit_id", "carrier__scheme", "carrier__level", "carried_by__user__id")
COMES_BACK = (MovementKind.CARRY_OUT, MovementKind.ABROAD)


def _row(movement: dict[str, Any], today: date) -> ObligationRow:
    back = movement["kind"] in COMES_BACK
    due = (movement["due_back_on"] if back else
           timezone.localtime(movement["out_at"]).date() + timedelta(days=RECEIPT_DAYS))
    return {
        "subject_type": SUBJECT,
        "subject_id": movement["id"],
        "subject_label": f"{movement['carrier__number']} {movement['carrier__title']}"[:200],
        "unit_id": movement["carrier__unit_id"],
        "responsible_id": movement["carried_by__user__id"],
        "due_date": due,
        "severity": Severity.CRITICAL if back else Severity.WARNING,
        # rule L5: at the carrier's level; rule L4: other schemes carry no state level.
        "level": (int(movement["carrier__level"])
                  if movement["carrier__scheme"] == Scheme.STATE else 0),
    }


def overdue_q(today: date) -> Q:
    """SQL over Movement: out past its due date (rule C6), or sent out and not signed for
    after `RECEIPT_DAYS` days (rule C2)."""
    cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=RECEIPT_DAYS), time()))
    return Q(state=MovementState.OUT) & (Q(kind__in=COMES_BACK, due_back_on__lt=today)
                                         | Q(kind=MovementKind.SEND_OUT, out_at__lt=cutoff))


@obligation_rule("carriers.movement_overdue", "C6",
                 _("Bring back a classified carrier, or obtain its receipt"))
def movement_overdue(today: date) -> Iterator[ObligationRow]:
    """rule C6: a carrier taken out or abroad past its due date (critical); rule C2: a carrier
    sent out with no receipt after `RECEIPT_DAYS` days (warning)."""
    late = Movement.objects.filter(overdue_q(today)).exclude(
        carrier__state=CarrierState.MISSING).values(*FIELDS)  # rule C8 chases those
    for movement in late.iterator(chunk_size=5000):
        yield _row(movement, today)
