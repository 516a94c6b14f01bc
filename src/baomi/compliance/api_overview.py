"""The overview and annual-report API (/api/v1/compliance): the charts of a unit's overview as
numbers, and its annual self-inspection reports (rule Q5) — list, generate, download, record as
filed. Units the caller does not oversee as 保密办 or leader, and reports counting levels above
the caller's clearance (rule L5), are a 404."""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.core.access import clearance
from baomi.core.downloads import download
from baomi.core.errors import NotFound
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services_annual
from .models import AnnualReport
from .overview import overview_charts
from .selectors import annual_report_for, annual_reports_visible_to, handled_units

router = Router(tags=["compliance: overview and annual reports"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]


class UnitQuery(Schema):
    unit: int | None = Field(None, ge=1, le=MAX_KEY,
                             description="The unit; default: your own.")


class ChartOut(Schema):
    key: str
    title: str
    series: list[str]
    header: list[str]
    rows: list[list[Any]]


class OverviewOut(Schema):
    unit_id: int
    as_of: date
    charts: list[ChartOut]


class ReportOut(Schema):
    id: int
    unit_id: int
    year: int
    state: str
    max_level: int
    generated_at: datetime
    filed_on: date | None
    filed_to: str
    figures: dict[str, Any]


class ReportPage(Schema):
    items: list[ReportOut]
    next_after: int | None


class ReportQuery(UnitQuery):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class GenerateIn(Schema):
    unit: int | None = Field(None, ge=1, le=MAX_KEY)
    year: int = Field(ge=services_annual.FIRST_YEAR, le=9999)


class FileIn(Schema):
    filed_on: date
    filed_to: str = Field(min_length=1, max_length=services_annual.FILED_TO_MAX)


def _unit(request: HttpRequest, key: int | None) -> Any:
    units = handled_units(request.user)
    user: Any = request.user
    unit = units.filter(pk=key).first() if key else units.filter(pk=user.person.unit_id).first()
    if unit is None:
        raise NotFound()
    return unit


def report_out(report: AnnualReport) -> dict[str, Any]:
    return {name: getattr(report, name) for name in ReportOut.model_fields}


@router.get("/overview", response={200: OverviewOut, **ERRORS},
            summary="A unit's overview charts as numbers (up to your clearance)")
def get_overview(request: HttpRequest, query: Query[UnitQuery]) -> dict[str, Any]:
    unit = _unit(request, query.unit)
    today = timezone.localdate()
    charts = overview_charts(unit, today, int(clearance(request.user)))
    return {"unit_id": unit.pk, "as_of": today, "charts": [
        {"key": c.key, "title": c.title, "series": c.series, "header": c.table_header,
         "rows": c.table_rows} for c in charts]}


@router.get("/annual-reports", response={200: ReportPage, **ERRORS},
            summary="Annual self-inspection reports of a unit (rule Q5)")
def list_reports(request: HttpRequest, query: Query[ReportQuery]) -> dict[str, Any]:
    unit = _unit(request, query.unit)
    page = keyset_page(annual_reports_visible_to(request.user).filter(unit=unit), None,
                       size=query.limit, after=query.after)
    return {"items": [report_out(r) for r in page.items], "next_after": page.next_after}


@router.post("/annual-reports", response={201: ReportOut, **ERRORS},
             summary="Generate (or generate again) a year's report, until it is filed")
def generate_report(request: HttpRequest, payload: GenerateIn) -> Status:
    unit = _unit(request, payload.unit)
    report = services_annual.generate_annual_report(request.user, unit=unit, year=payload.year)
    return Status(201, report_out(report))


@router.get("/annual-reports/{report_id}", response={200: ReportOut, **ERRORS},
            summary="One annual report with the figures it states")
def get_report(request: HttpRequest, report_id: Id) -> dict[str, Any]:
    return report_out(annual_report_for(request.user, report_id))


@router.get("/annual-reports/{report_id}/docx", response={404: ErrorOut},
            summary="The report as a .docx, byte for byte as generated (or filed)")
def download_report(request: HttpRequest, report_id: Id) -> HttpResponse:
    report = annual_report_for(request.user, report_id)
    return download(bytes(report.content), f"{report.unit.name}{report.year}年度保密自查报告.docx")


@router.post("/annual-reports/{report_id}/file", response={200: ReportOut, **ERRORS},
             summary="Record the report as filed; it is archived from then on")
def file_report(request: HttpRequest, report_id: Id, payload: FileIn) -> dict[str, Any]:
    report = annual_report_for(request.user, report_id)
    return report_out(services_annual.file_annual_report(
        request.user, report, filed_on=payload.filed_on, filed_to=payload.filed_to))
