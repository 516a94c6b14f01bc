"""Who sees which carrier movement (rule L5, DESIGN.md 'Access model'): whoever sees its
carrier, and the one who asked or carries it as long as they are cleared for its level."""

from typing import Any

from django.db.models import Q, QuerySet

from baomi.core.access import clearance, sees_business_data
from baomi.core.labels import Scheme

from .models import Carrier, Movement
from .selectors import carriers_visible_to


def movements_visible_to(user: Any) -> QuerySet[Movement]:
    if not sees_business_data(user):
        return Movement.objects.none()
    cleared = ~Q(carrier__scheme=Scheme.STATE) | Q(carrier__level__lte=int(clearance(user)))
    own = (Q(created_by_id=user.pk) | Q(carried_by_id=user.person_id)) & cleared
    return Movement.objects.filter(
        Q(carrier__in=carriers_visible_to(user).values("pk")) | own).select_related(
        "carrier", "carried_by", "request", "created_by")


def movements_of(carrier: Carrier) -> QuerySet[Movement]:
    """The movements of a carrier the caller already sees, newest first."""
    return Movement.objects.filter(carrier_id=carrier.pk).select_related(
        "carried_by", "request").order_by("-id")
