"""Stocktakes (清查盘点, rule C1): the list holds every carrier the ledger expects in the
scope, a scanned label or a typed number finds its carrier, a code not on the list is a
difference, and closing turns what was not found into missing carriers (rule C8)."""

import json

import pytest

from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.carriers.choices import CarrierState
from baomi.carriers.labels import label_payload
from baomi.carriers.models import Carrier, MissingCase, Stocktake, StocktakeLine
from baomi.carriers.models.stocktake import LineResult, MissingSource, MissingState
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level, Scheme
from baomi.core.testing.factories import DepartmentFactory, UnitFactory
from baomi.secrets.choices import PeriodKind

from . import stocktake_support as support
from .service_support import approved_loan
from .stocktake_support import DAY, three_in, today

(cabinet, item, keeper, leader_m, office_m, people, register, safe, yf1) = (
    support.cabinet, support.item, support.keeper, support.leader_m, support.office_m,
    support.people, support.register, support.safe, support.yf1)


def start(people, unit, who="office", **scope):
    return services.start_stocktake(people[who], unit=unit, **scope)


def numbers(stocktake):
    return set(stocktake.lines.values_list("carrier__number", flat=True))


def results(stocktake):
    return dict(stocktake.lines.values_list("carrier__number", "result"))


def after(event):
    return json.loads(event.after)


def events(action):
    return AuditEvent.objects.filter(action=action).count()


# --- the list (rule C1) ----------------------------------------------------------------------


@pytest.mark.rule("C1")
def test_the_list_holds_every_carrier_the_ledger_expects_in_the_container(
        people, unit, register, safe, cabinet, item):
    in_store = register()
    on_loan = register(secret_item=item)
    services.hand_out(people["office"], approved_loan(people, on_loan))
    to_destroy, destroyed, lost = register(), register(), register()
    Carrier.objects.filter(pk=to_destroy.pk).update(state=CarrierState.TO_DESTROY)
    Carrier.objects.filter(pk=destroyed.pk).update(state=CarrierState.DESTROYED)
    services.report_missing(people["office"], lost, discovered_on=today(), note="未找到")
    register(container=cabinet)  # in another container

    stocktake = start(people, unit, container=safe, note="季度清查")

    assert numbers(stocktake) == {in_store.number, on_loan.number, to_destroy.number}
    line = stocktake.lines.get(carrier=on_loan)
    assert (line.ledger_state, line.ledger_custodian, line.ledger_container, line.result) == (
        CarrierState.ON_LOAN, on_loan.custodian, safe, LineResult.UNCHECKED)
    assert (stocktake.state, stocktake.level, stocktake.note) == (
        "open", Level.CONFIDENTIAL, "季度清查")
    event = AuditEvent.objects.get(action="STOCKTAKE_STARTED")
    assert after(event)["lines"] == 3 and after(event)["container"] == safe.pk


@pytest.mark.rule("C1")
def test_the_scope_is_the_unit_or_a_department(people, unit, register, safe, cabinet):
    other = DepartmentFactory(unit=unit, name="研发二部", code="YF2")
    mine, theirs = register(), register(department=other, container=cabinet)
    whole = start(people, unit)
    assert numbers(whole) == {mine.number, theirs.number}
    department = start(people, unit, department=other)
    assert numbers(department) == {theirs.number}
    with pytest.raises(InvalidInput) as empty:  # nothing of 研发二部 in the safe
        start(people, unit, department=other, container=safe)
    assert empty.value.code == "empty_scope"


@pytest.mark.rule("L5")
def test_an_officer_lists_only_carriers_up_to_their_clearance(people, unit, register,
                                                              office_m):
    confidential = register()
    top = register(level=Level.TOP_SECRET, period_kind=PeriodKind.YEARS, period_value=30)
    mine = services.start_stocktake(office_m, unit=unit)
    assert numbers(mine) == {confidential.number}
    assert mine.level == Level.CONFIDENTIAL
    full = start(people, unit, container=top.container)
    assert full.level == Level.TOP_SECRET
    # the 机密 officer does not see the stocktake listing a 绝密 carrier at all
    with pytest.raises(NotFound):
        services.check_carrier(office_m, full, code=confidential.number)
    with pytest.raises(NotFound):
        services.close_stocktake(office_m, full)


@pytest.mark.rule("C1")
def test_starting_is_refused_for_others_an_empty_scope_and_a_second_of_the_same_scope(
        people, unit, register, safe, cabinet):
    register()
    with pytest.raises(AccessDenied) as refused:
        start(people, unit, who="head", container=safe)
    assert refused.value.code == "not_secrecy_office"
    with pytest.raises(InvalidInput) as empty:
        start(people, unit, container=cabinet)
    assert empty.value.code == "empty_scope"
    assert not Stocktake.objects.exists() and not StocktakeLine.objects.exists()
    start(people, unit, container=safe)
    with pytest.raises(Conflict) as twice:
        start(people, unit, container=safe)
    assert twice.value.code == "stocktake_open"
    start(people, unit)  # another scope may run at the same time
    elsewhere = UnitFactory(code="OTHER")
    other_department = DepartmentFactory(unit=elsewhere)
    with pytest.raises(InvalidInput) as foreign:
        start(people, unit, department=other_department)
    assert foreign.value.code == "unknown_department"
    with pytest.raises(InvalidInput):
        start(people, unit, note="x" * 501)


# --- checking (rule C1) ----------------------------------------------------------------------


@pytest.mark.rule("C1")
def test_a_scanned_label_or_a_typed_number_finds_its_carrier(people, unit, register, safe):
    first, second, third = three_in(register, safe)
    stocktake = start(people, unit, container=safe)

    line = services.check_carrier(people["office"], stocktake, code=label_payload(first))
    assert (line.result, line.checked_by, line.carrier) == (
        LineResult.FOUND, people["office"], first)
    assert line.checked_at is not None
    services.check_carrier(people["office2"], stocktake, code=f"  {second.number.lower()} ",
                           note="在柜内")
    again = services.check_carrier(people["office"], stocktake, code=label_payload(first))
    assert again.result == LineResult.FOUND
    assert results(stocktake) == {first.number: "found", second.number: "found",
                                  third.number: "unchecked"}
    assert stocktake.lines.get(carrier=second).note == "在柜内"
    assert events("STOCKTAKE_CARRIER_CHECKED") == 2  # scanning twice changes nothing


@pytest.mark.rule("C1")
def test_a_code_not_on_the_list_is_a_difference(people, unit, register, safe, cabinet):
    on_list = register()
    elsewhere = register(container=cabinet)
    stocktake = start(people, unit, container=safe)
    for code in ("ZT-9999", label_payload(elsewhere), elsewhere.number,
                 f"BAOMI-ZT:OTHER:{on_list.number}", "BAOMI-ZT:"):
        with pytest.raises(RuleViolation) as refused:
            services.check_carrier(people["office"], stocktake, code=code)
        assert (refused.value.code, refused.value.rule) == ("not_on_list", "C1"), code
    assert results(stocktake) == {on_list.number: "unchecked"}
    assert events("STOCKTAKE_CARRIER_CHECKED") == 0
    for bad in ("", "   ", "x" * 301, None, 12):
        with pytest.raises(InvalidInput):
            services.check_carrier(people["office"], stocktake, code=bad)


@pytest.mark.rule("C1")
def test_results_by_hand(people, unit, register, safe):
    first, second, third = three_in(register, safe)
    stocktake = start(people, unit, container=safe)
    lines = {line.carrier_id: line for line in stocktake.lines.all()}
    services.mark_line(people["office"], lines[first.pk], result="found", note="借阅人处见到")
    marked = services.mark_line(people["office"], lines[second.pk], result="missing")
    assert marked.result == LineResult.MISSING and marked.checked_by == people["office"]
    back = services.mark_line(people["office"], lines[second.pk], result="unchecked")
    assert back.checked_at is None and back.checked_by is None
    services.mark_line(people["office"], lines[third.pk], result="missing", note="柜内无")
    assert results(stocktake) == {first.number: "found", second.number: "unchecked",
                                  third.number: "missing"}
    with pytest.raises(InvalidInput):
        services.mark_line(people["office"], lines[first.pk], result="lost")
    with pytest.raises(NotFound):
        services.mark_line(people["head"], lines[first.pk], result="found")
    assert events("STOCKTAKE_LINE_MARKED") == 4


# --- closing (rules C1, C8) ------------------------------------------------------------------


@pytest.mark.rule("C1")
def test_closing_turns_what_was_not_found_into_missing_carriers(people, unit, register, safe):
    first, second, third = three_in(register, safe)
    stocktake = start(people, unit, container=safe)
    services.check_carrier(people["office"], stocktake, code=label_payload(first))
    services.check_carrier(people["office"], stocktake, code=label_payload(second))

    result = services.close_stocktake(people["office2"], stocktake)

    assert result.found == 2 and result.not_moved == []
    [line] = result.missing
    assert line.carrier_id == third.pk and line.result == LineResult.MISSING
    case = MissingCase.objects.get()
    assert (case.carrier, case.source, case.stocktake, case.discovered_on, case.deadline,
            case.state, case.reported_by) == (
        third, MissingSource.STOCKTAKE, stocktake, today(), today() + 60 * DAY,
        MissingState.OPEN, people["office2"])
    assert StocktakeLine.objects.get(pk=line.pk).missing_case == case
    assert Carrier.objects.get(pk=third.pk).state == CarrierState.MISSING
    assert {c.state for c in Carrier.objects.filter(pk__in=[first.pk, second.pk])} == {
        CarrierState.IN_STORE}
    closed = Stocktake.objects.get(pk=stocktake.pk)
    assert (closed.state, closed.closed_by) == ("closed", people["office2"])
    assert closed.closed_at is not None
    event = AuditEvent.objects.get(action="STOCKTAKE_CLOSED")
    assert after(event)["found"] == 2 and after(event)["missing"] == [third.number]
    missing = AuditEvent.objects.get(action="CARRIER_MISSING")
    assert missing.object_id == str(third.pk) and after(missing)["case"] == case.pk

    with pytest.raises(Conflict) as closed_again:
        services.close_stocktake(people["office"], stocktake)
    assert closed_again.value.code == "illegal_transition"
    with pytest.raises(Conflict) as late:
        services.check_carrier(people["office"], stocktake, code=third.number)
    assert late.value.code == "stocktake_closed"
    with pytest.raises(Conflict):
        services.mark_line(people["office"], line, result="found")


@pytest.mark.rule("C1")
def test_a_carrier_reported_or_destroyed_during_the_stocktake(people, unit, register, safe):
    reported, destroyed, found = three_in(register, safe)
    stocktake = start(people, unit, container=safe)
    case = services.report_missing(people["office"], reported, discovered_on=today(),
                                   note="借阅人报告遗失")
    Carrier.objects.filter(pk=destroyed.pk).update(state=CarrierState.DESTROYED)
    services.check_carrier(people["office"], stocktake, code=found.number)

    result = services.close_stocktake(people["office"], stocktake)

    assert [line.carrier_id for line in result.missing] == [reported.pk]
    assert result.missing[0].missing_case == case  # the case reported, not a second one
    assert [line.carrier_id for line in result.not_moved] == [destroyed.pk]
    assert MissingCase.objects.count() == 1
    assert len(result.differences) == 2


@pytest.mark.rule("L4")
def test_a_work_secret_carrier_is_listed_without_a_state_level(people, unit, register, safe):
    work = register(scheme=Scheme.WORK, level=Level.SECRET, period_kind=PeriodKind.MONTHS,
                    period_value=6)
    stocktake = start(people, unit, container=safe)
    assert numbers(stocktake) == {work.number}
    assert stocktake.level == Level.NONSECRET
    assert Stocktake.objects.filter(pk=stocktake.pk).exists()
