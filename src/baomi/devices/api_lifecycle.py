"""Maintenance (rule D7) and retirement (rule D8) in the devices API (/api/v1/devices).

Handlers call selectors and services only; every input is bounded by its schema and a refusal
is a DomainError (a 4xx with `{"code", "message", "fields"}`): 422 `supervisor_required`,
`clearance`, `disk_not_removed` (rule D7), `locked`, `not_cleared`, `not_designated_body`
(rule D8); 409 `maintenance_open`, `retirement_open`, `not_in_store`, `illegal_transition`.
A device, medium, maintenance or retirement the caller does not see is a 404.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.accounts.models import Person
from baomi.core.errors import InvalidInput
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services
from .models import Maintenance, Retirement
from .selectors import device_for, medium_for
from .selectors_lifecycle import (
    maintenance_for,
    maintenance_list,
    retirement_for,
    retirement_list,
)
from .services.maintenance import FAULT_MAX, KEPT_AT_MAX, REPAIRER_MAX, RESULT_MAX
from .services.retirement import BODY_MAX, CERTIFICATE_MAX, CLEARED_BY_MAX, REASON_MAX

router = Router(tags=["devices"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
Key = Annotated[int, Field(ge=1, le=MAX_KEY)]
# Dates a ledger can hold; keeps the fuzzer's year 1 and year 9999 out of date arithmetic.
Day = Annotated[date, Field(ge=date(1950, 1, 1), le=date(2100, 12, 31))]
MaintenanceStateIn = Literal["requested", "approved", "rejected", "withdrawn", "away", "done"]
RetirementStateIn = Literal["requested", "approved", "rejected", "withdrawn", "cleared",
                            "destroyed"]


# --- schemas -------------------------------------------------------------------------------


class MaintenanceIn(Schema):
    mode: Literal["in_house", "on_site", "sent_out"] = Field(
        description="In the unit, on site under supervision, or sent out (rule D7).")
    fault: str = Field(min_length=1, max_length=FAULT_MAX)
    repairer: str = Field(min_length=1, max_length=REPAIRER_MAX)
    supervisor_id: Key | None = Field(
        None, description="Required in the unit and on site: a person of the unit cleared for "
                          "the device's level (rule D7).")


class MaintenanceOut(Schema):
    id: int
    device_id: int
    device_number: str
    device_level: int
    mode: str
    fault: str
    repairer: str
    supervisor_id: int | None
    supervisor_name: str
    state: str
    request_id: int | None
    disk_removed_on: date | None
    disk_kept_at: str
    left_on: date | None
    back_on: date | None
    done_on: date | None
    result: str
    created_at: datetime


class MaintenancePage(Schema):
    items: list[MaintenanceOut]
    next_after: int | None


class MaintenanceQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)
    state: MaintenanceStateIn | None = None


class DiskRemovedIn(Schema):
    removed_on: Day = Field(description="Not in the future, not before the request.")
    kept_at: str = Field(min_length=1, max_length=KEPT_AT_MAX)


class SendOutIn(Schema):
    left_on: Day = Field(description="Not before the disk was removed (rule D7).")


class RepairedIn(Schema):
    done_on: Day
    result: str = Field(min_length=1, max_length=RESULT_MAX)
    back_on: Day | None = Field(None, description="A device sent out: the day it came back.")


class WithdrawIn(Schema):
    reason: str = Field("", max_length=REASON_MAX)


class RetirementIn(Schema):
    reason: str = Field(min_length=1, max_length=REASON_MAX)


class RetirementOut(Schema):
    id: int
    device_id: int | None
    medium_id: int | None
    number: str
    level: int
    reason: str
    state: str
    request_id: int | None
    cleared_on: date | None
    clearing_method: str
    cleared_by: str
    destruction_body: str
    handed_over_on: date | None
    certificate_no: str
    created_at: datetime


class RetirementPage(Schema):
    items: list[RetirementOut]
    next_after: int | None


class RetirementQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)
    state: RetirementStateIn | None = None
    subject: Literal["device", "medium"] | None = None


class ClearingIn(Schema):
    cleared_on: Day = Field(description="Not in the future, not before the approval.")
    method: Literal["degauss", "shred", "smelt", "overwrite"]
    cleared_by: str = Field(min_length=1, max_length=CLEARED_BY_MAX)


class DestructionIn(Schema):
    destruction_body: str = Field(min_length=1, max_length=BODY_MAX,
                                  description="The designated body (policy "
                                              "`devices.destruction_body` when set).")
    handed_over_on: Day = Field(description="Not before the clearing.")
    certificate_no: str = Field(min_length=1, max_length=CERTIFICATE_MAX)


# --- output --------------------------------------------------------------------------------


def maintenance_out(maintenance: Maintenance) -> dict[str, Any]:
    fields = ("id", "device_id", "mode", "fault", "repairer", "supervisor_id", "state",
              "request_id", "disk_removed_on", "disk_kept_at", "left_on", "back_on", "done_on",
              "result", "created_at")
    supervisor = maintenance.supervisor
    return {**{name: getattr(maintenance, name) for name in fields},
            "device_number": maintenance.device.number,
            "device_level": int(maintenance.device.level),
            "supervisor_name": supervisor.name if supervisor else ""}


def retirement_out(retirement: Retirement) -> dict[str, Any]:
    fields = ("id", "device_id", "medium_id", "reason", "state", "request_id", "cleared_on",
              "clearing_method", "cleared_by", "destruction_body", "handed_over_on",
              "certificate_no", "created_at")
    subject = retirement.device or retirement.medium
    return {**{name: getattr(retirement, name) for name in fields},
            "number": subject.number if subject else "",
            "level": int(subject.level) if subject else 0}


def _maintenance(request: HttpRequest, pk: int) -> dict[str, Any]:
    return maintenance_out(maintenance_for(request.user, pk))


def _retirement(request: HttpRequest, pk: int) -> dict[str, Any]:
    return retirement_out(retirement_for(request.user, pk))


def _supervisor(pk: int | None, unit_id: int) -> Person | None:
    if pk is None:
        return None
    found = Person.objects.filter(pk=pk, unit_id=unit_id).first()
    if found is None:
        message = _("Choose from the list.")
        raise InvalidInput(message, code="unknown", fields={"supervisor_id": message})
    return found


# --- maintenance (rule D7) -------------------------------------------------------------------


@router.post("/devices/{device_id}/maintenances", response={201: MaintenanceOut, **ERRORS},
             summary="Ask for the repair of a device (rule D7)")
def request_maintenance(request: HttpRequest, device_id: Id, data: MaintenanceIn) -> Status:
    """By its responsible person, its department head or the 保密办; the request
    `device_maintenance` goes to the approvals chain."""
    device = device_for(request.user, device_id)
    maintenance = services.request_maintenance(
        request.user, device, mode=data.mode, fault=data.fault, repairer=data.repairer,
        supervisor=_supervisor(data.supervisor_id, device.unit_id))
    return Status(201, _maintenance(request, maintenance.pk))


@router.get("/maintenances", response={200: MaintenancePage, **ERRORS},
            summary="Maintenances of the devices you see")
def list_maintenances(request: HttpRequest, query: Query[MaintenanceQuery]) -> dict[str, Any]:
    page = keyset_page(maintenance_list(request.user, query.state or ""), None,
                       size=query.limit, after=query.after)
    return {"items": [maintenance_out(m) for m in page.items], "next_after": page.next_after}


@router.get("/maintenances/{maintenance_id}", response={200: MaintenanceOut, **ERRORS})
def get_maintenance(request: HttpRequest, maintenance_id: Id) -> Any:
    return _maintenance(request, maintenance_id)


@router.post("/maintenances/{maintenance_id}/disk-removed",
             response={200: MaintenanceOut, **ERRORS},
             summary="Record the disk removed before the device is sent out (保密办; rule D7)")
def disk_removed(request: HttpRequest, maintenance_id: Id, data: DiskRemovedIn) -> Any:
    maintenance = maintenance_for(request.user, maintenance_id)
    services.record_disk_removed(request.user, maintenance, removed_on=data.removed_on,
                                 kept_at=data.kept_at)
    return _maintenance(request, maintenance_id)


@router.post("/maintenances/{maintenance_id}/send-out",
             response={200: MaintenanceOut, **ERRORS},
             summary="The device leaves for repair (保密办; rule D7: its disk removed first)")
def send_out(request: HttpRequest, maintenance_id: Id, data: SendOutIn) -> Any:
    maintenance = maintenance_for(request.user, maintenance_id)
    services.send_out(request.user, maintenance, left_on=data.left_on)
    return _maintenance(request, maintenance_id)


@router.post("/maintenances/{maintenance_id}/repaired",
             response={200: MaintenanceOut, **ERRORS},
             summary="Record the repair done; a device sent out is back in use (保密办)")
def repaired(request: HttpRequest, maintenance_id: Id, data: RepairedIn) -> Any:
    maintenance = maintenance_for(request.user, maintenance_id)
    services.record_repaired(request.user, maintenance, done_on=data.done_on,
                             result=data.result, back_on=data.back_on)
    return _maintenance(request, maintenance_id)


@router.post("/maintenances/{maintenance_id}/withdraw",
             response={200: MaintenanceOut, **ERRORS},
             summary="Withdraw a maintenance before the device leaves or is repaired")
def withdraw_maintenance(request: HttpRequest, maintenance_id: Id, data: WithdrawIn) -> Any:
    maintenance = maintenance_for(request.user, maintenance_id)
    services.withdraw_maintenance(request.user, maintenance, reason=data.reason)
    return _maintenance(request, maintenance_id)


# --- retirement (rule D8) -------------------------------------------------------------------


@router.post("/devices/{device_id}/retirements", response={201: RetirementOut, **ERRORS},
             summary="Propose a device for retirement (rule D8)")
def retire_device(request: HttpRequest, device_id: Id, data: RetirementIn) -> Status:
    device = device_for(request.user, device_id)
    retirement = services.request_retirement(request.user, device=device, reason=data.reason)
    return Status(201, _retirement(request, retirement.pk))


@router.post("/media/{medium_id}/retirements", response={201: RetirementOut, **ERRORS},
             summary="Propose a medium in store for retirement (rule D8)")
def retire_medium(request: HttpRequest, medium_id: Id, data: RetirementIn) -> Status:
    medium = medium_for(request.user, medium_id)
    retirement = services.request_retirement(request.user, medium=medium, reason=data.reason)
    return Status(201, _retirement(request, retirement.pk))


@router.get("/retirements", response={200: RetirementPage, **ERRORS},
            summary="Retirements of the devices and media you see")
def list_retirements(request: HttpRequest, query: Query[RetirementQuery]) -> dict[str, Any]:
    found = retirement_list(request.user, query.state or "", query.subject or "")
    page = keyset_page(found, None, size=query.limit, after=query.after)
    return {"items": [retirement_out(r) for r in page.items], "next_after": page.next_after}


@router.get("/retirements/{retirement_id}", response={200: RetirementOut, **ERRORS})
def get_retirement(request: HttpRequest, retirement_id: Id) -> Any:
    return _retirement(request, retirement_id)


@router.post("/retirements/{retirement_id}/clearing", response={200: RetirementOut, **ERRORS},
             summary="Record the clearing of the information (保密办; rule D8)")
def clearing(request: HttpRequest, retirement_id: Id, data: ClearingIn) -> Any:
    retirement = retirement_for(request.user, retirement_id)
    services.record_clearing(request.user, retirement, cleared_on=data.cleared_on,
                             method=data.method, cleared_by=data.cleared_by)
    return _retirement(request, retirement_id)


@router.post("/retirements/{retirement_id}/destruction",
             response={200: RetirementOut, **ERRORS},
             summary="Record the hand-over to the designated destruction body (保密办; rule D8: "
                     "after the clearing)")
def destruction(request: HttpRequest, retirement_id: Id, data: DestructionIn) -> Any:
    retirement = retirement_for(request.user, retirement_id)
    services.record_destruction(request.user, retirement,
                                destruction_body=data.destruction_body,
                                handed_over_on=data.handed_over_on,
                                certificate_no=data.certificate_no)
    return _retirement(request, retirement_id)


@router.post("/retirements/{retirement_id}/withdraw", response={200: RetirementOut, **ERRORS},
             summary="Withdraw a retirement awaiting approval (its requester)")
def withdraw_retirement(request: HttpRequest, retirement_id: Id, data: WithdrawIn) -> Any:
    retirement = retirement_for(request.user, retirement_id)
    services.withdraw_retirement(request.user, retirement, reason=data.reason)
    return _retirement(request, retirement_id)
