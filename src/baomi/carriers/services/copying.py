"""Writes of copying (复制, 摘抄, 加印; rule C4) and of the print log (打印输出登记, rule C10).

Whoever may borrow a carrier (cleared for its level, inside the 知悉范围 of its item, rule C5)
may ask to copy it while it is in store or on loan to them; a 绝密 original also needs the
recorded consent of its originating unit (rule C4). The chain `approvals.chains.carrier_copy`
decides (request type `carrier_copy`); the 保密办 then makes the copies, each a new carrier on
the ledger numbered `<original>-F<n>` with a 复制戳记, at the original's level, period and
secret item (rule L5: information never flows down).

Each classified printout is logged by whoever printed it or by the 保密办 (rule C10), never
above the printer's clearance; a printout kept is registered as a carrier.

`_today()` and `_now()` are the clocks of these services (tests patch them here).
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Department, Person, User
from baomi.audit.services import record_event
from baomi.core.access import clearance
from baomi.core.docx import date_text
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level, Scheme, clearance_of
from baomi.core.transitions import table
from baomi.secrets.models import SecretItem

from ..choices import CarrierKind, CarrierOrigin, CarrierState, LoanState
from ..models import Carrier, Container, CopyOrder, CopyStamp, Loan, PrintRecord
from ..models.copying import CopyKind, CopyState
from ..selectors import manages_carriers
from .ledger import (
    COPIES_MAX,
    GONE,
    KNOWLEDGE_RECORDED_FROM,
    NUMBER_MAX,
    PAGES_MAX,
    PURPOSE_MAX,
    REASON_MAX,
    TITLE_MAX,
    _carrier_values,
    _choice,
    _department_of,
    _int,
    _invalid,
    _level,
    _number_exists,
    _office_carrier,
    _person_of,
    _refresh,
    _require_container_holds,
    _require_office,
    _require_registrar_cleared,
    _require_user,
    _still_usable,
    _text,
    _usable_container,
    _visible_carrier,
    may_borrow_refusal,
    record_contact,
    register_carrier,
)

S = CopyState
# rule C4: asked, decided by the chain, made once by the 保密办.
COPY = table("state", [
    (S.REQUESTED, S.APPROVED, None),
    (S.REQUESTED, S.REJECTED, None),
    (S.REQUESTED, S.WITHDRAWN, None),
    (S.APPROVED, S.WITHDRAWN, None),    # not made after all
    (S.APPROVED, S.MADE, None),
])

COPIES_PER_ORDER_MAX = 99
CONSENT_UNIT_MAX = 200
CONSENT_REFERENCE_MAX = 100
DEVICE_MAX = 100
# A copy is numbered after its original: `ZT-0012-F3`.
COPY_SUFFIX = "-F"
# The 复制戳记 (rule C4) as stamped on each copy.
STAMP_WORDS = {CopyKind.COPY: "复制件", CopyKind.EXTRACT: "摘抄件", CopyKind.REPRINT: "加印件"}
# The original must be at hand: in store, or on loan to the one who asks.
AT_HAND = (CarrierState.IN_STORE, CarrierState.ON_LOAN)
# Times a print log may hold; keeps year 1 and year 9999 out of time-zone arithmetic.
EARLIEST_PRINT = dt.datetime(1950, 1, 1)


def _today() -> dt.date:
    return timezone.localdate()


def _now() -> dt.datetime:
    return timezone.now()


# --- rules ----------------------------------------------------------------------------------


def _copy_refusal(carrier: Carrier, person: Person) -> RuleViolation | None:
    """rule C4 (as C5 for a loan): only someone who may borrow the carrier may copy it."""
    refusal = may_borrow_refusal(carrier, person)
    if refusal is None:
        return None
    return RuleViolation(refusal.message, code=refusal.code, rule="C4",
                         fields={"carrier": refusal.message})


def _require_may_copy(carrier: Carrier, person: Person) -> None:
    refusal = _copy_refusal(carrier, person)
    if refusal is not None:
        raise refusal


def at_hand(carrier: Carrier, person: Person) -> bool:
    """rule C4: the original can be copied for `person` — in store, or on loan (out) to
    them."""
    if carrier.state == CarrierState.IN_STORE:
        return True
    return carrier.state == CarrierState.ON_LOAN and Loan.objects.filter(
        carrier_id=carrier.pk, borrower_id=person.pk, state=LoanState.OUT).exists()


def _require_at_hand(carrier: Carrier, person: Person) -> None:
    if not at_hand(carrier, person):
        raise Conflict(_("Only a carrier in store, or on loan to you, can be copied."),
                       code="not_in_store")


def needs_consent(carrier: Carrier) -> bool:
    """rule C4: copying a 绝密 carrier needs the consent of its originating unit."""
    return carrier.scheme == Scheme.STATE and carrier.level >= Level.TOP_SECRET


def _require_consent(carrier: Carrier, unit: str, reference: str,
                     on: dt.date | None) -> None:
    if not needs_consent(carrier):
        return
    missing = {}
    if not unit:
        missing["consent_unit"] = _("Name the originating unit that consented.")
    if not reference:
        missing["consent_reference"] = _("Give the document or reference of the consent.")
    if on is None:
        missing["consent_on"] = _("Give the date of the consent.")
    if missing:  # rule C4
        raise RuleViolation(_("Copying a top secret carrier needs the recorded consent of "
                              "its originating unit."), code="consent_missing", rule="C4",
                            fields=missing)


def _copy_number(carrier: Carrier, n: int) -> str:
    return f"{carrier.number}{COPY_SUFFIX}{n}"


def _first_copy_no(carrier: Carrier) -> int:
    """Copies are numbered on from the copies already made of this original."""
    return Carrier.objects.filter(original_id=carrier.pk).count() + 1


def _require_numbers_fit(carrier: Carrier, copies: int) -> None:
    last = _copy_number(carrier, _first_copy_no(carrier) + copies - 1)
    if len(last) > NUMBER_MAX:
        message = _("The copies would be numbered %(number)s, longer than %(max)s "
                    "characters.") % {"number": last, "max": NUMBER_MAX}
        raise InvalidInput(message, code="number_too_long", fields={"copies": message})


def _past_date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise _invalid(field, _("Enter a valid date."))
    if value > _today():
        raise _invalid(field, _("The date cannot be in the future."), code="future_date")
    return value


# --- copy orders (rule C4) ------------------------------------------------------------------


def request_copy(actor: Any, carrier: Carrier, *, kind: str, copies: int, purpose: str,
                 consent_unit: str = "", consent_reference: str = "",
                 consent_on: dt.date | None = None) -> CopyOrder:
    """rule C4: ask to copy, extract or reprint a carrier. The requester may borrow it (rule
    C5: cleared, inside the 知悉范围), has it at hand (in store or on loan to them) and, for a
    绝密 original, names the originating unit's consent; the request `carrier_copy` goes to
    the approvals chain."""
    kind = _choice(kind, CopyKind.values, "kind")
    copies = _int(copies, "copies", 1, COPIES_PER_ORDER_MAX)
    purpose = _text(purpose, "purpose", PURPOSE_MAX)
    consent_unit = _text(consent_unit, "consent_unit", CONSENT_UNIT_MAX, required=False)
    consent_reference = _text(consent_reference, "consent_reference", CONSENT_REFERENCE_MAX,
                              required=False)
    if consent_on is not None:
        consent_on = _past_date(consent_on, "consent_on")
    carrier = _visible_carrier(actor, carrier)
    requester: Person = actor.person
    with transaction.atomic():
        fresh = _locked_carrier(carrier.pk)
        _require_at_hand(fresh, requester)
        _require_may_copy(fresh, requester)  # rule C4
        _require_consent(fresh, consent_unit, consent_reference, consent_on)  # rule C4
        _require_numbers_fit(fresh, copies)
        order = CopyOrder.objects.create(
            carrier=fresh, kind=kind, copies=copies, purpose=purpose, requested_by=actor,
            consent_unit=consent_unit, consent_reference=consent_reference,
            consent_on=consent_on)
        order.request = _submit(actor, order)
        CopyOrder.objects.filter(pk=order.pk).update(request=order.request)
        record_event(actor, "CARRIER_COPY_REQUESTED", order, after={
            **_order_values(order), "purpose": purpose, "consent_unit": consent_unit,
            "consent_reference": consent_reference, "consent_on": _iso(consent_on),
            "request": order.request.pk})
    return order


def _locked_carrier(pk: int) -> Carrier:
    return Carrier.objects.select_for_update(of=("self",)).select_related(
        "unit", "secret_item", "container").get(pk=pk)


def _locked_order(order: CopyOrder) -> CopyOrder:
    try:
        return CopyOrder.objects.select_for_update(of=("self",)).select_related(
            "requested_by__person", "request").get(pk=order.pk)
    except CopyOrder.DoesNotExist:
        raise NotFound() from None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _order_values(order: CopyOrder) -> dict[str, Any]:
    return {"carrier": order.carrier_id, "kind": order.kind, "copies": order.copies,
            "state": order.state}


def _submit(actor: Any, order: CopyOrder) -> Any:
    from baomi.approvals.services import submit_request

    from ..request_types_copying import CarrierCopyRequest, copy_payload

    title = _("%(kind)s of %(number)s × %(copies)s by %(person)s") % {
        "kind": order.get_kind_display(), "number": order.carrier.number,
        "copies": order.copies, "person": actor.person.name}
    return submit_request(actor, CarrierCopyRequest.code, title=title[:200],
                          payload=copy_payload(order), subject=order)


def check_copy_order(actor: Any, order: CopyOrder) -> None:
    """What the request type checks at every (re)submission: the rules of `request_copy`
    again, as they stand now."""
    carrier = order.carrier
    person = order.requested_by.person
    _require_at_hand(carrier, person)
    _require_may_copy(carrier, person)  # rule C4
    _require_consent(carrier, order.consent_unit, order.consent_reference,
                     order.consent_on)  # rule C4


def conclude_copy(actor: Any, order: CopyOrder, *, approved: bool) -> CopyOrder:
    """The approvals engine decided (request type `carrier_copy`); runs in its transaction.
    An approval checks again that the requester may copy the carrier (rule C4)."""
    fresh = _locked_order(order)
    if not approved:
        COPY.apply(fresh, S.REJECTED)
        record_event(actor, "CARRIER_COPY_REJECTED", fresh, before={"state": S.REQUESTED},
                     after={"state": fresh.state})
        return _refresh(order, fresh)
    COPY.check(fresh, S.APPROVED)
    # Not locked: the services that lock a carrier row lock it before the audit chain, and
    # the engine holds the request's lock here (see services.ledger.conclude_loan).
    carrier = Carrier.objects.select_related("secret_item").get(pk=fresh.carrier_id)
    _require_may_copy(carrier, fresh.requested_by.person)  # rule C4, at the decision
    COPY.apply(fresh, S.APPROVED)
    record_event(actor, "CARRIER_COPY_APPROVED", fresh, before={"state": S.REQUESTED},
                 after={"state": fresh.state})
    return _refresh(order, fresh)


def withdraw_copy(actor: Any, order: CopyOrder, *, reason: str = "") -> CopyOrder:
    """Take a copy order back before the copies are made.

    An order awaiting approval is withdrawn by its requester through its request (the
    approvals engine calls this back, `on_withdrawn`); an approved order not yet made is
    cancelled by its requester or by the 保密办 of the unit.
    """
    from baomi.approvals.choices import RequestState
    from baomi.approvals.services import withdraw_request

    reason = _text(reason, "reason", REASON_MAX, required=False)
    current = (CopyOrder.objects.select_related("request", "carrier").filter(pk=order.pk).first()
               if isinstance(order, CopyOrder) and order.pk is not None else None)
    if current is None:
        raise NotFound()
    request = current.request
    if current.state == S.REQUESTED and request is not None \
            and request.state in (RequestState.PENDING, RequestState.RETURNED):
        withdraw_request(actor, request, reason=reason or str(_("Copy order withdrawn")))
        return _refresh(order, CopyOrder.objects.get(pk=current.pk))
    _require_user(actor)
    if actor.pk != current.requested_by_id:
        _office_carrier(actor, current.carrier)  # the 保密办 cancels one not made
    with transaction.atomic():
        fresh = _locked_order(current)
        before = fresh.state
        COPY.apply(fresh, S.WITHDRAWN)
        record_event(actor, "CARRIER_COPY_WITHDRAWN", fresh, before={"state": before},
                     after={"state": fresh.state}, reason=reason)
    return _refresh(order, fresh)


def copy_stamp_text(order: CopyOrder, copy_no: int, made_on: dt.date) -> str:
    """The 复制戳记 (rule C4): `复制件 第3份 · 复制审批第12号 · 2026年11月24日`."""
    word = STAMP_WORDS.get(CopyKind(order.kind), STAMP_WORDS[CopyKind.COPY])
    return f"{word} 第{copy_no}份 · 复制审批第{order.pk}号 · {date_text(made_on)}"


def make_copies(actor: Any, order: CopyOrder, *, made_on: dt.date,
                custodian: Person | None = None,
                container: Container | None = None) -> list[Carrier]:
    """The 保密办 makes the copies of an approved order (rule C4): each a new carrier on the
    ledger, `<original>-F<n>`, copy numbers going on from the copies already made, with its
    复制戳记, the original's scheme, level, period and item (rule L5: never below the source),
    kept by the requester unless another custodian cleared for it is named, in the original's
    container unless another one rated for it is given (rule C3). rule S8: the requester of
    copies of a 机密 or 绝密 carrier of a secret item comes to know the item."""
    if not isinstance(order, CopyOrder) or order.pk is None:
        raise NotFound()
    original = _office_carrier(actor, _order_carrier(order))
    made_on = _past_date(made_on, "made_on")
    if custodian is not None:
        custodian = _person_of(original.unit_id, custodian, "custodian")
    if container is not None:
        container = _usable_container(original.unit_id, container)
    with transaction.atomic():
        fresh = _locked_order(order)
        COPY.check(fresh, S.MADE)
        if made_on < timezone.localtime(fresh.created_at).date():
            raise _invalid("made_on", _("The copies cannot be made before they were asked "
                                        "for."), code="before_request")
        source = _locked_carrier(fresh.carrier_id)
        requester = fresh.requested_by.person
        if source.state not in AT_HAND:
            raise Conflict(_("The original is not at hand to be copied."),
                           code="not_in_store")
        _require_may_copy(source, requester)  # rule C4, when the copies are made
        keeper = custodian or requester
        _require_cleared(keeper, source, "custodian")  # rule L5
        place = container if container is not None else source.container
        if place is not None:
            place = _still_usable(place)
            _require_container_holds(place, source.scheme, source.level)  # rules C3, Q7
        made = _made_copies(actor, fresh, source, made_on, keeper, place)
        COPY.apply(fresh, S.MADE, made_on=made_on, made_by=actor)
        record_event(actor, "CARRIER_COPIES_MADE", fresh, before={"state": S.APPROVED},
                     after={"state": fresh.state, "made_on": _iso(made_on),
                            "copies": [copy.pk for copy in made]})
        # After the events: the audit chain's lock comes before the item's (see hand_out).
        if _knowledge_recorded(source):  # rule S8
            record_contact(actor, source, person=requester, request_id=fresh.request_id,
                           known_on=made_on, source=f"复制载体 {source.number}")
    return made


def _order_carrier(order: CopyOrder) -> Carrier:
    carrier = Carrier.objects.filter(pk=order.carrier_id).first()
    if carrier is None:
        raise NotFound()
    return carrier


def _require_cleared(person: Person, carrier: Carrier, field: str) -> None:
    if carrier.scheme == Scheme.STATE and clearance_of(person.category) < carrier.level:
        message = _("%(name)s is not cleared for %(level)s.") % {
            "name": person.name, "level": Level(carrier.level).label}
        raise RuleViolation(message, code="clearance", rule="L5", fields={field: message})


def _made_copies(actor: Any, order: CopyOrder, source: Carrier, made_on: dt.date,
                 keeper: Person, place: Container | None) -> list[Carrier]:
    """The new carriers, each registered and stamped (rule C4)."""
    first = _first_copy_no(source)
    _require_numbers_fit(source, order.copies)
    extract = order.kind == CopyKind.EXTRACT
    made = []
    for n in range(first, first + order.copies):
        number = _copy_number(source, n)
        if Carrier.objects.filter(unit_id=source.unit_id, number=number).exists():
            raise _number_exists()
        try:
            with transaction.atomic():
                copy = Carrier.objects.create(
                    unit_id=source.unit_id, department_id=keeper.department_id
                    or source.department_id, number=number, title=source.title,
                    kind=CarrierKind.PAPER if extract else source.kind, scheme=source.scheme,
                    level=source.level, period_kind=source.period_kind,
                    period_value=source.period_value, secret_item=source.secret_item,
                    origin=CarrierOrigin.COPIED, source_unit=source.source_unit,
                    source_document_no=source.source_document_no, received_on=made_on,
                    pages=None if extract else source.pages, capacity=source.capacity,
                    copies=1, copy_no=f"第{n}份", original=source, custodian=keeper,
                    container=place,
                    location=source.location if place == source.container else "",
                    registered_by=actor)
        except IntegrityError:  # carrier_number_unique: a concurrent registration won
            raise _number_exists() from None
        stamp = CopyStamp.objects.create(order=order, carrier=copy,
                                         text=copy_stamp_text(order, n, made_on))
        record_event(actor, "CARRIER_REGISTERED", copy, after={
            **_carrier_values(copy), "original": source.pk, "copy_no": copy.copy_no,
            "copy_order": order.pk, "stamp": stamp.text})
        made.append(copy)
    return made


def _knowledge_recorded(carrier: Carrier) -> bool:
    """rule S8: a 机密 or 绝密 carrier of a secret item still in force."""
    item = carrier.secret_item
    return (item is not None and carrier.scheme == Scheme.STATE
            and carrier.level >= KNOWLEDGE_RECORDED_FROM and item.state not in GONE)


# --- the print log (rule C10) ----------------------------------------------------------------


def _printed_at(value: Any) -> dt.datetime:
    """A time of printing, not in the future; a naive time is local (Asia/Shanghai)."""
    if value is None:
        return _now()
    if not isinstance(value, dt.datetime):
        raise _invalid("printed_at", _("Enter a valid date and time."))
    naive = value.replace(tzinfo=None)
    if not EARLIEST_PRINT <= naive <= dt.datetime(2100, 12, 31):
        raise _invalid("printed_at", _("Enter a valid date and time."), code="out_of_range")
    aware = value if timezone.is_aware(value) else timezone.make_aware(value)
    if aware > _now():
        raise _invalid("printed_at", _("The time cannot be in the future."),
                       code="future_date")
    return aware


def _require_printer_cleared(person: Person, scheme: str, level: int) -> None:
    """rule C10 (and L5): nobody prints a document above their own clearance."""
    if scheme == Scheme.STATE and clearance_of(person.category) < level:
        message = _("%(name)s is not cleared for %(level)s.") % {
            "name": person.name, "level": Level(level).label}
        raise RuleViolation(message, code="above_clearance", rule="C10",
                            fields={"level": message})


def _require_person_cleared(person: Person, scheme: str, level: int, field: str) -> None:
    """rule L5: whoever approves or receives a printout is cleared for it."""
    if scheme == Scheme.STATE and clearance_of(person.category) < level:
        message = _("%(name)s is not cleared for %(level)s.") % {
            "name": person.name, "level": Level(level).label}
        raise RuleViolation(message, code="clearance", rule="L5", fields={field: message})


def record_print(actor: Any, *, title: str, scheme: str, level: int, pages: int, copies: int,
                 device: str, printed_at: dt.datetime | None = None,
                 printed_by: Person | None = None, department: Department | None = None,
                 approved_by: Person | None = None, recipient: Person | None = None,
                 register_carrier: bool = False, number: str = "", period_kind: str = "",
                 period_value: int | None = None, secret_item: SecretItem | None = None,
                 container: Container | None = None, location: str = "") -> PrintRecord:
    """rule C10: log a classified printout — by the person who printed it, or by the 保密办
    of the unit for anyone. The level is never above the printer's clearance; who approved
    and who received it are cleared for it (rule L5). With `register_carrier` the printout is
    kept: registered as a carrier (保密办; `number`, the period and, optionally, the item and
    container as for `register_carrier`), the recipient — else the printer — its custodian.
    """
    user = _require_user(actor)
    unit_id = user.person.unit_id
    title = _text(title, "title", TITLE_MAX)
    scheme = _choice(scheme, Scheme.values, "scheme")
    level = _level(scheme, level)
    pages = _int(pages, "pages", 1, PAGES_MAX)
    copies = _int(copies, "copies", 1, COPIES_MAX)
    device = _text(device, "device", DEVICE_MAX)
    printed_at = _printed_at(printed_at)
    printer = user.person if printed_by is None else _person_of(unit_id, printed_by,
                                                                   "printed_by")
    if department is not None:
        department = _department_of(unit_id, department)
    approver = None if approved_by is None else _person_of(unit_id, approved_by,
                                                           "approved_by")
    receiver = None if recipient is None else _person_of(unit_id, recipient, "recipient")
    if not isinstance(register_carrier, bool):
        raise _invalid("register_carrier", _("Choose yes or no."))
    if printer.pk != user.person_id and not manages_carriers(user, unit_id):
        raise AccessDenied(_("Only the secrecy office can log a printout by someone else."),
                           code="not_secrecy_office")
    _require_printer_cleared(printer, scheme, level)  # rule C10
    _require_registrar_cleared(user, scheme, level)  # rule L5: nothing above one's own
    for person, field in ((approver, "approved_by"), (receiver, "recipient")):
        if person is not None:
            _require_person_cleared(person, scheme, level, field)  # rule L5
    department = department or printer.department
    with transaction.atomic():
        carrier = None
        if register_carrier:
            carrier = _register_printout(
                user, title=title, scheme=scheme, level=level, pages=pages, copies=copies,
                printed_on=timezone.localtime(printed_at).date(), department=department,
                custodian=receiver or printer, number=number, period_kind=period_kind,
                period_value=period_value, secret_item=secret_item, container=container,
                location=location)
        record = PrintRecord.objects.create(
            unit_id=unit_id, department=department, printed_by=printer, title=title,
            scheme=scheme, level=level, pages=pages, copies=copies, device=device,
            approved_by=approver, recipient=receiver, printed_at=printed_at, carrier=carrier,
            recorded_by=user)
        record_event(actor, "CARRIER_PRINT_RECORDED", record, after=_print_values(record))
    return record


def _register_printout(user: User, *, title: str, scheme: str, level: int, pages: int,
                       copies: int, printed_on: dt.date, department: Department | None,
                       custodian: Person, number: str, period_kind: str,
                       period_value: int | None, secret_item: SecretItem | None,
                       container: Container | None, location: str) -> Carrier:
    """The printout kept: a paper carrier produced in the unit (rules C1, C3, L5 as any
    registration)."""
    _require_office(user, user.person.unit_id)
    if department is None:
        message = _("Choose the department the printout belongs to.")
        raise InvalidInput(message, code="required", fields={"department": message})
    return register_carrier(
        user, unit=user.person.unit, department=department, number=number, title=title,
        kind=CarrierKind.PAPER, scheme=scheme, level=level, period_kind=period_kind,
        period_value=period_value, origin=CarrierOrigin.PRODUCED, received_on=printed_on,
        custodian=custodian, container=container, location=location, secret_item=secret_item,
        pages=pages, copies=copies)


def _print_values(record: PrintRecord) -> dict[str, Any]:
    return {"title": record.title, "scheme": record.scheme, "level": int(record.level),
            "pages": record.pages, "copies": record.copies, "device": record.device,
            "printed_by": record.printed_by_id, "department": record.department_id,
            "approved_by": record.approved_by_id, "recipient": record.recipient_id,
            "printed_at": record.printed_at.isoformat(), "carrier": record.carrier_id}


def record_prints_export(actor: Any, unit_id: int | None, rows: int) -> None:
    """Exports of the print log leave a trace (who took it out, how many rows)."""
    with transaction.atomic():
        record_event(actor, "CARRIER_PRINTS_EXPORTED", object_type="carriers.printrecord",
                     unit_id=unit_id, after={"rows": rows, "clearance": int(clearance(actor))})
