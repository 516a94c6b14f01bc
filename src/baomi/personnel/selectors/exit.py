"""Reads of exits (rule P10) and of the 脱密期 (rules P11–P14).

Whoever sees a personnel file sees its exits and visits (`files_visible_to`); the 保密办's
list of people in 脱密期 covers the files it sees.
"""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from baomi.core.errors import NotFound
from baomi.core.paging import parse_key

from ..choices import ExitState, FileState
from ..custody import CustodyItem, outstanding_custody
from ..models import DeclassificationVisit, ExitCase, PersonnelFile
from .people import files_visible_to, manages_unit

OPEN_STATES = (ExitState.PENDING, ExitState.APPROVED)
LIST_STATES = (FileState.LEAVING, FileState.DECLASSIFYING, FileState.RELEASED)


def exits_visible_to(user: Any) -> QuerySet[ExitCase]:
    return ExitCase.objects.filter(file__in=files_visible_to(user).values("pk")).select_related(
        "file", "file__person", "file__person__department", "file__unit", "request")


def exit_for(user: Any, pk: Any) -> ExitCase:
    """One visible exit by id; NotFound for anything else."""
    key = parse_key(pk)
    found = exits_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def current_exit(file: PersonnelFile) -> ExitCase | None:
    """The exit in progress or in force of a file the caller already sees."""
    return (file.exits.filter(state__in=OPEN_STATES).select_related("request")
            .order_by("-id").first())


def exits_of(file: PersonnelFile) -> QuerySet[ExitCase]:
    """Every exit of a file the caller already sees, newest first."""
    return file.exits.select_related("request").order_by("-id")


def visits_of(case: ExitCase) -> QuerySet[DeclassificationVisit]:
    return case.visits.select_related("recorded_by").order_by("-visited_on", "-id")


def custody_of(file: PersonnelFile) -> list[CustodyItem]:
    """rule C9: what the person still holds, from every registered provider."""
    return outstanding_custody(file.person)


def may_manage_exit(user: Any, file: PersonnelFile) -> bool:
    return manages_unit(user, file.unit_id)


def may_file_exit(user: Any, file: PersonnelFile) -> bool:
    return file.state == FileState.IN_POST and manages_unit(user, file.unit_id)


def declassification_list(user: Any, *, state: str = "",
                          visit_overdue: bool = False) -> QuerySet[ExitCase]:
    """The list of exits of the files the user sees: being decided, in 脱密期 or released
    (`state` is one of LIST_STATES, or empty for all three); `visit_overdue` keeps those whose
    return visit (rule P13) is past due."""
    states = (state,) if state in LIST_STATES else LIST_STATES
    rows = exits_visible_to(user).filter(state__in=OPEN_STATES, file__state__in=states)
    if visit_overdue:
        rows = rows.filter(next_visit_due_on__lt=timezone.localdate())
    return rows


def days_left(case: ExitCase, today: date | None = None) -> int | None:
    """rule P11: days of the 脱密期 still to run, the last day included (0 once it is over)."""
    if case.ends_on is None:
        return None
    today = today or timezone.localdate()
    return max((case.ends_on - today).days + 1, 0)
