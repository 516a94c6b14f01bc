"""The 保密津贴 sheet (rule P15) and the 备案 (rule P16) as JSON (/api/v1/personnel).

Reports, not lists: each answers the whole month or range at once (the allowance needs its
total; the 备案 is filed as one document). The 保密办 only: anyone else gets 403.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from baomi.core.schemas import ErrorOut

from . import filing
from .models import PersonnelFile

router = Router(tags=["personnel"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 422)}
Day = Annotated[date, Field(ge=date(filing.FIRST_YEAR, 1, 1), le=date(filing.LAST_YEAR, 12, 31))]


class AllowanceQuery(Schema):
    month: str = Field(pattern=r"^\d{4}-\d{2}$", max_length=7, description="YYYY-MM")


class AllowanceRowOut(Schema):
    file_id: int
    name: str
    employee_no: str
    department: str
    unit_id: int
    category: int
    in_post_since: date
    left_on: date | None = Field(description="The exit approved within the month (rule P15).")
    monthly: Decimal
    days_in_post: int
    days_in_month: int
    amount: Decimal


class AllowanceOut(Schema):
    month: str
    amounts_set: bool = Field(description="False when the unit pays 0 in every category.")
    total: Decimal
    items: list[AllowanceRowOut]


class FilingQuery(Schema):
    date_from: Day | None = Field(None, description="Default: 1 January of this year.")
    date_to: Day | None = Field(None, description="Default: 31 December of this year.")


class ChangeOut(Schema):
    on: date
    action: str
    kind: str
    name: str
    employee_no: str
    department: str
    detail: str


class RosterOut(Schema):
    file_id: int
    name: str
    employee_no: str
    department: str
    category: int
    in_post_since: date | None


class DeclassifyingOut(Schema):
    file_id: int
    name: str
    employee_no: str
    department: str
    category: int
    left_on: date | None
    ends_on: date | None = Field(description="The last day of the declassification period.")


class FilingOut(Schema):
    date_from: date
    date_to: date
    changes: list[ChangeOut]
    roster: list[RosterOut]
    declassifying: list[DeclassifyingOut] = Field(
        description="People in the declassification period (rules P11, P16).")


@router.get("/allowance", response={200: AllowanceOut, **ERRORS},
            summary="Confidentiality allowance of a month (secrecy office; rule P15)")
def get_allowance(request: HttpRequest, query: Query[AllowanceQuery]) -> dict[str, Any]:
    actor: Any = request.auth  # type: ignore[attr-defined]
    filing.filing_units(actor)
    sheet = filing.allowance(actor, filing.parse_month(query.month))
    return {"month": f"{sheet.month:%Y-%m}", "amounts_set": sheet.amounts_set,
            "total": sheet.total, "items": [vars(row) for row in sheet.rows]}


@router.get("/filing", response={200: FilingOut, **ERRORS},
            summary="Changes of classified personnel for filing (secrecy office; rule P16)")
def get_filing(request: HttpRequest, query: Query[FilingQuery]) -> dict[str, Any]:
    actor: Any = request.auth  # type: ignore[attr-defined]
    start, end = filing.this_year()
    report = filing.filing(actor, query.date_from or start, query.date_to or end)
    return {
        "date_from": report.date_from, "date_to": report.date_to,
        "changes": [vars(change) for change in report.changes],
        "roster": [{**_person(f), "in_post_since": f.in_post_since} for f in report.roster],
        "declassifying": [{**_person(f), "left_on": f.left_on,
                           "ends_on": f.declassification_ends_on}
                          for f in report.declassifying],
    }


def _person(file: PersonnelFile) -> dict[str, Any]:
    person = file.person
    return {"file_id": file.pk, "name": person.name, "employee_no": person.employee_no,
            "department": person.department.name if person.department else "",
            "category": file.category}
