"""Who sees which outside firm and contract (DESIGN.md 'Access model', rule L5), the register's
filters, and the year's figures for the annual report and the dashboard (rules Q8, Q11).

The firms of a unit are seen by its 保密办 and its leaders (a role held at a 集团 covers its
units); a contract only by those cleared for its level, so a 秘密 reader never learns of a 机密
contract. Only the 保密办 changes anything (`services_firms`).
"""

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.core.access import clearance, perimeter_query, sees_business_data
from baomi.core.errors import NotFound
from baomi.core.labels import Level, Scheme
from baomi.core.paging import parse_key
from baomi.core.policy import policy_of

from .choices_firms import ContractState, FirmKind, FirmState
from .models import Firm, FirmContract
from .services_firms import SUSPENSION_MONTHS_KEY, qualified_q

READERS = frozenset({Role.SECRECY_OFFICE, Role.LEADER})


def firms_visible_to(user: Any) -> QuerySet[Firm]:
    if not sees_business_data(user):
        return Firm.objects.none()
    return Firm.objects.filter(unit_id__in=perimeter_query(user, READERS)).select_related("unit")


def firm_for(user: Any, pk: Any) -> Firm:
    """One visible firm by id; NotFound for anything else (another unit's firm too)."""
    key = parse_key(pk)
    found = firms_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def _cleared(user: Any, prefix: str = "") -> Q:
    """rule L5: 工作秘密 and 商业秘密 work carries no state level; state work up to the
    reader's clearance."""
    return ~Q(**{f"{prefix}scheme": Scheme.STATE}) | Q(**{
        f"{prefix}level__lte": int(clearance(user))})


def contracts_visible_to(user: Any) -> QuerySet[FirmContract]:
    if not sees_business_data(user):
        return FirmContract.objects.none()
    return FirmContract.objects.filter(
        Q(firm__unit_id__in=perimeter_query(user, READERS)) & _cleared(user)).select_related(
        "firm", "responsible")


def contract_for(user: Any, pk: Any) -> FirmContract:
    key = parse_key(pk)
    found = contracts_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def filter_firms(firms: QuerySet[Firm], *, kind: str = "", qualified: bool | None = None,
                 on_directory: bool | None = None, on: dt.date | None = None
                 ) -> QuerySet[Firm]:
    """The register's filters: kind, qualified for classified work today (rules Q8, Q11), on
    the 名录 (rule Q8). Units with different suspension periods are filtered by their own."""
    if kind:
        firms = firms.filter(kind=kind)
    if on_directory is not None:
        firms = firms.filter(on_directory=on_directory)
    if qualified is not None:
        day = on or timezone.localdate()
        months_of: dict[int, list[int]] = {}
        unit_ids = set(firms.values_list("unit_id", flat=True).distinct())
        for unit in Unit.objects.filter(pk__in=unit_ids):
            months = int(policy_of(unit)[SUSPENSION_MONTHS_KEY])
            months_of.setdefault(months, []).append(unit.pk)
        condition = Q(pk__in=[])
        for months, ids in months_of.items():
            condition |= Q(unit_id__in=ids) & qualified_q(day, months)
        firms = firms.filter(condition) if qualified else firms.exclude(condition)
    return firms


def firm_summary(unit: Unit, year: int, on: dt.date | None = None) -> dict[str, Any]:
    """The firms of `unit` for the annual report and the dashboard (rules Q8, Q11): firms by
    kind, how many are qualified for classified work (on `on`, default the last day of `year`
    or today if earlier), contracts signed in `year` by level, firms struck off in `year`.

    Figures only, no names; contract counts per level are there for the report's own reader,
    who is the 保密办 (callers showing them to others filter by clearance)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    day = on or min(end, timezone.localdate())
    firms = Firm.objects.filter(unit=unit)
    by_kind = dict.fromkeys(FirmKind.values, 0)
    for row in firms.values("kind").annotate(n=Count("id")):
        by_kind[row["kind"]] = row["n"]
    months = int(policy_of(unit)[SUSPENSION_MONTHS_KEY])
    contracts = FirmContract.objects.filter(firm__unit=unit, signed_on__range=(start, end))
    by_level = dict.fromkeys(Level.values, 0)
    for level_row in contracts.filter(scheme=Scheme.STATE).values("level").annotate(
            n=Count("id")):
        by_level[level_row["level"]] = level_row["n"]
    return {
        "year": year,
        "firms": sum(by_kind.values()),
        "by_kind": by_kind,
        "qualified": firms.filter(qualified_q(day, months)).count(),
        "on_directory": firms.filter(kind=FirmKind.SUBCONTRACTOR, on_directory=True).count(),
        "contracts_signed": contracts.count(),
        "contracts_by_level": by_level,
        "active_contracts": FirmContract.objects.filter(
            firm__unit=unit, state=ContractState.ACTIVE).count(),
        "struck_off": firms.filter(struck_off_on__range=(start, end)).count(),
        "struck_off_now": firms.filter(state=FirmState.STRUCK_OFF).count(),
    }
