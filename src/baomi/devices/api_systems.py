"""The classified information systems API (/api/v1/devices/systems, rules D2, D10, L5):
the systems the caller sees with their next risk assessment due, registering one (保密办),
its devices and its assessments.

The handlers call selectors and services only; every input is bounded by its schema and a
refusal is a DomainError (a 4xx with `{"code", "message", "fields"}`). A system the caller
does not see is a 404.
"""

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.accounts.models import Person
from baomi.core.errors import InvalidInput
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services
from .models import ClassifiedSystem, Device, RiskAssessment
from .selectors import devices_visible_to
from .selectors_systems import system_for, systems_visible_to, with_status
from .services.systems import ASSESSOR_MAX, FINDINGS_MAX, NAME_MAX, REPORT_MAX

router = Router(tags=["devices"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
Key = Annotated[int, Field(ge=1, le=MAX_KEY)]
Day = Annotated[date, Field(ge=date(1950, 1, 1), le=date(2100, 12, 31))]
SystemLevel = Annotated[int, Field(ge=1, le=3, description="1 秘密, 2 机密, 3 绝密")]


class SystemIn(Schema):
    name: str = Field(min_length=1, max_length=NAME_MAX)
    level: SystemLevel
    responsible_id: Key = Field(description="A person of the unit cleared for the level.")
    in_use_on: Day
    device_ids: list[Key] = Field(default_factory=list, max_length=500,
                                  description="Devices of the unit, none below the level "
                                              "(rule D2).")


class DeviceRefIn(Schema):
    device_id: Key


class AssessmentIn(Schema):
    assessed_on: Day = Field(description="Not in the future, not before the system came "
                                         "into use.")
    assessor: str = Field(min_length=1, max_length=ASSESSOR_MAX)
    report_no: str = Field(min_length=1, max_length=REPORT_MAX)
    passed: bool
    findings: str = Field("", max_length=FINDINGS_MAX,
                          description="Required when the assessment failed.")


class SystemOut(Schema):
    id: int
    name: str
    level: int
    responsible_id: int
    responsible_name: str
    in_use_on: date
    device_count: int
    last_assessed_on: date | None
    next_due_on: date = Field(description="rule D10: the next risk assessment is due.")
    overdue: bool


class AssessmentOut(Schema):
    id: int
    assessed_on: date
    assessor: str
    report_no: str
    passed: bool
    findings: str


class SystemDeviceOut(Schema):
    id: int
    number: str
    level: int


class SystemDetailOut(SystemOut):
    devices: list[SystemDeviceOut]
    assessments: list[AssessmentOut]


class SystemPage(Schema):
    items: list[SystemOut]
    next_after: int | None


class SystemQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


def system_out(system: ClassifiedSystem) -> dict[str, Any]:
    due = services.next_assessment_due(system)
    return {"id": system.pk, "name": system.name, "level": system.level,
            "responsible_id": system.responsible_id,
            "responsible_name": system.responsible.name, "in_use_on": system.in_use_on,
            "device_count": getattr(system, "device_count", 0),
            "last_assessed_on": getattr(system, "last_assessed_on", None),
            "next_due_on": due, "overdue": services.assessment_overdue(system)}


def system_detail_out(request: HttpRequest, pk: int) -> dict[str, Any]:
    system = system_for(request.user, pk)
    devices = [{"id": d.pk, "number": d.number, "level": d.level}
               for d in system.devices.order_by("number", "id")]
    assessments = [{"id": a.pk, "assessed_on": a.assessed_on, "assessor": a.assessor,
                    "report_no": a.report_no, "passed": a.passed, "findings": a.findings}
                   for a in RiskAssessment.objects.filter(system=system)]
    return {**system_out(system), "devices": devices, "assessments": assessments}


def _unknown(field: str) -> InvalidInput:
    message = _("Choose from the list.")
    return InvalidInput(message, code="unknown", fields={field: message})


def _person_of_unit(pk: int, unit_id: int) -> Person:
    found = Person.objects.filter(pk=pk, unit_id=unit_id).first()
    if found is None:
        raise _unknown("responsible_id")
    return found


def _devices_seen(request: HttpRequest, ids: list[int], field: str) -> list[Device]:
    """Devices the caller sees (rule L5); any other id is unknown."""
    found = {d.pk: d for d in devices_visible_to(request.user).filter(pk__in=set(ids))}
    if len(found) != len(set(ids)):
        raise _unknown(field)
    return [found[pk] for pk in dict.fromkeys(ids)]


@router.get("/systems", response={200: SystemPage, **ERRORS},
            summary="Classified information systems with their next risk assessment due "
                    "(rule D10)")
def list_systems(request: HttpRequest, query: Query[SystemQuery]) -> dict[str, Any]:
    systems = with_status(systems_visible_to(request.user)).select_related("unit")
    page = keyset_page(systems, None, size=query.limit, after=query.after)
    return {"items": [system_out(s) for s in page.items], "next_after": page.next_after}


@router.post("/systems", response={201: SystemDetailOut, **ERRORS},
             summary="Register a classified information system (保密办; rules D2, L5)")
def register_system(request: HttpRequest, data: SystemIn) -> Status:
    """422 `clearance` when the responsible person is below the level, 422
    `device_below_system` for a device below it (rule D2), 409 `name_exists`."""
    user: Any = request.user
    unit = user.person.unit
    system = services.register_system(
        user, unit=unit, name=data.name, level=data.level,
        responsible=_person_of_unit(data.responsible_id, unit.pk), in_use_on=data.in_use_on,
        devices=_devices_seen(request, data.device_ids, "device_ids"))
    return Status(201, system_detail_out(request, system.pk))


@router.get("/systems/{system_id}", response={200: SystemDetailOut, **ERRORS})
def get_system(request: HttpRequest, system_id: Id) -> Any:
    return system_detail_out(request, system_id)


@router.post("/systems/{system_id}/devices", response={200: SystemDetailOut, **ERRORS},
             summary="Add a device to a system (保密办; rule D2: not below its level)")
def add_device(request: HttpRequest, system_id: Id, data: DeviceRefIn) -> Any:
    system = system_for(request.user, system_id)
    device = _devices_seen(request, [data.device_id], "device_id")[0]
    services.add_system_device(request.user, system, device)
    return system_detail_out(request, system_id)


@router.post("/systems/{system_id}/devices/{device_id}/remove",
             response={200: SystemDetailOut, **ERRORS},
             summary="Remove a device from a system (保密办)")
def remove_device(request: HttpRequest, system_id: Id, device_id: Id) -> Any:
    system = system_for(request.user, system_id)
    device = system.devices.filter(pk=device_id).first()
    if device is None:
        raise _unknown("device_id")
    services.remove_system_device(request.user, system, device)
    return system_detail_out(request, system_id)


@router.post("/systems/{system_id}/assessments", response={201: SystemDetailOut, **ERRORS},
             summary="Record a risk assessment of a system (保密办; rule D10)")
def record_assessment(request: HttpRequest, system_id: Id, data: AssessmentIn) -> Status:
    """400 `future_date` or `before_in_use` for the day, `findings_required` for a failed
    assessment without findings."""
    system = system_for(request.user, system_id)
    services.record_assessment(request.user, system, assessed_on=data.assessed_on,
                               assessor=data.assessor, report_no=data.report_no,
                               passed=data.passed, findings=data.findings)
    return Status(201, system_detail_out(request, system_id))
