"""Who sees which copy order and which print record (rule L5, DESIGN.md 'Access model').

A copy order is seen by whoever sees its original, and by its requester as long as they are
cleared for the original's level. The print log (rule C10): the 保密办 sees its unit's, anyone
else the lines of what they printed or recorded themselves — never a line above their
clearance.
"""

from typing import Any

from django.db.models import Q, QuerySet

from baomi.core.access import clearance, perimeter_query, sees_business_data
from baomi.core.labels import Scheme

from .choices import CarrierOrigin
from .models import Carrier, CopyOrder, PrintRecord
from .selectors import OFFICE, carriers_visible_to


def _cleared(user: Any, prefix: str = "") -> Q:
    """rule L5: state secrets up to the user's clearance; other schemes carry no state level."""
    return (~Q(**{f"{prefix}scheme": Scheme.STATE})
            | Q(**{f"{prefix}level__lte": int(clearance(user))}))


def copy_orders_visible_to(user: Any) -> QuerySet[CopyOrder]:
    if not sees_business_data(user):
        return CopyOrder.objects.none()
    visible = carriers_visible_to(user).values("pk")
    own = Q(requested_by_id=user.pk) & _cleared(user, "carrier__")
    return CopyOrder.objects.filter(Q(carrier__in=visible) | own).select_related(
        "carrier", "carrier__unit", "requested_by", "requested_by__person", "request",
        "made_by")


def copy_orders_of(carrier: Carrier) -> QuerySet[CopyOrder]:
    """The copy orders of a carrier the caller already sees, newest first."""
    return carrier.copy_orders.select_related(
        "requested_by__person", "request", "made_by__person").order_by("-id")


def copies_of(order: CopyOrder) -> QuerySet[Carrier]:
    """The carriers made on an order, in copy order."""
    return Carrier.objects.filter(copy_stamp__order=order).select_related(
        "custodian", "container", "copy_stamp").order_by("id")


def copy_stamp_of(carrier: Carrier) -> str:
    """The 复制戳记 a copy bears (rule C4), "" for a carrier that is no copy made here; for
    labels and printed forms."""
    stamp = getattr(carrier, "copy_stamp", None) if carrier.origin == CarrierOrigin.COPIED else None
    return stamp.text if stamp is not None else ""


def prints_visible_to(user: Any) -> QuerySet[PrintRecord]:
    """rule C10: the 保密办 sees its unit's print log, others their own lines (rule L5: up to
    their clearance)."""
    if not sees_business_data(user):
        return PrintRecord.objects.none()
    mine = Q(printed_by_id=user.person_id) | Q(recorded_by_id=user.pk)
    office = Q(unit_id__in=perimeter_query(user, OFFICE))
    return PrintRecord.objects.filter(_cleared(user) & (office | mine)).select_related(
        "department", "printed_by", "approved_by", "recipient", "carrier", "recorded_by")


def print_list(user: Any, *, office: bool) -> QuerySet[PrintRecord]:
    """The list page: the 保密办 the log of its own unit, anyone else their own lines."""
    records = prints_visible_to(user)
    if office:
        return records.filter(unit_id=user.person.unit_id)
    return records.filter(Q(printed_by_id=user.person_id) | Q(recorded_by_id=user.pk))
