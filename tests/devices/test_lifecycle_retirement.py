"""Retirement of classified devices and media (rule D8): asked for one device or one medium
in store, approved by the chain (单位领导 from 机密 up), retired and locked at once — bindings
ended, systems left, users kept — then the information cleared and the hand-over to the
designated destruction body against a certificate, never before the clearing."""

import json

import pytest

from baomi.accounts.models import Unit
from baomi.approvals.choices import RequestState
from baomi.approvals.services import decide
from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, RuleViolation
from baomi.core.labels import Level
from baomi.devices import services
from baomi.devices.choices import (
    ClearingMethod,
    DeviceState,
    MediumKind,
    MediumState,
    RetirementState,
)
from baomi.devices.custody import devices_held
from baomi.devices.models import (
    ClassifiedSystem,
    Device,
    DeviceUser,
    Medium,
    MediumBinding,
    Retirement,
)

from . import lifecycle_support as lc
from .lifecycle_support import (
    approve,
    approved_repair,
    approved_retirement,
    ask_repair,
    chain_roles,
    deciders_for,
    today,
)

people, yf1, other_unit, register_device, register_medium, office_b, designated = (
    lc.people, lc.yf1, lc.other_unit, lc.register_device, lc.register_medium, lc.office_b,
    lc.designated)
BODY = "省国家保密局涉密载体销毁中心"


def clear(retirement, actor, method=ClearingMethod.DEGAUSS):
    return services.record_clearing(actor, retirement, cleared_on=today(), method=method,
                                    cleared_by="保密办 钱干事")


def destroy(retirement, actor, body=BODY, certificate_no="XHZM-2026-001"):
    return services.record_destruction(actor, retirement, destruction_body=body,
                                       handed_over_on=today(), certificate_no=certificate_no)


# --- asking -----------------------------------------------------------------------------------


def test_exactly_one_device_or_medium(people, register_device, register_medium):
    with pytest.raises(InvalidInput) as refused:
        services.request_retirement(people["office"], reason="老化")
    assert refused.value.code == "one_subject"
    with pytest.raises(InvalidInput) as refused:
        services.request_retirement(people["office"], device=register_device(),
                                    medium=register_medium(), reason="老化")
    assert refused.value.code == "one_subject"
    assert not Retirement.objects.exists()


@pytest.mark.rule("D8")
def test_a_medium_is_retired_from_the_store(people, register_medium):
    medium = register_medium()
    loan = services.check_out_medium(people["office"], medium, person=people["top"].person,
                                     purpose="拷贝")
    with pytest.raises(Conflict) as refused:
        services.request_retirement(people["top"], medium=medium, reason="损坏")
    assert refused.value.code == "not_in_store"
    services.return_medium(people["office"], loan, content_check="nothing")
    retirement = services.request_retirement(people["top"], medium=medium, reason="损坏")
    assert retirement.state == RetirementState.REQUESTED


def test_a_device_under_repair_is_not_retired_and_back(people, register_device):
    device = register_device()
    maintenance = ask_repair(people, device)
    with pytest.raises(Conflict) as refused:
        services.request_retirement(people["top"], device=device, reason="老化")
    assert refused.value.code == "under_maintenance"
    services.withdraw_maintenance(people["top"], maintenance)
    services.request_retirement(people["top"], device=device, reason="老化")
    with pytest.raises(Conflict) as refused:
        ask_repair(people, device)
    assert refused.value.code == "retirement_open"
    with pytest.raises(Conflict) as refused:
        services.request_retirement(people["office"], device=device, reason="再次")
    assert refused.value.code == "retirement_open"


@pytest.mark.rule("D8")
@pytest.mark.parametrize(("level", "leader"), [(Level.SECRET, False),
                                               (Level.CONFIDENTIAL, True),
                                               (Level.TOP_SECRET, True)])
def test_the_leader_approves_from_confidential_up(people, register_device, level, leader):
    retirement = services.request_retirement(
        people["top"], device=register_device(level=level), reason="老化")
    expected = ["department_head", "secrecy_office"] + (["leader"] if leader else [])
    assert chain_roles(retirement.request) == expected
    assert retirement.request.level == level


# --- approval: retired and locked -----------------------------------------------------------


@pytest.mark.rule("D8")
def test_an_approved_device_is_retired_at_once(people, register_device, register_medium):
    device = register_device(level=Level.CONFIDENTIAL)
    services.add_device_user(people["office"], device, people["confidential"].person)
    medium = register_medium(level=Level.SECRET)
    binding = services.bind_medium(people["office"], medium, device)
    system = services.register_system(
        people["office"], unit=device.unit, name="研发涉密网", level=Level.CONFIDENTIAL,
        responsible=people["top"].person, in_use_on=today(), devices=[device])
    retirement = services.request_retirement(people["top"], device=device, reason="老化")
    request = approve(retirement.request, people["head"], people["office"])
    assert Device.objects.get(pk=device.pk).state == DeviceState.IN_USE  # not yet: the leader
    approve(request, people["leader"])
    retirement.refresh_from_db()
    assert retirement.state == RetirementState.APPROVED
    assert Device.objects.get(pk=device.pk).state == DeviceState.RETIRED
    assert MediumBinding.objects.get(pk=binding.pk).unbound_on == today()
    assert not system.devices.exists()
    assert DeviceUser.objects.filter(device=device).count() == 1  # kept, for the history
    after = json.loads(AuditEvent.objects.get(action="DEVICE_RETIRED").after)
    assert after["unbound"] == [binding.pk] and after["systems_left"] == [system.pk]
    assert AuditEvent.objects.filter(action="SYSTEM_DEVICE_REMOVED").count() == 1
    assert ClassifiedSystem.objects.get(pk=system.pk).devices.count() == 0


@pytest.mark.rule("D8")
def test_an_approved_medium_is_retired(people, register_device, register_medium):
    medium = register_medium()
    binding = services.bind_medium(people["office"], medium, register_device())
    approved_retirement(people, medium=medium)
    assert Medium.objects.get(pk=medium.pk).state == MediumState.RETIRED
    assert MediumBinding.objects.get(pk=binding.pk).unbound_on is not None
    assert AuditEvent.objects.filter(action="MEDIUM_RETIRED").count() == 1


def test_a_medium_checked_out_meanwhile_is_not_retired(people, register_medium):
    medium = register_medium(level=Level.SECRET)
    retirement = services.request_retirement(people["top"], medium=medium, reason="损坏")
    request = approve(retirement.request, people["head"])
    services.check_out_medium(people["office"], medium, person=people["top"].person,
                              purpose="拷贝")
    with pytest.raises(Conflict) as refused:
        decide(people["office"], request, "approve")
    assert refused.value.code == "not_in_store"
    assert Retirement.objects.get(pk=retirement.pk).state == RetirementState.REQUESTED
    assert Medium.objects.get(pk=medium.pk).state == MediumState.OUT


def test_rejected_and_withdrawn(people, register_device):
    device = register_device()
    retirement = services.request_retirement(people["top"], device=device, reason="老化")
    decide(people["head"], retirement.request, "reject", comment="仍可使用")
    assert Retirement.objects.get(pk=retirement.pk).state == RetirementState.REJECTED
    assert Device.objects.get(pk=device.pk).state == DeviceState.IN_USE
    second = services.request_retirement(people["top"], device=device, reason="老化")
    with pytest.raises(AccessDenied):
        services.withdraw_retirement(people["office"], second)
    services.withdraw_retirement(people["top"], second)
    second.refresh_from_db()
    assert second.state == RetirementState.WITHDRAWN
    assert second.request.state == RequestState.WITHDRAWN
    approved = approved_retirement(people, device=device)
    with pytest.raises(Conflict):  # retired for good
        services.withdraw_retirement(people["top"], approved)


# --- clearing and destruction -----------------------------------------------------------------


@pytest.mark.rule("D8")
def test_destruction_is_refused_before_the_clearing(people, register_device):
    retirement = approved_retirement(people, device=register_device())
    with pytest.raises(RuleViolation) as refused:
        destroy(retirement, people["office"])
    assert refused.value.code == "not_cleared" and refused.value.rule == "D8"
    assert Retirement.objects.get(pk=retirement.pk).state == RetirementState.APPROVED
    clear(retirement, people["office"])
    retirement.refresh_from_db()
    assert retirement.state == RetirementState.CLEARED
    assert (retirement.clearing_method, retirement.cleared_by) == (ClearingMethod.DEGAUSS,
                                                                   "保密办 钱干事")
    destroy(retirement, people["office"])
    retirement.refresh_from_db()
    assert retirement.state == RetirementState.DESTROYED
    assert (retirement.destruction_body, retirement.certificate_no) == (BODY, "XHZM-2026-001")
    assert retirement.recorded_by == people["office"]
    actions = list(AuditEvent.objects.filter(action__startswith="RETIREMENT_")
                   .values_list("action", flat=True).order_by("seq"))
    assert actions == ["RETIREMENT_REQUESTED", "RETIREMENT_APPROVED", "RETIREMENT_CLEARED",
                       "RETIREMENT_DESTROYED"]


@pytest.mark.rule("D8")
def test_the_certificate_number_is_required(people, register_device):
    retirement = approved_retirement(people, device=register_device())
    clear(retirement, people["office"])
    with pytest.raises(InvalidInput) as refused:
        destroy(retirement, people["office"], certificate_no=" ")
    assert refused.value.code == "required" and "certificate_no" in refused.value.fields
    assert Retirement.objects.get(pk=retirement.pk).state == RetirementState.CLEARED


@pytest.mark.rule("D8")
def test_the_designated_body(people, register_device, designated):
    device = register_device()
    retirement = approved_retirement(people, device=device)
    clear(retirement, people["office"])
    assert services.designated_body(device.unit) == ""  # any named body will do
    designated(device.unit, BODY)
    assert services.designated_body(Unit.objects.get(pk=device.unit_id)) == BODY
    with pytest.raises(RuleViolation) as refused:
        destroy(retirement, people["office"], body="某废品回收站")
    assert refused.value.code == "not_designated_body" and refused.value.rule == "D8"
    destroy(retirement, people["office"], body=BODY)
    assert Retirement.objects.get(pk=retirement.pk).state == RetirementState.DESTROYED


def test_without_the_setting_any_named_body(people, register_device):
    retirement = approved_retirement(people, device=register_device())
    clear(retirement, people["office"])
    destroy(retirement, people["office"], body="市保密局指定销毁点")
    assert Retirement.objects.get(pk=retirement.pk).destruction_body == "市保密局指定销毁点"


@pytest.mark.rule("D8")
def test_an_optical_disc_is_shredded_or_smelted(people, register_medium):
    retirement = approved_retirement(
        people, medium=register_medium(kind=MediumKind.OPTICAL))
    with pytest.raises(RuleViolation) as refused:
        clear(retirement, people["office"], method=ClearingMethod.DEGAUSS)
    assert refused.value.code == "method_unsuited"
    clear(retirement, people["office"], method=ClearingMethod.SHRED)


def test_clearing_steps_need_the_office_and_the_order(people, register_device):
    device = register_device()
    retirement = services.request_retirement(people["top"], device=device, reason="老化")
    with pytest.raises(Conflict) as refused:
        clear(retirement, people["office"])
    assert refused.value.code == "illegal_transition"
    approve(retirement.request, *deciders_for(people, retirement.request))
    with pytest.raises(AccessDenied) as refused:
        clear(retirement, people["top"])
    assert refused.value.code == "not_secrecy_office"
    clear(retirement, people["office"])
    with pytest.raises(Conflict):
        clear(retirement, people["office"])


# --- custody (rule C9) ------------------------------------------------------------------------


@pytest.mark.rule("C9")
def test_custody_away_still_held_retired_not(people, register_device, register_medium):
    away, retired = register_device(), register_device()
    medium = register_medium()
    maintenance = approved_repair(people, away, mode="sent_out")
    services.record_disk_removed(people["office"], maintenance, removed_on=today(),
                                 kept_at="保密柜")
    services.send_out(people["office"], maintenance, left_on=today())
    approved_retirement(people, device=retired)
    approved_retirement(people, medium=medium)
    held = {item.reference for item in devices_held(people["top"].person)}
    assert away.number in held
    assert retired.number not in held and medium.number not in held
