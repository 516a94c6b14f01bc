"""Writes of carriers leaving the unit: sent out for good (外发/传递, rule C2), taken out for a
while (携带外出) or taken abroad (出境, rule C6).

Whoever may borrow a carrier (cleared, inside the 知悉范围, rule C5) — or the 保密办 for
someone else — asks; a 绝密 carrier never goes abroad and always moves with at least two people
(rule C6); a carrier is sent only through a 机要 channel (rule C2). The chain
`approvals.chains.carrier_movement` decides (request type `carrier_movement`); the 保密办 hands
it over (carrier OUT), then records its return (IN_STORE) or the recipient's receipt (SENT).

`_today()` and `_now()` are the clocks of these services (tests patch them here).
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Person
from baomi.audit.services import record_event
from baomi.core.errors import AccessDenied, Conflict, NotFound, RuleViolation
from baomi.core.labels import Level, Scheme
from baomi.core.transitions import table

from ..choices import CarrierState
from ..models import Carrier, Movement
from ..models.movement import OPEN_MOVEMENT, MovementChannel, MovementKind, MovementState
from ..selectors import manages_carriers
from ..transitions import CARRIER
from .ledger import (
    PURPOSE_MAX,
    REASON_MAX,
    _choice,
    _invalid,
    _office_carrier,
    _refresh,
    _require_user,
    _text,
    _visible_carrier,
    may_borrow_refusal,
)

M = MovementState
MOVEMENT = table("state", [
    (M.REQUESTED, M.APPROVED, None),    # the approvals chain approved (rules C2, C6)
    (M.REQUESTED, M.REJECTED, None),
    (M.REQUESTED, M.WITHDRAWN, None),
    (M.APPROVED, M.WITHDRAWN, None),    # not handed over after all
    (M.APPROVED, M.OUT, None),          # handed over by the 保密办
    (M.OUT, M.RETURNED, None),          # carry_out, abroad: back in the unit
    (M.OUT, M.DELIVERED, None),         # send_out: the recipient signed for it
])

DESTINATION_MAX = 200
ESCORT_NAME_MAX = 50
ESCORTS_MAX = 10
SIGNER_MAX = 100
# rule C6: a 绝密 carrier is carried by at least two people.
TOP_SECRET_ESCORTS_MIN = 2
# A carrier taken out or abroad is due back within this many days at most.
DUE_BACK_DAYS_MAX = 366
# Times a movement may hold; keeps year 1 out of time-zone arithmetic.
EARLIEST = dt.datetime(1950, 1, 1, tzinfo=dt.UTC)


def _today() -> dt.date:
    return timezone.localdate()


def _now() -> dt.datetime:
    return timezone.now()


# --- rules ----------------------------------------------------------------------------------


def _top_secret(carrier: Carrier) -> bool:
    return carrier.scheme == Scheme.STATE and carrier.level >= Level.TOP_SECRET


def _escort_names(value: Any) -> list[str]:
    if not isinstance(value, list | tuple) or len(value) > ESCORTS_MAX:
        raise _invalid("escorts", _("Name at most %(max)s people.") % {"max": ESCORTS_MAX})
    names = [_text(name, "escorts", ESCORT_NAME_MAX) for name in value]
    if len(set(names)) != len(names):
        raise _invalid("escorts", _("Name each person once."), code="duplicate_escort")
    return names


def _require_rules(carrier: Carrier, kind: str, channel: str, escorts: list[str]) -> None:
    if kind == MovementKind.ABROAD and _top_secret(carrier):  # rule C6
        message = _("A top secret carrier is never taken abroad.")
        raise RuleViolation(message, code="top_secret_abroad", rule="C6",
                            fields={"kind": message})
    if _top_secret(carrier) and len(escorts) < TOP_SECRET_ESCORTS_MIN:  # rule C6
        message = _("A top secret carrier is carried by at least two named people.")
        raise RuleViolation(message, code="two_escorts", rule="C6", fields={"escorts": message})
    if kind != MovementKind.SEND_OUT:
        return
    if channel not in MovementChannel.values:  # rule C2
        message = _("A carrier is sent only through a confidential (机要) channel, never by "
                    "ordinary post or courier.")
        raise RuleViolation(message, code="not_confidential_channel", rule="C2",
                            fields={"channel": message})
    if channel == MovementChannel.IN_PERSON and len(escorts) < 2:  # rule C2: 专人送达
        message = _("Name the two people who deliver it.")
        raise RuleViolation(message, code="two_escorts", rule="C2", fields={"escorts": message})


def _require_carrier_cleared(carrier: Carrier, person: Person) -> None:
    """rules C5, L5: whoever carries it may borrow it (cleared, inside the 知悉范围)."""
    refusal = may_borrow_refusal(carrier, person)
    if refusal is not None:
        raise RuleViolation(refusal.message, code=refusal.code, rule="C6",
                            fields={"carried_by": refusal.message})


def _due_back(kind: str, value: Any) -> dt.date | None:
    if kind == MovementKind.SEND_OUT:
        if value is not None:
            raise _invalid("due_back_on", _("A carrier sent out does not come back."))
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise _invalid("due_back_on", _("Enter the date it is due back."))
    if not _today() <= value <= _today() + dt.timedelta(days=DUE_BACK_DAYS_MAX):
        raise _invalid("due_back_on", _("The date it is due back is from today to a year "
                                        "ahead."), code="out_of_range")
    return value


def _carried_by(actor: Any, carrier: Carrier, value: Any) -> Person:
    person = actor.person if value is None else value
    if not isinstance(person, Person) or person.pk is None \
            or person.unit_id != carrier.unit_id or not person.active:
        raise _invalid("carried_by", _("Choose an active person of the unit."),
                       code="unknown_person")
    if person.pk != actor.person_id and not manages_carriers(actor, carrier.unit_id):
        raise AccessDenied(_("Only the secrecy office can ask for someone else."),
                           code="not_secrecy_office")
    return person


# --- request and decision -------------------------------------------------------------------


def request_movement(actor: Any, carrier: Carrier, *, kind: str, destination: str,
                     purpose: str, channel: str = "", escorts: list[str],
                     carried_by: Person | None = None,
                     due_back_on: dt.date | None = None) -> Movement:
    """rules C2, C6: ask to send a carrier out (through 机要 only), take it out, or take it
    abroad (never a 绝密 one); a 绝密 carrier moves with at least two named people. The
    person carrying it (default: the actor) is cleared for it; the request `carrier_movement`
    goes to the approvals chain."""
    kind = _choice(kind, MovementKind.values, "kind")
    destination = _text(destination, "destination", DESTINATION_MAX)
    purpose = _text(purpose, "purpose", PURPOSE_MAX)
    channel = _text(channel, "channel", 20, required=False)
    names = _escort_names(escorts)
    due = _due_back(kind, due_back_on)
    carrier = _visible_carrier(actor, carrier)
    person = _carried_by(actor, carrier, carried_by)
    with transaction.atomic():
        fresh = _locked_carrier(carrier.pk)
        _require_rules(fresh, kind, channel, names)  # rules C2, C6
        if fresh.state != CarrierState.IN_STORE:
            raise Conflict(_("This carrier is not in store."), code="not_in_store")
        _require_carrier_cleared(fresh, person)
        movement = Movement.objects.create(
            carrier=fresh, kind=kind, destination=destination, purpose=purpose,
            channel=channel if kind == MovementKind.SEND_OUT else "", carried_by=person,
            escorts=names, due_back_on=due, created_by=actor)
        movement.request = _submit(actor, movement)
        Movement.objects.filter(pk=movement.pk).update(request=movement.request)
        record_event(actor, "CARRIER_MOVEMENT_REQUESTED", movement, after={
            **_values(movement), "destination": destination, "purpose": purpose,
            "channel": movement.channel, "escorts": names, "carried_by": person.pk,
            "request": movement.request.pk})
    return movement


def _locked_carrier(pk: int) -> Carrier:
    return Carrier.objects.select_for_update(of=("self",)).select_related(
        "unit", "secret_item").get(pk=pk)


def _locked(movement: Any) -> Movement:
    if not isinstance(movement, Movement) or movement.pk is None:
        raise NotFound()
    try:
        return Movement.objects.select_for_update(of=("self",)).select_related(
            "carried_by", "request").get(pk=movement.pk)
    except Movement.DoesNotExist:
        raise NotFound() from None


def _values(movement: Movement) -> dict[str, Any]:
    return {"carrier": movement.carrier_id, "kind": movement.kind, "state": movement.state,
            "due_back_on": movement.due_back_on.isoformat() if movement.due_back_on else None}


def _submit(actor: Any, movement: Movement) -> Any:
    from baomi.approvals.services import submit_request

    from ..request_types_movement import CarrierMovementRequest, movement_payload

    title = _("%(kind)s of %(number)s to %(destination)s") % {
        "kind": movement.get_kind_display(), "number": movement.carrier.number,
        "destination": movement.destination}
    return submit_request(actor, CarrierMovementRequest.code, title=title[:200],
                          payload=movement_payload(movement), subject=movement)


def check_movement(movement: Movement) -> None:
    """The rules of `request_movement` again, as they stand now (every (re)submission)."""
    carrier = movement.carrier
    _require_rules(carrier, movement.kind, movement.channel, list(movement.escorts))
    _require_carrier_cleared(carrier, movement.carried_by)


def conclude_movement(actor: Any, movement: Movement, *, approved: bool) -> Movement:
    """The approvals engine decided (request type `carrier_movement`); runs in its
    transaction. Of two movements of one carrier approved at once, the unique constraint
    `carrier_movement_one_open` lets one through (Conflict `carrier_taken`)."""
    fresh = _locked(movement)
    if not approved:
        MOVEMENT.apply(fresh, M.REJECTED)
        record_event(actor, "CARRIER_MOVEMENT_REJECTED", fresh, before={"state": M.REQUESTED},
                     after={"state": fresh.state})
        return _refresh(movement, fresh)
    MOVEMENT.check(fresh, M.APPROVED)
    # Not locked: the engine holds the audit chain's lock here (see ledger.conclude_loan).
    carrier = Carrier.objects.select_related("secret_item").get(pk=fresh.carrier_id)
    if carrier.state != CarrierState.IN_STORE or Movement.objects.filter(
            carrier_id=carrier.pk, state__in=OPEN_MOVEMENT).exists():
        raise _carrier_taken()
    fresh.carrier = carrier
    check_movement(fresh)  # rules C2, C6, at the decision
    try:
        with transaction.atomic():
            MOVEMENT.apply(fresh, M.APPROVED)
    except IntegrityError:  # carrier_movement_one_open: a concurrent approval won
        raise _carrier_taken() from None
    record_event(actor, "CARRIER_MOVEMENT_APPROVED", fresh, before={"state": M.REQUESTED},
                 after={"state": fresh.state})
    return _refresh(movement, fresh)


def _carrier_taken() -> Conflict:
    return Conflict(_("This carrier is not in store or already approved to leave."),
                    code="carrier_taken")


def withdraw_movement(actor: Any, movement: Movement, *, reason: str = "") -> Movement:
    """Take a movement back before the carrier leaves: awaiting approval through its request
    (the engine calls this back, `on_withdrawn`); approved, by its requester or the 保密办."""
    from baomi.approvals.choices import RequestState
    from baomi.approvals.services import withdraw_request

    reason = _text(reason, "reason", REASON_MAX, required=False)
    current = (Movement.objects.select_related("request", "carrier").filter(pk=movement.pk)
               .first() if isinstance(movement, Movement) and movement.pk else None)
    if current is None:
        raise NotFound()
    request = current.request
    if current.state == M.REQUESTED and request is not None \
            and request.state in (RequestState.PENDING, RequestState.RETURNED):
        withdraw_request(actor, request, reason=reason or str(_("Movement withdrawn")))
        return _refresh(movement, Movement.objects.get(pk=current.pk))
    _require_user(actor)
    if actor.pk != current.created_by_id:
        _office_carrier(actor, current.carrier)
    with transaction.atomic():
        fresh = _locked(current)
        before = fresh.state
        MOVEMENT.apply(fresh, M.WITHDRAWN)
        record_event(actor, "CARRIER_MOVEMENT_WITHDRAWN", fresh, before={"state": before},
                     after={"state": fresh.state}, reason=reason)
    return _refresh(movement, fresh)


# --- the carrier leaves, comes back, or is signed for ---------------------------------------


def _office_movement(actor: Any, movement: Any) -> Carrier:
    if not isinstance(movement, Movement) or movement.pk is None:
        raise NotFound()
    carrier = Carrier.objects.filter(pk=movement.carrier_id).first()
    if carrier is None:
        raise NotFound()
    return _office_carrier(actor, carrier)


def _moment(value: Any, field: str) -> dt.datetime:
    if value is None:
        return _now()
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        raise _invalid(field, _("Enter a valid date and time."))
    if value < EARLIEST:
        raise _invalid(field, _("Enter a valid date and time."), code="out_of_range")
    if value > _now() + dt.timedelta(minutes=5):
        raise _invalid(field, _("The time cannot be in the future."), code="future_date")
    return value


def _require_not_missing(carrier: Carrier) -> None:
    """rule C8: a carrier reported missing while out comes back by its case (found)."""
    if carrier.state == CarrierState.MISSING:
        raise Conflict(_("This carrier is reported missing; record it as found."),
                       code="carrier_missing")


def close_on_found(actor: Any, carrier: Carrier, found_at: dt.datetime) -> None:
    """rule C8: a carrier lost while out of the unit and found again is back: its movement
    ends as returned (in the caller's transaction, the carrier already locked)."""
    open_movement = Movement.objects.select_for_update().filter(
        carrier_id=carrier.pk, state=M.OUT).first()
    if open_movement is None:
        return
    MOVEMENT.apply(open_movement, M.RETURNED, returned_at=found_at)
    record_event(actor, "CARRIER_MOVEMENT_RETURNED", open_movement, before={"state": M.OUT},
                 after={"state": open_movement.state, "returned_at": found_at.isoformat(),
                        "found": True})


def hand_over(actor: Any, movement: Movement, *, out_at: dt.datetime | None = None) -> Movement:
    """The 保密办 hands the carrier of an approved movement over to leave (rules C2, C6):
    the movement and the carrier are OUT."""
    _office_movement(actor, movement)
    out_at = _moment(out_at, "out_at")
    with transaction.atomic():
        fresh = _locked(movement)
        MOVEMENT.check(fresh, M.OUT)
        carrier = _locked_carrier(fresh.carrier_id)
        fresh.carrier = carrier
        check_movement(fresh)  # rules C2, C6, at the time it leaves
        CARRIER.apply(carrier, CarrierState.OUT)
        MOVEMENT.apply(fresh, M.OUT, out_at=out_at, handed_over_by=actor)
        record_event(actor, "CARRIER_MOVEMENT_HANDED_OVER", fresh,
                     before={"state": M.APPROVED},
                     after={"state": fresh.state, "out_at": out_at.isoformat(),
                            "carried_by": fresh.carried_by_id})
    return _refresh(movement, fresh)


def record_return(actor: Any, movement: Movement, *,
                  returned_at: dt.datetime | None = None) -> Movement:
    """The 保密办 receives back a carrier taken out or abroad: IN_STORE again."""
    _office_movement(actor, movement)
    returned_at = _moment(returned_at, "returned_at")
    with transaction.atomic():
        fresh = _locked(movement)
        if not fresh.comes_back:
            raise Conflict(_("A carrier sent out does not come back; record its receipt."),
                           code="not_returnable")
        MOVEMENT.check(fresh, M.RETURNED)
        carrier = _locked_carrier(fresh.carrier_id)
        _require_not_missing(carrier)
        if fresh.out_at is not None and returned_at < fresh.out_at:
            raise _invalid("returned_at", _("It cannot come back before it left."),
                           code="before_out")
        MOVEMENT.apply(fresh, M.RETURNED, returned_at=returned_at)
        CARRIER.apply(carrier, CarrierState.IN_STORE)
        overdue = fresh.due_back_on is not None and returned_at.date() > fresh.due_back_on
        record_event(actor, "CARRIER_MOVEMENT_RETURNED", fresh, before={"state": M.OUT},
                     after={"state": fresh.state, "returned_at": returned_at.isoformat(),
                            "overdue": overdue})
    return _refresh(movement, fresh)


def record_receipt(actor: Any, movement: Movement, *, signed_by_name: str,
                   received_on: dt.date) -> Movement:
    """rule C2 (签收): the recipient of a carrier sent out signed for it; the carrier is SENT —
    off the store, still on the ledger."""
    _office_movement(actor, movement)
    signed_by_name = _text(signed_by_name, "signed_by_name", SIGNER_MAX)
    if isinstance(received_on, dt.datetime) or not isinstance(received_on, dt.date):
        raise _invalid("received_on", _("Enter a valid date."))
    if received_on > _today():
        raise _invalid("received_on", _("The date cannot be in the future."),
                       code="future_date")
    with transaction.atomic():
        fresh = _locked(movement)
        if fresh.comes_back:
            raise Conflict(_("Only a carrier sent out is signed for; record its return."),
                           code="not_sent_out")
        MOVEMENT.check(fresh, M.DELIVERED)
        if fresh.out_at is not None and received_on < timezone.localtime(fresh.out_at).date():
            raise _invalid("received_on", _("It cannot be received before it left."),
                           code="before_out")
        carrier = _locked_carrier(fresh.carrier_id)
        _require_not_missing(carrier)
        MOVEMENT.apply(fresh, M.DELIVERED, receipt_signed_by=signed_by_name,
                       received_on=received_on)
        CARRIER.apply(carrier, CarrierState.SENT)
        record_event(actor, "CARRIER_MOVEMENT_RECEIVED", fresh, before={"state": M.OUT},
                     after={"state": fresh.state, "signed_by": signed_by_name,
                            "received_on": received_on.isoformat()})
    return _refresh(movement, fresh)
