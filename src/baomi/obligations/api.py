"""REST API of obligations, mounted at /api/v1/obligations/."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from baomi.core.errors import NotFound
from baomi.core.schemas import ErrorOut

from . import selectors
from .models import Obligation, SweepRun
from .registry import all_rules, rule_title

router = Router(tags=["obligations"])

MAX_BIGINT = 2**63 - 1
# Printable text only: a NUL or control character in a filter is refused, not sent to the DB.
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"


class ObligationOut(Schema):
    id: int
    rule_code: str
    rule_id: str
    title: str
    unit_id: int
    subject_type: str
    subject_id: int
    subject_label: str
    responsible_id: int | None
    responsible_username: str | None
    due_date: date
    days_left: int
    overdue: bool
    estimated: bool
    severity: str
    level: int
    state: str
    opened_at: datetime
    closed_at: datetime | None


class MineOut(Schema):
    today: date
    upcoming_until: date
    overdue: list[ObligationOut]
    upcoming: list[ObligationOut]
    overdue_more: bool
    upcoming_more: bool


class UnitFiltersIn(Schema):
    rule: str = Field("", max_length=80, pattern=PRINTABLE, description="Rule code.")
    state: Literal["open", "closed", "all"] = "open"
    overdue: bool = False
    responsible: str = Field("", max_length=150, pattern=PRINTABLE,
                             description="Username of the responsible user.")
    unassigned: bool = Field(False, description="Only obligations of the secrecy office.")
    unit: int | None = Field(None, ge=1, le=MAX_BIGINT, description="Unit id.")
    after: int | None = Field(None, ge=0, le=MAX_BIGINT, description="Cursor from next_after.")
    limit: int = Field(50, ge=1, le=500)

    def filters(self) -> selectors.UnitFilters:
        return selectors.UnitFilters(
            rule_code=self.rule, state=self.state, overdue=self.overdue,
            responsible=self.responsible, unassigned=self.unassigned, unit_id=self.unit,
        )


class UnitPageOut(Schema):
    items: list[ObligationOut]
    next_after: int | None


class RuleOut(Schema):
    code: str
    rule_id: str
    title: str


class SweepRuleOut(Schema):
    code: str
    title: str
    opened: int
    updated: int
    closed: int
    open: int
    errors: int
    error: str = ""


class SweepOut(Schema):
    id: int
    today: date
    started_at: datetime
    finished_at: datetime | None
    failed: bool
    totals: dict[str, int]
    rules: list[SweepRuleOut]


def obligation_out(obligation: Obligation, today: date) -> dict[str, Any]:
    responsible = obligation.responsible
    days_left = obligation.days_left(today)
    return {
        "id": obligation.pk,
        "rule_code": obligation.rule_code,
        "rule_id": obligation.rule_id,
        "title": str(rule_title(obligation.rule_code)),
        "unit_id": obligation.unit_id,
        "subject_type": obligation.subject_type,
        "subject_id": obligation.subject_id,
        "subject_label": obligation.subject_label,
        "responsible_id": obligation.responsible_id,
        "responsible_username": responsible.username if responsible else None,
        "due_date": obligation.due_date,
        "days_left": days_left,
        "overdue": obligation.state == Obligation.State.OPEN and days_left < 0,
        "estimated": obligation.estimated,
        "severity": obligation.severity,
        "level": obligation.level,
        "state": obligation.state,
        "opened_at": obligation.opened_at,
        "closed_at": obligation.closed_at,
    }


@router.get("/mine", response=MineOut, summary="My overdue and upcoming obligations")
def mine(request: HttpRequest) -> dict[str, Any]:
    found = selectors.my_obligations(request.user)
    return {
        "today": found.today,
        "upcoming_until": found.horizon,
        "overdue": [obligation_out(o, found.today) for o in found.overdue],
        "upcoming": [obligation_out(o, found.today) for o in found.upcoming],
        "overdue_more": found.overdue_more,
        "upcoming_more": found.upcoming_more,
    }


@router.get("/unit", response={200: UnitPageOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
            summary="Obligations of my units (secrecy office, unit leader)")
def unit(request: HttpRequest, params: Query[UnitFiltersIn]) -> Status[dict[str, Any]]:
    today = timezone.localdate()
    queryset = selectors.unit_obligations(request.user, params.filters(), today)
    items, next_after = selectors.obligations_page(
        queryset.select_related("responsible"), params.after, params.limit)
    return Status(200, {"items": [obligation_out(o, today) for o in items],
                        "next_after": next_after})


@router.get("/rules", response=list[RuleOut], summary="Registered obligation rules")
def rules(request: HttpRequest) -> list[dict[str, str]]:
    return [{"code": r.code, "rule_id": r.rule_id, "title": str(r.title)} for r in all_rules()]


@router.get("/sweeps/latest", response={200: SweepOut, 404: ErrorOut},
            summary="The last finished sweep")
def latest_sweep(request: HttpRequest) -> Status[dict[str, Any]]:
    run = selectors.latest_sweep()
    if run is None:
        raise NotFound()
    return Status(200, sweep_out(run, with_counts=selectors.sees_sweep_counts(request.user)))


def sweep_out(run: SweepRun, with_counts: bool) -> dict[str, Any]:
    rules = [
        {"code": code, "title": str(rule_title(code)),
         **{key: int(counts.get(key, 0)) for key in SweepRun.COUNT_KEYS},
         "error": str(counts.get("error", ""))}
        for code, counts in sorted(run.counts.items())
    ] if with_counts else []
    return {
        "id": run.pk, "today": run.today, "started_at": run.started_at,
        "finished_at": run.finished_at, "failed": run.failed,
        "totals": run.totals() if with_counts else {}, "rules": rules,
    }
