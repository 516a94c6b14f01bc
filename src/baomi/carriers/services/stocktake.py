"""Writes of stocktakes (清查盘点, rule C1) and of missing carriers (下落不明, rule C8).

rule C1 (帐物相符): the 保密办 starts a stocktake of its unit, or of one department or container;
its list holds every carrier the ledger expects there (in store, on loan, on a destruction
list) that the officer is cleared for. Each carrier is checked by scanning its label (or typing
its number), or marked by hand; a code not on the list is a difference (`not_on_list`). Closing
the stocktake turns every carrier not found into a missing carrier.

rule C8: a missing carrier — not found at a stocktake, or reported lost — is traced until its
deadline, `carriers.missing_incident_days.top_secret` (10) calendar days after discovery for a
绝密 state secret and `.other` (60) for any other carrier (工作秘密 and 商业秘密 grades are no
state levels, rule L4). Discovered on D, a 绝密 carrier is still a case on D+10 and a leak
incident (rule I1) on D+11. The daily job `carriers.missing_to_incident` records the incident.

Found after it became an incident, a carrier goes back on the ledger (in store, rule C1: the
ledger says where it is) and the case is closed as found, but the incident stays: it was out of
control beyond the deadline, and only the investigation of the incident (rule I2) closes it.

`_today()` is the clock of these services (tests patch
`baomi.carriers.services.stocktake._today`); the daily job takes its date as an argument.
"""

import datetime as dt
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Department, Unit, User
from baomi.audit.services import record_event
from baomi.core.errors import Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level, Scheme
from baomi.core.policy import policy_of

from ..choices import CarrierState
from ..labels import payload_parts
from ..models import Carrier, Container, MissingCase, Stocktake, StocktakeLine
from ..models.stocktake import LineResult, MissingSource, MissingState, StocktakeState
from ..selectors import carriers_visible_to
from ..selectors_stocktake import missing_cases_visible_to, stocktakes_visible_to
from ..transitions import CARRIER
from ..transitions_stocktake import MISSING_CASE, STOCKTAKE
from .ledger import (
    _department_of,
    _instance,
    _invalid,
    _iso,
    _office_carrier,
    _refresh,
    _require_office,
    _require_user,
    _text,
)
from .movement import close_on_found

NOTE_MAX = 500
CODE_MAX = 300
# rule C1: what the ledger expects to find — not destroyed, not already missing.
EXPECTED = (CarrierState.IN_STORE, CarrierState.ON_LOAN, CarrierState.TO_DESTROY)
# A carrier in one of these states is back on the ledger, whatever its case says.
BACK = (CarrierState.IN_STORE, CarrierState.ON_LOAN)
BATCH = 2000
TOP_SECRET_DAYS = "carriers.missing_incident_days.top_secret"
OTHER_DAYS = "carriers.missing_incident_days.other"
# How the loss came to light, as the incident record words it (document content, in Chinese).
SOURCE_WORDS: dict[str, str] = {MissingSource.STOCKTAKE: "清查盘点时未找到",
                                MissingSource.REPORT: "报告遗失"}


def _today() -> dt.date:
    return timezone.localdate()


@dataclass
class StocktakeResult:
    """What a closed stocktake found (rule C1): the lines found, and the differences — the
    carriers not found, each now missing with its case (rule C8), and those not found whose
    state allowed no case (destroyed meanwhile), listed as they are."""

    stocktake: Stocktake
    found: int
    missing: list[StocktakeLine] = field(default_factory=list)
    not_moved: list[StocktakeLine] = field(default_factory=list)

    @property
    def differences(self) -> list[StocktakeLine]:
        return [*self.missing, *self.not_moved]


# --- input and access ----------------------------------------------------------------------


def _past_date(value: Any, field_name: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise _invalid(field_name, _("Enter a valid date."))
    if value > _today():
        raise _invalid(field_name, _("The date cannot be in the future."), code="future_date")
    return value


def _office_stocktake(actor: Any, stocktake: Any) -> Stocktake:
    """A stocktake the actor sees as the 保密办 of its unit, cleared for its list (rule L5);
    NotFound for anything else."""
    _require_user(actor)
    if not isinstance(stocktake, Stocktake) or stocktake.pk is None:
        raise NotFound()
    visible = stocktakes_visible_to(actor).filter(pk=stocktake.pk).first()
    if visible is None:
        raise NotFound()
    return visible


def _office_case(actor: Any, case: Any) -> MissingCase:
    _require_user(actor)
    if not isinstance(case, MissingCase) or case.pk is None:
        raise NotFound()
    visible = missing_cases_visible_to(actor).filter(pk=case.pk).first()
    if visible is None:
        raise NotFound()
    return visible


def _locked_open(stocktake: Stocktake) -> Stocktake:
    """The stocktake row, locked, still in progress (Conflict `stocktake_closed` otherwise)."""
    fresh = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if fresh.state != StocktakeState.OPEN:
        raise Conflict(_("This stocktake is closed."), code="stocktake_closed")
    return fresh


# --- starting (rule C1) ----------------------------------------------------------------------


def _scope_container(unit: Unit, value: Any) -> Container:
    container: Container = _instance(value, Container, "container")
    if container.unit_id != unit.pk:
        raise _invalid("container", _("Choose a container of the unit."),
                       code="unknown_container")
    return container


def expected_carriers(actor: Any, unit: Unit, department: Department | None,
                      container: Container | None) -> QuerySet[Carrier]:
    """rule C1: the carriers the ledger says are in the scope — in store, on loan or on a
    destruction list — of those the actor is cleared for (rule L5)."""
    carriers = carriers_visible_to(actor).filter(unit=unit, state__in=EXPECTED)
    if department is not None:
        carriers = carriers.filter(department=department)
    if container is not None:
        carriers = carriers.filter(container=container)
    return carriers


def _highest_level(carriers: QuerySet[Carrier]) -> int:
    level = carriers.filter(scheme=Scheme.STATE).aggregate(top=Max("level"))["top"]
    return int(level or Level.NONSECRET)


def _create_lines(stocktake: Stocktake, carriers: QuerySet[Carrier]) -> int:
    rows = carriers.order_by("id").values_list("id", "state", "custodian_id", "container_id",
                                               "location").iterator(chunk_size=BATCH)
    count = 0
    while batch := list(islice(rows, BATCH)):
        StocktakeLine.objects.bulk_create([
            StocktakeLine(stocktake=stocktake, carrier_id=pk, ledger_state=state,
                          ledger_custodian_id=custodian, ledger_container_id=container,
                          ledger_location=location)
            for pk, state, custodian, container, location in batch])
        count += len(batch)
    return count


def _scope_values(stocktake: Stocktake) -> dict[str, Any]:
    return {"department": stocktake.department_id, "container": stocktake.container_id,
            "level": int(stocktake.level), "state": stocktake.state}


def start_stocktake(actor: Any, *, unit: Unit, department: Department | None = None,
                    container: Container | None = None, note: str = "") -> Stocktake:
    """rule C1: the 保密办 starts a stocktake of its unit, or of one department or container:
    one line per carrier the ledger expects there, with what the ledger says about it. One
    stocktake of a scope at a time (Conflict `stocktake_open`)."""
    unit = _instance(unit, Unit, "unit")
    if department is not None:
        department = _department_of(unit.pk, department)
    if container is not None:
        container = _scope_container(unit, container)
    note = _text(note, "note", NOTE_MAX, required=False)
    _require_office(actor, unit.pk)
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=unit.pk).first()  # one start at a time
        if Stocktake.objects.filter(unit=unit, department=department, container=container,
                                    state=StocktakeState.OPEN).exists():
            raise Conflict(_("A stocktake of this scope is already in progress."),
                           code="stocktake_open")
        carriers = expected_carriers(actor, unit, department, container)
        stocktake = Stocktake.objects.create(
            unit=unit, department=department, container=container, note=note,
            level=_highest_level(carriers), started_by=actor)
        count = _create_lines(stocktake, carriers)
        if not count:
            message = _("No carrier of this scope is on the ledger.")
            raise InvalidInput(message, code="empty_scope", fields={"container": message})
        record_event(actor, "STOCKTAKE_STARTED", stocktake,
                     after={**_scope_values(stocktake), "lines": count, "note": note})
    return stocktake


# --- checking (rule C1) ----------------------------------------------------------------------


def _number_in(unit: Unit, code: str) -> str | None:
    """The carrier number a scanned payload or a typed code names in `unit`; None for the
    label of another unit."""
    parts = payload_parts(code)
    if parts is None:
        return code  # typed by hand: the carrier number itself
    unit_code, number = parts
    return number if unit_code == unit.code else None


def _line_of(stocktake: Stocktake, number: str) -> StocktakeLine | None:
    """The line of the carrier numbered `number` (typed by hand: case does not matter when
    only one carrier matches)."""
    lines = StocktakeLine.objects.select_related("carrier", "stocktake").filter(
        stocktake=stocktake)
    exact = lines.filter(carrier__number=number).first()
    if exact is not None:
        return exact
    loose = list(lines.filter(carrier__number__iexact=number)[:2])
    return loose[0] if len(loose) == 1 else None


def _not_on_list(actor: Any, stocktake: Stocktake, number: str | None, code: str
                 ) -> RuleViolation:
    """rule C1: a carrier found that the list does not expect is a difference. Whether it is on
    the ledger at all is told only about carriers the actor sees (rule L5)."""
    known = number is not None and carriers_visible_to(actor).filter(
        unit_id=stocktake.unit_id, number=number).exists()
    if known:
        message = _("%(code)s is on the ledger but not on this stocktake's list: a "
                    "difference.") % {"code": number}
    else:
        message = _("%(code)s is not on this stocktake's list: a difference.") % {
            "code": code[:100]}
    return RuleViolation(message, code="not_on_list", rule="C1", fields={"code": message})


def _line_values(line: StocktakeLine) -> dict[str, Any]:
    return {"stocktake": line.stocktake_id, "carrier": line.carrier_id,
            "number": line.carrier.number, "result": line.result}


def check_carrier(actor: Any, stocktake: Stocktake, *, code: str, note: str = ""
                  ) -> StocktakeLine:
    """rule C1: a carrier seen at the stocktake — its label's QR payload scanned, or its
    number typed — is found. A code not on the list is a difference (RuleViolation
    `not_on_list`). Scanning a carrier found already changes nothing."""
    stocktake = _office_stocktake(actor, stocktake)
    code = _text(code, "code", CODE_MAX)
    note = _text(note, "note", NOTE_MAX, required=False)
    number = _number_in(stocktake.unit, code)
    with transaction.atomic():
        fresh = _locked_open(stocktake)
        line = _line_of(fresh, number) if number is not None else None
        if line is None:
            raise _not_on_list(actor, fresh, number, code)
        if line.result == LineResult.FOUND:
            return line
        before = line.result
        line.result, line.checked_at, line.checked_by = LineResult.FOUND, timezone.now(), actor
        line.note = note or line.note
        line.save(update_fields=["result", "checked_at", "checked_by", "note"])
        record_event(actor, "STOCKTAKE_CARRIER_CHECKED", line, before={"result": before},
                     after={**_line_values(line), "scanned": payload_parts(code) is not None})
    return line


def mark_line(actor: Any, line: StocktakeLine, *, result: str, note: str = ""
              ) -> StocktakeLine:
    """rule C1: the 保密办 records a result by hand — found (e.g. a carrier on loan seen at the
    borrower's desk), not found, or back to not yet checked."""
    if not isinstance(line, StocktakeLine) or line.pk is None:
        raise NotFound()
    current = StocktakeLine.objects.filter(pk=line.pk).select_related("stocktake").first()
    if current is None:
        raise NotFound()
    stocktake = _office_stocktake(actor, current.stocktake)
    if not isinstance(result, str) or result not in LineResult.values:
        raise _invalid("result", _("Choose from the list."))
    note = _text(note, "note", NOTE_MAX, required=False)
    with transaction.atomic():
        _locked_open(stocktake)
        fresh = StocktakeLine.objects.select_related("carrier", "stocktake").get(pk=line.pk)
        before = fresh.result
        checked = result != LineResult.UNCHECKED
        fresh.result, fresh.note = result, note
        fresh.checked_at = timezone.now() if checked else None
        fresh.checked_by = actor if checked else None
        fresh.save(update_fields=["result", "checked_at", "checked_by", "note"])
        record_event(actor, "STOCKTAKE_LINE_MARKED", fresh, before={"result": before},
                     after={**_line_values(fresh), "note": note})
    return _refresh(line, fresh)


# --- missing carriers (rule C8) --------------------------------------------------------------


def missing_days(unit: Unit, scheme: str, level: int) -> int:
    """rule C8: 10 calendar days for a 绝密 state secret, 60 for any other (policy)."""
    top = scheme == Scheme.STATE and level >= Level.TOP_SECRET
    return int(policy_of(unit)[TOP_SECRET_DAYS if top else OTHER_DAYS])


def missing_deadline(unit: Unit, scheme: str, level: int, discovered_on: dt.date) -> dt.date:
    """rule C8: the last day of tracing; untraced the day after, it is a leak."""
    return discovered_on + dt.timedelta(days=missing_days(unit, scheme, level))


def _open_case(actor: Any, carrier: Carrier, discovered_on: dt.date, source: str,
               stocktake: Stocktake | None, note: str) -> MissingCase:
    """The carrier (locked) is missing from now on: its state, its case, its audit event."""
    before = carrier.state
    CARRIER.apply(carrier, CarrierState.MISSING, updated_at=timezone.now())
    case = MissingCase.objects.create(
        carrier=carrier, unit_id=carrier.unit_id, source=source, stocktake=stocktake,
        discovered_on=discovered_on, note=note, reported_by=actor,
        deadline=missing_deadline(carrier.unit, carrier.scheme, carrier.level, discovered_on))
    record_event(actor, "CARRIER_MISSING", carrier, before={"state": before},
                 after={"state": CarrierState.MISSING, "case": case.pk, "source": source,
                        "stocktake": stocktake.pk if stocktake else None,
                        "discovered_on": _iso(discovered_on), "deadline": _iso(case.deadline)},
                 reason=note)
    return case


def report_missing(actor: Any, carrier: Carrier, *, discovered_on: dt.date, note: str
                   ) -> MissingCase:
    """rule C8: the 保密办 reports at once a carrier whose whereabouts are unknown, with the
    day it was discovered and the circumstances. Discovered so long ago that the deadline has
    passed, it is handled as a leak at once."""
    carrier = _office_carrier(actor, carrier)
    discovered_on = _past_date(discovered_on, "discovered_on")
    note = _text(note, "note", NOTE_MAX)
    if discovered_on < carrier.received_on:
        message = _("The carrier was not on the ledger yet on that day.")
        raise InvalidInput(message, code="before_received", fields={"discovered_on": message})
    today = _today()
    with transaction.atomic():
        fresh = Carrier.objects.select_for_update(of=("self",)).select_related("unit").get(
            pk=carrier.pk)
        if fresh.state == CarrierState.MISSING:
            raise Conflict(_("This carrier is already reported missing."),
                           code="already_missing")
        case = _open_case(actor, fresh, discovered_on, MissingSource.REPORT, None, note)
        if case.deadline < today:  # rule C8: reported after the deadline
            _to_incident(actor, case, today)
    _refresh(carrier, fresh)
    return case


def record_found(actor: Any, case: MissingCase, *, found_on: dt.date, note: str
                 ) -> MissingCase:
    """rule C8: a missing carrier is found again — back in store (rule C1), the case closed as
    found. A case already handled as a leak is closed too, but its incident stays open: only
    the investigation closes it (rule I2). A carrier already back on the ledger by another way
    (a borrower returned it, `return_loan`) only has its case closed."""
    case = _office_case(actor, case)
    found_on = _past_date(found_on, "found_on")
    note = _text(note, "note", NOTE_MAX)
    if found_on < case.discovered_on:
        message = _("It cannot be found before it was missed.")
        raise InvalidInput(message, code="before_discovered", fields={"found_on": message})
    with transaction.atomic():
        fresh = MissingCase.objects.select_for_update().get(pk=case.pk)
        carrier = Carrier.objects.select_for_update(of=("self",)).get(pk=fresh.carrier_id)
        before = fresh.state
        MISSING_CASE.apply(fresh, MissingState.FOUND, found_on=found_on, found_by=actor,
                           found_note=note)
        previous = carrier.state
        if previous not in BACK:
            CARRIER.apply(carrier, CarrierState.IN_STORE, updated_at=timezone.now())
        close_on_found(actor, carrier, timezone.now())  # lost while out (rules C2, C6)
        record_event(actor, "CARRIER_FOUND", carrier, before={"state": previous,
                                                              "case": before},
                     after={"state": carrier.state, "case": fresh.pk,
                            "found_on": _iso(found_on), "incident": fresh.incident_id},
                     reason=note)
    return _refresh(case, fresh)


def close_on_return(actor: Any, carrier: Carrier, note: str) -> None:
    """rule C8: a missing carrier back by another way (its borrower returned it) — its case
    closes as found today, in the caller's transaction; an incident stays open (rule I2)."""
    for case in MissingCase.objects.select_for_update().filter(
            carrier_id=carrier.pk, state__in=(MissingState.OPEN, MissingState.INCIDENT)):
        before = case.state
        MISSING_CASE.apply(case, MissingState.FOUND, found_on=_today(), found_by=actor,
                           found_note=note)
        record_event(actor, "CARRIER_FOUND", carrier,
                     before={"state": CarrierState.MISSING, "case": before},
                     after={"state": carrier.state, "case": case.pk,
                            "found_on": _iso(case.found_on), "incident": case.incident_id},
                     reason=note)


def _incident_text(carrier: Carrier, case: MissingCase) -> tuple[str, str]:
    """The incident's title and description (document content, in Chinese)."""
    title = f"涉密载体下落不明逾期未查清：{carrier.number} {carrier.title}"[:300]
    how = SOURCE_WORDS.get(case.source, "")
    description = (f"载体 {carrier.number}《{carrier.title}》于 {case.discovered_on:%Y-%m-%d} "
                   f"发现下落不明（{how}），至 {case.deadline:%Y-%m-%d} 仍查无下落，"
                   f"按泄密事件处理（规则 C8）。")
    if case.note:
        description += f"\n情况说明：{case.note}"
    return title, description


def _to_incident(actor: Any, case: MissingCase, today: dt.date) -> None:
    """rule C8 → I1: the case (locked, open, past its deadline) becomes a leak incident at the
    carrier's level (rule L5), discovered when the loss was."""
    from baomi.compliance.choices import IncidentKind
    from baomi.compliance.services import record_incident

    carrier = case.carrier
    title, description = _incident_text(carrier, case)
    incident = record_incident(
        actor, unit=carrier.unit, kind=IncidentKind.LEAK, scheme=carrier.scheme,
        level=int(carrier.level), title=title, discovered_on=case.discovered_on,
        created_on=today, source_type="carriers.carrier", source_id=carrier.pk,
        source_label=f"{carrier.number} {carrier.title}"[:200], description=description)
    MISSING_CASE.apply(case, MissingState.INCIDENT, incident=incident)
    record_event(actor, "MISSING_CARRIER_INCIDENT", carrier,
                 before={"case": case.pk, "state": MissingState.OPEN},
                 after={"case": case.pk, "state": case.state, "incident": incident.pk,
                        "deadline": _iso(case.deadline)})


def missing_to_incident(today: dt.date, actor: Any = None) -> int:
    """The daily job `carriers.missing_to_incident` (rule C8): every case still open after its
    deadline, its carrier still missing, is handled as a leak. Returns the number of incidents
    recorded."""
    actor = actor if isinstance(actor, User) else None
    with transaction.atomic():
        cases = list(MissingCase.objects.select_for_update(of=("self",))
                     .filter(state=MissingState.OPEN, deadline__lt=today,
                             carrier__state=CarrierState.MISSING)
                     .select_related("carrier", "carrier__unit").order_by("id"))
        for case in cases:
            _to_incident(actor, case, today)
    return len(cases)


# --- closing (rules C1, C8) ------------------------------------------------------------------


def _case_for(actor: Any, stocktake: Stocktake, line: StocktakeLine, carrier: Carrier,
              today: dt.date) -> MissingCase | None:
    """The case of a carrier not found: a new one, or the one already open when it was
    reported missing meanwhile; None when its state allows none (destroyed meanwhile) or
    an approved movement accounts for it (out of the unit, rules C2, C6)."""
    if carrier.state == CarrierState.OUT:
        return None
    if carrier.state == CarrierState.MISSING:
        return MissingCase.objects.filter(carrier=carrier, state__in=(
            MissingState.OPEN, MissingState.INCIDENT)).first()
    if CarrierState.MISSING not in CARRIER.targets_from(carrier.state):
        return None
    return _open_case(actor, carrier, today, MissingSource.STOCKTAKE, stocktake,
                      line.note or f"清查盘点 #{stocktake.pk} 未找到")


def close_stocktake(actor: Any, stocktake: Stocktake) -> StocktakeResult:
    """rule C1: close the stocktake; every carrier not checked is not found. rule C8: each
    carrier not found is missing from today, with its case and deadline. Of two closings at
    once one wins (the other: Conflict)."""
    stocktake = _office_stocktake(actor, stocktake)
    today = _today()
    with transaction.atomic():
        fresh = Stocktake.objects.select_for_update().select_related("unit").get(
            pk=stocktake.pk)
        STOCKTAKE.apply(fresh, StocktakeState.CLOSED, closed_at=timezone.now(),
                        closed_by=actor)
        fresh.lines.filter(result=LineResult.UNCHECKED).update(result=LineResult.MISSING)
        missing = list(fresh.lines.filter(result=LineResult.MISSING).select_related(
            "carrier").order_by("id"))
        # Every carrier row is locked before the first audit event takes the chain's lock
        # (the ledger services lock a carrier, then the chain: never the other way round).
        carriers = {c.pk: c for c in Carrier.objects.select_for_update(of=("self",))
                    .select_related("unit").filter(pk__in=[line.carrier_id for line in missing])
                    .order_by("pk")}
        result = StocktakeResult(fresh, fresh.lines.filter(result=LineResult.FOUND).count())
        for line in missing:
            case = _case_for(actor, fresh, line, carriers[line.carrier_id], today)
            if case is None:
                result.not_moved.append(line)
                continue
            StocktakeLine.objects.filter(pk=line.pk).update(missing_case=case)
            line.missing_case = case
            result.missing.append(line)
        record_event(actor, "STOCKTAKE_CLOSED", fresh, before={"state": StocktakeState.OPEN},
                     after={"state": fresh.state, "found": result.found,
                            "missing": [line.carrier.number for line in result.missing][:1000],
                            "not_moved": [line.carrier.number for line in result.not_moved]})
    _refresh(stocktake, fresh)
    return result
