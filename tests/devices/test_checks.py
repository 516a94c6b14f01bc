"""Checks of classified devices (rules D3, D11, L5): recording one with an approved tool and
the network attestation, the findings it opens, the suspected leak a connection or wireless
hardware records, the sign-offs of checker, user and department head, the rectification
cycle and the scan report."""

import json
from datetime import date, timedelta

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance.models import Incident
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Category, Level
from baomi.devices import services
from baomi.devices.checklist import CHECK_ITEMS
from baomi.devices.choices import DeviceKind, DeviceState, FindingState
from baomi.devices.models import CheckFinding, CheckSignOff, Device, DeviceCheck
from baomi.devices.selectors_checks import checks_visible_to, findings_visible_to

from . import checks_support, support
from .checks_support import CHECKED_ON, IN_USE_ON, ITEMS_OK, items_with, sign_all
from .support import today

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)
device, record = checks_support.device, checks_support.record


def refused(kind, action):
    with pytest.raises(kind) as caught:
        action()
    return caught.value


# --- recording a check (rule D11) -------------------------------------------------------------


@pytest.mark.rule("D11")
def test_a_passed_check_keeps_every_item_and_is_audited(people, device, record):
    check = record(note="例行检查")
    assert check.passed and check.attested
    assert [r["item"] for r in check.items] == [item.key for item in CHECK_ITEMS]
    assert all(r["ok"] for r in check.items)
    assert not CheckFinding.objects.exists() and not Incident.objects.exists()
    after = json.loads(AuditEvent.objects.get(action="DEVICE_CHECKED").after)
    assert after["tool"] == "涉密计算机检查工具" and after["findings"] == []
    assert after["incident"] is None


@pytest.mark.rule("D11")
@pytest.mark.parametrize("field", ["tool", "tool_version"])
def test_the_tool_and_its_version_are_required(record, field):
    error = refused(InvalidInput, lambda: record(**{field: "  "}))
    assert error.code == "required" and field in error.fields
    assert not DeviceCheck.objects.exists()


@pytest.mark.rule("L5")
def test_the_checker_is_cleared_for_the_level(people, record):
    error = refused(RuleViolation, lambda: record(checker=people["secret"].person))
    assert error.code == "clearance" and "checker" in error.fields
    assert record(checker=people["confidential"].person).checker == people["confidential"].person


def test_the_checker_is_a_person_of_the_unit(people, record):
    error = refused(InvalidInput, lambda: record(checker=people["office2"].person))
    assert error.code == "unknown_person"


@pytest.mark.rule("D11")
def test_the_dates_of_a_check(record):
    assert refused(InvalidInput, lambda: record(checked_on=today() + timedelta(days=1))
                   ).code == "future_date"
    assert refused(InvalidInput, lambda: record(checked_on=IN_USE_ON - timedelta(days=1))
                   ).code == "before_in_use"
    assert record(checked_on=IN_USE_ON).checked_on == IN_USE_ON  # the boundary


@pytest.mark.rule("D11")
def test_only_classified_devices_in_the_unit_are_checked(people, register_device, device,
                                                         record):
    nonsecret = register_device(level=Level.NONSECRET, in_use_on=IN_USE_ON)
    assert refused(RuleViolation, lambda: record(device=nonsecret)).code == "not_classified"
    Device.objects.filter(pk=device.pk).update(state=DeviceState.RETIRED)
    assert refused(RuleViolation, lambda: record()).code == "locked"
    Device.objects.filter(pk=device.pk).update(state=DeviceState.AWAY)
    assert refused(RuleViolation, lambda: record()).code == "away"
    Device.objects.filter(pk=device.pk).update(state=DeviceState.IDLE)
    assert record().passed
    secret_printer = register_device(level=Level.SECRET, kind=DeviceKind.PRINTER,
                                     in_use_on=IN_USE_ON)
    assert record(device=secret_printer).passed


@pytest.mark.rule("L5")
def test_who_records_a_check(people, device, record, sysadmin, register_device):
    assert refused(NotFound, lambda: record(actor=people["office2"])).code == "not_found"
    assert refused(NotFound, lambda: record(actor=people["secret"])).code == "not_found"
    assert refused(AccessDenied, lambda: record(actor=people["head"])
                   ).code == "not_secrecy_office"
    assert refused(AccessDenied, lambda: record(actor=sysadmin)).code == "no_business_role"
    # The 保密办 cleared 机密 checks a 机密 device but never sees a 绝密 one.
    assert record(actor=people["office_important"]).passed
    top = register_device(level=Level.TOP_SECRET, in_use_on=IN_USE_ON)
    assert refused(NotFound, lambda: record(actor=people["office_important"], device=top)
                   ).code == "not_found"
    assert not DeviceCheck.objects.filter(device=top).exists()


@pytest.mark.rule("D11")
@pytest.mark.parametrize("items, code", [
    ("level_label", "invalid_items"),
    ([{"item": "nothing", "ok": True}], "invalid_items"),
    ([{"item": "password", "ok": "yes"}], "invalid_items"),
    ([*ITEMS_OK, ITEMS_OK[0]], "invalid_items"),
    (ITEMS_OK[1:], "items_incomplete"),
    ([*ITEMS_OK, {"item": "no_wireless", "ok": False}], "attestation_mismatch"),
])
def test_bad_items_are_refused(record, items, code):
    assert refused(InvalidInput, lambda: record(items=items)).code == code
    assert not DeviceCheck.objects.exists()


@pytest.mark.rule("D11")
def test_an_item_not_met_becomes_a_finding_of_the_responsible(people, device, record, unit):
    unit.policy_overrides = {"devices.finding_days": 10}
    unit.save(update_fields=["policy_overrides"])
    check = record(items=items_with(no_unrelated_software="装有游戏软件", password="口令过短"))
    assert not check.passed and check.attested
    findings = list(CheckFinding.objects.filter(check_record=check).order_by("id"))
    assert len(findings) == 2
    assert {f.owner for f in findings} == {people["top"].person}
    assert {f.due_on for f in findings} == {CHECKED_ON + timedelta(days=10)}
    assert "装有游戏软件" in findings[1].description and findings[0].state == FindingState.OPEN


@pytest.mark.rule("D11")
def test_extra_findings_with_their_owner_and_due_day(people, device, record):
    due = CHECKED_ON + timedelta(days=5)
    check = record(findings=[{"description": "机箱封条破损", "owner": people["confidential"].person,
                              "due_on": due},
                             {"description": "显示器正对窗口"}])
    assert check.passed  # every item met: the extra findings are observations besides
    owners = dict(CheckFinding.objects.values_list("description", "owner"))
    assert owners == {"机箱封条破损": people["confidential"].person.pk,
                      "显示器正对窗口": people["top"].person.pk}
    assert CheckFinding.objects.get(description="机箱封条破损").due_on == due


@pytest.mark.rule("L5")
@pytest.mark.parametrize("finding, error, code", [
    ({"description": "x", "owner": "secret"}, RuleViolation, "clearance"),
    ({"description": "x", "due_on": CHECKED_ON - timedelta(days=1)}, InvalidInput,
     "due_out_of_range"),
    ({"description": "x", "due_on": CHECKED_ON + timedelta(days=366)}, InvalidInput,
     "due_out_of_range"),
    ({"description": ""}, InvalidInput, "required"),
])
def test_bad_extra_findings_leave_nothing(people, record, finding, error, code):
    if "owner" in finding:
        finding = {**finding, "owner": people[finding["owner"]].person}
    assert refused(error, lambda: record(findings=[finding])).code == code
    assert not DeviceCheck.objects.exists() and not CheckFinding.objects.exists()


# --- rule D3: the network attestation -------------------------------------------------------


@pytest.mark.rule("D3")
def test_wireless_hardware_records_a_suspected_leak(people, device, record):
    check = record(no_wireless=False)
    assert not check.passed and not check.attested
    incident = Incident.objects.get()
    assert (incident.kind, incident.level, incident.source_type, incident.source_id,
            incident.source_label) == ("suspected_leak", Level.CONFIDENTIAL,
                                       "devices.devicecheck", check.pk, device.number)
    assert incident.discovered_on == CHECKED_ON
    finding = CheckFinding.objects.get()
    assert finding.owner == people["top"].person
    after = json.loads(AuditEvent.objects.get(action="DEVICE_CHECKED").after)
    assert after["incident"] == incident.pk and after["findings"] == [finding.pk]


@pytest.mark.rule("D3")
def test_an_internet_connection_records_a_suspected_leak(record):
    check = record(no_internet=False)
    assert Incident.objects.get().source_id == check.pk
    assert CheckFinding.objects.count() == 1


@pytest.mark.rule("D3")
def test_ports_not_sealed_is_a_finding_not_an_incident(record):
    check = record(ports_sealed=False)
    assert not check.passed and not check.attested
    assert CheckFinding.objects.count() == 1 and not Incident.objects.exists()


@pytest.mark.rule("D3")
def test_the_attestation_items_agree_with_the_flags(record):
    agreeing = [*ITEMS_OK, {"item": "ports_sealed", "ok": False, "note": "USB口封条缺失"}]
    check = record(ports_sealed=False, items=agreeing)
    assert "USB口封条缺失" in CheckFinding.objects.get(check_record=check).description


# --- rule D11: the sign-offs -------------------------------------------------------------------


def sign(people, check, role, who, signed_on=CHECKED_ON):
    return services.sign_check(people["office"], check, role=role, person=people[who].person,
                               signed_on=signed_on)


@pytest.mark.rule("D11")
def test_three_signatures_make_a_signed_check(people, record):
    check = record()
    assert not services.is_signed(check)
    sign_all(check, people)
    assert services.is_signed(check) and services.signed_roles(check) == {
        "checker", "user", "head"}
    assert AuditEvent.objects.filter(action="DEVICE_CHECK_SIGNED").count() == 3


@pytest.mark.rule("D11")
@pytest.mark.parametrize("role, who, code", [
    ("checker", "confidential", "not_the_checker"),
    ("user", "office", "not_a_device_user"),
    ("head", "confidential", "not_the_department_head"),
    ("head", "office", "not_the_department_head"),
])
def test_the_wrong_person_for_a_role_is_refused(people, record, role, who, code):
    check = record()
    assert refused(RuleViolation, lambda: sign(people, check, role, who)).code == code
    assert not CheckSignOff.objects.exists()


@pytest.mark.rule("D11")
def test_the_responsible_person_signs_as_the_user(people, record):
    assert sign(people, record(), "user", "top").role == "user"


@pytest.mark.rule("D11")
def test_the_head_of_another_department_is_refused(people, record, make_user, unit):
    other = make_user("head2", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE)
    check = record()
    error = refused(RuleViolation, lambda: services.sign_check(
        people["office"], check, role="head", person=other.person, signed_on=CHECKED_ON))
    assert error.code == "not_the_department_head"


@pytest.mark.rule("D11")
def test_one_signature_per_role(people, record):
    check = record()
    sign(people, check, "user", "confidential")
    assert refused(Conflict, lambda: sign(people, check, "user", "top")).code == "already_signed"
    assert CheckSignOff.objects.count() == 1


@pytest.mark.rule("D11")
def test_sign_off_dates_and_roles(people, record):
    check = record()
    assert refused(InvalidInput, lambda: sign(people, check, "user", "confidential",
                                              CHECKED_ON - timedelta(days=1))
                   ).code == "before_check"
    assert refused(InvalidInput, lambda: sign(people, check, "owner", "confidential")
                   ).code == "invalid"
    assert sign(people, check, "user", "confidential", CHECKED_ON).signed_on == CHECKED_ON


@pytest.mark.rule("L5")
def test_a_signer_below_the_level_is_refused(people, record, make_user, yf1):
    low_head = make_user("head_low", roles=[Role.DEPARTMENT_HEAD], category=Category.GENERAL,
                         department_=yf1)
    check = record()
    error = refused(RuleViolation, lambda: services.sign_check(
        people["office"], check, role="head", person=low_head.person, signed_on=CHECKED_ON))
    assert error.code == "clearance"


@pytest.mark.rule("L5")
def test_only_the_office_records_sign_offs(people, record):
    check = record()
    error = refused(AccessDenied, lambda: services.sign_check(
        people["head"], check, role="head", person=people["head"].person, signed_on=CHECKED_ON))
    assert error.code == "not_secrecy_office"
    assert refused(NotFound, lambda: services.sign_check(
        people["office2"], check, role="head", person=people["head"].person,
        signed_on=CHECKED_ON)).code == "not_found"


# --- rectification items ----------------------------------------------------------------------


@pytest.fixture
def finding(record):
    record(items=items_with(usage_log="3月记录缺失"))
    return CheckFinding.objects.get()


def rectify(people, finding, who="top", day=CHECKED_ON + timedelta(days=3)):
    return services.record_rectification(people[who], finding, rectified_on=day,
                                         rectification="补登使用记录")


@pytest.mark.rule("Q10")
def test_the_rectification_cycle_with_a_failed_re_check(people, finding, unit):
    rectify(people, finding)
    assert finding.state == FindingState.RECTIFIED
    failed_on = CHECKED_ON + timedelta(days=5)
    services.verify_finding(people["office"], finding, verified_on=failed_on, passed=False)
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN and finding.rectified_on is None
    assert finding.due_on == failed_on + timedelta(days=30)
    assert finding.verified_on == failed_on
    rectify(people, finding, "office", CHECKED_ON + timedelta(days=9))
    services.verify_finding(people["office"], finding,
                            verified_on=CHECKED_ON + timedelta(days=10), passed=True)
    finding.refresh_from_db()
    assert finding.state == FindingState.VERIFIED and finding.verified_by == people["office"]
    actions = list(AuditEvent.objects.filter(action__startswith="DEVICE_FINDING")
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["DEVICE_FINDING_RECTIFIED", "DEVICE_FINDING_REOPENED",
                       "DEVICE_FINDING_RECTIFIED", "DEVICE_FINDING_VERIFIED"]
    before = json.loads(AuditEvent.objects.get(action="DEVICE_FINDING_REOPENED").before)
    assert before["rectification"] == "补登使用记录"  # the trail keeps what was done


@pytest.mark.rule("Q10")
def test_a_failed_re_check_with_its_own_due_day(people, finding):
    rectify(people, finding)
    day = CHECKED_ON + timedelta(days=4)
    error = refused(InvalidInput, lambda: services.verify_finding(
        people["office"], finding, verified_on=day, passed=False, due_on=day - timedelta(days=1)))
    assert error.code == "due_out_of_range"
    services.verify_finding(people["office"], finding, verified_on=day, passed=False,
                            due_on=day)
    assert CheckFinding.objects.get().due_on == day


@pytest.mark.rule("Q10")
def test_who_rectifies_and_who_re_checks(people, finding):
    assert refused(AccessDenied, lambda: rectify(people, finding, "confidential")
                   ).code == "not_owner"  # a user of the device sees it, does not own it
    assert refused(NotFound, lambda: rectify(people, finding, "secret")).code == "not_found"
    rectify(people, finding)
    assert refused(AccessDenied, lambda: services.verify_finding(
        people["top"], finding, verified_on=CHECKED_ON + timedelta(days=4), passed=True)
    ).code == "not_secrecy_office"


@pytest.mark.rule("Q10")
def test_illegal_steps_and_dates(people, finding):
    day = CHECKED_ON + timedelta(days=3)
    assert refused(Conflict, lambda: services.verify_finding(
        people["office"], finding, verified_on=day, passed=True)).code == "illegal_transition"
    assert refused(InvalidInput, lambda: rectify(people, finding, day=CHECKED_ON - timedelta(
        days=1))).code == "before_check"
    assert refused(InvalidInput, lambda: services.record_rectification(
        people["top"], finding, rectified_on=day, rectification=" ")).code == "required"
    rectify(people, finding, day=day)
    assert refused(Conflict, lambda: rectify(people, finding)).code == "illegal_transition"
    assert refused(InvalidInput, lambda: services.verify_finding(
        people["office"], finding, verified_on=day - timedelta(days=1), passed=True)
    ).code == "before_rectified"
    services.verify_finding(people["office"], finding, verified_on=day, passed=True)
    assert refused(Conflict, lambda: services.verify_finding(
        people["office"], finding, verified_on=day, passed=True)).code == "illegal_transition"


@pytest.mark.rule("L5")
def test_the_owner_of_an_extra_finding_sees_it_without_the_device(people, device, record):
    check = record(findings=[{"description": "操作规程未上墙",
                              "owner": people["confidential"].person}])
    services.remove_device_user(people["office"], device, people["confidential"].person)
    reader = people["confidential"]
    assert not checks_visible_to(reader).filter(pk=check.pk).exists()
    assert list(findings_visible_to(reader).values_list("description", flat=True)) == [
        "操作规程未上墙"]
    assert not findings_visible_to(people["secret"]).exists()


# --- the scan report (issue 7) ---------------------------------------------------------------


def nested(depth):
    value: dict = {}
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.mark.rule("D11")
def test_a_scan_report_is_attached_and_replaced(people, record):
    check = record()
    services.attach_scan_report(people["office"], check, {"schema": "baomi-scan/1",
                                                          "findings": []})
    report = {"version": 2, "findings": [1], "path": "C:\\u0000", "nested": nested(50)}
    services.attach_scan_report(people["office"], check, report)
    assert DeviceCheck.objects.get().report == report  # a backslash before u0000 is no NUL
    events = AuditEvent.objects.filter(action="DEVICE_CHECK_REPORT_ATTACHED").order_by("seq")
    assert json.loads(events.last().before) == {"schema": "baomi-scan/1"}


@pytest.mark.rule("D11")
@pytest.mark.parametrize("report", [
    [], "report", {"findings": []}, {"schema": float("nan")}, {"schema": "a\u0000b"},
    {"schema": "big", "blob": "x" * (5 * 1024 * 1024)}, {"schema": object()},
    {"schema": "deep", "nested": nested(5000)},
])
def test_what_is_not_a_report(people, record, report):
    check = record()
    error = refused(InvalidInput, lambda: services.attach_scan_report(people["office"], check,
                                                                      report))
    assert error.code == "invalid_report"
    assert DeviceCheck.objects.get().report is None


@pytest.mark.rule("D11")
def test_the_next_check_is_due_six_months_after_the_last(people, device, record):
    assert services.next_check_due(device) == date(2020, 7, 6)  # never checked: from in use
    record(checked_on=date(2025, 8, 31))
    assert services.next_check_due(device) == date(2026, 2, 28)
    assert services.check_overdue(device) == (date(2026, 2, 28) < today())
