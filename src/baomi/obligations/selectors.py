"""Reads of obligations, each applying who may see what.

- "Mine": open obligations whose responsible is the user, plus, for a 保密办, the open
  obligations of its units that name nobody (responsible empty = the unit's 保密办).
- "Unit": the obligations of the units where the user is 保密办 or 单位领导. The 三员 never
  get it through their admin roles (rule T2): they see their own obligations only.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import RoleAssignment, Unit
from baomi.accounts.roles import Role
from baomi.core.access import clearance, unit_perimeter
from baomi.core.errors import AccessDenied, InvalidInput
from baomi.core.policy import policy_of

from .models import Obligation, SweepRun
from .registry import rule_title

UNIT_VIEW_ROLES = frozenset({Role.SECRECY_OFFICE, Role.LEADER})
MINE_LIMIT = 200
# A keyset cursor packs (due date, id) into one integer: ordinal * ID_SPAN + id.
ID_SPAN = 10**12
_MAX_CURSOR = date.max.toordinal() * ID_SPAN + ID_SPAN - 1


def upcoming_days(user: Any) -> int:
    """How many days ahead the dashboard looks: policy `obligations.upcoming_days`."""
    return int(policy_of(user.person.unit)["obligations.upcoming_days"])


def horizon(user: Any, today: date) -> date:
    """The last due date still "upcoming" for the user (inclusive)."""
    try:
        return today + timedelta(days=upcoming_days(user))
    except OverflowError:
        return date.max


def _mine_q(user: Any) -> Q:
    """Obligations the user must act on; built from subqueries so a count is one query."""
    mine = Q(responsible_id=user.pk)
    office = RoleAssignment.objects.filter(user_id=user.pk, role=Role.SECRECY_OFFICE)
    office_units = office.values("unit_id")
    child_units = Unit.objects.filter(parent_id__in=office.values("unit_id")).values("id")
    unassigned = Q(responsible__isnull=True, level__lte=int(clearance(user))) & (
        Q(unit_id__in=office_units) | Q(unit_id__in=child_units)
    )
    return mine | unassigned


def _open_mine(user: Any) -> QuerySet[Obligation]:
    if not getattr(user, "is_authenticated", False):
        return Obligation.objects.none()
    return Obligation.objects.filter(_mine_q(user), state=Obligation.State.OPEN)


@dataclass
class MyObligations:
    """The dashboard's lists: overdue (due before today) and upcoming (today … horizon)."""

    today: date
    horizon: date
    overdue: list[Obligation] = field(default_factory=list)
    upcoming: list[Obligation] = field(default_factory=list)
    overdue_more: bool = False
    upcoming_more: bool = False


def my_obligations(user: Any, today: date | None = None, limit: int = MINE_LIMIT) -> MyObligations:
    """The user's open obligations that are overdue or due within the upcoming window.

    Each list is capped at `limit` (the unit view pages through the rest); `*_more` says so.
    """
    today = today or timezone.localdate()
    result = MyObligations(today=today, horizon=horizon(user, today))
    base = _open_mine(user).select_related("responsible__person").order_by("due_date", "id")
    overdue = list(base.filter(due_date__lt=today)[: limit + 1])
    upcoming = list(base.filter(due_date__gte=today, due_date__lte=result.horizon)[: limit + 1])
    result.overdue, result.overdue_more = overdue[:limit], len(overdue) > limit
    result.upcoming, result.upcoming_more = upcoming[:limit], len(upcoming) > limit
    return result


def my_open_count(user: Any, today: date | None = None) -> int:
    """Overdue plus upcoming obligations of the user: the nav badge, one COUNT query."""
    if not getattr(user, "is_authenticated", False):
        return 0
    today = today or timezone.localdate()
    return _open_mine(user).filter(due_date__lte=horizon(user, today)).count()


def can_view_unit(user: Any) -> bool:
    """Whether the user has a unit view: 保密办 or 单位领导 somewhere (rule T2: not the 三员)."""
    return bool(unit_perimeter(user, UNIT_VIEW_ROLES))


@dataclass(frozen=True)
class UnitFilters:
    """Filters of the unit view; every field optional."""

    rule_code: str = ""
    state: str = Obligation.State.OPEN  # "open", "closed" or "all"
    overdue: bool = False
    responsible: str = ""  # a username
    unassigned: bool = False  # only obligations of the 保密办 (responsible empty)
    unit_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in self.__dict__.items() if value not in ("", None, False)}


def unit_obligations(user: Any, filters: UnitFilters | None = None,
                     today: date | None = None) -> QuerySet[Obligation]:
    """Obligations of the units the user oversees, ordered by due date.

    Raises AccessDenied for anyone who is neither 保密办 nor 单位领导 (rule T2: the 三员 see
    their own obligations only, never the unit view). Rows above the user's clearance are left
    out entirely (rule L5).
    """
    filters = filters or UnitFilters()
    perimeter = unit_perimeter(user, UNIT_VIEW_ROLES)
    if not perimeter:  # rule T2
        raise AccessDenied(_("Only the secrecy office and unit leaders see unit obligations."))
    queryset = Obligation.objects.filter(unit_id__in=perimeter,
                                         level__lte=int(clearance(user)))  # rule L5
    return _apply_filters(queryset, filters, today or timezone.localdate()).order_by(
        "due_date", "id")


def _apply_filters(queryset: QuerySet[Obligation], filters: UnitFilters,
                   today: date) -> QuerySet[Obligation]:
    if filters.state in (Obligation.State.OPEN, Obligation.State.CLOSED):
        queryset = queryset.filter(state=filters.state)
    if filters.rule_code:
        queryset = queryset.filter(rule_code=filters.rule_code)
    if filters.overdue:
        queryset = queryset.filter(state=Obligation.State.OPEN, due_date__lt=today)
    if filters.unassigned:
        queryset = queryset.filter(responsible__isnull=True)
    elif filters.responsible:
        queryset = queryset.filter(responsible__username=filters.responsible)
    if filters.unit_id is not None:
        queryset = queryset.filter(unit_id=filters.unit_id)
    return queryset


def unit_choices(user: Any) -> QuerySet[Unit]:
    """The units of the user's unit view (for the unit filter)."""
    return Unit.objects.filter(id__in=unit_perimeter(user, UNIT_VIEW_ROLES)).order_by("code")


@dataclass(frozen=True)
class RuleSummary:
    rule_code: str
    rule_id: str
    title: Any
    open: int
    overdue: int


def unit_summary(user: Any, today: date | None = None) -> list[RuleSummary]:
    """Open and overdue counts per rule over the user's unit view (one GROUP BY query)."""
    today = today or timezone.localdate()
    rows = (
        unit_obligations(user, UnitFilters(), today).order_by()
        .values("rule_code", "rule_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
        .order_by("rule_id", "rule_code")
    )
    return [RuleSummary(row["rule_code"], row["rule_id"], rule_title(row["rule_code"]),
                        row["open"], row["overdue"]) for row in rows]


def encode_cursor(obligation: Obligation) -> int:
    return obligation.due_date.toordinal() * ID_SPAN + int(obligation.pk)


def decode_cursor(after: int) -> tuple[date, int]:
    """The (due date, id) an `after` cursor points at; InvalidInput when it cannot be one."""
    ordinal, pk = divmod(after, ID_SPAN)
    if after < 0 or after > _MAX_CURSOR or ordinal < 1:
        raise InvalidInput(_("Invalid page cursor."), fields={"after": _("Invalid page cursor.")})
    return date.fromordinal(ordinal), pk


def obligations_page(queryset: QuerySet[Obligation], after: int | None,
                     limit: int) -> tuple[list[Obligation], int | None]:
    """Keyset page of a due-date-ordered queryset: (items, next_after or None); no OFFSET."""
    if after is not None:
        due, pk = decode_cursor(after)
        queryset = queryset.filter(Q(due_date__gt=due) | Q(due_date=due, id__gt=pk))
    items = list(queryset.order_by("due_date", "id")[: limit + 1])
    has_more = len(items) > limit
    items = items[:limit]
    return items, (encode_cursor(items[-1]) if has_more and items else None)


def latest_sweep() -> SweepRun | None:
    """The last sweep that finished."""
    return SweepRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()


def sees_sweep_counts(user: Any) -> bool:
    """Per-rule sweep counts span every unit: for operators and unit overseers only."""
    return user.has_role(Role.SYSADMIN, Role.SECADMIN, Role.SECRECY_OFFICE, Role.LEADER)
