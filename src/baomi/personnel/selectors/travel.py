"""Reads of trips abroad and the travel-document custody ledger (rules P8, P9).

Whoever sees a personnel file sees its trips and documents (`files_visible_to`); the lists
of the 保密办 cover the units it manages.
"""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from baomi.accounts.models import Person
from baomi.core.errors import NotFound
from baomi.core.paging import parse_key

from ..choices import DocumentState, TripState
from ..models import PersonnelFile, TravelDocument, Trip
from .people import files_visible_to, manages_unit

BACK_STATES = (TripState.RETURNED, TripState.VISITED)
OPEN_STATES = (TripState.APPLIED, TripState.APPROVED, TripState.TALKED, TripState.COMMITTED,
               TripState.ISSUED, TripState.RETURNED, TripState.DOCUMENT_BACK, TripState.VISITED)


def overdue_document_q(today: date) -> Q:
    """rules P8, P9: a document issued for a trip and not handed back, after the deadline of
    a trip already returned, or at once for a trip cancelled after it was issued."""
    not_back = Q(document__isnull=False, document_returned_on__isnull=True)
    late = Q(state__in=BACK_STATES, document_due_on__lt=today)
    return not_back & (late | Q(state=TripState.CANCELLED))


def overdue_trips_of(person_id: int, today: date | None = None) -> QuerySet[Trip]:
    return Trip.objects.filter(overdue_document_q(today or timezone.localdate()),
                               file__person_id=person_id)


def trips_visible_to(user: Any) -> QuerySet[Trip]:
    return Trip.objects.filter(file__in=files_visible_to(user).values("pk")).select_related(
        "file", "file__person", "file__person__department", "file__unit", "document",
        "request")


def trip_for(user: Any, pk: Any) -> Trip:
    """One visible trip by id; NotFound for anything else."""
    key = parse_key(pk)
    found = trips_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def trips_of(file: PersonnelFile) -> QuerySet[Trip]:
    """The trips of a file the caller already sees, newest first."""
    return file.trips.select_related("document", "request").order_by("-id")


def trip_list(user: Any, *, state: str = "", overdue: bool = False) -> QuerySet[Trip]:
    """The 保密办's list, filtered by state or by documents overdue."""
    trips = trips_visible_to(user).order_by("-id")
    if state in TripState.values:
        trips = trips.filter(state=state)
    if overdue:
        trips = trips.filter(overdue_document_q(timezone.localdate()))
    return trips


def documents_visible_to(user: Any) -> QuerySet[TravelDocument]:
    persons = files_visible_to(user).values("person_id")
    return TravelDocument.objects.filter(person_id__in=persons).select_related(
        "person", "person__department")


def document_list(user: Any, *, state: str = "", overdue: bool = False
                  ) -> QuerySet[TravelDocument]:
    """The custody ledger: in custody, issued, or issued and overdue."""
    documents = documents_visible_to(user).order_by("-id")
    if state in DocumentState.values:
        documents = documents.filter(state=state)
    if overdue:
        late = Trip.objects.filter(overdue_document_q(timezone.localdate()))
        documents = documents.filter(pk__in=late.values("document_id"))
    return documents


def documents_of(file: PersonnelFile) -> QuerySet[TravelDocument]:
    return TravelDocument.objects.filter(person_id=file.person_id).order_by("-id")


def issuable_documents(file: PersonnelFile) -> QuerySet[TravelDocument]:
    """The person's documents in custody and still valid."""
    return documents_of(file).filter(state=DocumentState.IN_CUSTODY,
                                     expires_on__gt=timezone.localdate())


def may_manage_trip(user: Any, trip: Trip) -> bool:
    return manages_unit(user, trip.file.unit_id)


def may_apply_for(user: Any, file: PersonnelFile) -> bool:
    own = getattr(user, "person_id", None) == file.person_id
    return own or manages_unit(user, file.unit_id)


def document_holders(user: Any) -> QuerySet[Person]:
    """People with a personnel file in the units the user manages (the 保密办)."""
    from .people import managed_units

    return (Person.objects.filter(personnel_file__unit_id__in=managed_units(user))
            .select_related("department").order_by("name", "id"))
