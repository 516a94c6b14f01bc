"""Writes of the carrier ledger (rules C1–C5, C9, L4, L5, S8): containers, carriers, loans.

The 保密办 of a unit keeps the ledger: it registers containers and carriers (登记/签收, rule
C2), stores them in containers that may hold them (rule C3), names their custodians and hands
out and receives loans. Anyone who sees a carrier may ask to borrow it (rule C5); the
approvals chain `approvals.chains.carrier_loan` decides (request type `carrier_loan`). Every
write checks access and the rules, moves states with the transition tables' compare-and-set
and records its audit event, in one transaction: a refused action leaves nothing behind.

`_today()` is the one clock of these services (tests patch `baomi.carriers.services._today`).
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Department, Person, Unit, User
from baomi.audit.services import record_event
from baomi.compliance.models import SecureRoom
from baomi.compliance.services import q7_shortfalls
from baomi.core.access import clearance, sees_business_data
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level, Scheme, clearance_of
from baomi.core.policy import policy_of
from baomi.core.validation import clean_text
from baomi.secrets.choices import ItemState, KnowledgeKind
from baomi.secrets.marks import CONDITION_WORDS, level_word
from baomi.secrets.models import SecretItem
from baomi.secrets.selectors import in_scope, items_visible_to

from ..choices import (
    MAX_RATING,
    CarrierKind,
    CarrierOrigin,
    CarrierState,
    ContainerKind,
    LoanKind,
    LoanState,
)
from ..models import Carrier, Container, Loan
from ..selectors import carriers_visible_to, containers_visible_to, manages_carriers
from ..transitions import CARRIER, LOAN

NUMBER_MAX = 50
TITLE_MAX = 300
LOCATION_MAX = 200
SOURCE_UNIT_MAX = 200
SOURCE_DOCUMENT_MAX = 100
CAPACITY_MAX = 50
COPY_NO_MAX = 20
PURPOSE_MAX = 500
ROOM_MAX = 100
REASON_MAX = 500
PAGES_MAX = 1_000_000
COPIES_MAX = 9_999
# A loan in one of these states keeps the carrier from being lent to someone else (rule C5).
OPEN_LOAN = (LoanState.APPROVED, LoanState.OUT)
ASKED_OR_OPEN = (LoanState.REQUESTED, *OPEN_LOAN)
# DESIGN.md 'Access model': opening the detail of a 机密 or 绝密 carrier is audited.
READ_AUDITED_FROM = Level.CONFIDENTIAL
# rule S8: who comes to know a 机密 or 绝密 item is recorded.
KNOWLEDGE_RECORDED_FROM = Level.CONFIDENTIAL
GONE = (ItemState.REJECTED, ItemState.DECLASSIFIED)  # items that are no secret (any more)

# rule Q7: from this level up, carriers are kept in secure rooms.
SECURE_ROOM_FROM = Level.CONFIDENTIAL


def _today() -> dt.date:
    return timezone.localdate()


# --- input ----------------------------------------------------------------------------------


def _invalid(field: str, message: str, code: str = "invalid") -> InvalidInput:
    return InvalidInput(message, code=code, fields={field: message})


def _text(value: Any, field: str, max_length: int, *, required: bool = True) -> str:
    return clean_text(value, field, max_length, required=required)


def _choice(value: Any, values: list[str], field: str) -> str:
    if not isinstance(value, str) or value not in values:
        raise _invalid(field, _("Choose from the list."))
    return value


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise _invalid(field, _("Enter a valid date."))
    if value > _today():
        raise _invalid(field, _("The date cannot be in the future."), code="future_date")
    return value


def _int(value: Any, field: str, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(field, _("Enter a whole number."))
    if not minimum <= value <= maximum:
        raise _invalid(field, _("Enter a number from %(min)s to %(max)s.")
                       % {"min": minimum, "max": maximum}, code="out_of_range")
    return value


def _bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise _invalid(field, _("Choose yes or no."))
    return value


def _instance(value: Any, model: type, field: str) -> Any:
    if not isinstance(value, model) or getattr(value, "pk", None) is None:
        raise _invalid(field, _("Choose from the list."), code="unknown")
    return value


def _person_of(unit_id: int, value: Any, field: str) -> Person:
    """An active person of the unit."""
    person: Person = _instance(value, Person, field)
    if person.unit_id != unit_id or not person.active:
        raise _invalid(field, _("Choose an active person of the unit."), code="unknown_person")
    return person


def _department_of(unit_id: int, value: Any, field: str = "department") -> Department:
    department: Department = _instance(value, Department, field)
    if department.unit_id != unit_id:
        raise _invalid(field, _("Choose a department of the unit."), code="unknown_department")
    return department


def _scheme(value: Any) -> str:
    if not isinstance(value, str) or value not in Scheme.values:
        raise _invalid("scheme", _("Choose state, work or commercial secret."))
    return value


def _level(scheme: str, value: Any) -> int:
    """A secret level of the scheme: 秘密/机密/绝密, or a grade of 工作秘密/商业秘密 (rule L4)."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in Level.values \
            or value == Level.NONSECRET:
        raise _invalid("level", _("Choose a level."))
    if not level_word(scheme, value):
        # rule L4: 工作秘密 has one grade, 商业秘密 two; they never take state-secret levels.
        message = _("This level does not exist for %(scheme)s.") % {
            "scheme": Scheme(scheme).label}
        raise RuleViolation(message, code="level_not_in_scheme", rule="L4",
                            fields={"level": message})
    return value


def _period(unit: Unit, scheme: str, level: int, period_kind: Any,
            period_value: Any) -> tuple[str, int | None]:
    """rules S2, S9: the period as the 定密 app validates it (at most the level's maximum, a
    year or more in years, 长期 only for 绝密). A carrier repeats the mark of its source; the
    text of a declassification condition belongs to the item (rule S1), not to the carrier."""
    from baomi.secrets.services import checked_period

    kind, value, _condition = checked_period(policy_of(unit), scheme, level, period_kind,
                                             period_value, CONDITION_WORDS)
    return kind, value


# --- rules ----------------------------------------------------------------------------------


def _cleared(person: Person, scheme: str, level: int) -> bool:
    """rule L5: state secrets up to the person's clearance; other schemes carry no state
    level (rule L4)."""
    return scheme != Scheme.STATE or clearance_of(person.category) >= level


def _require_cleared_person(person: Person, scheme: str, level: int, field: str,
                            rule: str = "L5") -> None:
    if not _cleared(person, scheme, level):
        message = _("%(name)s is not cleared for %(level)s.") % {
            "name": person.name, "level": Level(level).label}
        raise RuleViolation(message, code="clearance", rule=rule, fields={field: message})


def _require_container_holds(container: Container, scheme: str, level: int,
                             field: str = "container") -> None:
    """rule C3: a container holds nothing above its rating; a plain 保密柜 (rated 非密)
    holds only 工作秘密 and 商业秘密 carriers, which carry no state level (rule L4). rule Q7:
    a 机密 or 绝密 carrier only in a container standing in a secure room that meets Q7."""
    if scheme == Scheme.STATE and container.rating < level:
        message = _("%(container)s is rated %(rating)s and cannot hold a %(level)s carrier.") % {
            "container": container.number, "rating": Level(container.rating).label,
            "level": Level(level).label}
        raise RuleViolation(message, code="container_rating", rule="C3",
                            fields={field: message})
    _require_secure_room(container, container.room, scheme, level, field)


def needs_secure_room(scheme: str, level: int) -> bool:
    """rule Q7: state secrets of 机密 and above are kept in secure rooms."""
    return scheme == Scheme.STATE and level >= SECURE_ROOM_FROM


def _require_secure_room(container: Container, room: SecureRoom | None, scheme: str,
                         level: int, field: str) -> None:
    shortfalls = q7_shortfalls(room) if needs_secure_room(scheme, level) else []
    if shortfalls:  # rule Q7
        message = _("%(container)s cannot hold a %(level)s carrier (rule Q7): %(shortfalls)s.") % {
            "container": container.number, "level": Level(level).label,
            "shortfalls": "; ".join(shortfalls)}
        raise RuleViolation(message, code="secure_room", rule="Q7", fields={field: message})


def _room_of(unit_id: int, value: Any) -> SecureRoom | None:
    if value is None:
        return None
    room: SecureRoom = _instance(value, SecureRoom, "room")
    if room.unit_id != unit_id:
        raise _invalid("room", _("Choose a room of the unit."), code="unknown_room")
    return room


def _usable_container(unit_id: int, value: Any) -> Container:
    container: Container = _instance(value, Container, "container")
    if container.unit_id != unit_id:
        raise _invalid("container", _("Choose a container of the unit."),
                       code="unknown_container")
    if not container.active:
        raise _invalid("container", _("This container is no longer in use."),
                       code="container_retired")
    return container


def may_borrow_refusal(carrier: Carrier, borrower: Person) -> RuleViolation | None:
    """rule C5: only people cleared for the carrier's level and, for a carrier of a secret
    item, inside the item's 知悉范围 borrow it; None when `borrower` may."""
    if not _cleared(borrower, carrier.scheme, carrier.level):
        message = _("%(name)s is not cleared for %(level)s.") % {
            "name": borrower.name, "level": Level(carrier.level).label}
        return RuleViolation(message, code="clearance", rule="C5", fields={"borrower": message})
    item = carrier.secret_item
    if item is not None and not in_scope(item, borrower):
        message = _("%(name)s is not in the need-to-know scope of this carrier.") % {
            "name": borrower.name}
        return RuleViolation(message, code="not_in_scope", rule="C5",
                             fields={"borrower": message})
    return None


def _require_may_borrow(carrier: Carrier, borrower: Person) -> None:
    if borrower.unit_id != carrier.unit_id or not borrower.active:
        raise _invalid("borrower", _("Choose an active person of the unit."),
                       code="unknown_person")
    refusal = may_borrow_refusal(carrier, borrower)
    if refusal is not None:  # rule C5
        raise refusal


def loan_due_on(unit: Unit, kind: str, start: dt.date) -> dt.date:
    """rule C5: a 传阅 comes back the same day; a 借阅 after policy `carriers.borrow_days`
    days (0: the same day as well)."""
    if kind == LoanKind.CIRCULATE:
        return start
    return start + dt.timedelta(days=int(policy_of(unit)["carriers.borrow_days"]))


# --- access ---------------------------------------------------------------------------------


def _require_user(actor: Any) -> User:
    if not isinstance(actor, User) or not sees_business_data(actor):
        raise AccessDenied(code="no_business_role")
    return actor


def _not_office() -> AccessDenied:
    return AccessDenied(_("Only the secrecy office of the unit can do this."),
                        code="not_secrecy_office")


def _require_office(actor: Any, unit_id: int) -> None:
    _require_user(actor)
    if not manages_carriers(actor, unit_id):
        raise _not_office()


def _require_registrar_cleared(actor: Any, scheme: str, level: int) -> None:
    """rule L5: nobody registers a carrier above their own clearance."""
    if scheme == Scheme.STATE and level > clearance(actor):
        message = _("The level is above your clearance.")
        raise RuleViolation(message, code="above_clearance", rule="L5",
                            fields={"level": message})


def _visible_carrier(actor: Any, carrier: Any) -> Carrier:
    """The carrier as the actor may see it (rule L5); NotFound for anything else."""
    _require_user(actor)
    if not isinstance(carrier, Carrier) or carrier.pk is None \
            or not carriers_visible_to(actor).filter(pk=carrier.pk).exists():
        raise NotFound()
    return carrier


def _office_carrier(actor: Any, carrier: Any) -> Carrier:
    """A carrier the actor keeps as the 保密办 of its unit; whoever only sees it is refused,
    others learn nothing."""
    carrier = _visible_carrier(actor, carrier)
    if not manages_carriers(actor, carrier.unit_id):
        raise _not_office()
    return carrier


def _office_container(actor: Any, container: Any) -> Container:
    _require_user(actor)
    if not isinstance(container, Container) or container.pk is None \
            or not containers_visible_to(actor).filter(pk=container.pk).exists():
        raise NotFound()
    return container


# --- locking and the audit trail -------------------------------------------------------------


def _locked_carrier(pk: int) -> Carrier:
    """The carrier row, locked for this transaction (PostgreSQL; SQLite serialises writers)."""
    return Carrier.objects.select_for_update(of=("self",)).select_related(
        "unit", "secret_item").get(pk=pk)


def _locked_loan(loan: Loan) -> Loan:
    try:
        return Loan.objects.select_for_update(of=("self",)).select_related(
            "borrower", "request").get(pk=loan.pk)
    except Loan.DoesNotExist:
        raise NotFound() from None


def _locked_container(pk: int) -> Container:
    return Container.objects.select_for_update().get(pk=pk)


def _refresh(obj: Any, fresh: Any) -> Any:
    for field in type(fresh)._meta.concrete_fields:
        setattr(obj, field.attname, getattr(fresh, field.attname))
    return obj


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _container_values(container: Container) -> dict[str, Any]:
    return {"number": container.number, "kind": container.kind, "rating": int(container.rating),
            "location": container.location, "custodian": container.custodian_id,
            "department": container.department_id, "active": container.active,
            "room": container.room_id}


def _carrier_values(carrier: Carrier) -> dict[str, Any]:
    return {"number": carrier.number, "title": carrier.title, "kind": carrier.kind,
            "scheme": carrier.scheme, "level": int(carrier.level),
            "period_kind": carrier.period_kind, "period_value": carrier.period_value,
            "secret_item": carrier.secret_item_id, "origin": carrier.origin,
            "source_unit": carrier.source_unit,
            "source_document_no": carrier.source_document_no,
            "received_on": _iso(carrier.received_on), "department": carrier.department_id,
            "custodian": carrier.custodian_id, "container": carrier.container_id,
            "location": carrier.location, "signed_by": carrier.signed_by_id,
            "copies": carrier.copies, "state": carrier.state}


def _loan_values(loan: Loan) -> dict[str, Any]:
    return {"carrier": loan.carrier_id, "borrower": loan.borrower_id, "kind": loan.kind,
            "state": loan.state, "due_on": _iso(loan.due_on)}


def _number_exists() -> Conflict:
    message = _("This number is already on the ledger of the unit.")
    return Conflict(message, code="number_exists", fields={"number": message})


# --- containers (rule C3) -------------------------------------------------------------------


def register_container(actor: Any, *, unit: Unit, number: str, kind: str, rating: int,
                       location: str, department: Department | None = None,
                       custodian: Person | None = None,
                       room: SecureRoom | None = None) -> Container:
    """rule C3: a 保密柜, 密码文件柜 or 密码保险柜 with its rating, at most what its kind may
    hold (a plain 保密柜 no state secret, a 密码文件柜 up to 机密, a 密码保险柜 up to 绝密)."""
    unit = _instance(unit, Unit, "unit")
    number = _text(number, "number", NUMBER_MAX)
    kind = _choice(kind, ContainerKind.values, "kind")
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in Level.values:
        raise _invalid("rating", _("Choose a rating."))
    if rating > MAX_RATING[ContainerKind(kind)]:  # rule C3
        message = _("A %(kind)s holds at most %(level)s.") % {
            "kind": ContainerKind(kind).label, "level": Level(MAX_RATING[ContainerKind(kind)]).label}
        raise RuleViolation(message, code="rating_above_kind", rule="C3",
                            fields={"rating": message})
    location = _text(location, "location", LOCATION_MAX)
    if department is not None:
        department = _department_of(unit.pk, department)
    room = _room_of(unit.pk, room)
    _require_office(actor, unit.pk)
    if custodian is not None:
        custodian = _person_of(unit.pk, custodian, "custodian")
        _require_cleared_person(custodian, Scheme.STATE, rating, "custodian")  # rule L5
    try:
        with transaction.atomic():
            if Container.objects.filter(unit=unit, number=number).exists():
                raise _number_exists()
            container = Container.objects.create(
                unit=unit, department=department, number=number, kind=kind, rating=rating,
                location=location, custodian=custodian, room=room)
            record_event(actor, "CONTAINER_REGISTERED", container,
                         after=_container_values(container))
    except IntegrityError:  # container_number_unique: a concurrent registration won
        raise _number_exists() from None
    return container


def update_container(actor: Any, container: Container, *, location: str,
                     custodian: Person | None, active: bool,
                     room: SecureRoom | None) -> Container:
    """Move, hand over or retire a container; one still holding carriers stays in use, and
    one holding 机密 or 绝密 carriers moves only to a room that meets rule Q7."""
    container = _office_container(actor, container)
    location = _text(location, "location", LOCATION_MAX)
    active = _bool(active, "active")
    room = _room_of(container.unit_id, room)
    if custodian is not None:
        custodian = _person_of(container.unit_id, custodian, "custodian")
        _require_cleared_person(custodian, Scheme.STATE, container.rating, "custodian")
    with transaction.atomic():
        fresh = _locked_container(container.pk)
        before = _container_values(fresh)
        holding = Carrier.objects.filter(container_id=fresh.pk).exclude(
            state=CarrierState.DESTROYED)
        if not active and fresh.active and holding.exists():
            raise Conflict(_("The container still holds carriers; move them first."),
                           code="container_not_empty", fields={"active": _("Not empty.")})
        if room != fresh.room:
            _require_room_holds(fresh, room, holding)  # rule Q7
        Container.objects.filter(pk=fresh.pk).update(location=location, custodian=custodian,
                                                     active=active, room=room)
        fresh.location, fresh.custodian, fresh.active = location, custodian, active
        fresh.room = room
        record_event(actor, "CONTAINER_UPDATED", fresh, before=before,
                     after=_container_values(fresh))
    return _refresh(container, fresh)


def _require_room_holds(container: Container, room: SecureRoom | None, holding: Any) -> None:
    """rule Q7: the room a container moves to meets Q7 for the highest state secret in it."""
    top = holding.filter(scheme=Scheme.STATE).order_by("-level").values_list(
        "level", flat=True).first()
    if top is not None:
        _require_secure_room(container, room, Scheme.STATE, int(top), "room")


# --- the ledger (rules C1, C2, C3, L4, L5) ---------------------------------------------------


def register_carrier(actor: Any, *, unit: Unit, department: Department, number: str, title: str,
                     kind: str, scheme: str, level: int, period_kind: str,
                     period_value: int | None, origin: str, received_on: dt.date,
                     custodian: Person, container: Container | None = None, location: str = "",
                     secret_item: SecretItem | None = None, source_unit: str = "",
                     source_document_no: str = "", pages: int | None = None,
                     capacity: str = "", copies: int = 1, copy_no: str = "",
                     signed_by: Person | None = None) -> Carrier:
    """rule C1: a carrier enters the ledger (登记), with its mark (rule S9), custodian and
    container. rule C2: a received carrier names its source unit, document number and who
    signed for it (签收). rule C3: stored only in a container rated for it. rule L5: a carrier
    of a secret item is at least the item's level, in the same scheme (rule L4), and its
    custodian is cleared for it."""
    unit = _instance(unit, Unit, "unit")
    department = _department_of(unit.pk, department)
    number = _text(number, "number", NUMBER_MAX)
    title = _text(title, "title", TITLE_MAX)
    kind = _choice(kind, CarrierKind.values, "kind")
    scheme = _scheme(scheme)
    level = _level(scheme, level)
    period_kind, period_value = _period(unit, scheme, level, period_kind, period_value)
    origin = _choice(origin, CarrierOrigin.values, "origin")
    received_on = _date(received_on, "received_on")
    location = _text(location, "location", LOCATION_MAX, required=False)
    source_unit = _text(source_unit, "source_unit", SOURCE_UNIT_MAX, required=False)
    source_document_no = _text(source_document_no, "source_document_no", SOURCE_DOCUMENT_MAX,
                               required=False)
    if pages is not None:
        pages = _int(pages, "pages", 1, PAGES_MAX)
    capacity = _text(capacity, "capacity", CAPACITY_MAX, required=False)
    copies = _int(copies, "copies", 1, COPIES_MAX)
    copy_no = _text(copy_no, "copy_no", COPY_NO_MAX, required=False)
    custodian = _person_of(unit.pk, custodian, "custodian")
    if signed_by is not None:
        signed_by = _person_of(unit.pk, signed_by, "signed_by")
    if container is not None:
        container = _usable_container(unit.pk, container)
    _require_office(actor, unit.pk)
    _require_registrar_cleared(actor, scheme, level)
    if origin == CarrierOrigin.RECEIVED:
        _require_receipt(source_unit, source_document_no, signed_by)
    if secret_item is not None:
        secret_item = _source_item(actor, unit, secret_item, scheme, level)
    _require_cleared_person(custodian, scheme, level, "custodian")  # rule L5
    if signed_by is not None:
        _require_cleared_person(signed_by, scheme, level, "signed_by")  # rule L5
    fields = {"unit": unit, "department": department, "number": number, "title": title,
              "kind": kind, "scheme": scheme, "level": level, "period_kind": period_kind,
              "period_value": period_value, "secret_item": secret_item, "origin": origin,
              "source_unit": source_unit, "source_document_no": source_document_no,
              "received_on": received_on, "pages": pages, "capacity": capacity,
              "copies": copies, "copy_no": copy_no, "custodian": custodian,
              "container": container, "location": location, "signed_by": signed_by}
    try:
        with transaction.atomic():
            if container is not None:
                _require_container_holds(_still_usable(container), scheme, level)  # C3, Q7
            if Carrier.objects.filter(unit=unit, number=number).exists():
                raise _number_exists()
            carrier = Carrier.objects.create(registered_by=actor, **fields)
            record_event(actor, "CARRIER_REGISTERED", carrier, after=_carrier_values(carrier))
    except IntegrityError:  # carrier_number_unique: a concurrent registration won
        raise _number_exists() from None
    return carrier


def _require_receipt(source_unit: str, source_document_no: str,
                     signed_by: Person | None) -> None:
    """rule C2 (清点, 编号, 登记, 签收): a received carrier says where it came from, under which
    document number, and who signed for it."""
    missing = {}
    if not source_unit:
        missing["source_unit"] = _("Name the unit it came from.")
    if not source_document_no:
        missing["source_document_no"] = _("Give the document number.")
    if signed_by is None:
        missing["signed_by"] = _("Name who signed for it.")
    if missing:
        raise RuleViolation(_("A received carrier is registered with its source and who "
                              "signed for it."), code="receipt_incomplete", rule="C2",
                            fields=missing)


def _source_item(actor: Any, unit: Unit, value: Any, scheme: str, level: int) -> SecretItem:
    """rules L4, L5: the secret item a carrier carries is of its unit and in force; the
    carrier is in the item's scheme and at least its level (information never flows down)."""
    item: SecretItem = _instance(value, SecretItem, "secret_item")
    if item.unit_id != unit.pk or not items_visible_to(actor).filter(pk=item.pk).exists():
        raise _invalid("secret_item", _("Choose a secret item of the unit."),
                       code="unknown_item")
    if item.state in GONE:
        raise _invalid("secret_item", _("This item is not a secret (any more)."),
                       code="item_not_in_force")
    if item.scheme != scheme:  # rule L4: the schemes are never mixed
        message = _("The carrier is marked in the scheme of its item (%(scheme)s).") % {
            "scheme": Scheme(item.scheme).label}
        raise RuleViolation(message, code="scheme_mismatch", rule="L4",
                            fields={"scheme": message})
    if level < item.level:  # rule L5
        message = _("A carrier is at least the level of its item (%(level)s).") % {
            "level": Level(item.level).label}
        raise RuleViolation(message, code="below_source", rule="L5", fields={"level": message})
    return item


def _still_usable(container: Container) -> Container:
    """The container, locked, is still in use (a concurrent retirement may have won); its
    room is as it is now (a concurrent move may have won, rule Q7)."""
    locked = _locked_container(container.pk)
    if not locked.active:
        raise _invalid("container", _("This container is no longer in use."),
                       code="container_retired")
    return locked


def store_carrier(actor: Any, carrier: Carrier, *, container: Container,
                  location: str = "") -> Carrier:
    """Put a carrier in store in a container (rule C3: one rated for it)."""
    carrier = _office_carrier(actor, carrier)
    container = _usable_container(carrier.unit_id, container)
    location = _text(location, "location", LOCATION_MAX, required=False)
    with transaction.atomic():
        fresh = _locked_carrier(carrier.pk)
        locked = _still_usable(container)
        if fresh.state != CarrierState.IN_STORE:
            raise Conflict(_("Only a carrier in store can be moved."), code="not_in_store")
        _require_container_holds(locked, fresh.scheme, fresh.level)  # rules C3, Q7
        before = {"container": fresh.container_id, "location": fresh.location}
        Carrier.objects.filter(pk=fresh.pk).update(container=container, location=location,
                                                   updated_at=timezone.now())
        fresh.container, fresh.location = container, location
        record_event(actor, "CARRIER_STORED", fresh, before=before,
                     after={"container": container.pk, "location": location})
    return _refresh(carrier, fresh)


def change_custodian(actor: Any, carrier: Carrier, *, custodian: Person,
                     reason: str) -> Carrier:
    """Hand the custody of a carrier to another person, cleared for it (rule L5)."""
    carrier = _office_carrier(actor, carrier)
    custodian = _person_of(carrier.unit_id, custodian, "custodian")
    reason = _text(reason, "reason", REASON_MAX)
    with transaction.atomic():
        fresh = _locked_carrier(carrier.pk)
        if fresh.state == CarrierState.DESTROYED:
            raise Conflict(_("This carrier has been destroyed."), code="destroyed")
        _require_cleared_person(custodian, fresh.scheme, fresh.level, "custodian")  # rule L5
        before = {"custodian": fresh.custodian_id}
        Carrier.objects.filter(pk=fresh.pk).update(custodian=custodian,
                                                   updated_at=timezone.now())
        fresh.custodian = custodian
        record_event(actor, "CARRIER_CUSTODIAN_CHANGED", fresh, before=before,
                     after={"custodian": custodian.pk}, reason=reason)
    return _refresh(carrier, fresh)


# --- loans (rule C5) ------------------------------------------------------------------------


def request_loan(actor: Any, carrier: Carrier, *, kind: str, purpose: str, room: str = "",
                 borrower: Person | None = None) -> Loan:
    """rule C5: ask to borrow (借阅) or circulate (传阅) a carrier in store, for oneself or —
    the 保密办 — for someone else. The borrower is cleared for its level and inside the
    知悉范围 of its item; the request `carrier_loan` goes to the approvals chain."""
    kind = _choice(kind, LoanKind.values, "kind")
    purpose = _text(purpose, "purpose", PURPOSE_MAX)
    room = _text(room, "room", ROOM_MAX, required=False)
    carrier = _visible_carrier(actor, carrier)
    if borrower is None:
        borrower = actor.person
    borrower = _instance(borrower, Person, "borrower")
    if borrower.pk != actor.person_id and not manages_carriers(actor, carrier.unit_id):
        raise AccessDenied(_("Only the secrecy office can ask for a loan for someone else."),
                           code="not_secrecy_office")
    with transaction.atomic():
        fresh = _locked_carrier(carrier.pk)
        if fresh.state != CarrierState.IN_STORE:
            raise Conflict(_("This carrier is not in store."), code="not_in_store")
        _require_may_borrow(fresh, borrower)  # rule C5
        if Loan.objects.filter(carrier=fresh, borrower=borrower,
                               state__in=ASKED_OR_OPEN).exists():
            raise Conflict(_("This person already has a loan of this carrier in progress."),
                           code="loan_in_progress")
        loan = Loan.objects.create(
            carrier=fresh, borrower=borrower, kind=kind, purpose=purpose, room=room,
            due_on=loan_due_on(fresh.unit, kind, _today()), created_by=actor)
        loan.request = _submit(actor, loan)
        Loan.objects.filter(pk=loan.pk).update(request=loan.request)
        record_event(actor, "CARRIER_LOAN_REQUESTED", loan,
                     after={**_loan_values(loan), "purpose": purpose, "room": room,
                            "request": loan.request.pk})
    return loan


def _submit(actor: Any, loan: Loan) -> Any:
    from baomi.approvals.services import submit_request

    from ..request_types import CarrierLoanRequest, loan_payload

    title = _("%(kind)s of %(number)s by %(person)s") % {
        "kind": loan.get_kind_display(), "number": loan.carrier.number,
        "person": loan.borrower.name}
    return submit_request(actor, CarrierLoanRequest.code, title=title[:200],
                          payload=loan_payload(loan), subject=loan)


def conclude_loan(actor: Any, loan: Loan, *, approved: bool) -> Loan:
    """The approvals engine decided (request type `carrier_loan`); runs in its transaction.
    An approval needs the carrier free: of two loans of one carrier approved at once, the
    unique constraint `carrier_loan_one_open` lets one through (Conflict `carrier_taken`)."""
    fresh = _locked_loan(loan)
    if not approved:
        LOAN.apply(fresh, LoanState.REJECTED)
        record_event(actor, "CARRIER_LOAN_REJECTED", fresh,
                     before={"state": LoanState.REQUESTED}, after={"state": fresh.state})
        return _refresh(loan, fresh)
    LOAN.check(fresh, LoanState.APPROVED)
    # Not locked: the engine already holds the audit chain's lock here, while the services
    # that lock a carrier row take the chain's lock after it (locking it here could deadlock).
    # The check below and the unique constraint guard the race instead.
    carrier = Carrier.objects.select_related("secret_item").get(pk=fresh.carrier_id)
    if Loan.objects.filter(carrier_id=carrier.pk, state__in=OPEN_LOAN).exists():
        raise _carrier_taken()
    if carrier.state != CarrierState.IN_STORE:
        raise Conflict(_("This carrier is not in store."), code="not_in_store")
    _require_may_borrow(carrier, fresh.borrower)  # rule C5, at the time of the decision
    try:
        with transaction.atomic():
            LOAN.apply(fresh, LoanState.APPROVED)
    except IntegrityError:  # carrier_loan_one_open: a concurrent approval won
        raise _carrier_taken() from None
    record_event(actor, "CARRIER_LOAN_APPROVED", fresh, before={"state": LoanState.REQUESTED},
                 after={"state": fresh.state, "due_on": _iso(fresh.due_on)})
    return _refresh(loan, fresh)


def _carrier_taken() -> Conflict:
    return Conflict(_("Another loan of this carrier is approved or out; it cannot be lent "
                      "twice."), code="carrier_taken")


def withdraw_loan(actor: Any, loan: Loan, *, reason: str = "") -> Loan:
    """Take a loan back before it is handed out.

    A loan awaiting approval is withdrawn by its requester through its request (the approvals
    engine calls this back, `on_withdrawn`). An approved loan not yet collected is cancelled
    by the 保密办 of the unit, or by its requester.
    """
    from baomi.approvals.choices import RequestState
    from baomi.approvals.services import withdraw_request

    reason = _text(reason, "reason", REASON_MAX, required=False)
    current = (Loan.objects.select_related("request", "carrier").filter(pk=loan.pk).first()
               if isinstance(loan, Loan) and loan.pk is not None else None)
    if current is None:
        raise NotFound()
    request = current.request
    if current.state == LoanState.REQUESTED and request is not None \
            and request.state in (RequestState.PENDING, RequestState.RETURNED):
        withdraw_request(actor, request, reason=reason or str(_("Loan withdrawn")))
        return _refresh(loan, Loan.objects.get(pk=current.pk))
    _require_user(actor)
    if actor.pk != current.created_by_id:
        # The requester's own loan, or the 保密办 cancelling one not collected.
        _office_carrier(actor, current.carrier)
    with transaction.atomic():
        fresh = _locked_loan(current)
        before = fresh.state
        LOAN.apply(fresh, LoanState.WITHDRAWN)
        record_event(actor, "CARRIER_LOAN_WITHDRAWN", fresh, before={"state": before},
                     after={"state": fresh.state}, reason=reason)
    return _refresh(loan, fresh)


def hand_out(actor: Any, loan: Loan) -> Loan:
    """The 保密办 hands out the carrier of an approved loan (rule C5): the loan is out, the
    carrier on loan, due back from today (the same day for 传阅). rule S8: the borrower of a
    机密 or 绝密 carrier of a secret item comes to know the item — recorded as contact."""
    _office_carrier(actor, _carrier_of(loan))
    with transaction.atomic():
        fresh = _locked_loan(loan)
        LOAN.check(fresh, LoanState.OUT)
        carrier = _locked_carrier(fresh.carrier_id)
        _require_may_borrow(carrier, fresh.borrower)  # rule C5, at the time it leaves
        today = _today()
        CARRIER.apply(carrier, CarrierState.ON_LOAN)
        LOAN.apply(fresh, LoanState.OUT, handed_out_at=timezone.now(), handed_out_by=actor,
                   due_on=loan_due_on(carrier.unit, fresh.kind, today))
        record_event(actor, "CARRIER_HANDED_OUT", fresh, before={"state": LoanState.APPROVED},
                     after={"state": fresh.state, "borrower": fresh.borrower_id,
                            "due_on": _iso(fresh.due_on), "room": fresh.room})
        # After the event: the audit chain's lock is taken before the item's, in the order
        # the approvals engine takes them (no lock-order inversion with a 定密 decision).
        if _knowledge_recorded(carrier):  # rule S8
            record_contact(actor, carrier, person=fresh.borrower, request_id=fresh.request_id,
                           known_on=today, source=f"借阅载体 {carrier.number}")
    return _refresh(loan, fresh)


def _carrier_of(loan: Any) -> Carrier:
    if not isinstance(loan, Loan) or loan.pk is None:
        raise NotFound()
    carrier = Carrier.objects.filter(pk=loan.carrier_id).first()
    if carrier is None:
        raise NotFound()
    return carrier


def _knowledge_recorded(carrier: Carrier) -> bool:
    """rule S8: a 机密 or 绝密 carrier of a secret item still in force."""
    item = carrier.secret_item
    return (item is not None and carrier.scheme == Scheme.STATE
            and carrier.level >= KNOWLEDGE_RECORDED_FROM and item.state not in GONE)


def record_contact(actor: Any, carrier: Carrier, *, person: Any, request_id: int | None,
                   known_on: dt.date, source: str) -> None:
    """rule S8: `person` came into contact with the carrier's secret item (a loan handed out,
    a copy made), approved by whoever gave the request its last approval, when of the unit."""
    from baomi.secrets.services import record_knowledge

    assert carrier.secret_item is not None
    record_knowledge(actor, carrier.secret_item, person=person, kind=KnowledgeKind.CONTACT,
                     known_on=known_on, approved_by=_final_approver(request_id, carrier.unit_id),
                     source=source[:200])


def _final_approver(request_id: int | None, unit_id: int) -> User | None:
    from baomi.approvals.choices import StepState
    from baomi.approvals.models import Step

    if request_id is None:
        return None
    step = (Step.objects.filter(request_id=request_id, state=StepState.APPROVED)
            .select_related("decided_by", "decided_by__person")
            .order_by("-round", "-order").first())
    approver = step.decided_by if step is not None else None
    if approver is None or approver.person.unit_id != unit_id:
        return None
    return approver


def return_loan(actor: Any, loan: Loan) -> Loan:
    """The 保密办 receives the carrier back (rule C5): the loan is returned, the carrier in
    store again."""
    _office_carrier(actor, _carrier_of(loan))
    with transaction.atomic():
        fresh = _locked_loan(loan)
        LOAN.check(fresh, LoanState.RETURNED)
        carrier = _locked_carrier(fresh.carrier_id)
        was_missing = carrier.state == CarrierState.MISSING
        LOAN.apply(fresh, LoanState.RETURNED, returned_at=timezone.now(), received_by=actor)
        CARRIER.apply(carrier, CarrierState.IN_STORE)
        if was_missing:  # rule C8: reported missing while on loan, now back
            from .stocktake import close_on_return

            close_on_return(actor, carrier, _("Returned by its borrower"))
        overdue = fresh.due_on < _today()
        record_event(actor, "CARRIER_RETURNED", fresh, before={"state": LoanState.OUT},
                     after={"state": fresh.state, "due_on": _iso(fresh.due_on),
                            "overdue": overdue})
    return _refresh(loan, fresh)


# --- reads and exports that leave a trace -----------------------------------------------------


def read_is_audited(carrier: Carrier) -> bool:
    """State secrets of 机密 and above; 工作秘密 and 商业秘密 carry no state level (rule L4)."""
    return carrier.scheme == Scheme.STATE and carrier.level >= READ_AUDITED_FROM


def record_carrier_read(actor: Any, carrier: Carrier) -> None:
    """DESIGN.md 'Access model': opening the detail of a 机密 or 绝密 carrier is audited."""
    if read_is_audited(carrier):
        with transaction.atomic():
            record_event(actor, "CARRIER_READ", carrier)


def record_carrier_export(actor: Any, unit_id: int | None, filters: dict[str, Any],
                          rows: int) -> None:
    """Exports of the ledger leave a trace (who took which list out, how many rows)."""
    with transaction.atomic():
        record_event(actor, "CARRIERS_EXPORTED", object_type="carriers.carrier",
                     unit_id=unit_id, after={"filters": filters, "rows": rows})
