"""The qualification API (/api/v1/compliance/qualifications, /qualification-applications,
/unit-changes; rules Q3, Q4, Q6): read by the 保密办 and the leaders of the unit, written by
its 保密办. Any other id is a 404; a refusal is a DomainError with its code
(`reapply_too_soon`, `filing_too_long`, `already_reported`, `not_secrecy_office` …)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services_qualification as services
from .choices_qualification import (
    ApplicationKind,
    QualificationGrade,
    QualificationState,
    QualificationType,
    UnitChangeKind,
)
from .models import Qualification, QualificationApplication, UnitChange
from .selectors_qualification import (
    application_for,
    applications_visible_to,
    qualification_for,
    qualifications_visible_to,
    unit_change_for,
    unit_changes_visible_to,
)

router = Router(tags=["compliance: qualifications"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
TypeField = Annotated[QualificationType, Field(description="The qualification type.")]
Grade = QualificationGrade | None


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class CertificateIn(Schema):
    """The particulars written on a certificate."""

    grade: Grade = None
    certificate_number: str = Field(min_length=1, max_length=services.NUMBER_MAX)
    issuing_authority: str = Field(min_length=1, max_length=services.AUTHORITY_MAX)
    issued_on: date
    expires_on: date | None = Field(
        None, description="Empty: valid 3 years, to the day before the issue date (rule Q4).")
    note: str = Field("", max_length=services.NOTE_MAX)


class QualificationIn(CertificateIn):
    type: TypeField


class QualificationOut(Schema):
    id: int
    unit_id: int
    type: str
    grade: str
    certificate_number: str
    issuing_authority: str
    issued_on: date
    expires_on: date
    state: str = Field(description="As it reads today: valid, expired, revoked, superseded.")
    renewal_due_on: date | None = Field(
        description="While valid: the last day to file the renewal (rule Q4).")
    note: str
    created_at: datetime


class QualificationPage(Schema):
    items: list[QualificationOut]
    next_after: int | None


class ApplicationIn(Schema):
    type: TypeField
    kind: ApplicationKind
    applied_on: date
    renews_id: int | None = Field(None, ge=1, le=MAX_KEY,
                                  description="The qualification a renewal renews.")
    note: str = Field("", max_length=services.NOTE_MAX)


class ReviewIn(Schema):
    reviewed_on: date
    passed: bool
    score: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)


class ApplicationOut(Schema):
    id: int
    unit_id: int
    type: str
    kind: str
    renews_id: int | None
    applied_on: date
    reviewed_on: date | None
    score: Decimal | None
    result: str
    certificate_id: int | None
    reapply_from: date | None = Field(
        description="After a failed review: the first day to apply again (rule Q3).")
    note: str
    created_at: datetime


class ApplicationPage(Schema):
    items: list[ApplicationOut]
    next_after: int | None


class UnitChangeIn(Schema):
    kind: UnitChangeKind
    description: str = Field(min_length=1, max_length=services.DESCRIPTION_MAX)
    old_value: str = Field("", max_length=services.VALUE_MAX)
    new_value: str = Field("", max_length=services.VALUE_MAX)
    occurred_on: date


class ReportIn(Schema):
    reported_on: date
    reported_to: str = Field(min_length=1, max_length=services.REPORTED_TO_MAX)


class UnitChangeOut(Schema):
    id: int
    unit_id: int
    kind: str
    description: str
    old_value: str
    new_value: str
    occurred_on: date
    report_due_on: date = Field(description="10 working days after the change (rule Q6).")
    report_due_estimated: bool
    reported_on: date | None
    reported_to: str
    reported_late: bool
    requires_new_filing: bool
    requires_filing_amendment: bool
    created_at: datetime


class UnitChangePage(Schema):
    items: list[UnitChangeOut]
    next_after: int | None


def qualification_out(q: Qualification) -> dict[str, Any]:
    state = services.effective_state(q)
    due = (services.requalification_deadline(q).date
           if state == QualificationState.VALID else None)
    return {"id": q.pk, "unit_id": q.unit_id, "type": q.type, "grade": q.grade,
            "certificate_number": q.certificate_number, "issuing_authority": q.issuing_authority,
            "issued_on": q.issued_on, "expires_on": q.expires_on, "state": state,
            "renewal_due_on": due, "note": q.note, "created_at": q.created_at}


def application_out(a: QualificationApplication) -> dict[str, Any]:
    return {**{name: getattr(a, name) for name in (
        "id", "unit_id", "type", "kind", "renews_id", "applied_on", "reviewed_on", "score",
        "result", "certificate_id", "note", "created_at")},
        "reapply_from": services.reapply_from(a.unit, a.type) if a.result == "failed"
        else None}


def change_out(c: UnitChange) -> dict[str, Any]:
    return {name: getattr(c, name) for name in UnitChangeOut.model_fields}


def _page(queryset: Any, query: PageQuery, out: Any) -> dict[str, Any]:
    page = keyset_page(queryset, None, size=query.limit, after=query.after)
    return {"items": [out(item) for item in page.items], "next_after": page.next_after}


@router.get("/qualifications", response={200: QualificationPage, **ERRORS},
            summary="Qualifications and filings of your unit (rule Q4)")
def list_qualifications(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    return _page(qualifications_visible_to(request.user), query, qualification_out)


@router.post("/qualifications", response={201: QualificationOut, **ERRORS},
             summary="Register a qualification or filing of your unit (保密办)")
def register_qualification(request: HttpRequest, data: QualificationIn) -> Status:
    user: Any = request.user
    fields = data.dict()
    fields["grade"] = fields["grade"] or ""
    qualification = services.register_qualification(user, unit=user.person.unit, **fields)
    return Status(201, qualification_out(qualification))


@router.get("/qualifications/{qualification_id}", response={200: QualificationOut, **ERRORS},
            summary="One qualification with its renewal deadline (rule Q4)")
def get_qualification(request: HttpRequest, qualification_id: Id) -> dict[str, Any]:
    return qualification_out(qualification_for(request.user, qualification_id))


@router.get("/qualification-applications", response={200: ApplicationPage, **ERRORS},
            summary="Qualification applications of your unit and their reviews (rule Q3)")
def list_applications(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    return _page(applications_visible_to(request.user), query, application_out)


@router.post("/qualification-applications", response={201: ApplicationOut, **ERRORS},
             summary="Record an application filed by your unit (保密办; rule Q3)")
def file_application(request: HttpRequest, data: ApplicationIn) -> Status:
    user: Any = request.user
    fields = data.dict()
    renews_id = fields.pop("renews_id")
    renews = qualification_for(user, renews_id) if renews_id else None
    application = services.file_application(user, unit=user.person.unit, renews=renews,
                                            **fields)
    return Status(201, application_out(application))


@router.get("/qualification-applications/{application_id}",
            response={200: ApplicationOut, **ERRORS}, summary="One qualification application")
def get_application(request: HttpRequest, application_id: Id) -> dict[str, Any]:
    return application_out(application_for(request.user, application_id))


@router.post("/qualification-applications/{application_id}/review",
             response={200: ApplicationOut, **ERRORS},
             summary="Record the review of an application (保密办; rule Q3)")
def review_application(request: HttpRequest, application_id: Id,
                       data: ReviewIn) -> dict[str, Any]:
    application = application_for(request.user, application_id)
    services.record_review(request.user, application, **data.dict())
    return application_out(application)


@router.post("/qualification-applications/{application_id}/certificate",
             response={201: QualificationOut, **ERRORS},
             summary="Record the certificate of a passed application (保密办)")
def issue_certificate(request: HttpRequest, application_id: Id, data: CertificateIn) -> Status:
    application = application_for(request.user, application_id)
    fields = data.dict()
    fields["grade"] = fields["grade"] or ""
    return Status(201, qualification_out(
        services.issue_certificate(request.user, application, **fields)))


@router.get("/unit-changes", response={200: UnitChangePage, **ERRORS},
            summary="Changes of your unit and their reports (rule Q6)")
def list_unit_changes(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    return _page(unit_changes_visible_to(request.user), query, change_out)


@router.post("/unit-changes", response={201: UnitChangeOut, **ERRORS},
             summary="Record a change of your unit (保密办; rule Q6)")
def record_unit_change(request: HttpRequest, data: UnitChangeIn) -> Status:
    user: Any = request.user
    change = services.record_unit_change(user, unit=user.person.unit, **data.dict())
    return Status(201, change_out(change))


@router.get("/unit-changes/{change_id}", response={200: UnitChangeOut, **ERRORS},
            summary="One change of your unit")
def get_unit_change(request: HttpRequest, change_id: Id) -> dict[str, Any]:
    return change_out(unit_change_for(request.user, change_id))


@router.post("/unit-changes/{change_id}/report", response={200: UnitChangeOut, **ERRORS},
             summary="Record the report of a change (保密办; rule Q6: late reports flagged)")
def report_unit_change(request: HttpRequest, change_id: Id, data: ReportIn) -> dict[str, Any]:
    change = unit_change_for(request.user, change_id)
    return change_out(services.report_unit_change(request.user, change, **data.dict()))

