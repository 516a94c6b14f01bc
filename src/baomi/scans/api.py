"""The check tool in the API (/api/v1/scans; rule D11): the upload of a `baomi scan` report
and the register of reports, the unit's keyword lists and profiles, and the profile the tool
fetches before a scan (`baomi scan --server URL --token T --profile NAME --device N`).

Handlers call selectors and services only; a refusal is a DomainError (a 4xx with
`{"code", "message", "fields"}`); an object the caller does not see is a 404.
"""

import datetime as dt
import json
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from baomi.core.errors import InvalidInput
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services
from .choices import ProfileBase
from .models import KeywordList, ScanProfile, ScanReport
from .report import REPORT_MAX_BYTES
from .selectors import (
    filter_reports,
    keyword_list_for,
    keyword_lists_visible_to,
    profile_named,
    profile_payload,
    profiles_visible_to,
    report_for,
    reports_visible_to,
)

router = Router(tags=["scans"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
# An upload may be pretty-printed: its canonical JSON is what must stay within 5 MB.
BODY_MAX_BYTES = 2 * REPORT_MAX_BYTES


# --- schemas ---------------------------------------------------------------------------------


class UploadOut(Schema):
    id: int
    url: str
    check: int | None
    rectifications: list[int]


class ReportOut(Schema):
    id: int
    device_id: int | None
    device_number: str
    host: str
    profile: str
    tool_version: str
    engine: str
    started_at: dt.datetime
    finished_at: dt.datetime
    files_scanned: int
    files_skipped: int
    files_with_findings: int
    marks: int
    keyword_hits: int
    violations: int
    highest_level: int
    clean: bool
    check: int | None
    uploaded_at: dt.datetime


class ReportDetailOut(ReportOut):
    summary: dict[str, Any]
    violation_list: list[dict[str, Any]]
    files: list[dict[str, Any]]
    rectifications: list[int]


class ReportPage(Schema):
    items: list[ReportOut]
    next_after: int | None


class ReportQuery(Schema):
    device: str = Field("", max_length=50)
    clean: bool | None = None
    date_from: dt.date | None = Field(None, ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))
    date_to: dt.date | None = Field(None, ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class KeywordListIn(Schema):
    name: str = Field(max_length=200)
    terms: str = Field(max_length=2 * services.TERMS_BYTES_MAX)


class KeywordListOut(Schema):
    id: int
    name: str
    count: int
    terms: list[str]
    updated_at: dt.datetime


class ProfileIn(Schema):
    name: str = Field(max_length=100)
    base: ProfileBase
    keyword_list_id: int | None = Field(None, ge=1, le=MAX_KEY)
    limits: dict[str, Any] | None = None
    note: str = Field("", max_length=4000)


class ProfileOut(Schema):
    id: int
    name: str
    base: str
    keyword_list_id: int | None
    limits: dict[str, Any] | None
    note: str


class FetchedProfileOut(Schema):
    name: str
    base: str
    device_level: int | None
    keywords: list[str]
    keyword_list: dict[str, str] | None
    allowed_media: list[str]
    limits: dict[str, Any]


class ProfileQuery(Schema):
    device: str = Field("", max_length=50)


# --- conversions -----------------------------------------------------------------------------


def report_out(report: ScanReport) -> dict[str, Any]:
    return {"id": report.pk, "device_id": report.device_id, "device_number": report.device_number,
            "host": report.host, "profile": report.profile, "tool_version": report.tool_version,
            "engine": report.engine, "started_at": report.started_at,
            "finished_at": report.finished_at, "files_scanned": report.files_scanned,
            "files_skipped": report.files_skipped,
            "files_with_findings": report.files_with_findings, "marks": report.marks,
            "keyword_hits": report.keyword_hits, "violations": report.violations,
            "highest_level": report.highest_level, "clean": report.is_clean,
            "check": report.check_record_id, "uploaded_at": report.uploaded_at}


def report_detail_out(report: ScanReport) -> dict[str, Any]:
    data = report.report
    return {**report_out(report), "summary": data.get("summary", {}),
            "violation_list": data.get("violations", []), "files": data.get("files", []),
            "rectifications": sorted(report.rectifications.values_list("pk", flat=True))}


def keyword_list_out(keyword_list: KeywordList) -> dict[str, Any]:
    terms = keyword_list.term_list
    return {"id": keyword_list.pk, "name": keyword_list.name, "count": len(terms),
            "terms": terms, "updated_at": keyword_list.updated_at}


def profile_out(profile: ScanProfile) -> dict[str, Any]:
    return {"id": profile.pk, "name": profile.name, "base": profile.base,
            "keyword_list_id": profile.keyword_list_id, "limits": profile.limits,
            "note": profile.note}


def _upload_body(request: HttpRequest) -> tuple[Any, Any]:
    """`{"device": …, "report": {…}}` read from the raw body, so that a too large or broken
    body is a 400 `invalid_report` rather than the framework's 422 or a 500."""
    message = _("Send a JSON object {\"device\": …, \"report\": {…}} of at most 5 MB.")
    refused = InvalidInput(message, code="invalid_report", fields={"report": message})
    raw = request.read(BODY_MAX_BYTES + 1)
    if len(raw) > BODY_MAX_BYTES:
        raise refused
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise refused from None
    if not isinstance(body, dict) or "report" not in body:
        raise refused
    device = body.get("device")
    if device is not None and not isinstance(device, str):
        raise InvalidInput(_("Give the secrecy number as text."), code="invalid",
                           fields={"device": _("Give the secrecy number as text.")})
    return device, body["report"]


# --- reports ---------------------------------------------------------------------------------


@router.post("/reports", response={201: UploadOut, **ERRORS},
             summary="Upload a report of the check tool (保密办; rule D11)",
             openapi_extra={"requestBody": {"content": {"application/json": {"schema": {
                 "type": "object", "required": ["report"],
                 "properties": {"device": {"type": ["string", "null"]},
                                "report": {"type": "object"}}}}}}})
def upload_report(request: HttpRequest) -> Status:
    """400 `invalid_report` for anything but a schema-1 report of at most 5 MB, 403 for anyone
    but the unit's 保密办, 409 `duplicate_report` for a report received before."""
    device, report = _upload_body(request)
    scan = services.receive_report(request.user, device, report)
    return Status(201, {"id": scan.pk, "url": reverse("scans:report_detail", args=[scan.pk]),
                        "check": scan.check_record_id,
                        "rectifications": sorted(scan.rectifications.values_list("pk", flat=True))})


@router.get("/reports", response={200: ReportPage, **ERRORS},
            summary="The register of check tool reports the caller sees, most recent first")
def list_reports(request: HttpRequest, query: Query[ReportQuery]) -> dict[str, Any]:
    reports = filter_reports(reports_visible_to(request.user), device=query.device,
                             clean=query.clean, date_from=query.date_from, date_to=query.date_to)
    page = keyset_page(reports, None, size=query.limit, after=query.after)
    return {"items": [report_out(r) for r in page.items], "next_after": page.next_after}


@router.get("/reports/{report_id}", response={200: ReportDetailOut, **ERRORS},
            summary="One report: summary, violations and the files with findings")
def get_report(request: HttpRequest, report_id: Id) -> dict[str, Any]:
    report = report_for(request.user, report_id)
    services.record_report_read(request.user, report)
    return report_detail_out(report)


@router.get("/reports/{report_id}/json", response={200: dict[str, Any], **ERRORS},
            summary="The report as uploaded (a download)")
def download_report(request: HttpRequest, report_id: Id) -> HttpResponse:
    report = report_for(request.user, report_id)
    services.record_report_read(request.user, report)
    response = HttpResponse(json.dumps(report.report, ensure_ascii=False, indent=1),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scan-report-{report.pk}.json"'
    return response


# --- keyword lists ---------------------------------------------------------------------------


@router.get("/keyword-lists", response={200: list[KeywordListOut], **ERRORS},
            summary="The unit's keyword lists (保密办)")
def list_keyword_lists(request: HttpRequest) -> list[dict[str, Any]]:
    return [keyword_list_out(k) for k in keyword_lists_visible_to(request.user)[:200]]


@router.post("/keyword-lists", response={201: KeywordListOut, **ERRORS},
             summary="Create a keyword list (保密办)")
def create_keyword_list(request: HttpRequest, data: KeywordListIn) -> Status:
    made = services.create_keyword_list(request.user, name=data.name, terms=data.terms)
    return Status(201, keyword_list_out(made))


@router.get("/keyword-lists/{list_id}", response={200: KeywordListOut, **ERRORS},
            summary="One keyword list with its terms (保密办)")
def get_keyword_list(request: HttpRequest, list_id: Id) -> dict[str, Any]:
    return keyword_list_out(keyword_list_for(request.user, list_id))


@router.put("/keyword-lists/{list_id}", response={200: KeywordListOut, **ERRORS},
            summary="Replace a keyword list's name and terms (保密办)")
def update_keyword_list(request: HttpRequest, list_id: Id, data: KeywordListIn) -> dict[str, Any]:
    found = keyword_list_for(request.user, list_id)
    return keyword_list_out(services.update_keyword_list(request.user, found, name=data.name,
                                                         terms=data.terms))


@router.post("/keyword-lists/{list_id}/import", response={200: KeywordListOut, **ERRORS},
             summary="Replace a keyword list's terms with a .txt file, UTF-8 or GB18030 (保密办)")
def import_keyword_list(request: HttpRequest, list_id: Id,
                        file: File[UploadedFile]) -> dict[str, Any]:
    found = keyword_list_for(request.user, list_id)
    if file.size is None or file.size > services.TERMS_BYTES_MAX:
        raise InvalidInput(_("The file is larger than 1 MB."), code="too_large",
                           fields={"file": _("The file is larger than 1 MB.")})
    return keyword_list_out(services.import_keyword_list(request.user, found, file.read()))


# --- profiles --------------------------------------------------------------------------------


def _keyword_list(request: HttpRequest, pk: int | None) -> KeywordList | None:
    if pk is None:
        return None
    found = keyword_lists_visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise InvalidInput(_("Choose a keyword list of the unit."), code="invalid",
                           fields={"keyword_list_id": _("Choose a keyword list of the unit.")})
    return found


@router.get("/profiles", response={200: list[ProfileOut], **ERRORS},
            summary="The unit's check profiles (保密办)")
def list_profiles(request: HttpRequest) -> list[dict[str, Any]]:
    return [profile_out(p) for p in profiles_visible_to(request.user)[:200]]


@router.post("/profiles", response={201: ProfileOut, **ERRORS},
             summary="Create a check profile (保密办)")
def create_profile(request: HttpRequest, data: ProfileIn) -> Status:
    made = services.create_profile(request.user, name=data.name, base=data.base,
                                   keyword_list=_keyword_list(request, data.keyword_list_id),
                                   limits=data.limits, note=data.note)
    return Status(201, profile_out(made))


@router.put("/profiles/{name}", response={200: ProfileOut, **ERRORS},
            summary="Change a check profile, named by its current name (保密办)")
def update_profile(request: HttpRequest, name: Annotated[str, Path(max_length=50)],
                   data: ProfileIn) -> dict[str, Any]:
    found = profile_named(request.user, name)
    return profile_out(services.update_profile(
        request.user, found, name=data.name, base=data.base,
        keyword_list=_keyword_list(request, data.keyword_list_id), limits=data.limits,
        note=data.note))


@router.get("/profiles/{name}", response={200: FetchedProfileOut, **ERRORS},
            summary="The profile `baomi scan --profile NAME --device N` fetches (保密办)")
def fetch_profile(request: HttpRequest, name: Annotated[str, Path(max_length=50)],
                  query: Query[ProfileQuery]) -> dict[str, Any]:
    """The terms of its keyword list, the ledger level of the device (null when the number is
    not on the ledger) and the serials of the media bound to it (rule D4)."""
    return profile_payload(request.user, profile_named(request.user, name), query.device)
