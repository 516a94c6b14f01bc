"""Read-only computations for payroll and the 保密局: the monthly 保密津贴 (rule P15) and the
备案 of changes of classified personnel (rule P16).

Both are for the 保密办 only and cover the units it manages (`managed_units`); anyone else
gets AccessDenied. Nothing here writes: exports are recorded by `services.filing`.
"""

import calendar
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Unit
from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied, InvalidInput
from baomi.core.labels import Category
from baomi.core.policy import policy_of

from .choices import SERVING, FileState
from .models import ExitCase, PersonnelFile, PostHolding
from .selectors.people import managed_units

# rule P15: the policy setting holding the monthly amount (元) of each category.
ALLOWANCE_KEYS = {
    Category.CORE: "personnel.allowance.core",
    Category.IMPORTANT: "personnel.allowance.important",
    Category.GENERAL: "personnel.allowance.general",
}
CENT = Decimal("0.01")
FIRST_YEAR, LAST_YEAR = 1950, 2100
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")

# rule P15: files whose exit was approved (left_on is the approval date, rule P11).
EXITED = (FileState.DECLASSIFYING, FileState.RELEASED)

# rule P16: the audit actions of the files that are changes to file with the 保密局; posts
# taken up and left are read from the holdings, exits from the exit cases (by their dates).
FILE_ACTIONS = ("PERSON_CATEGORY_DERIVED", "PERSONNEL_IN_POST_STARTED")
STARTED = "PERSONNEL_IN_POST_STARTED"
EXIT_APPROVED = "EXIT_APPROVED"
RELEASED = "DECLASSIFICATION_RELEASED"


def change_labels() -> dict[str, str]:
    return {
        STARTED: _("Started in post"),
        "PERSON_CATEGORY_DERIVED": _("Category changed"),
        "POST_ASSIGNED": _("Post assigned"),
        "POST_ENDED": _("Post left"),
        RELEASED: _("Filing withdrawn"),
    }


def filing_units(user: Any) -> list[int]:
    """rule P15/P16: the allowance sheet and the 备案 are the 保密办's; their units."""
    units = sorted(managed_units(user)) if user is not None else []
    if not units:
        raise AccessDenied(_("Only the secrecy office may see allowances and filings."))
    return units


def _files(units: list[int]) -> QuerySet[PersonnelFile]:
    """The files of the units with their people, in the order of the sheets."""
    return PersonnelFile.objects.filter(unit_id__in=units).select_related(
        "person", "person__department").order_by("person__department__code",
                                                  "person__employee_no", "id")


def _in_post(units: list[int]) -> QuerySet[PersonnelFile]:
    return _files(units).filter(state__in=SERVING)


# --- 保密津贴 (rule P15) ----------------------------------------------------------------------


def parse_month(text: Any) -> date:
    """"YYYY-MM" → the first day of that month; InvalidInput `invalid_month` otherwise."""
    found = MONTH_PATTERN.match(str(text or "").strip())
    year, month = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        message = _("Enter a month as YYYY-MM.")
        raise InvalidInput(message, code="invalid_month", fields={"month": message})
    return date(year, month, 1)


@dataclass(frozen=True)
class AllowanceRow:
    file_id: int
    name: str
    employee_no: str
    department: str
    unit_id: int
    category: int
    category_label: str
    in_post_since: date
    left_on: date | None  # the exit approved within the month (rule P15)
    monthly: Decimal
    days_in_post: int
    days_in_month: int
    amount: Decimal


@dataclass
class AllowanceSheet:
    month: date
    rows: list[AllowanceRow] = field(default_factory=list)
    total: Decimal = Decimal("0.00")
    amounts_set: bool = False


def monthly_amounts(unit: Any) -> dict[int, Decimal]:
    """The unit's 元/月 by category (0 = not paid, the default)."""
    policy = policy_of(unit)
    return {int(category): Decimal(int(policy[key])) for category, key in ALLOWANCE_KEYS.items()}


def prorated(monthly: Decimal, days_in_post: int, days_in_month: int) -> Decimal:
    """rule P15: someone who started or left within the month is paid for the days in post."""
    if days_in_post >= days_in_month:
        return monthly.quantize(CENT, rounding=ROUND_HALF_UP)
    return (monthly * days_in_post / days_in_month).quantize(CENT, rounding=ROUND_HALF_UP)


def allowance(user: Any, month: date) -> AllowanceSheet:
    """rule P15: 保密津贴 by category while in post, for the month starting at `month`.

    Listed: every file 在岗 at some time in the month: in post since no later than the month's
    last day and serving now (an exit still being decided included) or whose exit was approved
    (`left_on`, rule P11) on or after the month's first day. An exit approved within the month
    is paid up to that day inclusive, a later one (a past month's sheet) the whole month; a
    file that left before the month is not listed. The category is the file's (kept on exit):
    a category change within the month is not split by day (simplification; the audit trail
    has the change for a manual correction). A file in post without a classified post
    (category 不涉密) earns nothing and is not listed.
    """
    units = filing_units(user)
    days_in_month = calendar.monthrange(month.year, month.month)[1]
    first, last = month.replace(day=1), month.replace(day=days_in_month)
    amounts = {unit.pk: monthly_amounts(unit) for unit in Unit.objects.filter(pk__in=units)}
    sheet = AllowanceSheet(month=first, amounts_set=any(
        value > 0 for by_category in amounts.values() for value in by_category.values()))
    files = _files(units).filter(
        Q(state__in=SERVING) | Q(state__in=EXITED, left_on__gte=first),
        in_post_since__lte=last, category__gt=Category.NONE)
    for file in files:
        assert file.in_post_since is not None  # filtered above
        left_on = _left_within(file, last)
        # rule P15: paid from the start (or the 1st) to the exit (or the month's last day)
        days = ((left_on or last) - max(file.in_post_since, first)).days + 1
        if days < 1:
            continue
        monthly = amounts[file.unit_id][file.category]
        person = file.person
        sheet.rows.append(AllowanceRow(
            file_id=file.pk, name=person.name, employee_no=person.employee_no,
            department=person.department.name if person.department else "",
            unit_id=file.unit_id, category=file.category,
            category_label=str(file.get_category_display()), in_post_since=file.in_post_since,
            left_on=left_on, monthly=monthly, days_in_post=days, days_in_month=days_in_month,
            amount=prorated(monthly, days, days_in_month)))
    sheet.total = sum((row.amount for row in sheet.rows), Decimal("0.00"))
    return sheet


def _left_within(file: PersonnelFile, last: date) -> date | None:
    """The exit date when the exit was approved by the month's `last` day, else None."""
    if file.state in EXITED and file.left_on is not None and file.left_on <= last:
        return file.left_on
    return None


# --- 备案 (rule P16) -------------------------------------------------------------------------


def this_year(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return date(today.year, 1, 1), date(today.year, 12, 31)


def check_range(date_from: date, date_to: date) -> None:
    if date_from > date_to:
        message = _("The start date must not be after the end date.")
        raise InvalidInput(message, code="invalid_range", fields={"date_from": message})
    if date_from.year < FIRST_YEAR or date_to.year > LAST_YEAR:
        message = _("Enter dates between 1950 and 2100.")
        raise InvalidInput(message, code="invalid_range", fields={"date_from": message})


@dataclass(frozen=True)
class ChangeRow:
    on: date  # the date the change takes effect
    action: str
    kind: str
    name: str
    employee_no: str
    department: str
    detail: str
    recorded_at: datetime | None


@dataclass
class FilingReport:
    date_from: date
    date_to: date
    changes: list[ChangeRow] = field(default_factory=list)
    roster: list[PersonnelFile] = field(default_factory=list)
    # 脱密期人员: left the post, period not over (rules P11, P14); left_on and
    # declassification_ends_on are on the file.
    declassifying: list[PersonnelFile] = field(default_factory=list)


def filing(user: Any, date_from: date, date_to: date) -> FilingReport:
    """rule P16: the changes of classified personnel between the two dates (inclusive), the
    current 在岗 list and the people in their 脱密期, for the 备案 with the competent 保密局
    (seed 000 §29)."""
    check_range(date_from, date_to)
    units = filing_units(user)
    report = FilingReport(date_from=date_from, date_to=date_to)
    # Whoever started in the range, whatever they became since (an exit keeps in_post_since).
    started = list(_files(units).filter(in_post_since__gte=date_from,
                                        in_post_since__lte=date_to))
    report.changes = [_started_row(file) for file in started]
    report.changes += _audited_changes(units, date_from, date_to, {f.pk for f in started})
    report.changes += _holding_changes(units, date_from, date_to)
    report.changes += _exit_changes(units, date_from, date_to)
    report.changes.sort(key=lambda row: (row.on, row.employee_no))
    report.roster = list(_in_post(units))
    report.declassifying = list(_files(units).filter(state=FileState.DECLASSIFYING))
    return report


def _person_fields(file_or_holding: Any) -> tuple[str, str, str]:
    person = file_or_holding.person
    department = person.department.name if person.department else ""
    return person.name, person.employee_no, department


def _started_row(file: PersonnelFile) -> ChangeRow:
    assert file.in_post_since is not None
    name, employee_no, department = _person_fields(file)
    detail = _("Category: %(category)s") % {"category": file.get_category_display()}
    return ChangeRow(on=file.in_post_since, action=STARTED, kind=change_labels()[STARTED],
                     name=name, employee_no=employee_no, department=department, detail=detail,
                     recorded_at=None)


def _exit_changes(units: list[int], date_from: date, date_to: date) -> list[ChangeRow]:
    """rule P16: exits approved (离岗/离职, the 脱密期 starts) and filings withdrawn at the end
    of the 脱密期 (撤销备案, rule P14) in the range, by the date each takes effect. Read from the
    exit cases rather than the audit trail: a 撤销备案 may be recorded days after its date and
    a range must list it by that date."""
    cases = ExitCase.objects.filter(file__unit_id__in=units).select_related(
        "file", "file__person", "file__person__department")
    approved = cases.filter(approved_on__gte=date_from, approved_on__lte=date_to)
    released = cases.filter(filing_withdrawn_on__gte=date_from, filing_withdrawn_on__lte=date_to)
    return ([_approved_row(case) for case in approved]
            + [_released_row(case) for case in released])


def _approved_row(case: ExitCase) -> ChangeRow:
    assert case.approved_on is not None  # filtered on
    name, employee_no, department = _person_fields(case.file)
    detail = _("Category: %(category)s; declassification period until %(date)s") % {
        "category": case.get_category_display(), "date": _iso(case.ends_on)}
    return ChangeRow(on=case.approved_on, action=EXIT_APPROVED, kind=case.get_kind_display(),
                     name=name, employee_no=employee_no, department=department, detail=detail,
                     recorded_at=None)


def _released_row(case: ExitCase) -> ChangeRow:
    assert case.filing_withdrawn_on is not None  # filtered on
    name, employee_no, department = _person_fields(case.file)
    values = {"date": _iso(case.ends_on), "reference": case.filing_reference}
    detail = (_("Declassification period ended on %(date)s; reference %(reference)s") % values
              if case.filing_reference else
              _("Declassification period ended on %(date)s") % values)
    return ChangeRow(on=case.filing_withdrawn_on, action=RELEASED,
                     kind=change_labels()[RELEASED], name=name, employee_no=employee_no,
                     department=department, detail=detail, recorded_at=None)


def _holding_changes(units: list[int], date_from: date, date_to: date) -> list[ChangeRow]:
    """rule P16: posts taken up and left in the range, by the dates on the holdings (an
    assignment entered later, or imported from an old ledger, is listed by its own date)."""
    in_range = (Q(started_on__gte=date_from, started_on__lte=date_to)
                | Q(ended_on__gte=date_from, ended_on__lte=date_to))
    holdings = PostHolding.objects.filter(in_range, post__unit_id__in=units).select_related(
        "person", "person__department", "post", "post__department")
    rows = []
    for holding in holdings:
        for action, on in (("POST_ASSIGNED", holding.started_on),
                           ("POST_ENDED", holding.ended_on)):
            if on is not None and date_from <= on <= date_to:
                rows.append(_holding_row(holding, action, on))
    return rows


def _holding_row(holding: PostHolding, action: str, on: date) -> ChangeRow:
    name, employee_no, department = _person_fields(holding)
    post = holding.post
    return ChangeRow(on=on, action=action, kind=change_labels()[action], name=name,
                     employee_no=employee_no, department=department,
                     detail=f"{post}（{post.get_level_display()}）", recorded_at=None)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else "—"


def _events(units: list[int], date_from: date, date_to: date) -> list[AuditEvent]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=zone)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone)
    return list(AuditEvent.objects.filter(
        unit_id__in=units, action__in=FILE_ACTIONS, at__gte=start, at__lt=end,
    ).order_by("seq"))


def _ids(events: Iterable[AuditEvent], actions: tuple[str, ...]) -> set[int]:
    return {int(e.object_id) for e in events if e.action in actions and e.object_id.isdigit()}


def _audited_changes(units: list[int], date_from: date, date_to: date,
                     already_started: set[int]) -> list[ChangeRow]:
    """Changes of the files from the audit trail (the category changes when it is derived);
    the files they name are read with one query. A 上岗 already listed from the file's date is
    not listed twice."""
    events = _events(units, date_from, date_to)
    files = PersonnelFile.objects.select_related("person", "person__department").in_bulk(
        _ids(events, FILE_ACTIONS))
    rows = []
    for event in events:
        key = int(event.object_id) if event.object_id.isdigit() else 0
        subject = files.get(key)
        if subject is None or (event.action == STARTED and key in already_started):
            continue
        rows.append(_event_row(event, subject))
    return rows


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _day(value: Any, fallback: date) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return fallback


def _category(value: Any) -> str:
    try:
        return str(Category(int(value)).label)
    except (TypeError, ValueError):
        return "—"


def _event_row(event: AuditEvent, subject: Any) -> ChangeRow:
    before, after = _json(event.before), _json(event.after)
    recorded = timezone.localtime(event.at)
    on = recorded.date()
    if event.action == "PERSON_CATEGORY_DERIVED":
        detail = _("%(before)s → %(after)s") % {"before": _category(before.get("category")),
                                                "after": _category(after.get("category"))}
    else:
        on = _day(after.get("in_post_since"), on)
        detail = _("Category: %(category)s") % {"category": subject.get_category_display()}
    name, employee_no, department = _person_fields(subject)
    return ChangeRow(on=on, action=event.action, kind=change_labels()[event.action], name=name,
                     employee_no=employee_no, department=department, detail=detail,
                     recorded_at=recorded)
