"""出国(境) API (/api/v1/personnel/, rules P8, P9): trips from application to return visit,
and the custody ledger of passports and permits.

Errors answer `{"code", "message", "fields"}` with a 4xx (`document_overdue` rule P9,
`two_talkers` and `not_ready` rule P8).
"""

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.core.errors import AccessDenied, InvalidInput
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from .models import TravelDocument, Trip
from .selectors.people import file_for, managed_units
from .selectors.travel import document_list, trip_for, trip_list
from .services import travel as services

router = Router(tags=["personnel"])

Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
ERRORS: dict[int, Any] = {status: ErrorOut for status in (400, 401, 403, 404, 409, 422)}
Name = Annotated[str, Field(min_length=1, max_length=services.NAME_MAX)]


class TripIn(Schema):
    file_id: int = Field(ge=1, le=MAX_KEY, description="The traveller's personnel file.")
    purpose_kind: Literal["official", "private"] = Field(description="因公 or 因私")
    destinations: str = Field(min_length=1, max_length=200)
    purpose: str = Field(min_length=1, max_length=services.TEXT_MAX)
    depart_on: date
    return_on: date
    companions: str = Field("", max_length=200)


class TalkIn(Schema):
    held_on: date
    talkers: list[Name] = Field(min_length=1, max_length=services.MAX_NAMES,
                                description="At least two distinct people (rule P8).")
    notes: str = Field("", max_length=services.TEXT_MAX)


class CommitmentIn(Schema):
    signed_on: date


class IssueIn(Schema):
    document_id: int = Field(ge=1, le=MAX_KEY)
    issued_on: date


class ReturnIn(Schema):
    returned_on: date


class ReceiveIn(Schema):
    received_on: date


class VisitIn(Schema):
    visited_on: date
    visitors: list[Name] = Field(min_length=1, max_length=services.MAX_NAMES)
    findings: str = Field("", max_length=services.TEXT_MAX)


class TripOut(Schema):
    id: int
    file_id: int
    person_name: str
    purpose_kind: str
    destinations: str
    purpose: str
    depart_on: date
    return_on: date
    companions: str
    state: str
    request_id: int | None
    document_id: int | None
    talk_on: date | None
    talkers: list[str]
    committed_on: date | None
    document_issued_on: date | None
    returned_on: date | None
    document_due_on: date | None
    document_returned_on: date | None
    visit_due_on: date | None
    visited_on: date | None
    visitors: list[str]
    visit_findings: str


class TripPage(Schema):
    items: list[TripOut]
    next_after: int | None


class TripQuery(Schema):
    state: Literal["applied", "approved", "talked", "committed", "issued", "returned",
                   "document_back", "visited", "closed", "rejected", "cancelled"] | None = None
    overdue: bool = Field(False, description="Only trips whose document is overdue (P9).")
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class DocumentOut(Schema):
    id: int
    person_id: int
    person_name: str
    kind: str
    number: str
    issued_on: date
    expires_on: date
    state: str
    last_issued_on: date | None
    last_returned_on: date | None


class DocumentPage(Schema):
    items: list[DocumentOut]
    next_after: int | None


class DocumentQuery(Schema):
    state: Literal["in_custody", "issued", "lost"] | None = None
    overdue: bool = False
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


def trip_out(trip: Trip) -> dict[str, Any]:
    fields = ("id", "file_id", "purpose_kind", "destinations", "purpose", "depart_on",
              "return_on", "companions", "state", "request_id", "document_id", "talk_on",
              "talkers", "committed_on", "document_issued_on", "returned_on",
              "document_due_on", "document_returned_on", "visit_due_on", "visited_on",
              "visitors", "visit_findings")
    return {**{name: getattr(trip, name) for name in fields},
            "person_name": trip.file.person.name}


def document_out(document: TravelDocument) -> dict[str, Any]:
    fields = ("id", "person_id", "kind", "number", "issued_on", "expires_on", "state",
              "last_issued_on", "last_returned_on")
    return {**{name: getattr(document, name) for name in fields},
            "person_name": document.person.name}


def _office(request: HttpRequest) -> None:
    if not managed_units(request.user):
        raise AccessDenied(_("Only the secrecy office can list these."),
                           code="not_secrecy_office")


def _fresh(request: HttpRequest, trip: Trip) -> dict[str, Any]:
    return trip_out(trip_for(request.user, trip.pk))


@router.get("/trips", response={200: TripPage, **ERRORS},
            summary="Trips abroad of the units you manage (保密办)")
def list_trips(request: HttpRequest, query: Query[TripQuery]) -> dict[str, Any]:
    _office(request)
    trips = trip_list(request.user, state=query.state or "", overdue=query.overdue)
    page = keyset_page(trips, None, size=query.limit, after=query.after)
    return {"items": [trip_out(t) for t in page.items], "next_after": page.next_after}


@router.post("/trips", response={201: TripOut, **ERRORS})
def apply_trip(request: HttpRequest, data: TripIn) -> Status:
    """Apply for a trip abroad (the person, or the 保密办 for them); 422 `document_overdue`
    (rule P9) while a document of the person is overdue."""
    file = file_for(request.user, data.file_id)
    trip = services.apply_for_trip(
        request.user, file, purpose_kind=data.purpose_kind, destinations=data.destinations,
        purpose=data.purpose, depart_on=data.depart_on, return_on=data.return_on,
        companions=data.companions)
    return Status(201, _fresh(request, trip))


@router.get("/trips/{trip_id}", response={200: TripOut, **ERRORS})
def get_trip(request: HttpRequest, trip_id: Id) -> Any:
    return trip_out(trip_for(request.user, trip_id))


@router.post("/trips/{trip_id}/talk", response={200: TripOut, **ERRORS})
def talk(request: HttpRequest, trip_id: Id, data: TalkIn) -> Any:
    """The pre-trip talk, held by at least two people (422 `two_talkers`, rule P8)."""
    trip = services.record_pre_trip_talk(request.user, trip_for(request.user, trip_id),
                                         talkers=data.talkers, held_on=data.held_on,
                                         notes=data.notes)
    return _fresh(request, trip)


@router.post("/trips/{trip_id}/commitment", response={200: TripOut, **ERRORS})
def commitment(request: HttpRequest, trip_id: Id, data: CommitmentIn) -> Any:
    trip = services.record_travel_commitment(request.user, trip_for(request.user, trip_id),
                                             signed_on=data.signed_on)
    return _fresh(request, trip)


@router.post("/trips/{trip_id}/issue-document", response={200: TripOut, **ERRORS})
def issue_document(request: HttpRequest, trip_id: Id, data: IssueIn) -> Any:
    """Issue a document from custody (422 `not_ready` before approval, talk and commitment)."""
    trip = trip_for(request.user, trip_id)
    document = document_list(request.user).filter(pk=data.document_id).first()
    if document is None:
        message = _("Choose a document of this person.")
        raise InvalidInput(message, code="unknown_document", fields={"document_id": message})
    trip = services.issue_document_for_trip(request.user, trip, document=document,
                                            issued_on=data.issued_on)
    return _fresh(request, trip)


@router.post("/trips/{trip_id}/return", response={200: TripOut, **ERRORS})
def record_return(request: HttpRequest, trip_id: Id, data: ReturnIn) -> Any:
    trip = services.record_return(request.user, trip_for(request.user, trip_id),
                                  returned_on=data.returned_on)
    return _fresh(request, trip)


@router.post("/trips/{trip_id}/document-returned", response={200: TripOut, **ERRORS})
def document_returned(request: HttpRequest, trip_id: Id, data: ReceiveIn) -> Any:
    trip = services.receive_document(request.user, trip_for(request.user, trip_id),
                                     received_on=data.received_on)
    return _fresh(request, trip)


@router.post("/trips/{trip_id}/visit", response={200: TripOut, **ERRORS})
def visit(request: HttpRequest, trip_id: Id, data: VisitIn) -> Any:
    trip = services.record_return_visit(request.user, trip_for(request.user, trip_id),
                                        visited_on=data.visited_on, visitors=data.visitors,
                                        findings=data.findings)
    return _fresh(request, trip)


@router.get("/documents", response={200: DocumentPage, **ERRORS},
            summary="The passport and permit custody ledger (保密办)")
def list_documents(request: HttpRequest, query: Query[DocumentQuery]) -> dict[str, Any]:
    _office(request)
    documents = document_list(request.user, state=query.state or "", overdue=query.overdue)
    page = keyset_page(documents, None, size=query.limit, after=query.after)
    return {"items": [document_out(d) for d in page.items], "next_after": page.next_after}


class DocumentIn(Schema):
    file_id: int = Field(ge=1, le=MAX_KEY, description="The holder's personnel file.")
    kind: Literal["passport", "hk_macao", "taiwan"]
    number: str = Field(min_length=1, max_length=30)
    issued_on: date
    expires_on: date


@router.post("/documents", response={201: DocumentOut, **ERRORS},
             summary="Register a passport or permit for custody (保密办, rule P9)")
def register_document(request: HttpRequest, data: DocumentIn) -> Status:
    file = file_for(request.user, data.file_id)
    document = services.register_document(
        request.user, file.person, kind=data.kind, number=data.number,
        issued_on=data.issued_on, expires_on=data.expires_on)
    return Status(201, document_out(document))
