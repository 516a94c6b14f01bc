"""Who sees which stocktake and which missing carrier (rule L5).

Both are the 保密办's work: a stocktake is seen by the 保密办 of its unit cleared for the
highest level on its list (so every line of it is visible to whoever sees it); a missing-carrier
case by the 保密办 of its unit cleared for the carrier's level. 工作秘密 and 商业秘密 carriers
carry no state level (rule L4).
"""

from typing import Any

from django.db.models import Q, QuerySet

from baomi.core.access import clearance, perimeter_query, sees_business_data
from baomi.core.errors import NotFound
from baomi.core.labels import Scheme
from baomi.core.paging import parse_key

from .models import MissingCase, Stocktake, StocktakeLine
from .selectors import OFFICE

LINE_RELATED = ("carrier", "carrier__secret_item", "ledger_custodian", "ledger_container",
                "missing_case", "checked_by__person")


def stocktakes_visible_to(user: Any) -> QuerySet[Stocktake]:
    if not sees_business_data(user):
        return Stocktake.objects.none()
    return Stocktake.objects.filter(
        unit_id__in=perimeter_query(user, OFFICE), level__lte=int(clearance(user))
    ).select_related("unit", "department", "container", "started_by__person",
                     "closed_by__person")


def stocktake_for(user: Any, pk: Any) -> Stocktake:
    """One visible stocktake by id; NotFound for anything else."""
    key = parse_key(pk)
    found = stocktakes_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def lines_of(stocktake: Stocktake) -> QuerySet[StocktakeLine]:
    """The lines of a stocktake the caller already sees."""
    return stocktake.lines.select_related(*LINE_RELATED)


def missing_cases_visible_to(user: Any) -> QuerySet[MissingCase]:
    if not sees_business_data(user):
        return MissingCase.objects.none()
    cleared = ~Q(carrier__scheme=Scheme.STATE) | Q(carrier__level__lte=int(clearance(user)))
    return MissingCase.objects.filter(
        Q(unit_id__in=perimeter_query(user, OFFICE)) & cleared
    ).select_related("carrier", "carrier__secret_item", "carrier__custodian", "incident",
                     "reported_by__person", "stocktake")


def missing_case_for(user: Any, pk: Any) -> MissingCase:
    key = parse_key(pk)
    found = missing_cases_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found
