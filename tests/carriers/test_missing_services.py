"""Carriers whose whereabouts are unknown (下落不明, rule C8): reported at once, traced until the
deadline — 10 calendar days after discovery for 绝密, 60 for 机密 and 秘密 — and handled as a
leak incident (rule I1) the day after; found again, back in store."""

import json

import pytest

from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.carriers.choices import CarrierState
from baomi.carriers.models import Carrier, MissingCase
from baomi.carriers.models.stocktake import MissingSource, MissingState
from baomi.carriers.rules_stocktake import missing_open
from baomi.compliance.models import Incident
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from baomi.core.labels import Level, Scheme
from baomi.obligations.models import Obligation
from baomi.obligations.registry import Severity, all_jobs, get_rule
from baomi.obligations.services import run_sweep
from baomi.secrets.choices import PeriodKind

from . import stocktake_support as support
from .stocktake_support import DAY, patched_today, today

(cabinet, item, keeper, office_m, people, register, safe, yf1) = (
    support.cabinet, support.item, support.keeper, support.office_m, support.people,
    support.register, support.safe, support.yf1)

TOP = {"level": Level.TOP_SECRET, "period_kind": PeriodKind.YEARS, "period_value": 30}


def report(people, carrier, day=None, who="office", note="清点时未找到"):
    return services.report_missing(people[who], carrier, discovered_on=day or today(),
                                   note=note)


def fresh(case):
    return MissingCase.objects.select_related("carrier", "incident").get(pk=case.pk)


# --- the deadline (rule C8) ------------------------------------------------------------------


@pytest.mark.rule("C8")
def test_top_secret_is_a_case_on_day_10_and_a_leak_on_day_11(people, unit, register, safe):
    carrier = register(**TOP)
    discovered = today() + 5 * DAY  # the stocktake closes on a day to come
    stocktake = services.start_stocktake(people["office"], unit=unit, container=safe)
    with patched_today(discovered):
        services.close_stocktake(people["office"], stocktake)
    case = MissingCase.objects.get()
    assert (case.discovered_on, case.deadline) == (discovered, discovered + 10 * DAY)

    assert services.missing_to_incident(discovered + 10 * DAY) == 0
    assert fresh(case).state == MissingState.OPEN and not Incident.objects.exists()

    assert services.missing_to_incident(discovered + 11 * DAY) == 1
    case = fresh(case)
    incident = case.incident
    assert case.state == MissingState.INCIDENT
    assert (incident.kind, incident.scheme, incident.level, incident.discovered_on,
            incident.created_on, incident.state, incident.unit_id, incident.created_by) == (
        "leak", Scheme.STATE, Level.TOP_SECRET, discovered, discovered + 11 * DAY, "open",
        unit.pk, None)
    assert (incident.source_type, incident.source_id) == ("carriers.carrier", carrier.pk)
    assert carrier.number in incident.source_label and carrier.number in incident.title
    assert Carrier.objects.get(pk=carrier.pk).state == CarrierState.MISSING
    assert AuditEvent.objects.filter(action="MISSING_CARRIER_INCIDENT").count() == 1
    assert AuditEvent.objects.filter(action="INCIDENT_RECORDED").count() == 1
    assert services.missing_to_incident(discovered + 12 * DAY) == 0  # once only


@pytest.mark.rule("C8")
@pytest.mark.parametrize("level", [Level.CONFIDENTIAL, Level.SECRET])
def test_confidential_and_secret_are_cases_on_day_60_and_leaks_on_day_61(people, register,
                                                                          level):
    carrier = register(level=level, period_kind=PeriodKind.YEARS, period_value=10)
    case = report(people, carrier)
    assert case.deadline == today() + 60 * DAY and case.source == MissingSource.REPORT
    assert services.missing_to_incident(today() + 60 * DAY) == 0
    assert fresh(case).state == MissingState.OPEN
    assert services.missing_to_incident(today() + 61 * DAY) == 1
    assert fresh(case).incident.level == level


@pytest.mark.rule("L4")
def test_a_work_secret_carrier_has_the_other_period(people, register):
    carrier = register(scheme=Scheme.WORK, level=Level.SECRET, period_kind=PeriodKind.MONTHS,
                       period_value=6)
    case = report(people, carrier)
    assert case.deadline == today() + 60 * DAY
    services.missing_to_incident(today() + 61 * DAY)
    assert fresh(case).incident.scheme == Scheme.WORK


@pytest.mark.rule("C8")
def test_the_periods_come_from_the_unit_policy(people, unit, register):
    unit.policy_overrides = {"carriers.missing_incident_days.top_secret": 5,
                             "carriers.missing_incident_days.other": 30}
    unit.save(update_fields=["policy_overrides"])
    assert report(people, register(**TOP)).deadline == today() + 5 * DAY
    assert report(people, register()).deadline == today() + 30 * DAY


@pytest.mark.rule("C8")
def test_reported_after_the_deadline_it_is_a_leak_at_once(people, register):
    carrier = register(received_on=today() - 100 * DAY)
    case = report(people, carrier, day=today() - 61 * DAY, note="年初借出后一直未归还")
    case = fresh(case)
    assert case.state == MissingState.INCIDENT
    assert case.incident.created_by == people["office"]
    assert case.incident.discovered_on == today() - 61 * DAY
    assert "年初借出后一直未归还" in case.incident.description
    assert "报告遗失" in case.incident.description  # data, in Chinese whatever the language
    on_the_day = report(people, register(received_on=today() - 100 * DAY),
                        day=today() - 60 * DAY)
    assert fresh(on_the_day).state == MissingState.OPEN  # its last day is today


# --- reporting -------------------------------------------------------------------------------


@pytest.mark.rule("C8")
def test_a_report_sets_the_carrier_missing_with_its_circumstances(people, register, item):
    carrier = register()
    case = report(people, carrier, note="会后清点发现缺失")
    assert Carrier.objects.get(pk=carrier.pk).state == CarrierState.MISSING
    assert (case.unit_id, case.reported_by, case.note, case.state, case.stocktake) == (
        carrier.unit_id, people["office"], "会后清点发现缺失", MissingState.OPEN, None)
    event = AuditEvent.objects.get(action="CARRIER_MISSING")
    assert json.loads(event.after)["deadline"] == case.deadline.isoformat()
    assert event.reason == "会后清点发现缺失"


@pytest.mark.rule("C8")
def test_a_report_is_refused_when_it_cannot_be_true(people, register, item):
    carrier = register(received_on=today() - 3 * DAY)
    with pytest.raises(InvalidInput) as future:
        report(people, carrier, day=today() + DAY)
    assert future.value.code == "future_date"
    with pytest.raises(InvalidInput) as early:
        report(people, carrier, day=today() - 4 * DAY)
    assert early.value.code == "before_received"
    with pytest.raises(InvalidInput):
        report(people, carrier, note="")
    with pytest.raises(InvalidInput):
        services.report_missing(people["office"], carrier, discovered_on="2026-01-01",
                                note="x")
    with pytest.raises(AccessDenied):  # the head sees it but keeps no ledger
        report(people, carrier, who="head")
    with pytest.raises(NotFound):  # outside the scope of its item: not even seen
        report(people, carrier, who="outsider")
    report(people, carrier)
    with pytest.raises(Conflict) as twice:
        report(people, carrier)
    assert twice.value.code == "already_missing"
    destroyed = register()
    Carrier.objects.filter(pk=destroyed.pk).update(state=CarrierState.DESTROYED)
    with pytest.raises(Conflict) as gone:
        report(people, destroyed)
    assert gone.value.code == "illegal_transition"
    assert MissingCase.objects.count() == 1


# --- found again -----------------------------------------------------------------------------


@pytest.mark.rule("C8")
def test_found_again_it_is_back_in_store(people, register):
    carrier = register()
    case = report(people, carrier)
    found = services.record_found(people["office2"], case, found_on=today(),
                                  note="夹在其他文件中")
    assert (found.state, found.found_on, found.found_by, found.found_note) == (
        MissingState.FOUND, today(), people["office2"], "夹在其他文件中")
    assert Carrier.objects.get(pk=carrier.pk).state == CarrierState.IN_STORE
    assert services.missing_to_incident(today() + 61 * DAY) == 0
    with pytest.raises(Conflict):
        services.record_found(people["office"], case, found_on=today(), note="再次")
    report(people, carrier)  # lost again later: a new case
    assert MissingCase.objects.filter(carrier=carrier).count() == 2


@pytest.mark.rule("C8")
def test_found_is_refused_before_it_was_missed_and_for_others(people, register):
    carrier = register(received_on=today() - 10 * DAY)
    case = report(people, carrier, day=today() - 2 * DAY)
    with pytest.raises(InvalidInput) as early:
        services.record_found(people["office"], case, found_on=today() - 3 * DAY, note="x")
    assert early.value.code == "before_discovered"
    with pytest.raises(InvalidInput):
        services.record_found(people["office"], case, found_on=today() + DAY, note="x")
    with pytest.raises(NotFound):
        services.record_found(people["head"], case, found_on=today(), note="x")
    assert fresh(case).state == MissingState.OPEN


@pytest.mark.rule("I2")
def test_found_after_it_became_a_leak_the_incident_stays(people, register):
    carrier = register()
    case = report(people, carrier)
    services.missing_to_incident(today() + 61 * DAY)
    incident = fresh(case).incident
    with patched_today(today() + 62 * DAY):
        found = services.record_found(people["office"], case, found_on=today() + 62 * DAY,
                                      note="档案室角落")
    assert found.state == MissingState.FOUND and found.incident_id == incident.pk
    assert Carrier.objects.get(pk=carrier.pk).state == CarrierState.IN_STORE
    assert Incident.objects.get(pk=incident.pk).state == "open"
    event = AuditEvent.objects.get(action="CARRIER_FOUND")
    assert json.loads(event.after)["incident"] == incident.pk


# --- the obligation and the daily job (rule C8) ----------------------------------------------


@pytest.mark.rule("C8")
def test_an_open_case_is_a_critical_obligation_of_the_office_until_its_deadline(people,
                                                                                register):
    assert get_rule("carriers.missing_open").rule_id == "C8"
    assert "carriers.missing_to_incident" in dict(all_jobs())
    top = register(**TOP)
    case = report(people, top)
    [row] = list(missing_open(today()))
    assert row == {"subject_type": "carriers.missingcase", "subject_id": case.pk,
                   "subject_label": f"{top.number} {top.title}", "unit_id": top.unit_id,
                   "responsible_id": None, "due_date": today() + 10 * DAY,
                   "severity": Severity.CRITICAL, "level": Level.TOP_SECRET}
    work = register(scheme=Scheme.WORK, level=Level.SECRET, period_kind=PeriodKind.MONTHS,
                    period_value=6)
    report(people, work)
    assert {row["subject_label"].split()[0]: row["level"] for row in missing_open(today())} == {
        top.number: Level.TOP_SECRET, work.number: 0}


@pytest.mark.rule("C8")
def test_the_sweep_records_the_leak_and_closes_the_obligation(people, register):
    case = report(people, register(**TOP))
    run_sweep(today())
    assert Obligation.objects.get(rule_code="carriers.missing_open").state == "open"
    run_sweep(today() + 11 * DAY)
    assert fresh(case).state == MissingState.INCIDENT
    assert Obligation.objects.get(rule_code="carriers.missing_open").state != "open"


@pytest.mark.rule("C8")
def test_a_carrier_on_loan_missed_at_a_stocktake_and_then_returned(people, unit, register,
                                                                   safe, item):
    from .service_support import approved_loan

    carrier = register(secret_item=item)
    loan = services.hand_out(people["office"], approved_loan(people, carrier))
    stocktake = services.start_stocktake(people["office"], unit=unit, container=safe)
    services.close_stocktake(people["office"], stocktake)  # not seen: missing
    case = MissingCase.objects.get(carrier=carrier)
    services.return_loan(people["office"], loan)  # the borrower brings it back
    assert Carrier.objects.get(pk=carrier.pk).state == CarrierState.IN_STORE
    assert list(missing_open(today())) == []  # nothing left to trace
    assert services.missing_to_incident(today() + 61 * DAY) == 0  # and no leak
    closed = fresh(case)  # the case closes as found by the return
    assert (closed.state, closed.found_on, closed.found_by_id) == (
        MissingState.FOUND, today(), people["office"].pk)
    assert AuditEvent.objects.filter(action="CARRIER_FOUND").count() == 1
