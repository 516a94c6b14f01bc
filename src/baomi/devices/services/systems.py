"""Classified information systems and their risk assessments (rules D2, D10, L5).

The 保密办 of a unit registers each classified information system (涉密信息系统) at the
highest level it processes, with a responsible person cleared for that level and the devices
it is made of: a device in a system processes the system's information, so none is below the
system's level (rule D2). A system is assessed every `devices.risk_assessment_months.*`
months of its unit's policy — every year at 绝密, every two years otherwise (rule D10) — and
the next assessment is due that many months after the last one, or as soon as it is in use
when it never was. Every write checks access and the rules and records its audit event in one
transaction: a refused action leaves nothing behind.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from baomi.accounts.models import Person, Unit
from baomi.audit.services import record_event
from baomi.core.calendar import add_months
from baomi.core.errors import Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level
from baomi.core.policy import policy_of

from ..models import ClassifiedSystem, Device, RiskAssessment
from ..selectors import devices_visible_to
from ..selectors_systems import may_manage_system, systems_visible_to
from . import common
from .common import (
    instance,
    invalid,
    iso,
    not_office,
    past_date,
    person_of,
    require_cleared,
    require_office,
    require_registrar_cleared,
    require_user,
    text,
)
from .locks import require_unlocked

NAME_MAX = 200
ASSESSOR_MAX = 200
REPORT_MAX = 100
FINDINGS_MAX = 5000
DEVICES_MAX = 500
# A classified system processes state secrets: 秘密 at least.
SYSTEM_LEVELS = (Level.SECRET, Level.CONFIDENTIAL, Level.TOP_SECRET)
MONTHS_KEY_TOP_SECRET = "devices.risk_assessment_months.top_secret"
MONTHS_KEY_OTHER = "devices.risk_assessment_months.other"


# --- rule D10: when the next assessment is due ------------------------------------------------


def months_key(level: int) -> str:
    """rule D10: 绝密 systems have their own interval; 机密 and 秘密 share the other."""
    return MONTHS_KEY_TOP_SECRET if int(level) == Level.TOP_SECRET else MONTHS_KEY_OTHER


def assessment_months(system: ClassifiedSystem) -> int:
    return int(policy_of(system.unit)[months_key(system.level)])


def due_after(last: dt.date | None, in_use_on: dt.date, months: int) -> dt.date:
    """rule D10: `months` after the last assessment; from the day it came into use when it
    was never assessed."""
    return add_months(last, months) if last is not None else in_use_on


def last_assessed_on(system: ClassifiedSystem) -> dt.date | None:
    if hasattr(system, "last_assessed_on"):  # annotated by selectors_systems.with_status
        return system.last_assessed_on  # type: ignore[no-any-return]
    return (RiskAssessment.objects.filter(system_id=system.pk)
            .order_by("-assessed_on").values_list("assessed_on", flat=True).first())


def next_assessment_due(system: ClassifiedSystem, months: int | None = None) -> dt.date:
    """rule D10: the day the next risk assessment of `system` is due."""
    months = months if months is not None else assessment_months(system)
    return due_after(last_assessed_on(system), system.in_use_on, months)


def assessment_overdue(system: ClassifiedSystem) -> bool:
    """Past its due day; the due day itself is still in time."""
    return next_assessment_due(system) < common.today()


# --- input and access ---------------------------------------------------------------------------


def _system_level(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SYSTEM_LEVELS:
        raise invalid("level", _("Choose a level."))
    return value


def _device_in(system_unit_id: int, system_level: int, device: Any, actor: Any,
               field: str = "devices") -> Device:
    """A device of the system's unit that the actor sees (rule L5), not below the system's
    level (rule D2)."""
    if not isinstance(device, Device) or device.pk is None \
            or device.unit_id != system_unit_id \
            or not devices_visible_to(actor).filter(pk=device.pk).exists():
        raise invalid(field, _("Choose a device of the unit."), code="unknown_device")
    require_unlocked(device, field)  # rule D8: a retired device processes nothing
    if int(device.level) < system_level:  # rule D2: it would process information above it
        message = _("%(number)s is below the level of the system.") % {"number": device.number}
        raise RuleViolation(message, code="device_below_system", rule="D2",
                            fields={field: message})
    return device


def _devices_in(unit_id: int, level: int, devices: Any, actor: Any) -> list[Device]:
    if isinstance(devices, (str, bytes)) or not isinstance(devices, Iterable):
        raise invalid("devices", _("Choose devices of the unit."), code="unknown_device")
    chosen = list(devices)
    if len(chosen) > DEVICES_MAX:
        raise invalid("devices", _("Too many devices."))
    checked = [_device_in(unit_id, level, device, actor) for device in chosen]
    return list({device.pk: device for device in checked}.values())


def _office_system(actor: Any, system: Any) -> ClassifiedSystem:
    """A system the actor sees (NotFound otherwise, rule L5) and keeps as its 保密办."""
    require_user(actor)
    if not isinstance(system, ClassifiedSystem) or system.pk is None \
            or not systems_visible_to(actor).filter(pk=system.pk).exists():
        raise NotFound()
    if not may_manage_system(actor, system):
        raise not_office()
    return system


def _locked_system(pk: int) -> ClassifiedSystem:
    """The system row, locked for this transaction (PostgreSQL; SQLite serialises writers)."""
    return ClassifiedSystem.objects.select_for_update().get(pk=pk)


def _name_exists() -> Conflict:
    message = _("A system of this name is already registered in the unit.")
    return Conflict(message, code="name_exists", fields={"name": message})


def system_values(system: ClassifiedSystem) -> dict[str, Any]:
    return {"name": system.name, "level": int(system.level),
            "responsible": system.responsible_id, "in_use_on": iso(system.in_use_on)}


# --- the writes ----------------------------------------------------------------------------------


def register_system(actor: Any, *, unit: Unit, name: str, level: int, responsible: Person,
                    in_use_on: dt.date, devices: Iterable[Device] = ()) -> ClassifiedSystem:
    """A system enters the unit's ledger at the highest level it processes, with a
    responsible person cleared for it (rule L5) and devices none below it (rule D2)."""
    unit = instance(unit, Unit, "unit")
    name = text(name, "name", NAME_MAX)
    level = _system_level(level)
    responsible = person_of(unit.pk, responsible, "responsible")
    in_use_on = past_date(in_use_on, "in_use_on")
    require_office(actor, unit.pk)
    require_registrar_cleared(actor, level)  # rule L5
    require_cleared(responsible, level, "responsible", rule="L5")
    chosen = _devices_in(unit.pk, level, devices, actor)  # rule D2
    try:
        with transaction.atomic():
            if ClassifiedSystem.objects.filter(unit=unit, name=name).exists():
                raise _name_exists()
            system = ClassifiedSystem.objects.create(
                unit=unit, name=name, level=level, responsible=responsible,
                in_use_on=in_use_on, registered_by=actor)
            system.devices.add(*chosen)
            record_event(actor, "SYSTEM_REGISTERED", system,
                         after={**system_values(system),
                                "devices": sorted(device.pk for device in chosen)})
    except IntegrityError:  # system_name_unique: a concurrent registration won
        raise _name_exists() from None
    return system


def add_system_device(actor: Any, system: ClassifiedSystem, device: Device) -> ClassifiedSystem:
    """rule D2: a device joins a system only at the system's level or above."""
    system = _office_system(actor, system)
    with transaction.atomic():
        fresh = _locked_system(system.pk)
        device = _device_in(fresh.unit_id, int(fresh.level), device, actor, "device")
        if fresh.devices.filter(pk=device.pk).exists():
            message = _("This device is already part of the system.")
            raise Conflict(message, code="already_in_system", fields={"device": message})
        fresh.devices.add(device)
        record_event(actor, "SYSTEM_DEVICE_ADDED", fresh, after={"device": device.pk,
                                                                 "number": device.number})
    return system


def remove_system_device(actor: Any, system: ClassifiedSystem,
                         device: Device) -> ClassifiedSystem:
    system = _office_system(actor, system)
    with transaction.atomic():
        fresh = _locked_system(system.pk)
        if not isinstance(device, Device) or device.pk is None \
                or not fresh.devices.filter(pk=device.pk).exists():
            message = _("This device is not part of the system.")
            raise InvalidInput(message, code="not_in_system", fields={"device": message})
        fresh.devices.remove(device)
        record_event(actor, "SYSTEM_DEVICE_REMOVED", fresh, before={"device": device.pk,
                                                                    "number": device.number})
    return system


def _assessed_on(system: ClassifiedSystem, value: Any) -> dt.date:
    """Not in the future, not before the system came into use."""
    day = past_date(value, "assessed_on")
    if day < system.in_use_on:
        raise invalid("assessed_on", _("The date cannot be before the system came into use."),
                      code="before_in_use")
    return day


def _findings(passed: Any, findings: Any) -> str:
    """A failed assessment says what failed."""
    if not isinstance(passed, bool):
        raise invalid("passed", _("Choose yes or no."))
    findings = text(findings, "findings", FINDINGS_MAX, required=False)
    if not passed and not findings:
        raise invalid("findings", _("Describe the findings of a failed assessment."),
                      code="findings_required")
    return findings


def record_assessment(actor: Any, system: ClassifiedSystem, *, assessed_on: dt.date,
                      assessor: str, report_no: str, passed: bool,
                      findings: str = "") -> RiskAssessment:
    """rule D10: a risk assessment of the system — the day, the assessor, the report and
    its conclusion; the next one is due `devices.risk_assessment_months.*` months later."""
    system = _office_system(actor, system)
    assessor = text(assessor, "assessor", ASSESSOR_MAX)
    report_no = text(report_no, "report_no", REPORT_MAX)
    findings = _findings(passed, findings)
    with transaction.atomic():
        fresh = _locked_system(system.pk)
        day = _assessed_on(fresh, assessed_on)
        assessment = RiskAssessment.objects.create(
            system=fresh, assessed_on=day, assessor=assessor, report_no=report_no,
            passed=passed, findings=findings, recorded_by=actor)
        record_event(actor, "RISK_ASSESSMENT_RECORDED", assessment,
                     after={"system": fresh.pk, "assessed_on": day.isoformat(),
                            "assessor": assessor, "report_no": report_no, "passed": passed,
                            "findings": findings})
    return assessment
