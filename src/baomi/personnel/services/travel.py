"""Writes of trips abroad and the custody of travel documents (rules P8, P9).

The person (or the 保密办 for them) applies; the approvals chain `approvals.chains.travel`
decides; the 保密办 of the unit holds the talk, records the commitment, issues and receives
the document and visits the person after return. Every write is audited and moves the trip
with the TRIP table's compare-and-set.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Person
from baomi.audit.services import record_event
from baomi.core.access import sees_business_data
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.policy import policy_of

from ..choices import MAY_TRAVEL, DocumentKind, DocumentState, TripPurpose, TripState
from ..models import PersonnelFile, TravelDocument, Trip
from ..selectors.people import files_visible_to, manages_unit
from ..selectors.travel import overdue_trips_of
from ..transitions import TRIP

MAX_NAMES = 10
NAME_MAX = 50
TEXT_MAX = 2000


def _today() -> dt.date:
    return timezone.localdate()


def _text(value: Any, field: str, max_length: int, *, required: bool = True) -> str:
    from baomi.core.validation import clean_text

    return clean_text(value, field, max_length, required=required)


def _invalid(field: str, message: str, code: str = "invalid") -> InvalidInput:
    return InvalidInput(message, code=code, fields={field: message})


def _date(value: Any, field: str, *, not_after_today: bool = True) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise _invalid(field, _("Enter a valid date."))
    if not_after_today and value > _today():
        raise _invalid(field, _("The date cannot be in the future."), code="future_date")
    return value


def _not_before(value: dt.date, earliest: dt.date | None, field: str) -> None:
    if earliest is not None and value < earliest:
        raise _invalid(field, _("The date cannot be before %(date)s.")
                       % {"date": earliest.isoformat()}, code="date_too_early")


def _names(value: Any, field: str) -> list[str]:
    """Distinct non-empty names, in the order given."""
    if not isinstance(value, list | tuple) or len(value) > MAX_NAMES:
        raise _invalid(field, _("Give at most %(max)d names.") % {"max": MAX_NAMES})
    names: list[str] = []
    for raw in value:
        name = _text(raw, field, NAME_MAX)
        if name not in names:
            names.append(name)
    return names


def _require_office(actor: Any, unit_id: int, person_id: int) -> None:
    """The 保密办 of the unit; whoever only sees the file is refused, others learn nothing."""
    if manages_unit(actor, unit_id):
        return
    if not files_visible_to(actor).filter(person_id=person_id).exists():
        raise NotFound()
    raise AccessDenied(_("Only the secrecy office of the unit can do this."),
                       code="not_secrecy_office")


def _locked_trip(actor: Any, trip: Trip) -> Trip:
    _require_office(actor, trip.file.unit_id, trip.file.person_id)
    return (Trip.objects.select_for_update(of=("self",)).select_related("file", "file__person",
                                                                          "document")
            .get(pk=trip.pk))


def _refresh(trip: Trip, fresh: Trip) -> Trip:
    for field in Trip._meta.concrete_fields:
        setattr(trip, field.attname, getattr(fresh, field.attname))
    return trip


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# --- the custody ledger (rule P9) ---------------------------------------------------------


def register_document(actor: Any, person: Person, *, kind: str, number: str,
                      issued_on: dt.date, expires_on: dt.date) -> TravelDocument:
    """rule P9: a passport or permit enters the 保密办's custody."""
    if kind not in DocumentKind.values:
        raise _invalid("kind", _("Choose the kind of document."))
    number = _text(number, "number", 30).upper()
    issued_on = _date(issued_on, "issued_on")
    expires_on = _date(expires_on, "expires_on", not_after_today=False)
    if expires_on <= issued_on:
        raise _invalid("expires_on", _("The expiry date must follow the date of issue."))
    try:
        with transaction.atomic():
            _require_office(actor, person.unit_id, person.pk)
            document = TravelDocument.objects.create(
                person=person, unit_id=person.unit_id, kind=kind, number=number,
                issued_on=issued_on, expires_on=expires_on)
            record_event(actor, "TRAVEL_DOCUMENT_REGISTERED", document,
                         after={"person": person.pk, "kind": kind, "number": number,
                                "expires_on": expires_on.isoformat()})
    except IntegrityError:
        raise Conflict(_("This document is already in the ledger."), code="document_exists",
                       fields={"number": _("This document is already in the ledger.")}
                       ) from None
    return document


# --- applying and the decision (rule P8) --------------------------------------------------


def apply_for_trip(actor: Any, file: PersonnelFile, *, purpose_kind: str, destinations: str,
                   purpose: str, depart_on: dt.date, return_on: dt.date,
                   companions: str = "") -> Trip:
    """rule P8: the 出国(境)审批表, filed by the person or the 保密办 for them and submitted
    to the approvals chain `travel`. rule P9: refused while the person keeps a document
    past its deadline."""
    if purpose_kind not in TripPurpose.values:
        raise _invalid("purpose_kind", _("Choose official or private."))
    destinations = _text(destinations, "destinations", 200)
    purpose = _text(purpose, "purpose", TEXT_MAX)
    companions = _text(companions, "companions", 200, required=False)
    depart_on = _date(depart_on, "depart_on", not_after_today=False)
    return_on = _date(return_on, "return_on", not_after_today=False)
    _not_before(depart_on, _today(), "depart_on")
    _not_before(return_on, depart_on, "return_on")
    with transaction.atomic():
        _may_apply(actor, file)
        if overdue_trips_of(file.person_id).exists():  # rule P9
            raise RuleViolation(
                _("A travel document of this person is overdue: it must be handed back "
                  "before a new trip is approved."), code="document_overdue", rule="P9")
        trip = Trip.objects.create(
            file=file, purpose_kind=purpose_kind, destinations=destinations, purpose=purpose,
            depart_on=depart_on, return_on=return_on, companions=companions,
            created_by=actor)
        trip.request = _submit(actor, trip)
        Trip.objects.filter(pk=trip.pk).update(request=trip.request)
        record_event(actor, "TRIP_APPLIED", trip,
                     after={"file": file.pk, "purpose_kind": purpose_kind,
                            "destinations": destinations, "depart_on": depart_on.isoformat(),
                            "return_on": return_on.isoformat(),
                            "request": trip.request.pk})
    return trip


def _may_apply(actor: Any, file: PersonnelFile) -> None:
    own = sees_business_data(actor) and actor.person_id == file.person_id
    if not own and not manages_unit(actor, file.unit_id):
        if not files_visible_to(actor).filter(pk=file.pk).exists():
            raise NotFound()
        raise AccessDenied(_("Only the person or the secrecy office of the unit can apply."),
                           code="not_allowed")
    if file.state not in MAY_TRAVEL:  # rules P8, P12: in post or in the 脱密期
        raise Conflict(_("Only a classified person in post or in the declassification period "
                         "applies here."), code="not_in_post")


def _submit(actor: Any, trip: Trip) -> Any:
    from baomi.approvals.services import submit_request

    from ..request_types import TravelRequest, trip_payload

    title = _("Trip abroad: %(person)s to %(where)s") % {
        "person": trip.file.person.name, "where": trip.destinations}
    return submit_request(actor, TravelRequest.code, title=title[:200],
                          payload=trip_payload(trip), subject=trip)


def conclude_trip(actor: Any, trip: Trip, *, approved: bool) -> Trip:
    """The approvals engine decided (request type `travel`); runs in its transaction."""
    fresh = Trip.objects.select_for_update(of=("self",)).get(pk=trip.pk)
    target = TripState.APPROVED if approved else TripState.REJECTED
    TRIP.apply(fresh, target)
    record_event(actor, "TRIP_APPROVED" if approved else "TRIP_REJECTED", fresh,
                 before={"state": TripState.APPLIED}, after={"state": target})
    return _refresh(trip, fresh)


def withdraw_trip(actor: Any, trip: Trip) -> Trip:
    """The requester took the travel request back (approvals engine): the trip is cancelled."""
    fresh = Trip.objects.select_for_update(of=("self",)).get(pk=trip.pk)
    TRIP.apply(fresh, TripState.CANCELLED)
    record_event(actor, "TRIP_CANCELLED", fresh, before={"state": TripState.APPLIED},
                 after={"state": fresh.state}, reason=str(_("Request withdrawn")))
    return _refresh(trip, fresh)


# --- before the trip (rule P8) ------------------------------------------------------------


def record_pre_trip_talk(actor: Any, trip: Trip, *, talkers: Any, held_on: dt.date,
                         notes: str = "") -> Trip:
    """rule P8: the 行前保密提醒谈话 is held by at least two people."""
    names = _names(talkers, "talkers")
    if len(names) < 2:  # rule P8
        raise RuleViolation(_("The pre-trip talk is held by at least two people."),
                            code="two_talkers", rule="P8",
                            fields={"talkers": _("Name at least two people.")})
    held_on = _date(held_on, "held_on")
    notes = _text(notes, "notes", TEXT_MAX, required=False)
    with transaction.atomic():
        fresh = _locked_trip(actor, trip)
        TRIP.apply(fresh, TripState.TALKED, talk_on=held_on, talkers=names, talk_notes=notes)
        record_event(actor, "TRIP_TALK_RECORDED", fresh,
                     after={"held_on": held_on.isoformat(), "talkers": names})
    return _refresh(trip, fresh)


def record_travel_commitment(actor: Any, trip: Trip, *, signed_on: dt.date) -> Trip:
    """rule P8: the 涉密人员出国(境)保密承诺书 is signed after the talk."""
    signed_on = _date(signed_on, "signed_on")
    with transaction.atomic():
        fresh = _locked_trip(actor, trip)
        TRIP.apply(fresh, TripState.COMMITTED, committed_on=signed_on)
        record_event(actor, "TRIP_COMMITMENT_RECORDED", fresh,
                     after={"signed_on": signed_on.isoformat()})
    return _refresh(trip, fresh)


def missing_before_issue(trip: Trip) -> list[str]:
    """What rule P8 still needs before the document is issued."""
    missing = []
    if trip.state in (TripState.APPLIED, TripState.REJECTED):
        missing.append(str(_("approval")))
    if trip.talk_on is None:
        missing.append(str(_("pre-trip talk")))
    if trip.committed_on is None:
        missing.append(str(_("signed commitment")))
    return missing


def issue_document_for_trip(actor: Any, trip: Trip, *, document: TravelDocument,
                            issued_on: dt.date) -> Trip:
    """rule P8: the document leaves custody only after approval, talk and commitment."""
    issued_on = _date(issued_on, "issued_on")
    with transaction.atomic():
        fresh = _locked_trip(actor, trip)
        missing = missing_before_issue(fresh)
        if missing:  # rule P8
            raise RuleViolation(_("The document cannot be issued yet; missing: %(what)s.")
                                % {"what": "、".join(missing)}, code="not_ready", rule="P8")
        locked = TravelDocument.objects.select_for_update().filter(pk=document.pk).first()
        if locked is None or locked.person_id != fresh.file.person_id:
            raise _invalid("document", _("Choose a document of this person."),
                           code="unknown_document")
        if locked.state != DocumentState.IN_CUSTODY or locked.expires_on <= fresh.return_on:
            raise _invalid("document", _("Choose a valid document in custody."),
                           code="document_unavailable")
        TRIP.apply(fresh, TripState.ISSUED, document=locked, document_issued_on=issued_on)
        TravelDocument.objects.filter(pk=locked.pk).update(state=DocumentState.ISSUED,
                                                           last_issued_on=issued_on)
        record_event(actor, "TRIP_DOCUMENT_ISSUED", fresh,
                     after={"document": locked.pk, "issued_on": issued_on.isoformat()})
    return _refresh(trip, fresh)


def cancel_trip(actor: Any, trip: Trip, *, reason: str) -> Trip:
    """An approved trip not taken; a document already issued must be handed back (seed 000
    §25), and counts as overdue (rule P9) until it is."""
    reason = _text(reason, "reason", 500)
    with transaction.atomic():
        fresh = _locked_trip(actor, trip)
        before = fresh.state
        TRIP.apply(fresh, TripState.CANCELLED)
        record_event(actor, "TRIP_CANCELLED", fresh, before={"state": before},
                     after={"state": fresh.state}, reason=reason)
    return _refresh(trip, fresh)


# --- after the trip (rules P8, P9) --------------------------------------------------------


def record_return(actor: Any, trip: Trip, *, returned_on: dt.date) -> Trip:
    """rule P8: from the return date the document is due back in 7 (因公) or 10 (因私) days
    and the return visit within `travel.return_visit_days` (policy of the unit)."""
    returned_on = _date(returned_on, "returned_on")
    with transaction.atomic():
        fresh = _locked_trip(actor, trip)
        _not_before(returned_on, fresh.document_issued_on, "returned_on")
        policy = policy_of(fresh.file.unit)
        days = policy[f"travel.passport_return_days.{fresh.purpose_kind}"]
        document_due = returned_on + dt.timedelta(days=days)
        visit_due = returned_on + dt.timedelta(days=policy["travel.return_visit_days"])
        TRIP.apply(fresh, TripState.RETURNED, returned_on=returned_on,
                   document_due_on=document_due, visit_due_on=visit_due)
        record_event(actor, "TRIP_RETURN_RECORDED", fresh,
                     after={"returned_on": returned_on.isoformat(),
                            "document_due_on": document_due.isoformat(),
                            "visit_due_on": visit_due.isoformat()})
    return _refresh(trip, fresh)


def receive_document(actor: Any, trip: Trip, *, received_on: dt.date) -> Trip:
    """rules P8, P9: the document goes back into custody (after return, or after a trip
    cancelled once it was issued)."""
    received_on = _date(received_on, "received_on")
    with transaction.atomic():
        fresh = _locked_trip(actor, trip)
        if fresh.document_id is None or fresh.document_returned_on is not None:
            raise Conflict(_("No document of this trip is out of custody."),
                           code="no_document_out")
        _not_before(received_on, fresh.returned_on or fresh.document_issued_on, "received_on")
        if fresh.state == TripState.CANCELLED:
            Trip.objects.filter(pk=fresh.pk, document_returned_on__isnull=True).update(
                document_returned_on=received_on)
            fresh.document_returned_on = received_on
        else:
            target = TripState.CLOSED if fresh.state == TripState.VISITED \
                else TripState.DOCUMENT_BACK
            TRIP.apply(fresh, target, document_returned_on=received_on)
        TravelDocument.objects.filter(pk=fresh.document_id).update(
            state=DocumentState.IN_CUSTODY, last_returned_on=received_on)
        record_event(actor, "TRAVEL_DOCUMENT_RECEIVED", fresh,
                     after={"document": fresh.document_id,
                            "received_on": received_on.isoformat(),
                            "due_on": _iso(fresh.document_due_on)})
    return _refresh(trip, fresh)


def record_return_visit(actor: Any, trip: Trip, *, visited_on: dt.date, visitors: Any,
                        findings: str = "") -> Trip:
    """rule P8: the 回访 after return (《涉密人员在国(境)外情况回访记录表》)."""
    names = _names(visitors, "visitors")
    if not names:
        raise _invalid("visitors", _("Name who visited."))
    visited_on = _date(visited_on, "visited_on")
    findings = _text(findings, "findings", TEXT_MAX, required=False)
    with transaction.atomic():
        fresh = _locked_trip(actor, trip)
        if fresh.state not in (TripState.RETURNED, TripState.DOCUMENT_BACK):
            TRIP.check(fresh, TripState.VISITED)  # the table's Conflict names the state
        _not_before(visited_on, fresh.returned_on, "visited_on")
        target = TripState.CLOSED if fresh.state == TripState.DOCUMENT_BACK \
            else TripState.VISITED
        TRIP.apply(fresh, target, visited_on=visited_on, visitors=names,
                   visit_findings=findings)
        record_event(actor, "TRIP_VISIT_RECORDED", fresh,
                     after={"visited_on": visited_on.isoformat(), "visitors": names,
                            "due_on": _iso(fresh.visit_due_on)})
    return _refresh(trip, fresh)


def record_document_export(actor: Any, unit_id: int | None, filters: dict[str, Any]) -> None:
    """Exports of the custody ledger leave a trace (who took which list out)."""
    with transaction.atomic():
        record_event(actor, "TRAVEL_DOCUMENTS_EXPORTED", object_type="personnel.traveldocument",
                     unit_id=unit_id, after={"filters": filters})
