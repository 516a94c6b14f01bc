"""Maintenance of classified devices (rule D7): who asks, the supervisor named and cleared,
the approval chain by mode and level, the disk removed before the device leaves, the device
away and back, withdrawal and rejection; a device away takes no medium."""

import datetime as dt
import json

import pytest

from baomi.approvals.choices import RequestState
from baomi.approvals.services import decide
from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level
from baomi.devices import services
from baomi.devices.choices import DeviceState, MaintenanceMode, MaintenanceState
from baomi.devices.models import Device, Maintenance, MediumBinding
from baomi.devices.selectors_lifecycle import may_ask_for

from . import lifecycle_support as lc
from .lifecycle_support import approve, approved_repair, ask_repair, chain_roles, today

people, yf1, other_unit, register_device, register_medium, office_b = (
    lc.people, lc.yf1, lc.other_unit, lc.register_device, lc.register_medium, lc.office_b)
SENT_OUT, IN_HOUSE, ON_SITE = (MaintenanceMode.SENT_OUT, MaintenanceMode.IN_HOUSE,
                               MaintenanceMode.ON_SITE)


def state_of(device):
    return Device.objects.get(pk=device.pk).state


# --- asking ---------------------------------------------------------------------------------


@pytest.mark.rule("D7")
@pytest.mark.parametrize("mode", [IN_HOUSE, ON_SITE])
def test_a_repair_in_the_unit_needs_a_named_supervisor(people, register_device, mode):
    device = register_device()
    with pytest.raises(RuleViolation) as refused:
        ask_repair(people, device, mode, supervisor=None)
    assert refused.value.code == "supervisor_required" and refused.value.rule == "D7"
    assert "supervisor" in refused.value.fields
    assert not Maintenance.objects.exists()
    maintenance = ask_repair(people, device, mode)
    assert maintenance.state == MaintenanceState.REQUESTED and maintenance.request is not None


@pytest.mark.rule("D7")
def test_the_supervisor_is_cleared_for_the_device_level(people, register_device):
    device = register_device(level=Level.CONFIDENTIAL)
    with pytest.raises(RuleViolation) as refused:  # 秘密 is one below 机密
        ask_repair(people, device, ON_SITE, supervisor=people["secret"].person)
    assert refused.value.code == "clearance" and refused.value.rule == "D7"
    assert not Maintenance.objects.exists()
    maintenance = ask_repair(people, device, ON_SITE, supervisor=people["confidential"].person)
    assert maintenance.supervisor_id == people["confidential"].person_id


@pytest.mark.rule("D7")
def test_sent_out_needs_no_supervisor_but_a_fault(people, register_device):
    device = register_device()
    with pytest.raises(InvalidInput) as refused:
        ask_repair(people, device, SENT_OUT, fault="  ")
    assert refused.value.code == "required" and "fault" in refused.value.fields
    maintenance = ask_repair(people, device, SENT_OUT)
    assert maintenance.supervisor is None and maintenance.mode == SENT_OUT


def test_who_may_ask(people, register_device):
    device = register_device()  # responsible: top; department 研发一部
    for name in ("secret", "confidential"):  # staff of the department, not responsible
        with pytest.raises((AccessDenied, NotFound)):
            ask_repair(people, device, actor=people[name])
    with pytest.raises(NotFound):  # the 保密办 of another unit learns nothing
        ask_repair(people, device, actor=people["office2"])
    services.add_device_user(people["office"], device, people["confidential"].person)
    with pytest.raises(AccessDenied) as refused:  # a user of the device sees it, may not ask
        ask_repair(people, device, actor=people["confidential"])
    assert refused.value.code == "not_responsible"
    for name in ("top", "office"):
        maintenance = ask_repair(people, device, actor=people[name])
        services.withdraw_maintenance(people[name], maintenance)
    # The head of the department may ask too — here nobody else could decide its own step.
    assert may_ask_for(people["head"], device)
    assert not may_ask_for(people["confidential"], device)


def test_one_open_maintenance_per_device(people, register_device):
    device = register_device()
    first = ask_repair(people, device)
    with pytest.raises(Conflict) as refused:
        ask_repair(people, device, SENT_OUT)
    assert refused.value.code == "maintenance_open"
    services.withdraw_maintenance(people["top"], first)
    assert ask_repair(people, device, SENT_OUT).state == MaintenanceState.REQUESTED


def test_the_request_is_audited_and_at_the_device_level(people, register_device):
    device = register_device(level=Level.TOP_SECRET)
    maintenance = ask_repair(people, device, supervisor=people["top"].person)
    assert maintenance.request.level == Level.TOP_SECRET
    assert maintenance.request.department_id == device.department_id
    after = json.loads(AuditEvent.objects.get(action="DEVICE_MAINTENANCE_REQUESTED").after)
    assert after["mode"] == IN_HOUSE and after["request"] == maintenance.request_id


# --- the chain ------------------------------------------------------------------------------


@pytest.mark.rule("D7")
@pytest.mark.parametrize(("mode", "level", "leader"), [
    (IN_HOUSE, Level.CONFIDENTIAL, False), (IN_HOUSE, Level.TOP_SECRET, True),
    (SENT_OUT, Level.SECRET, False), (SENT_OUT, Level.CONFIDENTIAL, True),
])
def test_a_device_sent_out_from_confidential_up_needs_the_leader(people, register_device,
                                                                 mode, level, leader):
    device = register_device(level=level)
    supervisor = None if mode == SENT_OUT else people["top"].person
    maintenance = ask_repair(people, device, mode, supervisor=supervisor)
    expected = ["department_head", "secrecy_office"] + (["leader"] if leader else [])
    assert chain_roles(maintenance.request) == expected


def test_rejected_and_withdrawn(people, register_device):
    device = register_device()
    maintenance = ask_repair(people, device)
    decide(people["head"], maintenance.request, "reject", comment="本部门自行处理")
    assert Maintenance.objects.get(pk=maintenance.pk).state == MaintenanceState.REJECTED
    second = ask_repair(people, device)
    with pytest.raises(AccessDenied):  # only the requester withdraws a pending request
        services.withdraw_maintenance(people["head"], second)
    services.withdraw_maintenance(people["top"], second, reason="已自行恢复")
    second.refresh_from_db()
    assert second.state == MaintenanceState.WITHDRAWN
    assert second.request.state == RequestState.WITHDRAWN
    assert AuditEvent.objects.filter(action="DEVICE_MAINTENANCE_WITHDRAWN").count() == 1


def test_approved_and_withdrawn_by_the_office(people, register_device):
    maintenance = approved_repair(people, register_device())
    assert maintenance.state == MaintenanceState.APPROVED
    with pytest.raises(AccessDenied):
        services.withdraw_maintenance(people["head"], maintenance)
    services.withdraw_maintenance(people["office"], maintenance)
    assert Maintenance.objects.get(pk=maintenance.pk).state == MaintenanceState.WITHDRAWN


# --- sent out: the disk first ---------------------------------------------------------------


@pytest.mark.rule("D7")
def test_send_out_is_refused_until_the_disk_is_removed(people, register_device):
    device = register_device(level=Level.SECRET)
    maintenance = approved_repair(people, device, SENT_OUT)
    with pytest.raises(RuleViolation) as refused:
        services.send_out(people["office"], maintenance, left_on=today())
    assert refused.value.code == "disk_not_removed" and refused.value.rule == "D7"
    assert Maintenance.objects.get(pk=maintenance.pk).state == MaintenanceState.APPROVED
    assert state_of(device) == DeviceState.IN_USE
    assert not AuditEvent.objects.filter(action="DEVICE_SENT_FOR_REPAIR").exists()

    services.record_disk_removed(people["office"], maintenance, removed_on=today(),
                                 kept_at="保密办 密码文件柜 A-03")
    services.send_out(people["office"], maintenance, left_on=today())
    maintenance.refresh_from_db()
    assert maintenance.state == MaintenanceState.AWAY and maintenance.left_on == today()
    assert maintenance.disk_removed_by == people["office"]
    assert state_of(device) == DeviceState.AWAY


@pytest.mark.rule("D7")
def test_the_device_comes_back_in_use(people, register_device):
    device = register_device()
    maintenance = approved_repair(people, device, SENT_OUT)
    services.record_disk_removed(people["office"], maintenance, removed_on=today(),
                                 kept_at="保密柜")
    services.send_out(people["office"], maintenance, left_on=today())
    with pytest.raises(InvalidInput) as refused:
        services.record_repaired(people["office"], maintenance, done_on=today(), result="换主板")
    assert refused.value.code == "back_on_required"
    assert state_of(device) == DeviceState.AWAY
    services.record_repaired(people["office"], maintenance, done_on=today(), result="换主板",
                             back_on=today())
    maintenance.refresh_from_db()
    assert maintenance.state == MaintenanceState.DONE and maintenance.back_on == today()
    assert state_of(device) == DeviceState.IN_USE
    after = json.loads(AuditEvent.objects.get(action="DEVICE_REPAIRED").after)
    assert after["device_state"] == {"before": "away", "after": "in_use"}


def test_the_disk_is_recorded_once_and_only_for_a_device_sent_out(people, register_device):
    maintenance = approved_repair(people, register_device(), SENT_OUT)
    services.record_disk_removed(people["office"], maintenance, removed_on=today(),
                                 kept_at="保密柜")
    with pytest.raises(Conflict) as refused:
        services.record_disk_removed(people["office"], maintenance, removed_on=today(),
                                     kept_at="别处")
    assert refused.value.code == "disk_already_removed"
    in_house = approved_repair(people, register_device())
    for step in (lambda: services.record_disk_removed(people["office"], in_house,
                                                      removed_on=today(), kept_at="保密柜"),
                 lambda: services.send_out(people["office"], in_house, left_on=today())):
        with pytest.raises(Conflict) as refused:
            step()
        assert refused.value.code == "not_sent_out"


def test_the_disk_is_removed_only_once_approved(people, register_device):
    maintenance = ask_repair(people, register_device(), SENT_OUT)
    with pytest.raises(Conflict) as refused:
        services.record_disk_removed(people["office"], maintenance, removed_on=today(),
                                     kept_at="保密柜")
    assert refused.value.code == "not_approved"


def test_dates_of_the_steps(people, register_device):
    maintenance = approved_repair(people, register_device(), SENT_OUT)
    with pytest.raises(InvalidInput) as refused:
        services.record_disk_removed(people["office"], maintenance,
                                     removed_on=today() + dt.timedelta(days=1), kept_at="柜")
    assert refused.value.code == "future_date"
    with pytest.raises(InvalidInput) as refused:
        services.record_disk_removed(people["office"], maintenance,
                                     removed_on=today() - dt.timedelta(days=1), kept_at="柜")
    assert refused.value.code == "before_request"


def test_only_the_office_records_the_steps(people, register_device):
    maintenance = approved_repair(people, register_device(), SENT_OUT)
    for name in ("top", "head"):
        with pytest.raises(AccessDenied) as refused:
            services.record_disk_removed(people[name], maintenance, removed_on=today(),
                                         kept_at="保密柜")
        assert refused.value.code == "not_secrecy_office"
    with pytest.raises(NotFound):
        services.record_disk_removed(people["office2"], maintenance, removed_on=today(),
                                     kept_at="保密柜")


# --- in the unit ------------------------------------------------------------------------------


def test_a_repair_in_the_unit_is_done_once_approved(people, register_device):
    device = register_device()
    maintenance = ask_repair(people, device, ON_SITE)
    with pytest.raises(Conflict) as refused:
        services.record_repaired(people["office"], maintenance, done_on=today(), result="修好")
    assert refused.value.code == "illegal_transition"
    approve(maintenance.request, people["head"], people["office"])
    with pytest.raises(InvalidInput) as refused:
        services.record_repaired(people["office"], maintenance, done_on=today(), result="修好",
                                 back_on=today())
    assert refused.value.code == "not_sent_out"
    services.record_repaired(people["office"], maintenance, done_on=today(), result="更换电源")
    maintenance.refresh_from_db()
    assert maintenance.state == MaintenanceState.DONE and maintenance.back_on is None
    assert state_of(device) == DeviceState.IN_USE


def test_a_device_sent_out_is_repaired_after_it_left(people, register_device):
    maintenance = approved_repair(people, register_device(), SENT_OUT)
    with pytest.raises(Conflict) as refused:
        services.record_repaired(people["office"], maintenance, done_on=today(), result="修好",
                                 back_on=today())
    assert refused.value.code == "not_left"


# --- a device away ----------------------------------------------------------------------------


@pytest.mark.rule("D7")
def test_a_device_away_takes_no_medium_but_may_change_users(people, register_device,
                                                            register_medium):
    device = register_device()
    medium = register_medium()
    maintenance = approved_repair(people, device, SENT_OUT)
    services.record_disk_removed(people["office"], maintenance, removed_on=today(),
                                 kept_at="保密柜")
    services.send_out(people["office"], maintenance, left_on=today())
    device.refresh_from_db()
    with pytest.raises(RuleViolation) as refused:
        services.bind_medium(people["office"], medium, device)
    assert refused.value.code == "away" and refused.value.rule == "D7"
    assert not MediumBinding.objects.exists()
    services.add_device_user(people["office"], device, people["confidential"].person)
    services.remove_device_user(people["office"], device, people["confidential"].person)
    services.update_device(people["office"], device, location="维修中心",
                           responsible=people["top"].person, state=DeviceState.AWAY)
    with pytest.raises(RuleViolation) as refused:  # it comes back through its maintenance
        services.update_device(people["office"], device, location="科研楼",
                               responsible=people["top"].person, state=DeviceState.IN_USE)
    assert refused.value.code == "lifecycle_state"
    assert state_of(device) == DeviceState.AWAY


def test_the_ledger_form_does_not_retire_or_send_away(people, register_device):
    device = register_device()
    for state in (DeviceState.AWAY, DeviceState.RETIRED):
        with pytest.raises(RuleViolation) as refused:
            services.update_device(people["office"], device, location="科研楼",
                                   responsible=people["top"].person, state=state)
        assert refused.value.code == "lifecycle_state"
    services.update_device(people["office"], device, location="科研楼",
                           responsible=people["top"].person, state=DeviceState.IDLE)
    assert state_of(device) == DeviceState.IDLE


def test_a_device_not_in_use_is_sent_out_and_comes_back_in_use(people, register_device):
    device = register_device()
    services.update_device(people["office"], device, location="库房",
                           responsible=people["top"].person, state=DeviceState.IDLE)
    maintenance = approved_repair(people, device, SENT_OUT)
    services.record_disk_removed(people["office"], maintenance, removed_on=today(),
                                 kept_at="保密柜")
    services.send_out(people["office"], maintenance, left_on=today())
    assert state_of(device) == DeviceState.AWAY
    services.record_repaired(people["office"], maintenance, done_on=today(), result="修好",
                             back_on=today())
    assert state_of(device) == DeviceState.IN_USE


def test_the_supervisor_is_checked_again_at_the_decision(people, register_device):
    device = register_device(level=Level.SECRET)
    maintenance = ask_repair(people, device, ON_SITE, supervisor=people["secret"].person)
    services.change_device_level(people["office"], device, Level.CONFIDENTIAL)
    request = decide(people["head"], maintenance.request, "approve")
    with pytest.raises(RuleViolation) as refused:
        decide(people["office"], request, "approve")
    assert refused.value.code == "clearance"
    assert Maintenance.objects.get(pk=maintenance.pk).state == MaintenanceState.REQUESTED


def test_returned_resubmitted_then_approved(people, register_device):
    from baomi.approvals.services import resubmit_request

    maintenance = ask_repair(people, register_device())
    request = decide(people["head"], maintenance.request, "return", comment="请写明故障现象")
    payload = {**request.payload, "fault": "开机蓝屏，错误代码 0x7B"}
    with pytest.raises(InvalidInput) as refused:  # the mode is the maintenance's
        resubmit_request(people["top"], request, payload={**payload, "mode": SENT_OUT},
                         title=request.title)
    assert refused.value.code == "mode_changed"
    request = resubmit_request(people["top"], request, payload=payload, title=request.title)
    approve(request, people["head"], people["office"])
    assert Maintenance.objects.get(pk=maintenance.pk).state == MaintenanceState.APPROVED
