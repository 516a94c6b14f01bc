"""Writes of the device and media ledgers (rules D1, D2, D4, D9, L5, Q7).

The 保密办 of a unit keeps the ledgers: it registers every device (逐台备案, rule D1) and
removable medium with its level, names the responsible person and the users — all cleared for
the level (rule D2) — and changes a device's level only when nobody and nothing on it would be
left above or below it (rules D2, D4). A multifunction device or fax handling secrets is never
on a phone line (rule D9). A 机密 or 绝密 server stands in a secure room of the unit that meets
Q7 (`services.rooms`). Every write checks access and the rules against the locked row and
records its audit event in one transaction: a refused action leaves nothing behind.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Department, Person, Unit
from baomi.audit.services import record_event
from baomi.core.errors import Conflict, NotFound, RuleViolation
from baomi.core.labels import Level

from ..choices import FAMILY, DeviceFamily, DeviceKind, DeviceState, MediumKind
from ..models import Device, DeviceUser, Medium, MediumBinding
from ..selectors import devices_visible_to, manages_devices, media_visible_to
from . import common
from .common import (
    LOCATION_MAX,
    NUMBER_MAX,
    boolean,
    choice,
    department_of,
    instance,
    iso,
    not_office,
    past_date,
    person_of,
    refresh,
    require_cleared,
    require_office,
    require_registrar_cleared,
    require_user,
    text,
)
from .common import level as checked_level
from .locks import require_state_by_ledger, require_unlocked
from .media import binding_refusal
from .rooms import require_secure_room, room_of

MODEL_MAX = 100
SERIAL_MAX = 100
ASSET_MAX = 50
DISK_SERIAL_MAX = 200
MAC_MAX = 100
OS_MAX = 100
CAPACITY_MAX = 50
# DESIGN.md 'Access model': opening the detail of a 机密 or 绝密 device or medium is audited.
READ_AUDITED_FROM = Level.CONFIDENTIAL
# rule D9: these kinds can be on a phone line; handling secrets, they never are.
PHONE_KINDS = frozenset({DeviceKind.MULTIFUNCTION, DeviceKind.FAX})


# --- rules ----------------------------------------------------------------------------------


def require_off_phone_line(kind: str, level_value: int, phone_line: bool) -> None:
    """rule D9: a multifunction device or fax handling secrets is never on a phone line.
    rule D3: nor is a classified computer on any public network."""
    if not phone_line or level_value < Level.SECRET:
        return
    if kind in PHONE_KINDS:
        message = _("A multifunction device or fax handling secrets is never connected to a "
                    "phone line.")
        raise RuleViolation(message, code="phone_line", rule="D9",
                            fields={"phone_line": message})
    if FAMILY[DeviceKind(kind)] == DeviceFamily.COMPUTER:
        message = _("A classified computer is never connected to a public network.")
        raise RuleViolation(message, code="phone_line", rule="D3",
                            fields={"phone_line": message})


def _require_people_cleared(device: Device, level_value: int) -> None:
    """rule D2: raising the level leaves no user nor the responsible person below it."""
    require_cleared(device.responsible, level_value, "level")
    below = [entry.person for entry in DeviceUser.objects.filter(device=device)
             .select_related("person").order_by("person__name")
             if not common.cleared(entry.person, level_value)]
    if below:
        message = _("Users below this level: %(names)s. Remove them first.") % {
            "names": "、".join(person.name for person in below)}
        raise RuleViolation(message, code="clearance", rule="D2", fields={"level": message})


def _require_bindings_allowed(device: Device, level_value: int) -> None:
    """rule D4: a level crossing the line between 非密 and classified leaves no bound medium
    in cross use (nor above the device): each open binding is checked as a binding would be
    at the new level, and the first refusal gives the code."""
    at_new_level = Device(kind=device.kind, level=level_value, number=device.number)
    refused: list[tuple[str, RuleViolation]] = []
    for binding in (MediumBinding.objects.filter(device=device, unbound_on__isnull=True)
                    .select_related("medium").order_by("medium__number", "id")):
        refusal = binding_refusal(binding.medium, at_new_level)
        if refusal is not None:
            refused.append((binding.medium.number, refusal))
    if refused:
        first = refused[0][1]
        message = _("%(reason)s Bound to it: %(numbers)s. Unbind them first.") % {
            "reason": first.message, "numbers": "、".join(number for number, _r in refused)}
        raise RuleViolation(message, code=first.code, rule="D4", fields={"level": message})


def crosses_nonsecret(old_level: int, new_level: int) -> bool:
    """One of the two levels is 非密 and the other classified."""
    return (old_level == Level.NONSECRET) != (new_level == Level.NONSECRET)


def _require_no_media_above(device: Device, level_value: int) -> None:
    """rule D4: lowering the level leaves no medium of a higher level bound to the device."""
    above = list(MediumBinding.objects.filter(device=device, unbound_on__isnull=True,
                                              medium__level__gt=level_value)
                 .values_list("medium__number", flat=True).order_by("medium__number"))
    if above:
        message = _("Media of a higher level are bound to it: %(numbers)s. Unbind them "
                    "first.") % {"numbers": "、".join(above)}
        raise RuleViolation(message, code="media_above", rule="D4", fields={"level": message})


# --- access and locking -----------------------------------------------------------------------


def _office_device(actor: Any, device: Any) -> Device:
    """A device the actor keeps as the 保密办 of its unit; whoever only sees it is refused,
    others learn nothing."""
    require_user(actor)
    if not isinstance(device, Device) or device.pk is None \
            or not devices_visible_to(actor).filter(pk=device.pk).exists():
        raise NotFound()
    if not manages_devices(actor, device.unit_id):
        raise not_office()
    return device


def _locked_device(pk: int) -> Device:
    """The device row, locked for this transaction (PostgreSQL; SQLite serialises writers)."""
    return Device.objects.select_for_update(of=("self",)).select_related(
        "responsible").get(pk=pk)


def _number_exists() -> Conflict:
    message = _("This number is already on the ledger of the unit.")
    return Conflict(message, code="number_exists", fields={"number": message})


def device_values(device: Device) -> dict[str, Any]:
    return {"number": device.number, "kind": device.kind, "level": int(device.level),
            "model": device.model, "serial_no": device.serial_no, "asset_no": device.asset_no,
            "disk_serial": device.disk_serial, "mac": device.mac, "os": device.os,
            "os_installed_on": iso(device.os_installed_on),
            "department": device.department_id, "responsible": device.responsible_id,
            "location": device.location, "room": device.room_id,
            "in_use_on": iso(device.in_use_on), "phone_line": device.phone_line,
            "state": device.state}


def medium_values(medium: Medium) -> dict[str, Any]:
    return {"number": medium.number, "kind": medium.kind, "level": int(medium.level),
            "model": medium.model, "serial_no": medium.serial_no, "capacity": medium.capacity,
            "department": medium.department_id, "responsible": medium.responsible_id,
            "location": medium.location, "state": medium.state}


# --- devices (rules D1, D2, D9) ---------------------------------------------------------------


def register_device(actor: Any, *, unit: Unit, department: Department, number: str, kind: str,
                    level: int, responsible: Person, location: str, in_use_on: dt.date,
                    model: str = "", serial_no: str = "", asset_no: str = "",
                    disk_serial: str = "", mac: str = "", os: str = "",
                    os_installed_on: dt.date | None = None,
                    phone_line: bool = False, room: Any = None) -> Device:
    """rule D1: a device enters its ledger (逐台备案) with its level — the highest it processes
    (rule D2) — and a responsible person cleared for it. rule D9: a multifunction device or
    fax handling secrets is not on a phone line. rule Q7: `room` (a secure room of the unit or
    its id) is where it stands; a 机密 or 绝密 server stands in one that meets Q7."""
    unit = instance(unit, Unit, "unit")
    department = department_of(unit.pk, department)
    fields: dict[str, Any] = {
        "unit": unit, "department": department,
        "number": text(number, "number", NUMBER_MAX),
        "kind": choice(kind, DeviceKind.values, "kind"),
        "level": checked_level(level),
        "responsible": person_of(unit.pk, responsible, "responsible"),
        "location": text(location, "location", LOCATION_MAX),
        "in_use_on": past_date(in_use_on, "in_use_on"),
        "model": text(model, "model", MODEL_MAX, required=False),
        "serial_no": text(serial_no, "serial_no", SERIAL_MAX, required=False),
        "asset_no": text(asset_no, "asset_no", ASSET_MAX, required=False),
        "disk_serial": text(disk_serial, "disk_serial", DISK_SERIAL_MAX, required=False),
        "mac": text(mac, "mac", MAC_MAX, required=False),
        "os": text(os, "os", OS_MAX, required=False),
        "os_installed_on": (past_date(os_installed_on, "os_installed_on")
                            if os_installed_on is not None else None),
        "phone_line": boolean(phone_line, "phone_line"),
        "room": room_of(unit.pk, room),
    }
    require_office(actor, unit.pk)
    require_registrar_cleared(actor, fields["level"])  # rule L5
    require_cleared(fields["responsible"], fields["level"], "responsible")  # rule D2
    require_off_phone_line(fields["kind"], fields["level"], fields["phone_line"])  # D9, D3
    require_secure_room(fields["kind"], fields["level"], fields["room"])  # rule Q7
    try:
        with transaction.atomic():
            if Device.objects.filter(unit=unit, number=fields["number"]).exists():
                raise _number_exists()  # rule D1: one number, one device
            device = Device.objects.create(registered_by=actor, **fields)
            record_event(actor, "DEVICE_REGISTERED", device, after=device_values(device))
    except IntegrityError:  # device_number_unique: a concurrent registration won
        raise _number_exists() from None
    return device


# `update_device(room=KEEP_ROOM)`: the device stays in the room it stands in.
KEEP_ROOM: Any = object()


def update_device(actor: Any, device: Device, *, location: str, responsible: Person,
                  state: str, room: Any = KEEP_ROOM) -> Device:
    """Move a device (to another place or secure room), hand it to another responsible person
    (cleared for it, rule D2) or put it in or out of use. rule Q7: a 机密 or 绝密 server moves
    only to a room that meets Q7; `room` left out keeps the room it stands in."""
    device = _office_device(actor, device)
    location = text(location, "location", LOCATION_MAX)
    responsible = person_of(device.unit_id, responsible, "responsible")
    state = choice(state, DeviceState.values, "state")
    new_room = None if room is KEEP_ROOM else room_of(device.unit_id, room)
    with transaction.atomic():
        fresh = _locked_device(device.pk)
        require_unlocked(fresh)  # rule D8
        require_state_by_ledger(fresh.state, state)  # rules D7, D8
        require_cleared(responsible, fresh.level, "responsible")  # rule D2
        room_id = fresh.room_id if room is KEEP_ROOM else getattr(new_room, "pk", None)
        if room_id != fresh.room_id:
            require_secure_room(fresh.kind, fresh.level, new_room)  # rule Q7
        before = {"location": fresh.location, "responsible": fresh.responsible_id,
                  "state": fresh.state, "room": fresh.room_id}
        Device.objects.filter(pk=fresh.pk).update(location=location, responsible=responsible,
                                                  state=state, room_id=room_id,
                                                  updated_at=timezone.now())
        fresh.location, fresh.responsible, fresh.state = location, responsible, state
        fresh.room_id = room_id
        record_event(actor, "DEVICE_UPDATED", fresh, before=before,
                     after={"location": location, "responsible": responsible.pk,
                            "state": state, "room": room_id})
    return refresh(device, fresh)


def add_device_user(actor: Any, device: Device, person: Person) -> DeviceUser:
    """rule D2: a person below the device's level is never its user."""
    device = _office_device(actor, device)
    person = person_of(device.unit_id, person, "person")
    try:
        with transaction.atomic():
            fresh = _locked_device(device.pk)
            require_unlocked(fresh, "person")  # rule D8
            require_cleared(person, fresh.level, "person")  # rule D2, at the current level
            if DeviceUser.objects.filter(device=fresh, person=person).exists():
                raise _already_user()
            entry = DeviceUser.objects.create(device=fresh, person=person,
                                              added_on=common.today(), added_by=actor)
            record_event(actor, "DEVICE_USER_ADDED", entry,
                         after={"device": fresh.pk, "person": person.pk})
    except IntegrityError:  # device_user_unique: a concurrent addition won
        raise _already_user() from None
    return entry


def _already_user() -> Conflict:
    message = _("This person is already a user of the device.")
    return Conflict(message, code="already_user", fields={"person": message})


def remove_device_user(actor: Any, device: Device, person: Person) -> None:
    """The person no longer uses the device."""
    device = _office_device(actor, device)
    person = instance(person, Person, "person")
    with transaction.atomic():
        fresh = _locked_device(device.pk)
        require_unlocked(fresh, "person")  # rule D8: its users stay, for the history
        entry = DeviceUser.objects.filter(device=fresh, person=person).first()
        if entry is None:
            message = _("This person is not a user of the device.")
            raise Conflict(message, code="not_a_user", fields={"person": message})
        record_event(actor, "DEVICE_USER_REMOVED", entry,
                     before={"device": fresh.pk, "person": person.pk})
        entry.delete()


def change_device_level(actor: Any, device: Device, level: int) -> Device:
    """rule D2: the level is the highest the device processes; raising it leaves nobody below
    it among its users and its responsible person. rule D4: lowering it leaves no medium of a
    higher level bound to it (`media_above`), and crossing the line between 非密 and
    classified leaves no bound medium in cross use (`cross_use`). rule D9: a device on a phone
    line is not raised to a secret level. rule Q7: a server is not raised to 机密 or 绝密 while
its room falls short of Q7 (`secure_room`)."""
    device = _office_device(actor, device)
    new_level = checked_level(level)
    require_registrar_cleared(actor, new_level)  # rule L5
    with transaction.atomic():
        fresh = _locked_device(device.pk)
        require_unlocked(fresh, "level")  # rule D8
        old_level = int(fresh.level)
        if new_level == old_level:
            raise Conflict(_("The device is already at this level."), code="same_level",
                           fields={"level": _("Unchanged.")})
        if new_level > old_level:
            _require_people_cleared(fresh, new_level)  # rule D2
            require_off_phone_line(fresh.kind, new_level, fresh.phone_line)  # rules D9, D3
            require_secure_room(fresh.kind, new_level, fresh.room, "level")  # rule Q7
        if crosses_nonsecret(old_level, new_level):
            _require_bindings_allowed(fresh, new_level)  # rule D4: no cross use
        elif new_level < old_level:
            _require_no_media_above(fresh, new_level)  # rule D4
        Device.objects.filter(pk=fresh.pk).update(level=new_level, updated_at=timezone.now())
        fresh.level = new_level
        record_event(actor, "DEVICE_LEVEL_CHANGED", fresh, before={"level": old_level},
                     after={"level": new_level})
    return refresh(device, fresh)


# --- media (rule D4) ------------------------------------------------------------------------


def register_medium(actor: Any, *, unit: Unit, department: Department, number: str, kind: str,
                    level: int, responsible: Person, capacity: str = "", model: str = "",
                    serial_no: str = "", location: str = "") -> Medium:
    """rule D4: only registered media carrying their level label are used; the responsible
    person is cleared for the level (rule D2)."""
    unit = instance(unit, Unit, "unit")
    department = department_of(unit.pk, department)
    fields: dict[str, Any] = {
        "unit": unit, "department": department,
        "number": text(number, "number", NUMBER_MAX),
        "kind": choice(kind, MediumKind.values, "kind"),
        "level": checked_level(level),
        "responsible": person_of(unit.pk, responsible, "responsible"),
        "capacity": text(capacity, "capacity", CAPACITY_MAX, required=False),
        "model": text(model, "model", MODEL_MAX, required=False),
        "serial_no": text(serial_no, "serial_no", SERIAL_MAX, required=False),
        "location": text(location, "location", LOCATION_MAX, required=False),
    }
    require_office(actor, unit.pk)
    require_registrar_cleared(actor, fields["level"])  # rule L5
    require_cleared(fields["responsible"], fields["level"], "responsible")  # rule D2
    try:
        with transaction.atomic():
            if Medium.objects.filter(unit=unit, number=fields["number"]).exists():
                raise _number_exists()
            medium = Medium.objects.create(registered_by=actor, **fields)
            record_event(actor, "MEDIUM_REGISTERED", medium, after=medium_values(medium))
    except IntegrityError:  # medium_number_unique: a concurrent registration won
        raise _number_exists() from None
    return medium


def _office_medium(actor: Any, medium: Any) -> Medium:
    """A medium the actor keeps as the 保密办 of its unit; whoever only sees it is refused,
    others learn nothing (rule L5)."""
    require_user(actor)
    if not isinstance(medium, Medium) or medium.pk is None \
            or not media_visible_to(actor).filter(pk=medium.pk).exists():
        raise NotFound()
    if not manages_devices(actor, medium.unit_id):
        raise not_office()
    return medium


def _locked_medium(pk: int) -> Medium:
    """The medium row, locked for this transaction (PostgreSQL; SQLite serialises writers)."""
    return Medium.objects.select_for_update(of=("self",)).select_related(
        "responsible").get(pk=pk)


def update_medium(actor: Any, medium: Medium, *, location: str,
                  responsible: Person) -> Medium:
    """Move a medium or hand it to another responsible person of the unit, cleared for its
    level (rules D2, D4, L5) — how its custody passes on when someone leaves (rule C9)."""
    medium = _office_medium(actor, medium)
    location = text(location, "location", LOCATION_MAX, required=False)
    responsible = person_of(medium.unit_id, responsible, "responsible")
    with transaction.atomic():
        fresh = _locked_medium(medium.pk)
        require_unlocked(fresh)  # rule D8
        require_cleared(responsible, fresh.level, "responsible")  # rules D2, D4, L5
        before = {"location": fresh.location, "responsible": fresh.responsible_id}
        Medium.objects.filter(pk=fresh.pk).update(location=location, responsible=responsible,
                                                  updated_at=timezone.now())
        fresh.location, fresh.responsible = location, responsible
        record_event(actor, "MEDIUM_UPDATED", fresh, before=before,
                     after={"location": location, "responsible": responsible.pk})
    return refresh(medium, fresh)


# --- reads and exports that leave a trace -----------------------------------------------------


def read_is_audited(obj: Device | Medium) -> bool:
    return int(obj.level) >= READ_AUDITED_FROM


def record_device_read(actor: Any, device: Device) -> None:
    """DESIGN.md 'Access model': opening the detail of a 机密 or 绝密 device is audited."""
    if read_is_audited(device):
        with transaction.atomic():
            record_event(actor, "DEVICE_READ", device)


def record_medium_read(actor: Any, medium: Medium) -> None:
    """DESIGN.md 'Access model': opening the detail of a 机密 or 绝密 medium is audited."""
    if read_is_audited(medium):
        with transaction.atomic():
            record_event(actor, "MEDIUM_READ", medium)


def record_devices_export(actor: Any, unit_id: int | None, filters: dict[str, Any],
                          rows: int) -> None:
    """Exports of the ledger (and printed labels) leave a trace: who took which list out."""
    with transaction.atomic():
        record_event(actor, "DEVICES_EXPORTED", object_type="devices.device",
                     unit_id=unit_id, after={"filters": filters, "rows": rows})


def record_media_export(actor: Any, unit_id: int | None, filters: dict[str, Any],
                        rows: int) -> None:
    """An export of the media ledger leaves a trace like one of the device ledger."""
    with transaction.atomic():
        record_event(actor, "MEDIA_EXPORTED", object_type="devices.medium",
                     unit_id=unit_id, after={"filters": filters, "rows": rows})


def visible_medium(actor: Any, medium: Any) -> Medium:
    """The medium as the actor may see it (rule L5); NotFound for anything else."""
    require_user(actor)
    if not isinstance(medium, Medium) or medium.pk is None \
            or not media_visible_to(actor).filter(pk=medium.pk).exists():
        raise NotFound()
    return medium

