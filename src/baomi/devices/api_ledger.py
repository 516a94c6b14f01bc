"""The device and media ledgers in the API (/api/v1/devices; rules D1, D2, D4, D9).

Handlers call selectors and services only; every input is bounded by its schema and a refusal
is a DomainError (a 4xx with `{"code", "message", "fields"}`). Lists answer only what the
caller sees (rule L5): any other id is a 404, never telling whether it exists.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.accounts.models import Department, Person
from baomi.compliance.models import SecureRoom
from baomi.compliance.services import q7_shortfalls
from baomi.core.errors import InvalidInput
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services
from .models import Device, DeviceUser, Medium
from .selectors import device_for, medium_for
from .services import ledger as ledger_services
from .services.common import LOCATION_MAX, NUMBER_MAX
from .views.filters import (
    SEARCH_MAX,
    device_filters,
    ledger_devices,
    ledger_media,
    medium_filters,
)

router = Router(tags=["devices"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
Key = Annotated[int, Field(ge=1, le=MAX_KEY)]
# Dates a ledger can hold; keeps the fuzzer's year 1 and year 9999 out of date arithmetic.
Day = Annotated[date, Field(ge=date(1950, 1, 1), le=date(2100, 12, 31))]
LevelValue = Annotated[int, Field(ge=0, le=3, description="0 非密, 1 秘密, 2 机密, 3 绝密")]
DeviceKindName = Literal["desktop", "portable", "server", "intermediary", "printer", "copier",
                         "scanner", "fax", "multifunction", "security"]
MediumKindName = Literal["usb", "disk", "optical", "card"]
ROOM_DESCRIPTION = ("The secure room it stands in; a 机密 or 绝密 server stands in one that "
                    "meets Q7 (rule Q7).")


# --- schemas -------------------------------------------------------------------------------


class DeviceUserOut(Schema):
    person_id: int
    name: str
    added_on: date


class DeviceOut(Schema):
    id: int
    number: str
    kind: str
    family: str
    level: int
    model: str
    serial_no: str
    asset_no: str
    disk_serial: str
    mac: str
    os: str
    os_installed_on: date | None
    department_id: int
    department_name: str
    responsible_id: int
    responsible_name: str
    location: str
    room_id: int | None
    room_name: str | None
    room_meets_q7: bool = Field(description="The secure room meets rule Q7 (false without "
                                            "a room).")
    in_use_on: date
    phone_line: bool
    state: str
    created_at: datetime


class DeviceDetailOut(DeviceOut):
    users: list[DeviceUserOut]


class DevicePage(Schema):
    items: list[DeviceOut]
    next_after: int | None


class DeviceQuery(Schema):
    family: Literal["computer", "office", "security"] = Field(
        "computer", description="One ledger per family (rule D9).")
    level: int | None = Field(None, ge=0, le=3)
    state: Literal["in_use", "idle"] | None = None
    department: int | None = Field(None, ge=1, le=MAX_KEY)
    responsible: int | None = Field(None, ge=1, le=MAX_KEY, description="A person id.")
    q: str = Field("", max_length=SEARCH_MAX,
                   description="保密编号, serial number, asset number or MAC address.")
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class DeviceIn(Schema):
    number: str = Field(min_length=1, max_length=NUMBER_MAX)
    kind: DeviceKindName
    level: LevelValue
    department_id: Key
    responsible_id: Key
    location: str = Field(min_length=1, max_length=LOCATION_MAX)
    in_use_on: Day
    model: str = Field("", max_length=ledger_services.MODEL_MAX)
    serial_no: str = Field("", max_length=ledger_services.SERIAL_MAX)
    asset_no: str = Field("", max_length=ledger_services.ASSET_MAX)
    disk_serial: str = Field("", max_length=ledger_services.DISK_SERIAL_MAX)
    mac: str = Field("", max_length=ledger_services.MAC_MAX)
    os: str = Field("", max_length=ledger_services.OS_MAX)
    os_installed_on: Day | None = None
    phone_line: bool = Field(False, description="A multifunction device or fax of 秘密 and "
                                                "above is never on a phone line (rule D9).")
    room_id: Key | None = Field(None, description=ROOM_DESCRIPTION)


class DeviceUpdateIn(Schema):
    location: str = Field(min_length=1, max_length=LOCATION_MAX)
    responsible_id: Key
    state: Literal["in_use", "idle"]
    room_id: Key | None = Field(None, description=ROOM_DESCRIPTION + " None: in no room.")


class UserIn(Schema):
    person_id: Key


class LevelIn(Schema):
    level: LevelValue


class MediumOut(Schema):
    id: int
    number: str
    kind: str
    level: int
    model: str
    serial_no: str
    capacity: str
    department_id: int
    department_name: str
    responsible_id: int
    responsible_name: str
    location: str
    state: str
    created_at: datetime


class MediumPage(Schema):
    items: list[MediumOut]
    next_after: int | None


class MediumQuery(Schema):
    kind: MediumKindName | None = None
    level: int | None = Field(None, ge=0, le=3)
    state: Literal["in_store", "out"] | None = None
    department: int | None = Field(None, ge=1, le=MAX_KEY)
    q: str = Field("", max_length=SEARCH_MAX, description="保密编号 or serial number.")
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class MediumIn(Schema):
    number: str = Field(min_length=1, max_length=NUMBER_MAX)
    kind: MediumKindName
    level: LevelValue
    department_id: Key
    responsible_id: Key
    capacity: str = Field("", max_length=ledger_services.CAPACITY_MAX)
    model: str = Field("", max_length=ledger_services.MODEL_MAX)
    serial_no: str = Field("", max_length=ledger_services.SERIAL_MAX)
    location: str = Field("", max_length=LOCATION_MAX)


class MediumUpdateIn(Schema):
    location: str = Field("", max_length=LOCATION_MAX)
    responsible_id: Key


# --- output --------------------------------------------------------------------------------

DEVICE_FIELDS = ("id", "number", "kind", "family", "level", "model", "serial_no", "asset_no",
                 "disk_serial", "mac", "os", "os_installed_on", "department_id",
                 "responsible_id", "location", "in_use_on", "phone_line", "state", "created_at")
MEDIUM_FIELDS = ("id", "number", "kind", "level", "model", "serial_no", "capacity",
                 "department_id", "responsible_id", "location", "state", "created_at")


def device_out(device: Device) -> dict[str, Any]:
    room = device.room
    return {**{name: getattr(device, name) for name in DEVICE_FIELDS},
            "department_name": device.department.name,
            "responsible_name": device.responsible.name,
            "room_id": device.room_id, "room_name": room.name if room else None,
            "room_meets_q7": not q7_shortfalls(room)}


def device_detail_out(device: Device) -> dict[str, Any]:
    users = (DeviceUser.objects.filter(device=device).select_related("person")
             .order_by("person__name", "id"))
    return {**device_out(device), "users": [
        {"person_id": entry.person_id, "name": entry.person.name, "added_on": entry.added_on}
        for entry in users]}


def medium_out(medium: Medium) -> dict[str, Any]:
    return {**{name: getattr(medium, name) for name in MEDIUM_FIELDS},
            "department_name": medium.department.name,
            "responsible_name": medium.responsible.name}


# --- references ----------------------------------------------------------------------------


def _of_unit(model: type[Model], pk: int, unit_id: int, field: str) -> Any:
    """A department or person of the unit by id."""
    found = model._default_manager.filter(pk=pk, unit_id=unit_id).first()
    if found is None:
        message = _("Choose from the list.")
        raise InvalidInput(message, code="unknown", fields={field: message})
    return found


def _room(room_id: int | None, unit_id: int) -> SecureRoom | None:
    """A secure room of the unit by id (rule Q7), None for none."""
    return None if room_id is None else _of_unit(SecureRoom, room_id, unit_id, "room_id")


def _caller_unit(request: HttpRequest) -> Any:
    user: Any = request.user
    return user.person.unit


# --- devices -------------------------------------------------------------------------------


@router.get("/devices", response={200: DevicePage, **ERRORS},
            summary="The device ledger of one family (rule D9)")
def list_devices(request: HttpRequest, query: Query[DeviceQuery]) -> dict[str, Any]:
    filters = device_filters(query.dict())
    page = keyset_page(ledger_devices(request.user, filters), None, size=query.limit,
                       after=query.after)
    return {"items": [device_out(d) for d in page.items], "next_after": page.next_after}


@router.post("/devices", response={201: DeviceDetailOut, **ERRORS},
             summary="Register a device (逐台备案, 保密办; rules D1, D2, D9)")
def register_device(request: HttpRequest, data: DeviceIn) -> Status:
    """422 `clearance` when the responsible person is below the level (rule D2), 422
    `phone_line` for a classified multifunction device or fax on a phone line (rule D9),
    422 `secure_room` for a 机密 or 绝密 server in no room or one short of Q7 (rule Q7),
    409 `number_exists` for a number already on the ledger (rule D1)."""
    user: Any = request.user
    unit = _caller_unit(request)
    device = services.register_device(
        user, unit=unit, department=_of_unit(Department, data.department_id, unit.pk,
                                             "department_id"),
        number=data.number, kind=data.kind, level=data.level,
        responsible=_of_unit(Person, data.responsible_id, unit.pk, "responsible_id"),
        location=data.location, in_use_on=data.in_use_on, model=data.model,
        serial_no=data.serial_no, asset_no=data.asset_no, disk_serial=data.disk_serial,
        mac=data.mac, os=data.os, os_installed_on=data.os_installed_on,
        phone_line=data.phone_line, room=_room(data.room_id, unit.pk))
    return Status(201, device_detail_out(device_for(user, device.pk)))


@router.post("/devices/{device_id}", response={200: DeviceDetailOut, **ERRORS},
             summary="Move a device, hand it over, put it in or out of use (保密办; rules D2, "
                     "Q7)")
def update_device(request: HttpRequest, device_id: Id, data: DeviceUpdateIn) -> Any:
    """422 `clearance` when the responsible person is below the device's level (rule D2);
    422 `secure_room` when a 机密 or 绝密 server would move to no room or one that falls
    short of Q7 (rule Q7); 403 for whoever sees the device but does not keep the ledger."""
    device = device_for(request.user, device_id)
    services.update_device(
        request.user, device, location=data.location, state=data.state,
        responsible=_of_unit(Person, data.responsible_id, device.unit_id, "responsible_id"),
        room=_room(data.room_id, device.unit_id))
    return device_detail_out(device_for(request.user, device_id))


@router.get("/devices/{device_id}", response={200: DeviceDetailOut, **ERRORS})
def get_device(request: HttpRequest, device_id: Id) -> Any:
    """One device with its users; reading a 机密 or 绝密 device is audited."""
    device = device_for(request.user, device_id)
    services.record_device_read(request.user, device)
    return device_detail_out(device)


@router.post("/devices/{device_id}/users", response={200: DeviceDetailOut, **ERRORS},
             summary="Add a user to a device (保密办; rule D2: cleared for its level)")
def add_user(request: HttpRequest, device_id: Id, data: UserIn) -> Any:
    device = device_for(request.user, device_id)
    person = _of_unit(Person, data.person_id, device.unit_id, "person_id")
    services.add_device_user(request.user, device, person)
    return device_detail_out(device_for(request.user, device_id))


@router.post("/devices/{device_id}/users/{person_id}/remove",
             response={200: DeviceDetailOut, **ERRORS},
             summary="Remove a user from a device (保密办)")
def remove_user(request: HttpRequest, device_id: Id, person_id: Id) -> Any:
    device = device_for(request.user, device_id)
    person = _of_unit(Person, person_id, device.unit_id, "person_id")
    services.remove_device_user(request.user, device, person)
    return device_detail_out(device_for(request.user, device_id))


@router.post("/devices/{device_id}/level", response={200: DeviceDetailOut, **ERRORS},
             summary="Change the level of a device (保密办; rules D2, D4)")
def change_level(request: HttpRequest, device_id: Id, data: LevelIn) -> Any:
    """422 `clearance` when a user or the responsible person is below the new level (rule
    D2); 422 `media_above` when a medium of a higher level is bound to it, `cross_use` when
    the change crosses the line between 非密 and classified while a medium is bound (rule
    D4)."""
    device = device_for(request.user, device_id)
    services.change_device_level(request.user, device, data.level)
    return device_detail_out(device_for(request.user, device_id))


# --- media ---------------------------------------------------------------------------------


@router.get("/media", response={200: MediumPage, **ERRORS},
            summary="The ledger of removable media (rule D4)")
def list_media(request: HttpRequest, query: Query[MediumQuery]) -> dict[str, Any]:
    filters = medium_filters(query.dict())
    page = keyset_page(ledger_media(request.user, filters), None, size=query.limit,
                       after=query.after)
    return {"items": [medium_out(m) for m in page.items], "next_after": page.next_after}


@router.post("/media", response={201: MediumOut, **ERRORS},
             summary="Register a removable medium (保密办; rules D2, D4)")
def register_medium(request: HttpRequest, data: MediumIn) -> Status:
    user: Any = request.user
    unit = _caller_unit(request)
    medium = services.register_medium(
        user, unit=unit, department=_of_unit(Department, data.department_id, unit.pk,
                                             "department_id"),
        number=data.number, kind=data.kind, level=data.level,
        responsible=_of_unit(Person, data.responsible_id, unit.pk, "responsible_id"),
        capacity=data.capacity, model=data.model, serial_no=data.serial_no,
        location=data.location)
    return Status(201, medium_out(medium_for(user, medium.pk)))


@router.get("/media/{medium_id}", response={200: MediumOut, **ERRORS})
def get_medium(request: HttpRequest, medium_id: Id) -> Any:
    """One medium; reading a 机密 or 绝密 medium is audited."""
    medium = medium_for(request.user, medium_id)
    services.record_medium_read(request.user, medium)
    return medium_out(medium)


@router.post("/media/{medium_id}", response={200: MediumOut, **ERRORS},
             summary="Move a medium or hand it to another responsible person (保密办; rule D2)")
def update_medium(request: HttpRequest, medium_id: Id, data: MediumUpdateIn) -> Any:
    """422 `clearance` when the new responsible person is below the medium's level (rule
    D2); 403 for whoever sees the medium but does not keep the ledger."""
    medium = medium_for(request.user, medium_id)
    person = _of_unit(Person, data.responsible_id, medium.unit_id, "responsible_id")
    services.update_medium(request.user, medium, location=data.location, responsible=person)
    return medium_out(medium_for(request.user, medium_id))
