"""Classified information systems (rules D2, D10, L5): registering one, its devices, its risk
assessments, the day the next one is due and the obligation raised when it is late; who sees
and who changes a system."""

import json
from datetime import date, timedelta

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.core.calendar import add_months
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Category, Level
from baomi.devices import services
from baomi.devices.models import ClassifiedSystem, RiskAssessment
from baomi.devices.rules_systems import risk_assessment_due
from baomi.devices.selectors_systems import systems_visible_to

from . import support
from .support import today

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)

LONG_AGO = date(2020, 3, 31)


@pytest.fixture
def register_system(people, unit):
    def make(actor=None, **overrides):
        fields = {"unit": unit, "name": "研发涉密网", "level": Level.CONFIDENTIAL,
                  "responsible": people["confidential"].person, "in_use_on": LONG_AGO,
                  **overrides}
        return services.register_system(actor or people["office"], **fields)

    return make


def assess(system, day, passed=True, findings="", actor=None, people=None):
    return services.record_assessment(actor or people["office"], system, assessed_on=day,
                                      assessor="测评中心", report_no="R-1", passed=passed,
                                      findings=findings)


def rows_on(day, system):
    return [row for row in risk_assessment_due(day) if row["subject_id"] == system.pk]


# --- registering and devices ----------------------------------------------------------------


@pytest.mark.rule("D10")
def test_register_with_devices_is_audited(people, register_system, register_device):
    desktop = register_device(level=Level.CONFIDENTIAL)
    top_desktop = register_device(level=Level.TOP_SECRET)
    system = register_system(devices=[desktop, top_desktop, desktop])
    assert set(system.devices.values_list("pk", flat=True)) == {desktop.pk, top_desktop.pk}
    event = AuditEvent.objects.get(action="SYSTEM_REGISTERED")
    assert json.loads(event.after)["devices"] == sorted([desktop.pk, top_desktop.pk])


@pytest.mark.rule("D2")
def test_a_device_below_the_system_is_refused(people, register_system, register_device):
    secret_desktop = register_device(level=Level.SECRET)
    with pytest.raises(RuleViolation) as refused:
        register_system(devices=[secret_desktop])
    assert refused.value.code == "device_below_system"
    assert not ClassifiedSystem.objects.exists()
    system = register_system()
    with pytest.raises(RuleViolation) as refused:
        services.add_system_device(people["office"], system, secret_desktop)
    assert refused.value.code == "device_below_system"
    same_level = register_device(level=Level.CONFIDENTIAL)  # the boundary: equal is fine
    services.add_system_device(people["office"], system, same_level)
    assert list(system.devices.all()) == [same_level]


@pytest.mark.rule("D2")
def test_add_twice_and_remove(people, register_system, register_device):
    system = register_system()
    desktop = register_device()
    services.add_system_device(people["office"], system, desktop)
    with pytest.raises(Conflict) as refused:
        services.add_system_device(people["office"], system, desktop)
    assert refused.value.code == "already_in_system"
    services.remove_system_device(people["office"], system, desktop)
    assert not system.devices.exists()
    with pytest.raises(InvalidInput) as refused:
        services.remove_system_device(people["office"], system, desktop)
    assert refused.value.code == "not_in_system"
    assert AuditEvent.objects.filter(action__in=["SYSTEM_DEVICE_ADDED",
                                                 "SYSTEM_DEVICE_REMOVED"]).count() == 2


@pytest.mark.rule("L5")
def test_the_responsible_person_is_cleared_for_the_level(people, register_system):
    with pytest.raises(RuleViolation) as refused:
        register_system(level=Level.TOP_SECRET)  # 何机密 is cleared 机密 only
    assert refused.value.code == "clearance"
    assert register_system(level=Level.CONFIDENTIAL).level == Level.CONFIDENTIAL


def test_a_device_of_another_unit_is_unknown(people, register_system, register_device,
                                            other_unit):
    theirs = register_device(actor=people["office2"], unit=other_unit,
                             department=support.DepartmentFactory(unit=other_unit),
                             responsible=people["office2"].person)
    with pytest.raises(InvalidInput) as refused:
        register_system(devices=[theirs])
    assert refused.value.code == "unknown_device"


@pytest.mark.parametrize("overrides, code", [
    ({"name": ""}, "required"),
    ({"name": "x" * 201}, "too_long"),
    ({"level": Level.NONSECRET}, "invalid"),
    ({"level": 7}, "invalid"),
    ({"level": True}, "invalid"),
    ({"in_use_on": "2024-01-01"}, "invalid"),
    ({"devices": "abc"}, "unknown_device"),
])
def test_bad_input_is_refused(register_system, overrides, code):
    with pytest.raises(InvalidInput) as refused:
        register_system(**overrides)
    assert refused.value.code == code
    assert not ClassifiedSystem.objects.exists()


def test_in_use_in_the_future_is_refused(register_system):
    with pytest.raises(InvalidInput) as refused:
        register_system(in_use_on=today() + timedelta(days=1))
    assert refused.value.code == "future_date"


def test_the_name_is_unique_in_the_unit(register_system):
    register_system()
    with pytest.raises(Conflict) as refused:
        register_system()
    assert refused.value.code == "name_exists"


# --- assessments ----------------------------------------------------------------------------


@pytest.mark.rule("D10")
def test_assessment_day_bounds(people, register_system):
    system = register_system(in_use_on=today() - timedelta(days=10))
    for day, code in [(today() + timedelta(days=1), "future_date"),
                      (today() - timedelta(days=11), "before_in_use")]:
        with pytest.raises(InvalidInput) as refused:
            assess(system, day, people=people)
        assert refused.value.code == code
    assess(system, today() - timedelta(days=10), people=people)  # the day it came into use
    assess(system, today(), people=people)
    assert RiskAssessment.objects.filter(system=system).count() == 2


@pytest.mark.rule("D10")
def test_a_failed_assessment_needs_findings(people, register_system):
    system = register_system()
    with pytest.raises(InvalidInput) as refused:
        assess(system, today(), passed=False, findings="  ", people=people)
    assert refused.value.code == "findings_required"
    failed = assess(system, today(), passed=False, findings="边界防护缺失", people=people)
    assert (failed.passed, failed.findings) == (False, "边界防护缺失")
    assert AuditEvent.objects.filter(action="RISK_ASSESSMENT_RECORDED").count() == 1


@pytest.mark.parametrize("field, value", [("assessor", ""), ("report_no", "x" * 101),
                                          ("passed", "yes")])
def test_bad_assessment_input(people, register_system, field, value):
    system = register_system()
    fields = {"assessed_on": today(), "assessor": "测评中心", "report_no": "R-1",
              "passed": True, field: value}
    with pytest.raises(InvalidInput):
        services.record_assessment(people["office"], system, **fields)
    assert not RiskAssessment.objects.exists()


# --- rule D10: the next assessment due and its obligation ---------------------------------------


@pytest.mark.rule("D10")
def test_never_assessed_is_due_from_the_day_in_use(people, register_system):
    system = register_system(in_use_on=LONG_AGO)
    assert services.next_assessment_due(system) == LONG_AGO
    assert services.assessment_overdue(system)
    [row] = rows_on(today(), system)
    assert (row["due_date"], row["severity"], row["level"]) == (LONG_AGO, "critical", 2)


@pytest.mark.rule("D10")
@pytest.mark.parametrize("level, months, responsible", [
    (Level.TOP_SECRET, 12, "top"),
    (Level.CONFIDENTIAL, 24, "confidential"),
    (Level.SECRET, 24, "secret"),
])
def test_due_months_after_the_last_assessment(people, register_system, level, months,
                                              responsible):
    system = register_system(level=level, responsible=people[responsible].person)
    assess(system, date(2021, 5, 10), people=people)
    assess(system, date(2022, 8, 31), people=people)  # the last one counts
    assess(system, date(2021, 9, 1), people=people)  # recorded late, older
    due = add_months(date(2022, 8, 31), months)
    assert services.next_assessment_due(system) == due
    assert services.assessment_months(system) == months
    [row] = rows_on(due, system)  # the due day itself: still in time
    assert (row["due_date"], row["severity"]) == (due, "warning")
    [row] = rows_on(due + timedelta(days=1), system)
    assert (row["due_date"], row["severity"]) == (due, "critical")


@pytest.mark.rule("D10")
def test_top_secret_at_13_months_is_late_confidential_is_not(people, register_system):
    top = register_system(name="绝密网", level=Level.TOP_SECRET,
                          responsible=people["top"].person)
    confidential = register_system(name="机密网")
    for system in (top, confidential):
        assess(system, date(2022, 1, 15), people=people)
    thirteen = add_months(date(2022, 1, 15), 13)
    assert [row["severity"] for row in rows_on(thirteen, top)] == ["critical"]
    assert rows_on(thirteen, confidential) == []  # due at 24 months, far ahead
    twenty_four = add_months(date(2022, 1, 15), 24)
    assert [row["due_date"] for row in rows_on(twenty_four, confidential)] == [twenty_four]


@pytest.mark.rule("D10")
def test_end_of_month_clamp(people, register_system):
    system = register_system(level=Level.TOP_SECRET, responsible=people["top"].person,
                             in_use_on=date(2019, 1, 1))
    assess(system, date(2023, 2, 28), people=people)
    assess(system, date(2023, 2, 28), people=people)
    due = date(2024, 2, 28)
    assert services.next_assessment_due(system) == due
    assert rows_on(due, system)[0]["severity"] == "warning"
    assert rows_on(date(2024, 2, 29), system)[0]["severity"] == "critical"


@pytest.mark.rule("D10")
def test_a_unit_policy_override_shortens_the_interval(people, register_system, unit):
    unit.policy_overrides = {"devices.risk_assessment_months.other": 12}
    unit.save()
    system = register_system()
    assess(system, date(2022, 6, 1), people=people)
    assert [row["due_date"] for row in rows_on(date(2023, 6, 2), system)] == [date(2023, 6, 1)]


@pytest.mark.rule("D10")
def test_the_rule_is_one_query(people, register_system, django_assert_max_num_queries):
    for index in range(5):
        system = register_system(name=f"系统{index}")
        assess(system, date(2020, 6, 1), people=people)
    with django_assert_max_num_queries(2):  # the units and their policies, then the systems
        assert len(list(risk_assessment_due(today()))) == 5


# --- access (rule L5) --------------------------------------------------------------------------


@pytest.fixture
def leader_important(make_user):
    return make_user("leader_important", roles=[Role.LEADER], category=Category.IMPORTANT)


@pytest.mark.rule("L5")
@pytest.mark.parametrize("who, sees_top, sees_confidential", [
    ("office", True, True),
    ("office_important", False, True),
    ("leader", True, True),
    ("leader_important", False, True),
    ("top", True, False),  # responsible of the 绝密 one only
    ("confidential", False, True),  # responsible of the 机密 one
    ("head", False, False),
    ("secret", False, False),
    ("office2", False, False),
    ("auditor", False, False),
])
def test_who_sees_which_system(people, register_system, leader_important, auditor, who,
                               sees_top, sees_confidential):
    top = register_system(name="绝密网", level=Level.TOP_SECRET,
                          responsible=people["top"].person)
    confidential = register_system(name="机密网")
    user = {**people, "leader_important": leader_important, "auditor": auditor}[who]
    seen = set(systems_visible_to(user).values_list("pk", flat=True))
    assert (top.pk in seen, confidential.pk in seen) == (sees_top, sees_confidential)


@pytest.mark.rule("L5")
def test_only_the_office_writes(people, register_system, register_device, unit):
    system = register_system()
    desktop = register_device()
    with pytest.raises(AccessDenied) as refused:
        services.add_system_device(people["leader"], system, desktop)
    assert refused.value.code == "not_secrecy_office"
    with pytest.raises(AccessDenied):
        assess(system, today(), actor=people["confidential"], people=people)
    with pytest.raises(NotFound):
        assess(system, today(), actor=people["office2"], people=people)
    with pytest.raises(AccessDenied):
        register_system(actor=people["leader"], name="另一个")
    with pytest.raises(RuleViolation) as refused:
        register_system(actor=people["office_important"], name="绝密网",
                        level=Level.TOP_SECRET, responsible=people["top"].person)
    assert refused.value.code == "above_clearance"
    assert not RiskAssessment.objects.exists()
