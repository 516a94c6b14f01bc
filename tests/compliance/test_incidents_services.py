"""Handling a leak incident (rules I1, I2, L5): reported by whoever discovered it, reported to
the 保密局 within 24 hours (late flagged), remedial measures, the four items of 四不放过, and
closing only when all is done; a closed incident is locked."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from baomi.audit.models import AuditEvent
from baomi.compliance import services_incidents as handling
from baomi.compliance.choices import IncidentState
from baomi.compliance.models import Incident, IncidentMeasure
from baomi.compliance.selectors import incidents_visible_to
from baomi.compliance.selectors_incidents import incidents_summary
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level

from . import incidents_support as support
from .incidents_support import ITEMS, ago

people, other_unit, reported, handled = (
    support.people, support.other_unit, support.reported, support.handled)


@pytest.mark.rule("I1")
def test_any_member_reports_and_the_office_sees_it_at_once(people, reported, unit):
    incident = reported()
    assert (incident.state, incident.created_by, incident.scheme) == (
        IncidentState.OPEN, people["staff"], "state")
    assert incident.discovered_on == timezone.localtime(incident.discovered_at).date()
    assert incident in incidents_visible_to(people["office"])
    assert incident not in incidents_visible_to(people["staff"])
    assert AuditEvent.objects.filter(action="INCIDENT_REPORTED").count() == 1


@pytest.mark.rule("I1")
def test_a_report_is_checked(people, reported, unit):
    with pytest.raises(InvalidInput) as caught:
        reported(discovered_at=timezone.now() + dt.timedelta(minutes=5))
    assert caught.value.code == "in_future"
    cases = [{"discovered_at": dt.datetime(2026, 1, 1, 8)},  # naive
             {"discovered_at": "2026-01-01T08:00"}, {"kind": "fire"}, {"level": 9},
             {"title": ""}, {"title": "a\x00b"}, {"description": "x" * 4001}]
    for overrides in cases:
        with pytest.raises(InvalidInput) as caught:
            reported(**overrides)
        assert set(caught.value.fields) == set(overrides), overrides
    with pytest.raises(AccessDenied) as caught:
        reported(people["office2"])
    assert caught.value.code == "not_in_unit"
    assert Incident.objects.count() == 0


@pytest.mark.rule("L5")
def test_a_reporter_labels_up_to_their_clearance(people, reported):
    assert reported(level=Level.SECRET).level == Level.SECRET
    with pytest.raises(AccessDenied) as caught:
        reported(level=Level.CONFIDENTIAL)
    assert caught.value.code == "not_cleared"
    assert reported(people["none"], level=Level.NONSECRET).level == Level.NONSECRET
    with pytest.raises(AccessDenied):
        reported(people["none"], level=Level.SECRET)


@pytest.mark.rule("I1")
@pytest.mark.parametrize(("minutes", "late"), [(24 * 60, False), (24 * 60 + 1, True)])
def test_the_report_is_due_within_24_hours(people, reported, minutes, late):
    discovered = ago(days=3)
    incident = reported(discovered_at=discovered)
    done = handling.record_bureau_report(
        people["office"], incident, reported_at=discovered + dt.timedelta(minutes=minutes),
        reported_to="市国家保密局")
    assert done.state == IncidentState.INVESTIGATING and done.reported_by == people["office"]
    fresh = Incident.objects.get(pk=incident.pk)
    assert fresh.reported_late is late
    assert fresh.report_due_at == discovered + dt.timedelta(hours=24)
    event = AuditEvent.objects.get(action="INCIDENT_BUREAU_REPORTED")
    assert json.loads(event.after)["late"] is late


@pytest.mark.rule("I1")
def test_a_bureau_report_is_checked(people, reported):
    incident = reported(discovered_at=ago(days=2))
    office = people["office"]
    cases = [({"reported_at": ago(days=3)}, "before_discovery"),
             ({"reported_at": timezone.now() + dt.timedelta(hours=1)}, "in_future"),
             ({"reported_to": ""}, None), ({"reported_to": "x" * 201}, None)]
    for overrides, code in cases:
        fields = {"reported_at": ago(days=1), "reported_to": "市国家保密局", **overrides}
        with pytest.raises(InvalidInput) as caught:
            handling.record_bureau_report(office, incident, **fields)
        assert set(caught.value.fields) == set(overrides), overrides
        assert code is None or caught.value.code == code
    for actor in (people["staff"], people["leader"], people["office2"]):
        with pytest.raises(AccessDenied) as caught:
            handling.record_bureau_report(actor, incident, reported_at=ago(days=1),
                                          reported_to="市国家保密局")
        assert caught.value.code == "not_secrecy_office"
    handling.record_bureau_report(office, incident, reported_at=ago(days=1),
                                  reported_to="市国家保密局")
    with pytest.raises(Conflict) as caught:  # reported once
        handling.record_bureau_report(office, incident, reported_at=ago(hours=1),
                                      reported_to="上级单位")
    assert caught.value.code == "illegal_transition"


@pytest.mark.rule("L5")
def test_a_secret_cleared_office_neither_sees_nor_handles_a_confidential_incident(
        people, reported):
    confidential = reported(people["office"], level=Level.CONFIDENTIAL)
    secret = reported()
    officer = people["office_secret"]
    visible = set(incidents_visible_to(officer))
    assert secret in visible and confidential not in visible
    assert not handling.can_handle(officer, confidential)
    with pytest.raises(AccessDenied):
        handling.add_measure(officer, confidential, taken_at=ago(hours=1), measure="封存")
    handling.add_measure(officer, secret, taken_at=ago(hours=1), measure="封存")


@pytest.mark.rule("I1")
def test_measures_are_recorded_in_any_state_but_closed(people, reported):
    incident = reported()
    office = people["office"]
    first = handling.add_measure(office, incident, taken_at=ago(hours=40), measure="删除照片")
    assert (first.taken_by, first.measure) == (office, "删除照片")
    for bad in ({"measure": ""}, {"measure": "x" * 2001},
                {"taken_at": timezone.now() + dt.timedelta(hours=1)}, {"taken_at": None}):
        fields = {"taken_at": ago(hours=1), "measure": "封存", **bad}
        with pytest.raises(InvalidInput):
            handling.add_measure(office, incident, **fields)
    with pytest.raises(NotFound):
        handling.add_measure(office, Incident(pk=None), taken_at=ago(hours=1), measure="x")
    assert AuditEvent.objects.filter(action="INCIDENT_MEASURE_ADDED").count() == 1


@pytest.mark.rule("I2")
def test_the_four_items_are_recorded_one_by_one(people, reported):
    incident = reported()
    office = people["office"]
    day = timezone.localdate() - dt.timedelta(days=1)
    done = handling.record_investigation(office, incident, cause="保密意识淡薄", on=day)
    assert (done.cause, done.cause_on, done.responsibility) == ("保密意识淡薄", day, "")
    assert handling.missing_items(done) == [
        str(handling.FOUR_ITEMS[name]) for name in ("responsibility", "rectification",
                                                    "education")]
    with pytest.raises(InvalidInput) as caught:
        handling.record_investigation(office, incident)
    assert caught.value.code == "nothing_given"
    for bad in ({"cause": ""}, {"education": "x" * 4001},
                {"cause": "x", "on": timezone.localdate() + dt.timedelta(days=1)},
                {"cause": "x", "on": "2026-01-01"}):
        with pytest.raises(InvalidInput):
            handling.record_investigation(office, incident, **bad)
    replaced = handling.record_investigation(office, incident, cause="违规拍摄")
    assert (replaced.cause, replaced.cause_on) == ("违规拍摄", timezone.localdate())


@pytest.mark.rule("I2")
def test_closing_needs_the_report_all_four_items_and_a_measure(people, reported):
    office = people["office"]
    incident = reported()
    with pytest.raises(RuleViolation) as caught:
        handling.close_incident(office, incident)
    assert caught.value.code == "not_reported"
    handling.record_bureau_report(office, incident, reported_at=ago(days=1),
                                  reported_to="市国家保密局")
    for missing in ITEMS:
        handling.record_investigation(office, incident, **{
            name: text for name, text in ITEMS.items() if name != missing})
        Incident.objects.filter(pk=incident.pk).update(**{missing: ""})
        with pytest.raises(RuleViolation) as caught:
            handling.close_incident(office, incident)
        assert caught.value.code == "four_not_done"
        assert str(handling.FOUR_ITEMS[missing]) in caught.value.message
    handling.record_investigation(office, incident, **ITEMS)
    with pytest.raises(RuleViolation) as caught:
        handling.close_incident(office, incident)
    assert caught.value.code == "no_measure"
    handling.add_measure(office, incident, taken_at=ago(hours=3), measure="删除照片")
    closed = handling.close_incident(office, incident)
    assert (closed.state, closed.closed_on, closed.closed_by) == (
        IncidentState.CLOSED, timezone.localdate(), office)
    assert AuditEvent.objects.filter(action="INCIDENT_CLOSED").count() == 1


@pytest.mark.rule("I2")
def test_a_closed_incident_refuses_every_change(people, handled):
    office = people["office"]
    incident = handling.close_incident(office, handled())
    attempts = [
        lambda: handling.close_incident(office, incident),
        lambda: handling.add_measure(office, incident, taken_at=ago(hours=1), measure="x"),
        lambda: handling.record_investigation(office, incident, cause="x"),
        lambda: handling.record_bureau_report(office, incident, reported_at=ago(hours=1),
                                              reported_to="x"),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict) as caught:
            attempt()
        assert caught.value.code == "closed"
    assert handling.close_refusal(incident).code == "closed"
    assert IncidentMeasure.objects.filter(incident=incident).count() == 1


@pytest.mark.rule("I1")
def test_the_yearly_summary_counts_by_kind_state_and_late_report(people, reported, handled,
                                                                 unit, other_unit):
    office = people["office"]
    discovered = ago(days=3)
    late = reported(discovered_at=discovered, kind="leak")
    handling.record_bureau_report(office, late, reported_at=discovered + dt.timedelta(
        hours=24, minutes=1), reported_to="市国家保密局")
    on_time = reported(discovered_at=discovered)
    handling.record_bureau_report(office, on_time, reported_at=discovered + dt.timedelta(
        hours=24), reported_to="市国家保密局")
    handling.close_incident(office, handled())
    reported(people["office"], level=Level.TOP_SECRET)
    year = timezone.localdate().year
    summary = incidents_summary(unit, year)
    assert (summary.total, summary.leaks, summary.suspected) == (4, 1, 3)
    assert (summary.open, summary.investigating, summary.closed) == (1, 2, 1)
    assert (summary.reported, summary.reported_late) == (3, 1)
    assert summary.by_level == {Level.SECRET: 3, Level.TOP_SECRET: 1}
    assert incidents_summary(other_unit, year).total == 0
    assert incidents_summary(unit, year - 1).total == 0
