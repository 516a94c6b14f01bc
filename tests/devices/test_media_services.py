"""Removable media in use (rule D4): binding to computers over every pair of levels,
check-out to cleared people, return with the check of what was written."""

import datetime as dt
import json
from unittest import mock

import pytest
from django.utils import timezone

from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level
from baomi.core.testing.factories import SecureRoomFactory
from baomi.devices import services
from baomi.devices.choices import (
    TAKES_MEDIA,
    ContentCheck,
    DeviceKind,
    MediumLoanState,
    MediumState,
)
from baomi.devices.models import Medium, MediumBinding, MediumLoan

from . import support
from .support import today

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)

LEVELS = [Level.NONSECRET, Level.SECRET, Level.CONFIDENTIAL, Level.TOP_SECRET]
# rule D4, every pair (medium level, computer level) with its exact outcome.
MATRIX = {
    (m, d): ("ok" if m == d == 0 else "cross_use" if (m == 0) != (d == 0)
             else "medium_above_device" if m > d else "ok")
    for m in LEVELS for d in LEVELS
}


def test_the_matrix_is_what_the_rule_says():
    assert MATRIX[(0, 0)] == MATRIX[(1, 1)] == MATRIX[(1, 3)] == MATRIX[(3, 3)] == "ok"
    assert MATRIX[(0, 1)] == MATRIX[(1, 0)] == MATRIX[(3, 0)] == MATRIX[(0, 3)] == "cross_use"
    assert MATRIX[(2, 1)] == MATRIX[(3, 2)] == "medium_above_device"
    assert sum(outcome == "ok" for outcome in MATRIX.values()) == 7


@pytest.fixture
def medium(register_medium):
    return register_medium()


@pytest.fixture
def computer(register_device):
    return register_device()


@pytest.mark.rule("D4")
@pytest.mark.parametrize(("medium_level", "device_level"), sorted(MATRIX))
def test_binding_levels(people, register_device, register_medium, medium_level, device_level):
    medium = register_medium(level=medium_level)
    device = register_device(level=device_level)
    expected = MATRIX[(medium_level, device_level)]
    if expected == "ok":
        binding = services.bind_medium(people["office"], medium, device)
        assert binding.unbound_on is None and binding.bound_on == today()
        assert AuditEvent.objects.filter(action="MEDIUM_BOUND").count() == 1
    else:
        with pytest.raises(RuleViolation) as refused:
            services.bind_medium(people["office"], medium, device)
        assert refused.value.code == expected and refused.value.rule == "D4"
        assert not MediumBinding.objects.exists()
        assert not AuditEvent.objects.filter(action="MEDIUM_BOUND").exists()


@pytest.mark.rule("D4")
@pytest.mark.parametrize("kind", sorted(set(DeviceKind.values) - set(TAKES_MEDIA)))
def test_media_bind_to_computers_only(people, register_device, medium, kind):
    device = register_device(kind=kind, level=Level.CONFIDENTIAL)
    with pytest.raises(RuleViolation) as refused:
        services.bind_medium(people["office"], medium, device)
    assert refused.value.code == "not_a_computer"
    assert not MediumBinding.objects.exists()


@pytest.mark.rule("D4")
@pytest.mark.parametrize("kind", sorted(TAKES_MEDIA))
def test_every_computer_takes_media(people, register_device, medium, kind, unit):
    device = register_device(kind=kind, level=Level.CONFIDENTIAL,
                             room=SecureRoomFactory(unit=unit))  # a server: rule Q7
    assert services.bind_medium(people["office"], medium, device).device_id == device.pk


def test_a_second_open_binding_is_a_conflict_and_after_unbinding_binds_again(
        people, medium, computer):
    office = people["office"]
    first = services.bind_medium(office, medium, computer)
    with pytest.raises(Conflict) as twice:
        services.bind_medium(office, medium, computer)
    assert twice.value.code == "already_bound"
    services.unbind_medium(office, first)
    with pytest.raises(Conflict) as again:
        services.unbind_medium(office, first)
    assert again.value.code == "not_bound"
    second = services.bind_medium(office, medium, computer)
    assert MediumBinding.objects.filter(unbound_on__isnull=True).get() == second
    first.refresh_from_db()
    assert first.unbound_on == today() and first.unbound_by == office
    assert AuditEvent.objects.filter(action="MEDIUM_UNBOUND").count() == 1


def test_bound_on_is_not_in_the_future(people, medium, computer):
    with pytest.raises(InvalidInput) as refused:
        services.bind_medium(people["office"], medium, computer,
                             bound_on=today() + dt.timedelta(days=1))
    assert refused.value.code == "future_date"
    binding = services.bind_medium(people["office"], medium, computer,
                                   bound_on=today() - dt.timedelta(days=3))
    assert binding.bound_on == today() - dt.timedelta(days=3)


def test_only_the_secrecy_office_of_the_unit_binds(people, medium, computer, register_device,
                                                   unit):
    with pytest.raises(AccessDenied):  # the head sees both, keeps neither
        services.bind_medium(people["head"], medium, computer)
    with pytest.raises(NotFound):  # another unit's office learns nothing
        services.bind_medium(people["office2"], medium, computer)
    with pytest.raises(AccessDenied) as admin:
        services.bind_medium(None, medium, computer)
    assert admin.value.code == "no_business_role"
    assert not MediumBinding.objects.exists()


@pytest.mark.rule("L5")
def test_an_officer_binds_nothing_above_their_clearance(people, register_medium, computer,
                                                        register_device):
    top_medium = register_medium(level=Level.TOP_SECRET)
    top_computer = register_device(level=Level.TOP_SECRET)
    with pytest.raises(NotFound):
        services.bind_medium(people["office_important"], top_medium, top_computer)


# --- check-out ------------------------------------------------------------------------------


@pytest.mark.rule("D4")
@pytest.mark.parametrize(("who", "level", "allowed"), [
    ("secret", Level.SECRET, True), ("none", Level.SECRET, False),
    ("confidential", Level.CONFIDENTIAL, True), ("secret", Level.CONFIDENTIAL, False),
    ("top", Level.TOP_SECRET, True), ("confidential", Level.TOP_SECRET, False),
    ("none", Level.NONSECRET, True),
])
def test_check_out_needs_clearance_for_the_level(people, register_medium, who, level, allowed):
    medium = register_medium(level=level)
    person = people[who].person
    if allowed:
        loan = services.check_out_medium(people["office"], medium, person=person,
                                         purpose="拷贝设计图纸")
        assert loan.state == MediumLoanState.OUT and loan.person == person
        assert Medium.objects.get(pk=medium.pk).state == MediumState.OUT
        assert medium.state == MediumState.OUT
    else:
        with pytest.raises(RuleViolation) as refused:
            services.check_out_medium(people["office"], medium, person=person,
                                      purpose="拷贝设计图纸")
        assert refused.value.code == "clearance" and "person" in refused.value.fields
        assert Medium.objects.get(pk=medium.pk).state == MediumState.IN_STORE
        assert not MediumLoan.objects.exists()


def test_a_medium_out_is_not_checked_out_again(people, medium):
    office = people["office"]
    services.check_out_medium(office, medium, person=people["top"].person, purpose="拷贝")
    with pytest.raises(Conflict) as refused:
        services.check_out_medium(office, Medium.objects.get(pk=medium.pk),
                                  person=people["confidential"].person, purpose="拷贝")
    assert refused.value.code == "not_in_store"
    assert MediumLoan.objects.count() == 1
    assert AuditEvent.objects.filter(action="MEDIUM_CHECKED_OUT").count() == 1


@pytest.mark.rule("D4")
@pytest.mark.parametrize(("override", "days"), [(None, 7), (0, 0), (30, 30)])
def test_due_day_follows_the_policy(people, unit, register_medium, override, days):
    if override is not None:
        unit.policy_overrides = {"devices.media_loan_days": override}
        unit.save()
    medium = register_medium()
    loan = services.check_out_medium(people["office"], medium, person=people["top"].person,
                                     purpose="拷贝")
    assert loan.due_on == today() + dt.timedelta(days=days)


@pytest.mark.parametrize(("offset", "ok"), [(-1, False), (0, True), (365, True), (366, False)])
def test_due_day_from_today_to_a_year(people, medium, offset, ok):
    due = today() + dt.timedelta(days=offset)
    if ok:
        loan = services.check_out_medium(people["office"], medium,
                                         person=people["top"].person, purpose="拷贝", due_on=due)
        assert loan.due_on == due
    else:
        with pytest.raises(InvalidInput) as refused:
            services.check_out_medium(people["office"], medium, person=people["top"].person,
                                      purpose="拷贝", due_on=due)
        assert refused.value.code == "due_out_of_range"


@pytest.mark.parametrize(("field", "value", "code"), [
    ("purpose", "", "required"), ("purpose", "x" * 501, "too_long"),
    ("person", "someone", "unknown_person"),
])
def test_check_out_input(people, medium, field, value, code):
    kwargs = {"person": people["top"].person, "purpose": "拷贝", field: value}
    with pytest.raises(InvalidInput) as refused:
        services.check_out_medium(people["office"], medium, **kwargs)
    assert refused.value.code == code and field in refused.value.fields


def test_check_out_to_someone_of_another_unit_is_refused(people, medium):
    with pytest.raises(InvalidInput) as refused:
        services.check_out_medium(people["office"], medium, person=people["office2"].person,
                                  purpose="拷贝")
    assert refused.value.code == "unknown_person"


def test_only_the_secrecy_office_checks_out(people, medium):
    with pytest.raises(AccessDenied):
        services.check_out_medium(people["head"], medium, person=people["top"].person,
                                  purpose="拷贝")
    assert not MediumLoan.objects.exists()


# --- return ---------------------------------------------------------------------------------


@pytest.fixture
def loan(people, medium):
    return services.check_out_medium(people["office"], medium, person=people["top"].person,
                                     purpose="拷贝试验数据")


@pytest.mark.rule("D4")
@pytest.mark.parametrize(("check", "note", "ok"), [
    (ContentCheck.NOTHING_WRITTEN, "", True),
    (ContentCheck.CLEARED, "", False),
    (ContentCheck.CLEARED, "   ", False),
    (ContentCheck.CLEARED, "试验数据已用保密办专用工具清除", True),
    (ContentCheck.KEPT, "", False),
    (ContentCheck.KEPT, "试验数据已登记为载体 ZT-0102", True),
])
def test_return_records_what_was_written(people, loan, check, note, ok):
    if ok:
        returned = services.return_medium(people["office"], loan, content_check=check,
                                          content_note=note)
        assert returned.state == MediumLoanState.RETURNED
        assert (returned.content_check, returned.content_note) == (check, note)
        assert returned.received_by == people["office"] and returned.returned_at
        assert Medium.objects.get(pk=loan.medium_id).state == MediumState.IN_STORE
        event = AuditEvent.objects.get(action="MEDIUM_RETURNED")
        assert json.loads(event.after)["content_check"] == check
    else:
        with pytest.raises(InvalidInput) as refused:
            services.return_medium(people["office"], loan, content_check=check,
                                   content_note=note)
        assert refused.value.code == "note_required" and "content_note" in refused.value.fields
        assert MediumLoan.objects.get(pk=loan.pk).state == MediumLoanState.OUT
        assert Medium.objects.get(pk=loan.medium_id).state == MediumState.OUT


@pytest.mark.parametrize("check", ["", "wiped", None, 1])
def test_return_needs_a_known_content_check(people, loan, check):
    with pytest.raises(InvalidInput) as refused:
        services.return_medium(people["office"], loan, content_check=check)
    assert "content_check" in refused.value.fields


def test_a_medium_is_returned_once_and_then_checked_out_again(people, loan):
    office = people["office"]
    services.return_medium(office, loan, content_check=ContentCheck.NOTHING_WRITTEN)
    with pytest.raises(Conflict):
        services.return_medium(office, loan, content_check=ContentCheck.NOTHING_WRITTEN)
    medium = Medium.objects.get(pk=loan.medium_id)
    again = services.check_out_medium(office, medium, person=people["confidential"].person,
                                      purpose="第二次")
    assert MediumLoan.objects.filter(state=MediumLoanState.OUT).get() == again


def test_only_the_secrecy_office_takes_back(people, loan):
    with pytest.raises(AccessDenied):
        services.return_medium(people["head"], loan, content_check=ContentCheck.NOTHING_WRITTEN)
    with pytest.raises(NotFound):
        services.return_medium(people["office2"], loan,
                               content_check=ContentCheck.NOTHING_WRITTEN)
    assert MediumLoan.objects.get(pk=loan.pk).state == MediumLoanState.OUT


def test_the_clock_of_the_services_is_patched_in_one_place(people, medium, computer):
    day = today() - dt.timedelta(days=10)
    with mock.patch("baomi.devices.services.media._today", return_value=day):
        loan = services.check_out_medium(people["office"], medium,
                                         person=people["top"].person, purpose="拷贝")
    assert loan.due_on == day + dt.timedelta(days=7)


def test_a_check_out_recorded_afterwards_is_due_from_the_day_it_left(people, medium):
    left = timezone.now() - dt.timedelta(days=12)
    loan = services.check_out_medium(people["office"], medium, person=people["top"].person,
                                     purpose="拷贝", out_at=left)
    assert loan.out_at == left
    assert loan.due_on == timezone.localdate(left) + dt.timedelta(days=7)


@pytest.mark.parametrize(("out_at", "code"), [
    (lambda: timezone.now() + dt.timedelta(hours=1), "future_date"),
    (lambda: dt.datetime(2026, 1, 1, 9, 0), "invalid"),  # no time zone
    (lambda: today(), "invalid"),
])
def test_out_at_is_a_past_moment(people, medium, out_at, code):
    with pytest.raises(InvalidInput) as refused:
        services.check_out_medium(people["office"], medium, person=people["top"].person,
                                  purpose="拷贝", out_at=out_at())
    assert refused.value.code == code and "out_at" in refused.value.fields
