"""Obligation rules of the personnel app (DESIGN.md 'Obligations'): 复审 due (P6), training
hours and sessions short this year (P4), this year's 保密责任书 missing (P5), the 重大事项报告
(P7), trips abroad (P8), and the exit and 脱密期: formalities (P10), return visits (P13) and
the 撤销备案 (P14).

Each rule runs one query per distinct policy value over the people in post; Python only turns
rows into obligations.
"""

from calendar import monthrange
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from baomi.core.policy import units_by_policy
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .choices import SERVING, CommitmentKind, ExitState, FileState
from .models import Commitment, ExitCase, PersonnelFile, TrainingRecord

SUBJECT = "personnel.personnelfile"
SOON_DAYS = 30  # due within this many days: a warning (复审, 回访 and 撤销备案 show from then)


def in_post() -> Any:
    """The people serving in a classified post (an exit still being decided included)."""
    return PersonnelFile.objects.filter(state__in=SERVING)


def _row(file: dict[str, Any], due: date, severity: str, responsible: int | None
         ) -> ObligationRow:
    return {
        "subject_type": SUBJECT,
        "subject_id": file["id"],
        "subject_label": file["person__name"],
        "unit_id": file["unit_id"],
        "responsible_id": responsible,
        "due_date": due,
        "severity": severity,
        "level": file["category"],  # rule L5: the category is the level of what the file holds
    }


FILE_FIELDS = ("id", "person__name", "unit_id", "category")


@obligation_rule("personnel.rereview_due", "P6", _("Re-review of classified personnel"))
def rereview_due(today: date) -> Iterator[ObligationRow]:
    """rule P6: every person in post has a 复审 date (set from the category's period when the
    review passed, or today after a post or level change); the 保密办 files the 复审, from
    policy `personnel.rereview_notice_days` before the date (years ahead it is no task yet)."""
    soon = today + timedelta(days=SOON_DAYS)
    for (notice_days,), unit_ids in units_by_policy("personnel.rereview_notice_days").items():
        notice = today + timedelta(days=notice_days)
        files = (in_post().filter(unit_id__in=unit_ids, rereview_due_on__lte=notice)
                 .values(*FILE_FIELDS, "rereview_due_on"))
        for file in files.iterator(chunk_size=5000):
            due = file["rereview_due_on"]
            severity = (Severity.CRITICAL if due <= today else
                        Severity.WARNING if due <= soon else Severity.INFO)
            yield _row(file, due, severity, None)


@obligation_rule("personnel.training_hours", "P4", _("Confidentiality training this year"))
def training_hours(today: date) -> Iterator[ObligationRow]:
    """rule P4: at least `training.min_hours_per_year` 学时 and
    `training.min_sessions_per_year` sessions each calendar year, due on 31 December."""
    year_records = TrainingRecord.objects.filter(person_id=OuterRef("person_id"),
                                                 held_on__year=today.year)
    hours = year_records.values("person_id").annotate(total=Sum("hours")).values("total")
    sessions = year_records.values("person_id").annotate(n=Count("id")).values("n")
    due = date(today.year, 12, 31)
    grouped = units_by_policy("training.min_hours_per_year", "training.min_sessions_per_year")
    for (min_hours, min_sessions), unit_ids in grouped.items():
        if not min_hours and not min_sessions:
            continue
        files = (
            in_post().filter(unit_id__in=unit_ids)
            .annotate(
                year_hours=Coalesce(Subquery(hours, output_field=DecimalField()), Decimal("0"),
                                    output_field=DecimalField()),
                year_sessions=Coalesce(Subquery(sessions, output_field=IntegerField()), 0))
            .filter(Q(year_hours__lt=min_hours) | Q(year_sessions__lt=min_sessions))
            .values(*FILE_FIELDS, "person__user__id")
        )
        for file in files.iterator(chunk_size=5000):
            severity = Severity.CRITICAL if due <= today else Severity.WARNING
            yield _row(file, due, severity, file["person__user__id"])


@obligation_rule("personnel.responsibility_letter", "P5",
                 _("Sign this year's confidentiality responsibility letter"))
def responsibility_letter(today: date) -> Iterator[ObligationRow]:
    """rule P5: a person in post signs a 保密责任书 every year, by the last day of the month
    policy `personnel.responsibility_letter_due_month` names; someone who starts in post later
    in the year has `personnel.responsibility_letter_grace_days` from the start."""
    signed = Commitment.objects.filter(person_id=OuterRef("person_id"),
                                       kind=CommitmentKind.RESPONSIBILITY, year=today.year)
    keys = ("personnel.responsibility_letter_due_month",
            "personnel.responsibility_letter_grace_days")
    for (month, grace_days), unit_ids in units_by_policy(*keys).items():
        month_end = date(today.year, month, monthrange(today.year, month)[1])
        files = (in_post().filter(unit_id__in=unit_ids).filter(~Exists(signed))
                 .values(*FILE_FIELDS, "in_post_since"))
        for file in files.iterator(chunk_size=5000):
            since = file["in_post_since"]
            due = month_end
            if since is not None and since.year == today.year:
                due = max(month_end, since + timedelta(days=grace_days))
            yield _row(file, due, Severity.CRITICAL if due <= today else Severity.WARNING,
                       None)


@obligation_rule("personnel.annual_report", "P7",
                 _("File this year's major personal matters report"))
def annual_report(today: date) -> Iterator[ObligationRow]:
    """rule P7: from 1 December every person in post files the year's 重大事项报告 (a 零报告
    when there is nothing to report), due 31 December; the person (their login) does it."""
    from .models import MajorMatterReport

    if today.month != 12:
        return
    filed = MajorMatterReport.objects.filter(file_id=OuterRef("pk"),
                                             kind=MajorMatterReport.Kind.ANNUAL, year=today.year)
    due = date(today.year, 12, 31)
    files = in_post().filter(~Exists(filed)).values(*FILE_FIELDS, "person__user__id")
    for file in files.iterator(chunk_size=5000):
        yield _row(file, due, Severity.CRITICAL if due <= today else Severity.WARNING,
                   file["person__user__id"])


# --- trips abroad (rules P8, P9) ----------------------------------------------------------

TRIP_SUBJECT = "personnel.trip"
TRIP_FIELDS = ("id", "file__person__name", "file__unit_id", "file__category")


def _trip_row(trip: dict[str, Any], due: date, today: date, responsible: int | None
              ) -> ObligationRow:
    return {
        "subject_type": TRIP_SUBJECT,
        "subject_id": trip["id"],
        "subject_label": trip["file__person__name"],
        "unit_id": trip["file__unit_id"],
        "responsible_id": responsible,
        "due_date": due,
        "severity": Severity.CRITICAL if due < today else Severity.WARNING,
        "level": trip["file__category"],
    }


@obligation_rule("personnel.passport_return", "P8",
                 _("Hand the travel document back after the trip"))
def passport_return(today: date) -> Iterator[ObligationRow]:
    """rules P8, P9: after return the document is due back within 7 (因公) or 10 (因私) days
    (the due date is set on return from the unit's policy); the traveller does it."""
    from .choices import TripState
    from .models import Trip

    trips = (Trip.objects.filter(state__in=(TripState.RETURNED, TripState.VISITED),
                                 document__isnull=False, document_returned_on__isnull=True)
             .values(*TRIP_FIELDS, "document_due_on", "file__person__user__id"))
    for trip in trips.iterator(chunk_size=5000):
        yield _trip_row(trip, trip["document_due_on"], today, trip["file__person__user__id"])


@obligation_rule("personnel.return_visit", "P8", _("Return visit after a trip abroad"))
def return_visit(today: date) -> Iterator[ObligationRow]:
    """rule P8: the 保密办 visits the traveller within `travel.return_visit_days` of return."""
    from .choices import TripState
    from .models import Trip

    trips = (Trip.objects.filter(state__in=(TripState.RETURNED, TripState.DOCUMENT_BACK))
             .values(*TRIP_FIELDS, "visit_due_on"))
    for trip in trips.iterator(chunk_size=5000):
        yield _trip_row(trip, trip["visit_due_on"], today, None)


# --- exit and 脱密期 (rules P10, P13, P14) ---------------------------------------------------

EXIT_SUBJECT = "personnel.exitcase"
EXIT_FIELDS = ("id", "file__person__name", "file__unit_id", "file__category")


def in_declassification() -> QuerySet[ExitCase]:
    """The approved exits whose person is in the 脱密期 (not yet released)."""
    return ExitCase.objects.filter(state=ExitState.APPROVED,
                                   file__state=FileState.DECLASSIFYING)


def _exit_row(case: dict[str, Any], due: date, today: date) -> ObligationRow:
    return {
        "subject_type": EXIT_SUBJECT,
        "subject_id": case["id"],
        "subject_label": case["file__person__name"],
        "unit_id": case["file__unit_id"],
        "responsible_id": None,  # the 保密办 of the unit
        "due_date": due,
        "severity": Severity.CRITICAL if due < today else Severity.WARNING,
        "level": case["file__category"],
    }


@obligation_rule("personnel.exit_formalities", "P10",
                 _("Complete the exit formalities: commitment, reminder talk, door access"))
def exit_formalities(today: date) -> Iterator[ObligationRow]:
    """rule P10: once the exit is approved the 保密办 records the 离岗离职保密承诺书, the
    reminder talk by two people and the revoked door access, by the day the person leaves
    (or the approval, when that comes later)."""
    cases = (in_declassification()
             .filter(Q(committed_on__isnull=True) | Q(talk_on__isnull=True)
                     | Q(door_access_revoked_on__isnull=True))
             .values(*EXIT_FIELDS, "leave_on", "approved_on"))
    for case in cases.iterator(chunk_size=5000):
        yield _exit_row(case, max(case["leave_on"], case["approved_on"]), today)


@obligation_rule("personnel.declassification_visit", "P13",
                 _("Return visit of a person in the declassification period"))
def declassification_visit(today: date) -> Iterator[ObligationRow]:
    """rule P13: the quarterly 回访 during the 脱密期, shown from `SOON_DAYS` before it is due;
    the services keep `next_visit_due_on` (none once the next one would fall after the end)."""
    cases = (in_declassification()
             .filter(next_visit_due_on__lte=today + timedelta(days=SOON_DAYS))
             .values(*EXIT_FIELDS, "next_visit_due_on"))
    for case in cases.iterator(chunk_size=5000):
        yield _exit_row(case, case["next_visit_due_on"], today)


@obligation_rule("personnel.filing_withdrawal", "P14",
                 _("Apply to withdraw the filing of a person whose declassification period "
                   "ends"))
def filing_withdrawal(today: date) -> Iterator[ObligationRow]:
    """rule P14: when the 脱密期 ends the unit applies for the 撤销备案, from the day after its
    last day; shown from `SOON_DAYS` before."""
    cases = (in_declassification()
             .filter(file__declassification_ends_on__lte=today + timedelta(days=SOON_DAYS))
             .values(*EXIT_FIELDS, "file__declassification_ends_on"))
    for case in cases.iterator(chunk_size=5000):
        yield _exit_row(case, case["file__declassification_ends_on"] + timedelta(days=1), today)


# rule M3: the mobile-device commitment lives in its own module; importing it registers it.
from . import rules_mobile  # noqa: E402, F401
