"""Writes of removable media (rule D4): binding a medium to the computers it may be used on,
checking it out to a person cleared for it and taking it back with the check of what was
written on it (返回信息清除情况).

The 保密办 of the medium's unit does all of it. Every write checks access and the rule,
moves states with a compare-and-set (or leans on a unique constraint) and records its audit
event in one transaction: a refused action leaves nothing behind, and of two concurrent
actions exactly one wins.

`_today()` is the one clock of these services (tests patch
`baomi.devices.services.media._today`).
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Person, User
from baomi.audit.services import record_event
from baomi.core.access import sees_business_data
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level, clearance_of
from baomi.core.policy import policy_of
from baomi.core.transitions import table
from baomi.core.validation import clean_text

from ..choices import TAKES_MEDIA, ContentCheck, DeviceKind, MediumLoanState, MediumState
from ..models import Device, Medium, MediumBinding, MediumLoan
from ..selectors import devices_visible_to, manages_devices, media_visible_to
from .locks import require_not_away, require_unlocked

PURPOSE_MAX = 500
NOTE_MAX = 500
# A medium comes back within a year at the latest, whatever the policy or the office says.
LONGEST_LOAN = dt.timedelta(days=365)
# rule D4: what was written and kept or cleared is said in the note.
NOTE_REQUIRED = frozenset({ContentCheck.KEPT, ContentCheck.CLEARED})

MEDIUM = table("state", [
    (MediumState.IN_STORE, MediumState.OUT, None),  # checked out to a cleared person
    (MediumState.OUT, MediumState.IN_STORE, None),  # taken back, the content checked
])
LOAN = table("state", [
    (MediumLoanState.OUT, MediumLoanState.RETURNED, None),
])


def _today() -> dt.date:
    return timezone.localdate()


# --- input ----------------------------------------------------------------------------------


def _invalid(field: str, message: str, code: str = "invalid") -> InvalidInput:
    return InvalidInput(message, code=code, fields={field: message})


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _past_date(value: Any, field: str) -> dt.date:
    if not _is_date(value):
        raise _invalid(field, _("Enter a valid date."))
    if value > _today():
        raise _invalid(field, _("The date cannot be in the future."), code="future_date")
    return value  # type: ignore[no-any-return]


def _out_at(value: Any) -> dt.datetime:
    """When the medium left: now, or earlier for a check-out recorded afterwards."""
    if value is None:
        return timezone.now()
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        raise _invalid("out_at", _("Enter a valid date and time."))
    if value > timezone.now():
        raise _invalid("out_at", _("The date cannot be in the future."), code="future_date")
    return value


def _due_on(medium: Medium, value: Any, start: dt.date) -> dt.date:
    """The due day: policy `devices.media_loan_days` from the day it left unless given; from
    that day to a year after."""
    if value is None:
        return start + dt.timedelta(days=int(policy_of(medium.unit)["devices.media_loan_days"]))
    if not _is_date(value):
        raise _invalid("due_on", _("Enter a valid date."))
    if not start <= value <= start + LONGEST_LOAN:
        raise _invalid("due_on", _("The due day is from the day it leaves to a year after."),
                       code="due_out_of_range")
    return value  # type: ignore[no-any-return]


def _person_of(unit_id: int, value: Any, field: str) -> Person:
    """An active person of the unit."""
    if not isinstance(value, Person) or value.pk is None or value.unit_id != unit_id \
            or not value.active:
        raise _invalid(field, _("Choose an active person of the unit."), code="unknown_person")
    return value


def _content_check(value: Any, note: Any) -> tuple[str, str]:
    if not isinstance(value, str) or value not in ContentCheck.values:
        raise _invalid("content_check", _("Choose from the list."))
    note = clean_text(note, "content_note", NOTE_MAX, required=False)
    if value in NOTE_REQUIRED and not note:  # rule D4
        message = _("Say what was written and how it was cleared or where it is registered.")
        raise InvalidInput(message, code="note_required", fields={"content_note": message})
    return value, note


# --- access ---------------------------------------------------------------------------------


def _require_user(actor: Any) -> User:
    if not isinstance(actor, User) or not sees_business_data(actor):
        raise AccessDenied(code="no_business_role")
    return actor


def _require_office(actor: Any, unit_id: int) -> None:
    if not manages_devices(actor, unit_id):
        raise AccessDenied(_("Only the secrecy office of the unit can do this."),
                           code="not_secrecy_office")


def _office_medium(actor: Any, medium: Any) -> Medium:
    """A medium the actor sees (rule L5; NotFound otherwise) and keeps as the 保密办."""
    _require_user(actor)
    if not isinstance(medium, Medium) or medium.pk is None \
            or not media_visible_to(actor).filter(pk=medium.pk).exists():
        raise NotFound()
    _require_office(actor, medium.unit_id)
    return medium


def _office_device(actor: Any, device: Any, unit_id: int) -> Device:
    """A computer of the medium's unit the actor sees and keeps."""
    if not isinstance(device, Device) or device.pk is None \
            or not devices_visible_to(actor).filter(pk=device.pk).exists():
        raise NotFound()
    if device.unit_id != unit_id:
        raise _invalid("device", _("Choose a computer of the unit."), code="unknown_device")
    _require_office(actor, device.unit_id)
    return device


def _office_binding(actor: Any, binding: Any) -> MediumBinding:
    _require_user(actor)
    if not isinstance(binding, MediumBinding) or binding.pk is None:
        raise NotFound()
    current = MediumBinding.objects.select_related("medium", "device").filter(
        pk=binding.pk).first()
    if current is None or not devices_visible_to(actor).filter(pk=current.device_id).exists():
        raise NotFound()
    _require_office(actor, current.device.unit_id)
    return current


def _office_loan(actor: Any, loan: Any) -> MediumLoan:
    _require_user(actor)
    if not isinstance(loan, MediumLoan) or loan.pk is None:
        raise NotFound()
    current = MediumLoan.objects.select_related("medium").filter(pk=loan.pk).first()
    if current is None:
        raise NotFound()
    _office_medium(actor, current.medium)
    return current


# --- rule D4 --------------------------------------------------------------------------------


def binding_refusal(medium: Medium, device: Device) -> RuleViolation | None:
    """rule D4: media are used on computers only; never across classified and non-classified
    computers; never a higher-level medium on a lower-level computer. None when allowed."""
    if device.kind not in TAKES_MEDIA:
        message = _("%(device)s is not a computer; media are bound to computers only.") % {
            "device": device.number}
        return RuleViolation(message, code="not_a_computer", rule="D4",
                             fields={"device": message})
    if (medium.level == Level.NONSECRET) != (device.level == Level.NONSECRET):
        message = _("A %(medium)s medium is never used on a %(device)s computer: no cross use "
                    "between classified and non-classified.") % {
            "medium": Level(medium.level).label, "device": Level(device.level).label}
        return RuleViolation(message, code="cross_use", rule="D4", fields={"device": message})
    if medium.level > device.level:
        message = _("A %(medium)s medium is never used on a lower-level %(device)s computer.") % {
            "medium": Level(medium.level).label, "device": Level(device.level).label}
        return RuleViolation(message, code="medium_above_device", rule="D4",
                             fields={"device": message})
    return None


def may_bind(medium: Medium, device: Device) -> bool:
    return binding_refusal(medium, device) is None


def takes_media(device: Device) -> bool:
    return DeviceKind(device.kind) in TAKES_MEDIA


def _require_cleared(person: Person, medium: Medium) -> None:
    """rules D4, L5: a medium is checked out only to someone cleared for its level."""
    if clearance_of(person.category) < medium.level:
        message = _("%(name)s is not cleared for %(level)s.") % {
            "name": person.name, "level": Level(medium.level).label}
        raise RuleViolation(message, code="clearance", rule="D4", fields={"person": message})


# --- locking --------------------------------------------------------------------------------


def _locked_medium(pk: int) -> Medium:
    """The medium row, locked for this transaction (PostgreSQL; SQLite serialises writers)."""
    return Medium.objects.select_for_update(of=("self",)).select_related("unit").get(pk=pk)


def _locked_device(pk: int) -> Device:
    return Device.objects.select_for_update().get(pk=pk)


def _refresh(obj: Any, fresh: Any) -> Any:
    for field in type(fresh)._meta.concrete_fields:
        setattr(obj, field.attname, getattr(fresh, field.attname))
    return obj


# --- bindings -------------------------------------------------------------------------------


def bind_medium(actor: Any, medium: Medium, device: Device, *,
                bound_on: dt.date | None = None) -> MediumBinding:
    """Bind a medium to a computer it may be used on (rule D4). A second open binding of the
    same pair — also one made at the same moment — is a Conflict `already_bound`."""
    medium = _office_medium(actor, medium)
    device = _office_device(actor, device, medium.unit_id)
    day = _today() if bound_on is None else _past_date(bound_on, "bound_on")
    with transaction.atomic():
        # Locked, so a level changed at the same time is the level checked.
        fresh_medium, fresh_device = _locked_medium(medium.pk), _locked_device(device.pk)
        require_unlocked(fresh_medium, "medium")  # rule D8
        require_unlocked(fresh_device, "device")  # rule D8
        require_not_away(fresh_device, "device")  # rule D7: it left without its disk
        refusal = binding_refusal(fresh_medium, fresh_device)
        if refusal is not None:  # rule D4
            raise refusal
        try:
            with transaction.atomic():
                binding = MediumBinding.objects.create(
                    medium=fresh_medium, device=fresh_device, bound_on=day, bound_by=actor)
        except IntegrityError:  # medium_binding_one_open
            raise _already_bound(fresh_medium, fresh_device) from None
        record_event(actor, "MEDIUM_BOUND", binding, after={
            "medium": fresh_medium.pk, "device": fresh_device.pk, "bound_on": day.isoformat(),
            "medium_level": int(fresh_medium.level), "device_level": int(fresh_device.level)})
    return binding


def _already_bound(medium: Medium, device: Device) -> Conflict:
    message = _("%(medium)s is already bound to %(device)s.") % {
        "medium": medium.number, "device": device.number}
    return Conflict(message, code="already_bound", fields={"device": message})


def unbind_medium(actor: Any, binding: MediumBinding) -> MediumBinding:
    """End a binding: the medium may no longer be used on that computer; the history stays.
    Of two unbindings at once one wins, the other is a Conflict `not_bound`."""
    current = _office_binding(actor, binding)
    today = _today()
    with transaction.atomic():
        ended = MediumBinding.objects.filter(pk=current.pk, unbound_on__isnull=True).update(
            unbound_on=today, unbound_by=actor)
        if ended != 1:
            raise Conflict(_("This binding has already ended."), code="not_bound")
        current.unbound_on, current.unbound_by = today, actor
        record_event(actor, "MEDIUM_UNBOUND", current,
                     before={"unbound_on": None},
                     after={"medium": current.medium_id, "device": current.device_id,
                            "unbound_on": today.isoformat()})
    return _refresh(binding, current)


# --- check-out and return -------------------------------------------------------------------


def check_out_medium(actor: Any, medium: Medium, *, person: Person, purpose: str,
                     due_on: dt.date | None = None,
                     out_at: dt.datetime | None = None) -> MediumLoan:
    """Hand a medium in store to a person of the unit cleared for its level (rules D4, L5),
    due back on `due_on` (default: policy `devices.media_loan_days` from the day it leaves).
    `out_at` (default now) records a check-out made earlier. Of two check-outs at once
    exactly one wins; the other is a Conflict `not_in_store`."""
    medium = _office_medium(actor, medium)
    person = _person_of(medium.unit_id, person, "person")
    purpose = clean_text(purpose, "purpose", PURPOSE_MAX)
    left = _out_at(out_at)
    start = timezone.localdate(left) if out_at is not None else _today()
    with transaction.atomic():
        fresh = _locked_medium(medium.pk)
        require_unlocked(fresh)  # rule D8
        _require_cleared(person, fresh)  # rule D4
        due = _due_on(fresh, due_on, start)
        if fresh.state != MediumState.IN_STORE:
            raise _not_in_store()
        try:
            with transaction.atomic():
                MEDIUM.apply(fresh, MediumState.OUT, updated_at=timezone.now())
                loan = MediumLoan.objects.create(
                    medium=fresh, person=person, purpose=purpose, out_at=left,
                    due_on=due, handed_by=actor)
        except IntegrityError:  # medium_loan_one_out: a concurrent check-out won
            raise _not_in_store() from None
        except Conflict:  # the compare-and-set lost
            raise _not_in_store() from None
        record_event(actor, "MEDIUM_CHECKED_OUT", loan, before={"state": MediumState.IN_STORE},
                     after={"medium": fresh.pk, "person": person.pk, "purpose": purpose,
                            "due_on": due.isoformat()})
    _refresh(medium, fresh)
    return loan


def _not_in_store() -> Conflict:
    return Conflict(_("This medium is not in store."), code="not_in_store")


def return_medium(actor: Any, loan: MediumLoan, *, content_check: str,
                  content_note: str = "") -> MediumLoan:
    """Take a medium back into store and record what was written on it while out and what
    became of it (返回信息清除情况, rule D4): nothing written, written and cleared (how), or
    written and kept (where it is registered)."""
    current = _office_loan(actor, loan)
    check, note = _content_check(content_check, content_note)
    with transaction.atomic():
        medium = _locked_medium(current.medium_id)
        fresh = MediumLoan.objects.select_for_update().get(pk=current.pk)
        LOAN.apply(fresh, MediumLoanState.RETURNED, returned_at=timezone.now(),
                   received_by=actor, content_check=check, content_note=note)
        MEDIUM.apply(medium, MediumState.IN_STORE, updated_at=timezone.now())
        record_event(actor, "MEDIUM_RETURNED", fresh, before={"state": MediumLoanState.OUT},
                     after={"medium": medium.pk, "content_check": check, "content_note": note,
                            "due_on": fresh.due_on.isoformat(),
                            "overdue": fresh.due_on < _today()})
    return _refresh(loan, fresh)  # type: ignore[no-any-return]
