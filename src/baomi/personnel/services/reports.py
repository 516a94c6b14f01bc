"""Writes of 重大事项报告 (rule P7): the annual report every December (零报告 included) and the
ad hoc report of a major personal change, filed by the person or by the 保密办 on their
behalf; the 保密办 of the unit acknowledges what it read."""

import datetime as dt
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from baomi.audit.services import record_event
from baomi.core.access import sees_business_data
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound

from ..models import MajorMatterReport, PersonnelFile
from ..selectors.people import files_visible_to, manages_unit

Kind = MajorMatterReport.Kind
MAX_MATTERS = 20
DESCRIPTION_MAX = 2000
MatterCategoryCode = Literal["marriage", "family_abroad", "foreign_contacts", "private_travel",
                             "judicial", "other"]


class Matter(BaseModel):
    """One matter reported: its category, what happened and when."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    category: MatterCategoryCode
    description: str = Field(min_length=1, max_length=DESCRIPTION_MAX)
    date: dt.date

    @field_validator("description", mode="after")
    @classmethod
    def printable(cls, value: str) -> str:
        if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
            raise ValueError(_("Invalid characters."))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(_("Invalid characters.")) from None
        return value


def _invalid(field: str, message: str, code: str = "invalid") -> InvalidInput:
    return InvalidInput(message, code=code, fields={field: message})


def validate_matters(matters: Any, *, today: dt.date) -> list[dict[str, Any]]:
    """The matters as stored (JSON), each dated on or before today."""
    if not isinstance(matters, list) or len(matters) > MAX_MATTERS:
        raise _invalid("matters", _("At most %(max)d matters.") % {"max": MAX_MATTERS})
    cleaned: list[dict[str, Any]] = []
    for index, raw in enumerate(matters):
        try:
            matter = Matter.model_validate(raw.model_dump() if isinstance(raw, BaseModel)
                                           else raw)
        except ValidationError as exc:
            error = exc.errors()[0]
            name = ".".join(str(part) for part in error.get("loc", ()))
            raise _invalid(f"matters.{index}.{name}".rstrip("."),
                           _("Check the category, description and date of this matter.")
                           ) from None
        if matter.date > today:
            raise _invalid(f"matters.{index}.date", _("The date cannot be in the future."),
                           code="future_date")
        cleaned.append(matter.model_dump(mode="json"))
    return cleaned


def _check_content(kind: str, year: Any, is_zero: Any, matters: list[dict[str, Any]],
                   today: dt.date) -> int | None:
    """rule P7: a 零报告 has no matters, any other report at least one; an annual report is
    for this year or the last one (filed late in January)."""
    if kind not in Kind.values:
        raise _invalid("kind", _("Choose the kind of report."), code="invalid_kind")
    if not isinstance(is_zero, bool):
        raise _invalid("is_zero", _("Choose yes or no."))
    if is_zero and kind != Kind.ANNUAL:
        raise _invalid("is_zero", _("Only the annual report can be a zero report."),
                       code="zero_not_annual")
    if is_zero and matters:
        raise _invalid("matters", _("A zero report lists no matters."), code="zero_with_matters")
    if not is_zero and not matters:
        raise _invalid("matters", _("Report at least one matter, or file a zero report."),
                       code="no_matters")
    if kind != Kind.ANNUAL:
        return None
    if isinstance(year, bool) or not isinstance(year, int) or year not in (today.year,
                                                                             today.year - 1):
        raise _invalid("year", _("The annual report is for this year or the last one."),
                       code="invalid_year")
    return year


def _may_file_for(actor: Any, file: PersonnelFile) -> None:
    """The person themselves, or the 保密办 of their unit."""
    own = sees_business_data(actor) and actor.person_id == file.person_id
    if own or manages_unit(actor, file.unit_id):
        return
    if not files_visible_to(actor).filter(pk=file.pk).exists():
        raise NotFound()
    raise AccessDenied(_("Only the person or the secrecy office of the unit can file this."),
                       code="not_allowed")


def submit_report(actor: Any, file: PersonnelFile, *, kind: str, year: int | None = None,
                  is_zero: bool = False, matters: Any = ()) -> MajorMatterReport:
    """rule P7: file a 重大事项报告 (annual, at most one per person and year: Conflict
    `report_exists`; or ad hoc, when a major change happens)."""
    today = timezone.localdate()
    cleaned = validate_matters(list(matters) if isinstance(matters, tuple) else matters,
                               today=today)
    year = _check_content(kind, year, is_zero, cleaned, today)
    try:
        with transaction.atomic():
            _may_file_for(actor, file)
            report = MajorMatterReport.objects.create(
                person_id=file.person_id, file=file, kind=kind, year=year, is_zero=is_zero,
                matters=cleaned, submitted_by=actor)
            record_event(actor, "PERSONNEL_MATTER_REPORTED", report,
                         after={"file": file.pk, "kind": kind, "year": year,
                                "is_zero": is_zero, "matters": len(cleaned)})
    except IntegrityError:
        message = _("The annual report of this year was already filed.")
        raise Conflict(message, code="report_exists", fields={"year": message}) from None
    return report


def acknowledge_report(actor: Any, report: MajorMatterReport) -> MajorMatterReport:
    """The 保密办 of the unit has read the report; of two concurrent acknowledgements one
    wins, the other is Conflict `already_acknowledged`."""
    with transaction.atomic():
        file = report.file
        if not manages_unit(actor, file.unit_id):
            if not files_visible_to(actor).filter(pk=file.pk).exists():
                raise NotFound()
            raise AccessDenied(_("Only the secrecy office of the unit can do this."),
                               code="not_secrecy_office")
        now = timezone.now()
        updated = MajorMatterReport.objects.filter(
            pk=report.pk, acknowledged_at__isnull=True).update(acknowledged_by=actor,
                                                               acknowledged_at=now)
        if updated != 1:
            raise Conflict(_("This report was already acknowledged."),
                           code="already_acknowledged")
        report.acknowledged_by, report.acknowledged_at = actor, now
        record_event(actor, "PERSONNEL_MATTER_REPORT_ACKNOWLEDGED", report,
                     after={"file": file.pk, "kind": report.kind, "year": report.year})
    return report
