"""Reads of 重大事项报告 (rule P7). Whoever sees a file sees its reports (files_visible_to);
the 保密办 sees, per year, who in post filed the annual report and who has not."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from baomi.core.errors import NotFound
from baomi.core.paging import parse_key

from ..choices import SERVING
from ..models import MajorMatterReport, PersonnelFile
from .people import files_visible_to, managed_units, manages_unit

Kind = MajorMatterReport.Kind


def reports_visible_to(user: Any) -> QuerySet[MajorMatterReport]:
    return MajorMatterReport.objects.filter(
        file__in=files_visible_to(user).values("pk")).select_related(
        "person", "file", "file__unit", "submitted_by", "acknowledged_by")


def report_for(user: Any, pk: Any) -> MajorMatterReport:
    """One visible report by id; NotFound for anything else."""
    key = parse_key(pk)
    found = reports_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def reports_of(file: PersonnelFile) -> QuerySet[MajorMatterReport]:
    """The reports of a file the caller already sees, newest first."""
    return file.major_matter_reports.select_related("submitted_by", "acknowledged_by")


def may_acknowledge(user: Any, report: MajorMatterReport) -> bool:
    return report.acknowledged_at is None and manages_unit(user, report.file.unit_id)


def _in_post_managed(user: Any) -> QuerySet[PersonnelFile]:
    return PersonnelFile.objects.filter(unit_id__in=sorted(managed_units(user)),
                                        state__in=SERVING)


def _annual_of(year: int) -> QuerySet[MajorMatterReport]:
    return MajorMatterReport.objects.filter(file_id=OuterRef("pk"), kind=Kind.ANNUAL, year=year)


def annual_status(user: Any, year: int) -> QuerySet[PersonnelFile]:
    """rule P7: the people in post of the units the user manages, each annotated with
    `report_id` and `report_is_zero` of their annual report of `year` (None: not filed)."""
    annual = _annual_of(year)
    return (_in_post_managed(user)
            .select_related("person", "person__department", "unit")
            .annotate(report_id=Subquery(annual.values("pk")[:1]),
                      report_is_zero=Subquery(annual.values("is_zero")[:1])))


def annual_counts(user: Any, year: int) -> tuple[int, int]:
    """(filed, in post): how many people in post of the managed units filed `year`'s report."""
    people = _in_post_managed(user)
    return people.filter(Exists(_annual_of(year))).count(), people.count()


def reports_to_acknowledge(user: Any) -> QuerySet[MajorMatterReport]:
    """Reports with matters (not 零报告) of the managed units the 保密办 has not read yet."""
    return (MajorMatterReport.objects
            .filter(file__unit_id__in=sorted(managed_units(user)),
                    acknowledged_at__isnull=True)
            .filter(~Q(is_zero=True))
            .select_related("person", "file", "submitted_by"))


def unit_reports(user: Any, year: int | None = None) -> QuerySet[MajorMatterReport]:
    """Every report of the managed units, optionally those of one year (annual reports of
    that year and ad hoc reports submitted in it)."""
    queryset = MajorMatterReport.objects.filter(
        file__unit_id__in=sorted(managed_units(user))).select_related(
        "person", "file", "submitted_by", "acknowledged_by")
    if year is not None:
        queryset = queryset.filter(Q(kind=Kind.ANNUAL, year=year)
                                   | Q(kind=Kind.AD_HOC, submitted_at__year=year))
    return queryset
