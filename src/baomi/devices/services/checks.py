"""Checks of classified devices (rule D11), the network attestation renewed at each (rule D3)
and the rectification items (整改) that findings become.

The 保密办 of the device's unit records a check: the day, the approved check tool and its
version, a checker of the unit cleared for the device's level, the result of every item of
`checklist.CHECK_ITEMS` and the attestation — never connected to the internet or a public
network, no wireless hardware, ports sealed. A check passes when the attestation holds and
every item is met. Every item not met becomes a rectification item, owned by the device's
responsible person and due `devices.finding_days` days after the check; a check that finds the
device connected or fitted with wireless hardware also records a suspected leak (rule D3 →
I1) in the same transaction. Ports not sealed is a finding, not an incident.

The record is signed by the checker, a user of the device and the head of its department
(rule D11), each recorded once as a sign-off. The owner of a finding (or the 保密办) records
its rectification; the 保密办 re-checks it: verified, or open again with a new due day.

Every write checks access and the rules, moves states with a compare-and-set (or leans on a
unique constraint) and records its audit event in one transaction: a refused action leaves
nothing behind, and of two concurrent actions exactly one wins.
"""

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from baomi.accounts.models import Person, RoleAssignment
from baomi.accounts.roles import Role
from baomi.audit.services import record_event
from baomi.compliance.choices import IncidentKind
from baomi.compliance.models import Incident
from baomi.compliance.services import record_incident
from baomi.core.calendar import add_months
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level, Scheme
from baomi.core.policy import policy_of
from baomi.core.transitions import table

from ..checklist import ATTESTATION_KEYS, CHECK_ITEMS, ITEMS_BY_KEY, item_label
from ..choices import CheckRole, FindingState
from ..models import CheckFinding, CheckSignOff, Device, DeviceCheck, DeviceUser
from ..selectors import devices_visible_to, manages_devices
from ..selectors_checks import checks_visible_to, findings_visible_to
from . import common
from .common import (
    boolean,
    invalid,
    iso,
    not_office,
    past_date,
    person_of,
    refresh,
    require_cleared,
    require_user,
    stored,
    text,
)
from .locks import require_not_away, require_unlocked

TOOL_MAX = 100
TOOL_VERSION_MAX = 50
NOTE_MAX = 2000
ITEM_NOTE_MAX = 500
FINDING_MAX = 500
RECTIFICATION_MAX = 500
FINDINGS_MAX = 50
# A rectification is due within a year of the check or re-check at the latest.
LONGEST_DUE = dt.timedelta(days=365)
REPORT_MAX_BYTES = 5 * 1024 * 1024
REPORT_KEYS = ("schema", "version")
# PostgreSQL's jsonb stores no NUL character: a \u0000 escape not itself escaped.
ESCAPED_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")
CHECK_MONTHS_KEY = "devices.check_months"
FINDING_DAYS_KEY = "devices.finding_days"
SIGN_DAYS_KEY = "devices.check_sign_days"
# rule D11: the three signatures of a check record.
SIGNATURES = tuple(CheckRole.values)

FINDING = table("state", [
    (FindingState.OPEN, FindingState.RECTIFIED, None),  # the owner put it right
    (FindingState.RECTIFIED, FindingState.VERIFIED, None),  # the re-check confirms it
    (FindingState.RECTIFIED, FindingState.OPEN, None),  # the re-check failed: again
])


# --- policy and due days ---------------------------------------------------------------------


def check_months(device: Device) -> int:
    """rule D11: a classified device is checked at least every this many months."""
    return int(policy_of(device.unit)[CHECK_MONTHS_KEY])


def finding_days(device: Device) -> int:
    return int(policy_of(device.unit)[FINDING_DAYS_KEY])


def check_due_after(last: dt.date | None, in_use_on: dt.date, months: int) -> dt.date:
    """rule D11: `months` after the last check; counted from the day the device came into
    use when it was never checked."""
    return add_months(last if last is not None else in_use_on, months)


def is_classified(device: Device) -> bool:
    return int(device.level) > Level.NONSECRET


# --- input -------------------------------------------------------------------------------------


def _day_from(value: Any, field: str, earliest: dt.date, code: str, message: str) -> dt.date:
    """A date not in the future and not before `earliest`."""
    day = past_date(value, field)
    if day < earliest:
        raise invalid(field, message, code=code)
    return day


def _due_on(value: Any, start: dt.date, field: str = "due_on") -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise invalid(field, _("Enter a valid date."))
    if not start <= value <= start + LONGEST_DUE:
        raise invalid(field, _("The due day is from the day of the check to a year after."),
                      code="due_out_of_range")
    return value


def _invalid_items(message: str, code: str = "invalid_items") -> InvalidInput:
    return invalid("items", message, code=code)


def _item(value: Any, flags: dict[str, bool]) -> dict[str, Any]:
    """One result {"item", "ok", "note"}; an attestation item agrees with its flag (rule D3)."""
    if not isinstance(value, Mapping):
        raise _invalid_items(_("Give each item as its key, its result and a note."))
    key, ok = value.get("item"), value.get("ok")
    if not isinstance(key, str) or key not in ITEMS_BY_KEY:
        raise _invalid_items(_("Unknown check item."))
    if not isinstance(ok, bool):
        raise _invalid_items(_("Say whether each item is met."))
    note = text(value.get("note", ""), "items", ITEM_NOTE_MAX, required=False)
    if key in flags and ok != flags[key]:
        raise _invalid_items(_("“%(item)s” contradicts the network attestation.")
                             % {"item": item_label(key)}, code="attestation_mismatch")
    return {"item": key, "ok": ok, "note": note}


def _items(values: Any, flags: dict[str, bool]) -> list[dict[str, Any]]:
    """Every item of the checklist once, in its order; the attestation items may be left out
    (they follow the flags)."""
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise _invalid_items(_("Give the result of every check item."))
    results: dict[str, dict[str, Any]] = {}
    for value in values:
        if len(results) >= len(CHECK_ITEMS):
            raise _invalid_items(_("Each check item is given once."))
        result = _item(value, flags)
        if result["item"] in results:
            raise _invalid_items(_("Each check item is given once."))
        results[result["item"]] = result
    for key in ATTESTATION_KEYS:
        results.setdefault(key, {"item": key, "ok": flags[key], "note": ""})
    if len(results) != len(CHECK_ITEMS):
        raise _invalid_items(_("Give the result of every check item."), code="items_incomplete")
    return [results[item.key] for item in CHECK_ITEMS]


def _finding_owner(device: Device, value: Any, field: str) -> Person:
    """An active person of the unit cleared for the device's level (rule L5: the finding
    names the device)."""
    owner = person_of(device.unit_id, value, field)
    require_cleared(owner, int(device.level), field, rule="L5")
    return owner


def _extra_findings(device: Device, values: Any) -> list[dict[str, Any]]:
    """Findings beyond the items: {"description", "owner" (optional), "due_on" (optional)}."""
    if values is None:
        return []
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise invalid("findings", _("Give the findings as a list."))
    extra: list[dict[str, Any]] = []
    for value in values:
        if len(extra) >= FINDINGS_MAX:
            raise invalid("findings", _("Too many findings."))
        if not isinstance(value, Mapping):
            raise invalid("findings", _("Give the findings as a list."))
        owner = value.get("owner")
        extra.append({
            "description": text(value.get("description"), "findings", FINDING_MAX),
            "owner": None if owner is None else _finding_owner(device, owner, "findings"),
            "due_on": value.get("due_on")})
    return extra


# --- access ------------------------------------------------------------------------------------


def _office_device(actor: Any, device: Any) -> Device:
    """A device the actor sees (rule L5; NotFound otherwise) and keeps as the 保密办."""
    require_user(actor)
    if not isinstance(device, Device) or device.pk is None \
            or not devices_visible_to(actor).filter(pk=device.pk).exists():
        raise NotFound()
    if not manages_devices(actor, device.unit_id):
        raise not_office()
    return device


def _visible_check(actor: Any, check: Any) -> DeviceCheck:
    require_user(actor)
    return stored(checks_visible_to(actor).select_related("device__unit"), check)


def _office_check(actor: Any, check: Any) -> DeviceCheck:
    found = _visible_check(actor, check)
    if not manages_devices(actor, found.device.unit_id):
        raise not_office()
    return found


def _visible_finding(actor: Any, finding: Any) -> CheckFinding:
    require_user(actor)
    return stored(findings_visible_to(actor).select_related("check_record__device__unit"),
                  finding)


def may_rectify(user: Any, finding: CheckFinding) -> bool:
    """The owner of a finding, or the 保密办 of its device's unit, records its rectification."""
    return finding.owner_id == getattr(user, "person_id", None) \
        or manages_devices(user, finding.check_record.device.unit_id)


# --- rule D11: the check ------------------------------------------------------------------------


def _require_checkable(device: Device) -> None:
    """A classified device on the ledger and in the unit: retired devices are locked (rule D8),
    one away for repair has left with its disk (rule D7)."""
    if not is_classified(device):  # rule D11: the check of classified devices
        message = _("Only classified devices are checked.")
        raise RuleViolation(message, code="not_classified", rule="D11")
    require_unlocked(device)  # rule D8
    require_not_away(device)  # rule D7


def _finding(check: DeviceCheck, description: str, owner: Person,
             due_on: dt.date) -> CheckFinding:
    return CheckFinding.objects.create(check_record=check, description=description[:FINDING_MAX],
                                       owner=owner, due_on=due_on)


def _item_findings(check: DeviceCheck, device: Device, due_on: dt.date) -> list[CheckFinding]:
    """Every item not met — a false attestation flag included — becomes a finding owned by
    the device's responsible person."""
    made = []
    for result in check.items:
        if not result["ok"]:
            description = _("Not met: %(item)s") % {"item": item_label(result["item"])}
            if result["note"]:
                description = f"{description} — {result['note']}"
            made.append(_finding(check, description, device.responsible, due_on))
    return made


def _d3_incident(actor: Any, device: Device, check: DeviceCheck) -> Incident:
    """rule D3 → I1: a classified device found connected to a public network or fitted with
    wireless hardware is a suspected leak, at the device's level."""
    found = []
    if not check.no_internet:
        found.append(_("it was connected to the internet or a public network"))
    if not check.no_wireless:
        found.append(_("it has wireless hardware"))
    title = _("The check of classified device %(number)s found a network violation") % {
        "number": device.number}
    description = _("Check of %(day)s with %(tool)s %(version)s: %(found)s (rule D3).") % {
        "day": check.checked_on.isoformat(), "tool": check.tool, "version": check.tool_version,
        "found": "; ".join(str(text) for text in found)}
    return record_incident(
        actor, unit=device.unit, kind=IncidentKind.SUSPECTED_LEAK, scheme=Scheme.STATE,
        level=int(device.level), title=title[:300], discovered_on=check.checked_on,
        source_type="devices.devicecheck", source_id=check.pk, source_label=device.number,
        description=description)


def check_values(check: DeviceCheck) -> dict[str, Any]:
    return {"device": check.device_id, "checked_on": iso(check.checked_on), "tool": check.tool,
            "tool_version": check.tool_version, "checker": check.checker_id,
            "no_internet": check.no_internet, "no_wireless": check.no_wireless,
            "ports_sealed": check.ports_sealed, "items": check.items, "passed": check.passed,
            "note": check.note}


def record_check(actor: Any, device: Device, *, checked_on: dt.date, tool: str,
                 tool_version: str, checker: Person, no_internet: bool, no_wireless: bool,
                 ports_sealed: bool, items: Iterable[Mapping[str, Any]], note: str = "",
                 findings: Iterable[Mapping[str, Any]] | None = None) -> DeviceCheck:
    """rule D11: one check of a classified device with an approved tool, the network
    attestation renewed (rule D3); what fails becomes rectification items, a connection or
    wireless hardware a suspected leak."""
    device = _office_device(actor, device)
    tool = text(tool, "tool", TOOL_MAX)  # rule D11: the approved tool is named
    tool_version = text(tool_version, "tool_version", TOOL_VERSION_MAX)
    flags = {"no_internet": boolean(no_internet, "no_internet"),
             "no_wireless": boolean(no_wireless, "no_wireless"),
             "ports_sealed": boolean(ports_sealed, "ports_sealed")}
    checker = person_of(device.unit_id, checker, "checker")
    require_cleared(checker, int(device.level), "checker", rule="L5")
    results = _items(items, flags)
    note = text(note, "note", NOTE_MAX, required=False)
    extra = _extra_findings(device, findings)
    with transaction.atomic():
        fresh = Device.objects.select_for_update().select_related("unit", "responsible").get(
            pk=device.pk)
        _require_checkable(fresh)
        day = _day_from(checked_on, "checked_on", fresh.in_use_on, "before_in_use",
                        _("The date cannot be before the device came into use."))
        default_due = day + dt.timedelta(days=finding_days(fresh))
        check = DeviceCheck.objects.create(
            device=fresh, checked_on=day, tool=tool, tool_version=tool_version, checker=checker,
            **flags, items=results, passed=all(r["ok"] for r in results), note=note,
            recorded_by=actor)
        made = _item_findings(check, fresh, default_due)
        made += [_finding(check, f["description"], f["owner"] or fresh.responsible,
                          default_due if f["due_on"] is None
                          else _due_on(f["due_on"], day, "findings"))
                 for f in extra]
        incident = None if flags["no_internet"] and flags["no_wireless"] \
            else _d3_incident(actor, fresh, check)  # rule D3
        record_event(actor, "DEVICE_CHECKED", check, after={
            **check_values(check), "findings": [f.pk for f in made],
            "incident": incident.pk if incident else None})
    return check


# --- rule D11: the sign-offs ---------------------------------------------------------------------


def is_department_head(person: Person, device: Device) -> bool:
    """The person holds the department-head role for the device's unit and is in the
    device's department."""
    if person.department_id != device.department_id:
        return False
    units = [device.unit_id, *([device.unit.parent_id] if device.unit.parent_id else [])]
    return RoleAssignment.objects.filter(user__person_id=person.pk, role=Role.DEPARTMENT_HEAD,
                                         unit_id__in=units).exists()


def is_device_user(person: Person, device: Device) -> bool:
    return person.pk == device.responsible_id \
        or DeviceUser.objects.filter(device_id=device.pk, person_id=person.pk).exists()


def signer_refusal(check: DeviceCheck, role: str, person: Person) -> RuleViolation | None:
    """rule D11: the checker signs as the checker, a user of the device (or its responsible
    person) as the user, the head of the device's department as the head."""
    device = check.device
    if role == CheckRole.CHECKER and person.pk != check.checker_id:
        return _wrong_signer(_("Only the checker of this check signs as the checker."),
                             "not_the_checker")
    if role == CheckRole.USER and not is_device_user(person, device):
        return _wrong_signer(_("Only a user or the responsible person of the device signs as "
                               "its user."), "not_a_device_user")
    if role == CheckRole.HEAD and not is_department_head(person, device):
        return _wrong_signer(_("Only the head of the device's department signs as the "
                               "department head."), "not_the_department_head")
    return None


def _wrong_signer(message: str, code: str) -> RuleViolation:
    return RuleViolation(message, code=code, rule="D11", fields={"person": message})


def _already_signed() -> Conflict:
    message = _("This role has already signed the check.")
    return Conflict(message, code="already_signed", fields={"role": message})


def sign_check(actor: Any, check: DeviceCheck, *, role: str, person: Person,
               signed_on: dt.date) -> CheckSignOff:
    """rule D11: record the signature of the checker, the user or the department head on a
    check record — once per role."""
    check = _office_check(actor, check)
    device = check.device
    if not isinstance(role, str) or role not in SIGNATURES:
        raise invalid("role", _("Choose from the list."))
    person = person_of(device.unit_id, person, "person")
    require_cleared(person, int(device.level), "person", rule="L5")
    refusal = signer_refusal(check, role, person)
    if refusal is not None:
        raise refusal
    day = _day_from(signed_on, "signed_on", check.checked_on, "before_check",
                    _("The date cannot be before the check."))
    try:
        with transaction.atomic():
            DeviceCheck.objects.select_for_update().filter(pk=check.pk).first()
            if CheckSignOff.objects.filter(check_record=check, role=role).exists():
                raise _already_signed()
            with transaction.atomic():  # check_sign_off_one_per_role: a concurrent one won
                sign_off = CheckSignOff.objects.create(check_record=check, role=role,
                                                       person=person, signed_on=day,
                                                       recorded_by=actor)
            record_event(actor, "DEVICE_CHECK_SIGNED", sign_off, after={
                "check": check.pk, "role": role, "person": person.pk,
                "signed_on": day.isoformat()})
    except IntegrityError:
        raise _already_signed() from None
    return sign_off


# --- the scan report (issue 7) -----------------------------------------------------------------


def _report(value: Any) -> tuple[dict[str, Any], int]:
    """A `baomi scan` JSON report: an object naming its schema or version, at most 5 MB."""
    message = _("The report is not a check tool report.")
    if not isinstance(value, dict) or not any(key in value for key in REPORT_KEYS):
        raise InvalidInput(message, code="invalid_report", fields={"report": message})
    try:
        serialized = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        raise InvalidInput(message, code="invalid_report", fields={"report": message}) from None
    size = len(serialized.encode("utf-8", "surrogatepass"))
    if ESCAPED_NUL.search(serialized) or size > REPORT_MAX_BYTES:
        raise InvalidInput(message, code="invalid_report", fields={"report": message})
    try:
        serialized.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(message, code="invalid_report", fields={"report": message}) from None
    return value, size


def attach_scan_report(actor: Any, check: DeviceCheck, report: dict[str, Any]) -> DeviceCheck:
    """Keep the report of the secrecy check tool (`baomi scan`) with the check; a new report
    replaces the earlier one (both are in the audit trail by their summary)."""
    given, check = check, _office_check(actor, check)
    report, size = _report(report)
    with transaction.atomic():
        fresh = DeviceCheck.objects.select_for_update().get(pk=check.pk)
        before = _report_summary(fresh.report)
        DeviceCheck.objects.filter(pk=fresh.pk).update(report=report)
        fresh.report = report
        record_event(actor, "DEVICE_CHECK_REPORT_ATTACHED", fresh, before=before,
                     after={**(_report_summary(report) or {}), "bytes": size})
    return refresh(given, fresh)


def _report_summary(report: Any) -> dict[str, Any] | None:
    if not isinstance(report, dict):
        return None
    return {key: str(report.get(key))[:100] for key in REPORT_KEYS if key in report}


# --- rectification items (整改) --------------------------------------------------------------


def finding_values(finding: CheckFinding) -> dict[str, Any]:
    return {"check": finding.check_record_id, "state": finding.state,
            "due_on": iso(finding.due_on), "owner": finding.owner_id,
            "rectified_on": iso(finding.rectified_on), "rectification": finding.rectification,
            "verified_on": iso(finding.verified_on)}


def record_rectification(actor: Any, finding: CheckFinding, *, rectified_on: dt.date,
                         rectification: str) -> CheckFinding:
    """The owner (or the 保密办) says what was done to put the finding right; it waits for the
    re-check."""
    given, finding = finding, _visible_finding(actor, finding)
    if not may_rectify(actor, finding):
        raise AccessDenied(_("Only the owner of the item or the secrecy office can do this."),
                           code="not_owner")
    rectification = text(rectification, "rectification", RECTIFICATION_MAX)
    day = _day_from(rectified_on, "rectified_on", finding.check_record.checked_on,
                    "before_check", _("The date cannot be before the check."))
    with transaction.atomic():
        before = finding_values(finding)
        FINDING.apply(finding, FindingState.RECTIFIED, rectified_on=day,
                      rectification=rectification)
        record_event(actor, "DEVICE_FINDING_RECTIFIED", finding, before=before,
                     after=finding_values(finding))
    return refresh(given, finding)


def verify_finding(actor: Any, finding: CheckFinding, *, verified_on: dt.date, passed: bool,
                   due_on: dt.date | None = None) -> CheckFinding:
    """The 保密办's re-check of a rectified item: verified, or open again — due `due_on`, by
    default `devices.finding_days` days after the re-check."""
    given, finding = finding, _visible_finding(actor, finding)
    device = finding.check_record.device
    if not manages_devices(actor, device.unit_id):
        raise not_office()
    passed = boolean(passed, "passed")
    if finding.state != FindingState.RECTIFIED:
        FINDING.check(finding, FindingState.VERIFIED)  # the illegal transition, named
    day = _day_from(verified_on, "verified_on", finding.rectified_on or dt.date.min,
                    "before_rectified", _("The date cannot be before the rectification."))
    if not passed:
        due_on = day + dt.timedelta(days=finding_days(device)) if due_on is None \
            else _due_on(due_on, day)
    with transaction.atomic():
        before = finding_values(finding)
        if passed:
            FINDING.apply(finding, FindingState.VERIFIED, verified_on=day, verified_by=actor)
        else:
            FINDING.apply(finding, FindingState.OPEN, due_on=due_on, verified_on=day,
                          verified_by=actor, rectified_on=None, rectification="")
        record_event(actor, "DEVICE_FINDING_VERIFIED" if passed else "DEVICE_FINDING_REOPENED",
                     finding, before=before, after=finding_values(finding))
    return refresh(given, finding)


# --- what the pages show ---------------------------------------------------------------------


def last_check(device: Device) -> DeviceCheck | None:
    return DeviceCheck.objects.filter(device_id=device.pk).order_by("-checked_on", "-id").first()


def next_check_due(device: Device, last: DeviceCheck | None = None) -> dt.date | None:
    """rule D11: the day the next check of a classified device is due; None for a 非密 one."""
    if not is_classified(device):
        return None
    last = last if last is not None else last_check(device)
    return check_due_after(last.checked_on if last else None, device.in_use_on,
                           check_months(device))


def check_overdue(device: Device, last: DeviceCheck | None = None) -> bool:
    """Past its due day; the due day itself is still in time."""
    due = next_check_due(device, last)
    return due is not None and due < common.today()


def signed_roles(check: DeviceCheck) -> set[str]:
    return set(CheckSignOff.objects.filter(check_record_id=check.pk)
               .values_list("role", flat=True))


def is_signed(check: DeviceCheck) -> bool:
    """rule D11: signed by the checker, the user and the department head."""
    return signed_roles(check) >= set(SIGNATURES)


def may_record_checks(user: Any, device: Device) -> bool:
    return is_classified(device) and manages_devices(user, device.unit_id)
