"""Writes of carrier destruction (销毁, rule C7).

The 保密办 draws up a destruction list (清点/核对/登记/造册): each carrier put on it leaves the
store for the list (IN_STORE → TO_DESTROY) and may be taken off again while the list is a
draft. The list is submitted for approval (request type `carrier_destruction`, chain
`approvals.chains.carrier_destruction`, default 保密办 → 单位领导, at the highest state-secret
level on it); a rejection puts every carrier back in store. Once approved, the destruction is
carried out at the designated body or with certified equipment by at least two people, and
recorded: time, place, method, body, certificate, people. Every carrier on the list is then
DESTROYED, in the same transaction, and locked for good — the ledger services refuse it.

Locks are taken list first, then carriers (the approvals engine takes the request first and
calls back here), so no two of these services wait on each other in opposite order.
"""

import contextlib
import contextvars
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Unit
from baomi.approvals.models import Request
from baomi.audit.services import record_event
from baomi.core.errors import Conflict, NotFound, RuleViolation
from baomi.core.transitions import table

from ..choices import CarrierKind, CarrierState, LoanState
from ..models import Carrier, DestructionBatch, DestructionItem, Loan
from ..models.destruction import BatchState, DestructionMethod
from ..selectors import manages_carriers
from ..selectors_destruction import batches_visible_to
from ..transitions import CARRIER
from .ledger import (
    _instance,
    _invalid,
    _locked_carrier,
    _not_office,
    _office_carrier,
    _refresh,
    _require_office,
    _require_user,
    _text,
)

REASON_MAX = 500
PLACE_MAX = 200
BODY_MAX = 200
CERTIFICATE_MAX = 100
EXECUTOR_MAX = 50          # characters of one name
EXECUTORS_MAX = 20         # names on one record
MIN_EXECUTORS = 2          # rule C7: destruction is done by at least two people
NUMBER_ATTEMPTS = 5

B = BatchState
BATCH = table("state", [
    (B.DRAFT, B.SUBMITTED, None),      # sent for approval (rule C7)
    (B.SUBMITTED, B.DRAFT, None),      # the request withdrawn: back to the list
    (B.SUBMITTED, B.APPROVED, None),   # the chain approved
    (B.SUBMITTED, B.REJECTED, None),   # the chain rejected: the carriers back in store
    (B.APPROVED, B.DESTROYED, None),   # carried out and recorded; closed for good
])

# rule C7 (destroyed with certified equipment, or at the designated body): the methods that
# actually destroy each kind — paper is not degaussed, a disk is not pulped.
METHODS_FOR_KIND: dict[str, frozenset[str]] = {
    CarrierKind.PAPER: frozenset({DestructionMethod.SHRED, DestructionMethod.INCINERATE,
                                  DestructionMethod.PULP, DestructionMethod.BODY}),
    CarrierKind.OPTICAL: frozenset({DestructionMethod.SHRED, DestructionMethod.PHYSICAL,
                                    DestructionMethod.BODY}),
    CarrierKind.ELECTRONIC: frozenset({DestructionMethod.DEGAUSS, DestructionMethod.PHYSICAL,
                                       DestructionMethod.BODY}),
    CarrierKind.PRODUCT: frozenset({DestructionMethod.PHYSICAL, DestructionMethod.BODY}),
}
OPEN_LOAN = (LoanState.APPROVED, LoanState.OUT)
_SEPARATORS = re.compile(r"[\n,，、;；]+")

# Set while `submit_batch` files its request: the request type refuses a first filing from
# anywhere else (the generic approvals form or API), which would leave the list unlinked.
_submitting: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "carrier_destruction_submitting", default=None)


def submitting_batch() -> int | None:
    """The id of the list `submit_batch` is filing right now, if any."""
    return _submitting.get()


@contextlib.contextmanager
def _filing(batch_id: int) -> Iterator[None]:
    token = _submitting.set(batch_id)
    try:
        yield
    finally:
        _submitting.reset(token)


# --- access and locks ----------------------------------------------------------------------


def _office_batch(actor: Any, batch: Any) -> DestructionBatch:
    """A list the actor sees and keeps as the 保密办 of its unit; a leader who only sees it is
    refused, others learn nothing."""
    _require_user(actor)
    if not isinstance(batch, DestructionBatch) or batch.pk is None \
            or not batches_visible_to(actor).filter(pk=batch.pk).exists():
        raise NotFound()
    if not manages_carriers(actor, batch.unit_id):
        raise _not_office()
    return batch


def _locked_batch(pk: int) -> DestructionBatch:
    try:
        return DestructionBatch.objects.select_for_update().get(pk=pk)
    except DestructionBatch.DoesNotExist:
        raise NotFound() from None


def _require_draft(batch: DestructionBatch) -> None:
    if batch.state != BatchState.DRAFT:
        raise Conflict(_("The list can be changed only while it is being drawn up."),
                       code="not_draft")


def _numbers(batch: DestructionBatch) -> list[str]:
    return list(batch.items.order_by("id").values_list("carrier__number", flat=True))


# --- drawing up the list -------------------------------------------------------------------


def create_batch(actor: Any, *, unit: Unit, reason: str, planned_method: str,
                 planned_place: str) -> DestructionBatch:
    """The 保密办 opens a destruction list of its unit, numbered `XH-<year>-<n>`, saying why,
    how and where the carriers are to be destroyed (rule C7)."""
    unit = _instance(unit, Unit, "unit")
    reason = _text(reason, "reason", REASON_MAX)
    planned_method = _method(planned_method, "planned_method")
    planned_place = _text(planned_place, "planned_place", PLACE_MAX)
    _require_office(actor, unit.pk)
    prefix = f"XH-{timezone.localdate().year}-"
    for attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                taken = DestructionBatch.objects.filter(unit=unit,
                                                        number__startswith=prefix).count()
                batch = DestructionBatch.objects.create(
                    unit=unit, number=f"{prefix}{taken + 1 + attempt:03d}", reason=reason,
                    planned_method=planned_method, planned_place=planned_place,
                    created_by=actor)
                record_event(actor, "DESTRUCTION_BATCH_CREATED", batch, after={
                    "number": batch.number, "reason": reason,
                    "planned_method": planned_method, "planned_place": planned_place})
            return batch
        except IntegrityError:  # destruction_batch_number_unique: a concurrent list won
            continue
    raise Conflict(_("Someone else changed this object at the same time; reload and try "
                     "again."), code="concurrent_change")


def _method(value: Any, field: str) -> str:
    """rule C7: one of the listed methods — never sold as waste."""
    if not isinstance(value, str) or value not in DestructionMethod.values:
        raise _invalid(field, _("Choose a method of destruction from the list."))
    return value


def add_to_batch(actor: Any, batch: DestructionBatch, carrier: Carrier) -> DestructionItem:
    """Put a carrier of the unit on a draft list (清点/登记, rule C7): it leaves the store
    (IN_STORE → TO_DESTROY). Refused for a carrier on loan or promised to a borrower, on
    another open list, missing or destroyed."""
    batch = _office_batch(actor, batch)
    carrier = _office_carrier(actor, carrier)
    if carrier.unit_id != batch.unit_id:
        raise _invalid("carrier", _("Choose a carrier of the unit."), code="unknown_carrier")
    with transaction.atomic():
        fresh_batch = _locked_batch(batch.pk)
        _require_draft(fresh_batch)
        fresh = _locked_carrier(carrier.pk)
        _require_listable(fresh)
        CARRIER.apply(fresh, CarrierState.TO_DESTROY)
        try:
            with transaction.atomic():
                item = DestructionItem.objects.create(batch=fresh_batch, carrier=fresh,
                                                      added_by=actor)
        except IntegrityError:  # destruction_item_one_open
            raise _already_listed() from None
        record_event(actor, "DESTRUCTION_CARRIER_LISTED", fresh,
                     before={"state": CarrierState.IN_STORE},
                     after={"state": fresh.state, "batch": fresh_batch.pk,
                            "batch_number": fresh_batch.number})
    _refresh(carrier, fresh)
    return item


def _require_listable(carrier: Carrier) -> None:
    """rule C7: only a carrier in store, promised to nobody, goes on a list."""
    state = carrier.state
    if state == CarrierState.DESTROYED:
        raise Conflict(_("This carrier has been destroyed."), code="destroyed")
    if state == CarrierState.TO_DESTROY:
        raise _already_listed()
    if state == CarrierState.ON_LOAN or Loan.objects.filter(
            carrier_id=carrier.pk, state__in=OPEN_LOAN).exists():
        raise Conflict(_("This carrier is on loan or promised to a borrower; it goes on a "
                         "list once it is back and no loan is approved."), code="on_loan")
    if state != CarrierState.IN_STORE:
        raise Conflict(_("This carrier is not in store."), code="not_in_store")


def _already_listed() -> Conflict:
    return Conflict(_("This carrier is already on an open destruction list."),
                    code="already_listed")


def remove_from_batch(actor: Any, batch: DestructionBatch, carrier: Carrier) -> Carrier:
    """Take a carrier off a draft list: it is back in store (TO_DESTROY → IN_STORE)."""
    batch = _office_batch(actor, batch)
    carrier = _instance(carrier, Carrier, "carrier")
    with transaction.atomic():
        fresh_batch = _locked_batch(batch.pk)
        _require_draft(fresh_batch)
        item = DestructionItem.objects.filter(batch=fresh_batch, carrier_id=carrier.pk).first()
        if item is None:
            raise _invalid("carrier", _("This carrier is not on the list."), code="not_listed")
        fresh = _locked_carrier(carrier.pk)
        CARRIER.apply(fresh, CarrierState.IN_STORE)
        item.delete()
        record_event(actor, "DESTRUCTION_CARRIER_UNLISTED", fresh,
                     before={"state": CarrierState.TO_DESTROY, "batch": fresh_batch.pk},
                     after={"state": fresh.state, "batch_number": fresh_batch.number})
    return _refresh(carrier, fresh)


# --- approval ------------------------------------------------------------------------------


def submit_batch(actor: Any, batch: DestructionBatch) -> Request:
    """Send a draft list for approval (rule C7): request `carrier_destruction` at the highest
    state-secret level on it (rule L5)."""
    from baomi.approvals.services import submit_request

    from ..request_types_destruction import CarrierDestructionRequest, batch_payload

    batch = _office_batch(actor, batch)
    with transaction.atomic():
        fresh = _locked_batch(batch.pk)
        _require_draft(fresh)
        if not fresh.items.exists():
            message = _("Put at least one carrier on the list first.")
            raise RuleViolation(message, code="empty_list", rule="C7",
                                fields={"carrier": message})
        title = _("Destruction list %(number)s") % {"number": fresh.number}
        with _filing(fresh.pk):
            request = submit_request(actor, CarrierDestructionRequest.code, title=title[:200],
                                     payload=batch_payload(fresh), subject=fresh)
        BATCH.apply(fresh, BatchState.SUBMITTED, request=request)
        record_event(actor, "DESTRUCTION_BATCH_SUBMITTED", fresh,
                     before={"state": BatchState.DRAFT},
                     after={"state": fresh.state, "request": request.pk,
                            "carriers": _numbers(fresh)})
    _refresh(batch, fresh)
    return request


def batch_of_request(request: Request) -> DestructionBatch:
    """The list a request decides; Conflict for a request no list is waiting on."""
    batch = DestructionBatch.objects.filter(request_id=request.pk).first()
    if batch is None:
        raise Conflict(_("No destruction list is waiting on this request."),
                       code="unknown_batch")
    return batch


def conclude_batch(actor: Any, batch: DestructionBatch, *, approved: bool) -> DestructionBatch:
    """The approvals engine decided (runs in its transaction). Approved: the list waits to be
    carried out. Rejected: the list is closed and every carrier back in store."""
    fresh = _locked_batch(batch.pk)
    if approved:
        BATCH.apply(fresh, BatchState.APPROVED)
        record_event(actor, "DESTRUCTION_BATCH_APPROVED", fresh,
                     before={"state": BatchState.SUBMITTED}, after={"state": fresh.state})
        return _refresh(batch, fresh)
    BATCH.apply(fresh, BatchState.REJECTED)
    returned = _close_items(fresh, CarrierState.IN_STORE)
    record_event(actor, "DESTRUCTION_BATCH_REJECTED", fresh,
                 before={"state": BatchState.SUBMITTED},
                 after={"state": fresh.state,
                        "returned_to_store": [carrier.number for carrier in returned]})
    return _refresh(batch, fresh)


def batch_withdrawn(actor: Any, batch: DestructionBatch) -> DestructionBatch:
    """The 保密办 withdrew the request (hook `on_withdrawn`): the list is a draft again, its
    carriers still on it, to be changed and submitted anew."""
    fresh = _locked_batch(batch.pk)
    BATCH.apply(fresh, BatchState.DRAFT)
    record_event(actor, "DESTRUCTION_BATCH_WITHDRAWN", fresh,
                 before={"state": BatchState.SUBMITTED}, after={"state": fresh.state})
    return _refresh(batch, fresh)


def _close_items(batch: DestructionBatch, to: str) -> list[Carrier]:
    """Move every carrier of the list's open lines to `to` (compare-and-set each) and close
    the lines; the carriers, moved."""
    carriers = []
    for item in batch.items.filter(is_open=True).order_by("carrier_id"):
        carrier = _locked_carrier(item.carrier_id)
        CARRIER.apply(carrier, to, updated_at=timezone.now())
        carriers.append(carrier)
    batch.items.filter(is_open=True).update(is_open=False)
    return carriers


# --- the destruction itself ------------------------------------------------------------------


def record_destruction(actor: Any, batch: DestructionBatch, *, destroyed_at: dt.datetime,
                       place: str, method: str, executors: list[str], body: str,
                       certificate_no: str) -> DestructionBatch:
    """rule C7: record the destruction of an approved list — when, where, how, at which
    designated body or with which certified equipment, the certificate, and the at least two
    people who did it. Every carrier on the list is DESTROYED in the same transaction and
    locked for good."""
    batch = _office_batch(actor, batch)
    destroyed_at = _moment(destroyed_at)
    place = _text(place, "place", PLACE_MAX)
    method = _method(method, "method")
    names = _executors(executors)
    body = _text(body, "body", BODY_MAX)
    certificate_no = _text(certificate_no, "certificate_no", CERTIFICATE_MAX)
    with transaction.atomic():
        fresh = _locked_batch(batch.pk)
        _require_approved(fresh)
        _require_after_approval(fresh, destroyed_at)
        _require_method_suits(fresh, method)
        destroyed = _close_items(fresh, CarrierState.DESTROYED)
        for carrier in destroyed:
            record_event(actor, "CARRIER_DESTROYED", carrier,
                         before={"state": CarrierState.TO_DESTROY},
                         after={"state": CarrierState.DESTROYED, "batch": fresh.pk,
                                "batch_number": fresh.number})
        BATCH.apply(fresh, BatchState.DESTROYED, destroyed_at=destroyed_at, place=place,
                    method=method, executors=names, body=body, certificate_no=certificate_no,
                    recorded_by=actor, recorded_at=timezone.now())
        record_event(actor, "DESTRUCTION_RECORDED", fresh,
                     before={"state": BatchState.APPROVED},
                     after={"state": fresh.state, "destroyed_at": destroyed_at.isoformat(),
                            "place": place, "method": method, "executors": names,
                            "body": body, "certificate_no": certificate_no,
                            "carriers": [carrier.number for carrier in destroyed]})
    return _refresh(batch, fresh)


def _moment(value: Any) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise _invalid("destroyed_at", _("Enter a valid date and time."))
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now():
        raise _invalid("destroyed_at", _("The time cannot be in the future."),
                       code="future_date")
    return value


def _executors(value: Any) -> list[str]:
    """rule C7: the names of at least two different people (one name per entry)."""
    if isinstance(value, str):
        value = _SEPARATORS.split(value)
    if not isinstance(value, list | tuple) or len(value) > EXECUTORS_MAX:
        raise _invalid("executors", _("Name the people who destroyed the carriers."))
    names: list[str] = []
    for entry in value:
        name = _text(entry, "executors", EXECUTOR_MAX, required=False)
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    if len(names) < MIN_EXECUTORS:
        message = _("Destruction is done by at least two people; name each of them.")
        raise RuleViolation(message, code="two_executors", rule="C7",
                            fields={"executors": message})
    return names


def _require_approved(batch: DestructionBatch) -> None:
    if batch.state == BatchState.DESTROYED:
        raise Conflict(_("The destruction of this list is already recorded."),
                       code="already_destroyed")
    if batch.state != BatchState.APPROVED:
        # rule C7: nothing is destroyed before the list is approved.
        raise RuleViolation(_("Only an approved list can be destroyed."), code="not_approved",
                            rule="C7")


def _require_after_approval(batch: DestructionBatch, destroyed_at: dt.datetime) -> None:
    """rule C7: the destruction comes after its approval."""
    if batch.request_id is None:
        return
    decided_at = (Request.objects.filter(pk=batch.request_id)
                  .values_list("decided_at", flat=True).first())
    # Compared to the minute: a time entered on a form has no seconds.
    if decided_at is not None and destroyed_at < decided_at.replace(second=0, microsecond=0):
        message = _("The destruction cannot be earlier than its approval.")
        raise RuleViolation(message, code="before_approval", rule="C7",
                            fields={"destroyed_at": message})


def _require_method_suits(batch: DestructionBatch, method: str) -> None:
    """rule C7: the method destroys every kind of carrier on the list."""
    kinds = set(batch.items.filter(is_open=True).values_list("carrier__kind", flat=True))
    unsuited = sorted(kind for kind in kinds if method not in METHODS_FOR_KIND.get(kind, ()))
    if unsuited:
        message = _("%(method)s does not destroy: %(kinds)s.") % {
            "method": DestructionMethod(method).label,
            "kinds": "、".join(str(CarrierKind(kind).label) for kind in unsuited)}
        raise RuleViolation(message, code="method_unsuited", rule="C7",
                            fields={"method": message})

