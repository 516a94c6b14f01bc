"""Device checks in the API (/api/v1/devices; rules D3, D11): the checks of a device and
recording one (保密办), one check with its items, sign-offs and rectification items, the
sign-offs, the report of the secrecy check tool (`baomi scan`), and the rectification items
with their rectification and re-check.

Handlers call selectors and services only; every input is bounded by its schema and a refusal
is a DomainError (a 4xx with `{"code", "message", "fields"}`). A check or item the caller does
not see is a 404, never telling whether it exists.
"""

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Field, Path, Query, Router, Schema, Status

from baomi.accounts.models import Person
from baomi.compliance.selectors import incidents_visible_to
from baomi.core.errors import InvalidInput
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services
from .checklist import CHECK_ITEMS, item_label
from .choices import CheckRole, FindingState
from .models import CheckFinding, CheckSignOff, DeviceCheck
from .selectors import device_for
from .selectors_checks import check_for, filtered_findings, finding_for, with_sign_count
from .services.checks import (
    FINDING_MAX,
    FINDINGS_MAX,
    ITEM_NOTE_MAX,
    NOTE_MAX,
    RECTIFICATION_MAX,
    TOOL_MAX,
    TOOL_VERSION_MAX,
)
from .services.common import today

router = Router(tags=["devices"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
Key = Annotated[int, Field(ge=1, le=MAX_KEY)]
# Dates a ledger can hold; keeps the fuzzer's year 1 and year 9999 out of date arithmetic.
Day = Annotated[date, Field(ge=date(1950, 1, 1), le=date(2100, 12, 31))]
# The keys of checklist.CHECK_ITEMS (a test keeps them equal).
ItemKey = Literal["level_label", "no_internet", "no_wireless", "ports_sealed",
                  "registered_media", "password", "security_products", "usage_log",
                  "no_unrelated_software"]
RoleName = Literal["checker", "user", "head"]
StateName = Literal["open", "rectified", "verified"]


# --- schemas -------------------------------------------------------------------------------


class ItemIn(Schema):
    item: ItemKey
    ok: bool
    note: str = Field("", max_length=ITEM_NOTE_MAX)


class FindingIn(Schema):
    description: str = Field(min_length=1, max_length=FINDING_MAX)
    owner_id: Key | None = Field(None, description="Default: the device's responsible person.")
    due_on: Day | None = Field(None, description="Default: `devices.finding_days` after the "
                                                 "check.")


class CheckIn(Schema):
    checked_on: Day = Field(description="Not in the future, not before the device came into "
                                        "use.")
    tool: str = Field(min_length=1, max_length=TOOL_MAX,
                      description="The check tool approved by the secrecy office (rule D11).")
    tool_version: str = Field(min_length=1, max_length=TOOL_VERSION_MAX)
    checker_id: Key = Field(description="A person of the unit cleared for the device's level.")
    no_internet: bool = Field(description="rule D3: never connected to the internet or a "
                                          "public network.")
    no_wireless: bool = Field(description="rule D3: no wireless hardware.")
    ports_sealed: bool = Field(description="rule D3: ports sealed.")
    items: list[ItemIn] = Field(max_length=len(CHECK_ITEMS),
                                description="Every item of the checklist once; the three "
                                            "attestation items may be left out.")
    note: str = Field("", max_length=NOTE_MAX)
    findings: list[FindingIn] = Field(default_factory=list, max_length=FINDINGS_MAX)


class SignOffIn(Schema):
    role: RoleName
    person_id: Key
    signed_on: Day


class RectificationIn(Schema):
    rectified_on: Day
    rectification: str = Field(min_length=1, max_length=RECTIFICATION_MAX)


class VerificationIn(Schema):
    verified_on: Day
    passed: bool
    due_on: Day | None = Field(None, description="When it failed: the new due day (default "
                                                 "`devices.finding_days` later).")


class ItemOut(Schema):
    item: str
    label: str
    ok: bool
    note: str


class SignOffOut(Schema):
    role: str
    person_id: int
    person_name: str
    signed_on: date


class FindingOut(Schema):
    id: int
    check_id: int
    device_id: int
    device_number: str
    description: str
    owner_id: int
    owner_name: str
    due_on: date
    state: str
    overdue: bool
    rectified_on: date | None
    rectification: str
    verified_on: date | None


class CheckOut(Schema):
    id: int
    device_id: int
    device_number: str
    checked_on: date
    tool: str
    tool_version: str
    checker_id: int
    checker_name: str
    no_internet: bool
    no_wireless: bool
    ports_sealed: bool
    attested: bool = Field(description="rule D3: the network attestation holds.")
    passed: bool
    sign_count: int
    signed: bool = Field(description="rule D11: signed by the checker, the user and the "
                                     "department head.")
    report_attached: bool


class CheckDetailOut(CheckOut):
    note: str
    items: list[ItemOut]
    sign_offs: list[SignOffOut]
    findings: list[FindingOut]
    incident_id: int | None = Field(description="The suspected leak recorded (rule D3), when "
                                                "the caller sees it.")


class CheckPage(Schema):
    items: list[CheckOut]
    next_after: int | None


class FindingPage(Schema):
    items: list[FindingOut]
    next_after: int | None


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class FindingQuery(PageQuery):
    state: StateName | None = None
    overdue: bool = Field(False, description="Only open items past their due day.")


# --- conversions -----------------------------------------------------------------------------


def check_out(check: DeviceCheck) -> dict[str, Any]:
    sign_count = getattr(check, "sign_count", None)
    if sign_count is None:
        sign_count = CheckSignOff.objects.filter(check_record_id=check.pk).count()
    return {"id": check.pk, "device_id": check.device_id, "device_number": check.device.number,
            "checked_on": check.checked_on, "tool": check.tool,
            "tool_version": check.tool_version, "checker_id": check.checker_id,
            "checker_name": check.checker.name, "no_internet": check.no_internet,
            "no_wireless": check.no_wireless, "ports_sealed": check.ports_sealed,
            "attested": check.attested, "passed": check.passed, "sign_count": sign_count,
            "signed": sign_count >= len(CheckRole.values),
            "report_attached": check.report is not None}


def finding_out(finding: CheckFinding) -> dict[str, Any]:
    device = finding.check_record.device
    return {"id": finding.pk, "check_id": finding.check_record_id, "device_id": device.pk,
            "device_number": device.number, "description": finding.description,
            "owner_id": finding.owner_id, "owner_name": finding.owner.name,
            "due_on": finding.due_on, "state": finding.state,
            "overdue": finding.state == FindingState.OPEN and finding.due_on < today(),
            "rectified_on": finding.rectified_on, "rectification": finding.rectification,
            "verified_on": finding.verified_on}


def check_detail_out(request: HttpRequest, pk: int) -> dict[str, Any]:
    check = check_for(request.user, pk)
    items = [{"item": str(r.get("item", "")), "label": item_label(str(r.get("item", ""))),
              "ok": bool(r.get("ok")), "note": str(r.get("note") or "")} for r in check.items]
    sign_offs = [{"role": s.role, "person_id": s.person_id, "person_name": s.person.name,
                  "signed_on": s.signed_on}
                 for s in CheckSignOff.objects.filter(check_record=check)
                 .select_related("person").order_by("id")]
    findings = [finding_out(f) for f in check.findings.select_related(
        "owner", "check_record__device").order_by("id")]
    incident = incidents_visible_to(request.user).filter(
        source_type="devices.devicecheck", source_id=check.pk).values_list("pk", flat=True)
    return {**check_out(check), "note": check.note, "items": items, "sign_offs": sign_offs,
            "findings": findings, "incident_id": incident.first()}


def _unknown(field: str) -> InvalidInput:
    message = _("Choose from the list.")
    return InvalidInput(message, code="unknown", fields={field: message})


def _person_of_unit(pk: int, unit_id: int, field: str) -> Person:
    found = Person.objects.filter(pk=pk, unit_id=unit_id).first()
    if found is None:
        raise _unknown(field)
    return found


# --- endpoints -----------------------------------------------------------------------------


@router.get("/devices/{device_id}/checks", response={200: CheckPage, **ERRORS},
            summary="The checks of a device, newest first (rule D11)")
def list_device_checks(request: HttpRequest, device_id: Id,
                       query: Query[PageQuery]) -> dict[str, Any]:
    device = device_for(request.user, device_id)
    checks = with_sign_count(DeviceCheck.objects.filter(device=device)).select_related(
        "device", "checker")
    page = keyset_page(checks, None, size=query.limit, after=query.after)
    return {"items": [check_out(c) for c in page.items], "next_after": page.next_after}


@router.post("/devices/{device_id}/checks", response={201: CheckDetailOut, **ERRORS},
             summary="Record a check of a classified device (保密办; rules D3, D11)")
def record_check(request: HttpRequest, device_id: Id, data: CheckIn) -> Status:
    """400 `invalid_items`, `items_incomplete` or `attestation_mismatch` for the items, 422
    `clearance` for a checker below the level, 422 `not_classified`, `locked` (retired) or
    `away` (away for repair). A connection or wireless hardware records a suspected leak (rule D3)."""
    device = device_for(request.user, device_id)
    findings = [{"description": f.description, "due_on": f.due_on,
                 "owner": None if f.owner_id is None
                 else _person_of_unit(f.owner_id, device.unit_id, "findings")}
                for f in data.findings]
    check = services.record_check(
        request.user, device, checked_on=data.checked_on, tool=data.tool,
        tool_version=data.tool_version,
        checker=_person_of_unit(data.checker_id, device.unit_id, "checker_id"),
        no_internet=data.no_internet, no_wireless=data.no_wireless,
        ports_sealed=data.ports_sealed, items=[item.dict() for item in data.items],
        note=data.note, findings=findings)
    return Status(201, check_detail_out(request, check.pk))


@router.get("/checks/{check_id}", response={200: CheckDetailOut, **ERRORS})
def get_check(request: HttpRequest, check_id: Id) -> Any:
    return check_detail_out(request, check_id)


@router.post("/checks/{check_id}/sign-offs", response={201: CheckDetailOut, **ERRORS},
             summary="Record a signature on a check record (保密办; rule D11)")
def sign_check(request: HttpRequest, check_id: Id, data: SignOffIn) -> Status:
    """422 `not_the_checker`, `not_a_device_user` or `not_the_department_head` for the wrong
    person, 409 `already_signed` for a role signed before."""
    check = check_for(request.user, check_id)
    services.sign_check(request.user, check, role=data.role,
                        person=_person_of_unit(data.person_id, check.device.unit_id,
                                               "person_id"),
                        signed_on=data.signed_on)
    return Status(201, check_detail_out(request, check_id))


@router.post("/checks/{check_id}/report", response={200: CheckDetailOut, **ERRORS},
             summary="Attach the report of the secrecy check tool to a check (保密办)")
def attach_report(request: HttpRequest, check_id: Id,
                  report: Body[dict[str, Any]]) -> Any:
    """The JSON report of `baomi scan`, an object with its `schema` or `version`, at most
    5 MB; 400 `invalid_report` otherwise."""
    check = check_for(request.user, check_id)
    services.attach_scan_report(request.user, check, report)
    return check_detail_out(request, check_id)


@router.get("/findings", response={200: FindingPage, **ERRORS},
            summary="The rectification items the caller sees (rule D11)")
def list_findings(request: HttpRequest, query: Query[FindingQuery]) -> dict[str, Any]:
    findings = filtered_findings(request.user, state=query.state or "",
                                 overdue=query.overdue, today=today())
    page = keyset_page(findings, None, size=query.limit, after=query.after)
    return {"items": [finding_out(f) for f in page.items], "next_after": page.next_after}


@router.post("/findings/{finding_id}/rectification", response={200: FindingOut, **ERRORS},
             summary="Record the rectification of an item (its owner or the 保密办)")
def rectify_finding(request: HttpRequest, finding_id: Id, data: RectificationIn) -> Any:
    finding = finding_for(request.user, finding_id)
    services.record_rectification(request.user, finding, rectified_on=data.rectified_on,
                                  rectification=data.rectification)
    return finding_out(finding_for(request.user, finding_id))


@router.post("/findings/{finding_id}/verification", response={200: FindingOut, **ERRORS},
             summary="Record the re-check of a rectified item (保密办)")
def verify_finding(request: HttpRequest, finding_id: Id, data: VerificationIn) -> Any:
    """Passed: verified; failed: open again, due `due_on` (default `devices.finding_days`
    days after the re-check)."""
    finding = finding_for(request.user, finding_id)
    services.verify_finding(request.user, finding, verified_on=data.verified_on,
                            passed=data.passed, due_on=data.due_on)
    return finding_out(finding_for(request.user, finding_id))
