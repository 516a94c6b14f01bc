"""Who sees which destruction list, and the carriers that may go on one (rules C7, L5).

A list is seen by the 保密办 of its unit, who draws it up and records the destruction, and by
the unit's leaders, who approve it — and by either only when cleared for every state-secret
carrier on it (rule L5: a 机密 user never learns that a 绝密 carrier exists, not even from a
destruction list).
"""

from collections import defaultdict
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from baomi.accounts.roles import Role
from baomi.core.access import clearance, perimeter_query, sees_business_data
from baomi.core.errors import NotFound
from baomi.core.labels import Scheme
from baomi.core.paging import parse_key

from .choices import CarrierState, LoanState
from .models import Carrier, DestructionBatch, DestructionItem, Loan
from .selectors import carriers_visible_to
from .views.display import level_text

READERS = frozenset({Role.SECRECY_OFFICE, Role.LEADER})
# The select of in-store carriers on the list page offers at most this many; the number field
# reaches any other.
LISTABLE_MAX = 500


def batches_visible_to(user: Any) -> QuerySet[DestructionBatch]:
    """Lists of the units where the user is the 保密办 or a leader, without any carrier above
    the user's clearance (rule L5)."""
    if not sees_business_data(user):
        return DestructionBatch.objects.none()
    above = DestructionItem.objects.filter(
        batch_id=OuterRef("pk"), carrier__scheme=Scheme.STATE,
        carrier__level__gt=int(clearance(user)))
    return (DestructionBatch.objects.filter(unit_id__in=perimeter_query(user, READERS))
            .exclude(Exists(above)))


def batch_for(user: Any, pk: Any) -> DestructionBatch:
    """One visible list by id; NotFound for anything else."""
    key = parse_key(pk)
    found = (batches_visible_to(user).select_related("unit", "request", "created_by__person",
                                                     "recorded_by__person")
             .filter(pk=key).first() if key else None)
    if found is None:
        raise NotFound()
    return found


def with_counts(batches: QuerySet[DestructionBatch]) -> QuerySet[DestructionBatch]:
    return batches.annotate(item_count=Count("items"))


def items_of(batch: DestructionBatch) -> QuerySet[DestructionItem]:
    """The lines of a list the caller sees, in the order they were listed."""
    return (batch.items.select_related("carrier", "carrier__custodian", "carrier__secret_item",
                                       "carrier__department")
            .order_by("id"))


def level_summaries(batches: list[DestructionBatch]) -> dict[int, str]:
    """Per list, its carriers counted by level in each scheme's words, highest first (rule
    L4: 工作秘密 and 商业秘密 never read as state-secret levels): `机密×2、秘密×1`."""
    counts = (DestructionItem.objects.filter(batch_id__in=[b.pk for b in batches])
              .values("batch_id", "carrier__scheme", "carrier__level")
              .annotate(n=Count("id")).order_by("batch_id", "carrier__scheme",
                                                "-carrier__level"))
    parts: dict[int, list[str]] = defaultdict(list)
    for row in counts:
        word = level_text(row["carrier__scheme"], row["carrier__level"])
        parts[row["batch_id"]].append(f"{word}×{row['n']}")
    return {batch_id: "、".join(words) for batch_id, words in parts.items()}


def listable_carriers(user: Any, unit_id: int) -> QuerySet[Carrier]:
    """The unit's carriers the user sees that may go on a list: in store and not promised to
    a borrower (an approved loan not yet handed out)."""
    promised = Loan.objects.filter(carrier_id=OuterRef("pk"),
                                   state__in=(LoanState.APPROVED, LoanState.OUT))
    return (carriers_visible_to(user)
            .filter(Q(unit_id=unit_id) & Q(state=CarrierState.IN_STORE))
            .exclude(Exists(promised)))
