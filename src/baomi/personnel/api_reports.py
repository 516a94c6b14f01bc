"""重大事项报告 API (/api/v1/personnel/, rule P7): the 保密办's list, filing for a person or
for oneself, acknowledging.

`{file_id}` of /people/{file_id}/reports is the id of the personnel file. Errors answer
`{"code", "message", "fields"}` with a 4xx.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.core.errors import AccessDenied, NotFound
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from .models import MajorMatterReport, PersonnelFile
from .selectors.onboarding import file_of_user
from .selectors.people import file_for, managed_units
from .selectors.reports import report_for, reports_of, unit_reports
from .services.reports import DESCRIPTION_MAX, MAX_MATTERS, acknowledge_report, submit_report

router = Router(tags=["personnel"])

Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
ERRORS: dict[int, Any] = {status: ErrorOut for status in (400, 401, 403, 404, 409, 422)}
CategoryCode = Literal["marriage", "family_abroad", "foreign_contacts", "private_travel",
                       "judicial", "other"]


class MatterIn(Schema):
    category: CategoryCode = Field(description=(
        "marriage 婚姻变化, family_abroad 配偶子女出国(境)定居或加入外籍, foreign_contacts "
        "与境外人员交往, private_travel 因私出国(境), judicial 被司法机关追究, other 其他"))
    description: str = Field(min_length=1, max_length=DESCRIPTION_MAX)
    date: date


class ReportIn(Schema):
    kind: Literal["annual", "ad_hoc"]
    year: int | None = Field(None, ge=2000, le=2100,
                             description="The year of an annual report (this year or the last).")
    is_zero: bool = Field(False, description="零报告: nothing to report (annual only).")
    matters: list[MatterIn] = Field(default_factory=list, max_length=MAX_MATTERS)


class MatterOut(Schema):
    category: str
    description: str
    date: date


class ReportOut(Schema):
    id: int
    file_id: int
    person_id: int
    person_name: str
    kind: str
    year: int | None
    is_zero: bool
    matters: list[MatterOut]
    submitted_at: datetime
    submitted_by_id: int
    acknowledged_by_id: int | None
    acknowledged_at: datetime | None


class ReportPage(Schema):
    items: list[ReportOut]
    next_after: int | None


class ReportQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    kind: Literal["annual", "ad_hoc"] | None = None
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


def report_out(report: MajorMatterReport) -> dict[str, Any]:
    return {
        "id": report.pk, "file_id": report.file_id, "person_id": report.person_id,
        "person_name": report.person.name, "kind": report.kind, "year": report.year,
        "is_zero": report.is_zero, "matters": report.matters,
        "submitted_at": report.submitted_at, "submitted_by_id": report.submitted_by_id,
        "acknowledged_by_id": report.acknowledged_by_id,
        "acknowledged_at": report.acknowledged_at,
    }


def _submit(request: HttpRequest, file: PersonnelFile, data: ReportIn) -> Status:
    report = submit_report(request.user, file, kind=data.kind, year=data.year,
                           is_zero=data.is_zero,
                           matters=[m.model_dump() for m in data.matters])
    return Status(201, report_out(report_for(request.user, report.pk)))


def _own_file(request: HttpRequest) -> PersonnelFile:
    file = file_of_user(request.user)
    if file is None:
        raise NotFound(_("You have no classified-personnel file."))
    return file


@router.get("/reports", response={200: ReportPage, **ERRORS},
            summary="重大事项报告 of the units you manage (保密办)")
def list_reports(request: HttpRequest, query: Query[ReportQuery]) -> dict[str, Any]:
    if not managed_units(request.user):
        raise AccessDenied(_("Only the secrecy office can list the reports."),
                           code="not_secrecy_office")
    queryset = unit_reports(request.user, query.year)
    if query.kind:
        queryset = queryset.filter(kind=query.kind)
    page = keyset_page(queryset, None, size=query.limit, after=query.after)
    return {"items": [report_out(r) for r in page.items], "next_after": page.next_after}


@router.get("/reports/{report_id}", response={200: ReportOut, **ERRORS})
def get_report(request: HttpRequest, report_id: Id) -> Any:
    return report_out(report_for(request.user, report_id))


@router.post("/reports/{report_id}/acknowledge", response={200: ReportOut, **ERRORS})
def acknowledge(request: HttpRequest, report_id: Id) -> Any:
    """The 保密办 of the unit has read the report; 409 `already_acknowledged` the second time."""
    report = acknowledge_report(request.user, report_for(request.user, report_id))
    return report_out(report_for(request.user, report.pk))


@router.post("/people/{file_id}/reports", response={201: ReportOut, **ERRORS})
def file_report(request: HttpRequest, file_id: Id, data: ReportIn) -> Status:
    """File a 重大事项报告 for a person (the 保密办 of the unit, or the person themselves);
    409 `report_exists` for a second annual report of the same year."""
    return _submit(request, file_for(request.user, file_id), data)


@router.get("/me/reports", response={200: list[ReportOut], **ERRORS})
def my_reports(request: HttpRequest) -> Any:
    """The caller's own reports, newest first (empty without a classified-personnel file)."""
    file = file_of_user(request.user)
    if file is None:
        return []
    return [report_out(r) for r in reports_of(file).select_related("person")]


@router.post("/me/reports", response={201: ReportOut, **ERRORS})
def file_my_report(request: HttpRequest, data: ReportIn) -> Status:
    """File one's own annual report (a zero report: `is_zero` true, no matters) or an ad hoc
    report of a major personal change."""
    return _submit(request, _own_file(request), data)
