"""The device and media ledger services (rules D1, D2, D4, D9, L5): who may register, the
clearance of the responsible person and the users at every pair of levels, the phone line,
the number unique per unit (also under a race), level changes and what they leave behind."""

import datetime
import json

import pytest

from baomi.accounts.models import Person
from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level
from baomi.core.testing.concurrency import race
from baomi.devices import services
from baomi.devices.choices import DeviceKind, DeviceState, MediumKind
from baomi.devices.models import Device, DeviceUser, Medium, MediumBinding

from . import support
from .support import CLEARANCE_OF, today

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)

LEVELS = list(Level)
PAIRS = [(person, level) for person in CLEARANCE_OF for level in LEVELS]


def allowed(person_key, level):
    """rule D2 as written: a person is cleared up to the level of their category."""
    return int(CLEARANCE_OF[person_key]) >= int(level)


# --- rule D2: the responsible person and the users at every pair of levels -------------------


@pytest.mark.rule("D2")
@pytest.mark.parametrize(("person_key", "level"), PAIRS)
def test_responsible_person_is_cleared_for_the_device(people, register_device, person_key,
                                                      level):
    responsible = people[person_key].person
    if allowed(person_key, level):
        device = register_device(level=level, responsible=responsible)
        assert device.responsible == responsible
        return
    with pytest.raises(RuleViolation) as refused:
        register_device(level=level, responsible=responsible)
    assert (refused.value.code, refused.value.rule) == ("clearance", "D2")
    assert "responsible" in refused.value.fields
    assert not Device.objects.exists()


@pytest.mark.rule("D2")
@pytest.mark.parametrize(("person_key", "level"), PAIRS)
def test_a_user_below_the_device_level_is_refused(people, register_device, person_key, level):
    device = register_device(level=level, responsible=people["top"].person)
    person = people[person_key].person
    if allowed(person_key, level):
        services.add_device_user(people["office"], device, person)
        assert list(device.users.all()) == [person]
        return
    with pytest.raises(RuleViolation) as refused:
        services.add_device_user(people["office"], device, person)
    assert (refused.value.code, refused.value.rule) == ("clearance", "D2")
    assert not DeviceUser.objects.exists()


@pytest.mark.rule("D2")
@pytest.mark.parametrize(("person_key", "level"), PAIRS)
def test_a_medium_responsible_person_is_cleared_for_it(people, register_medium, person_key,
                                                       level):
    responsible = people[person_key].person
    if allowed(person_key, level):
        assert register_medium(level=level, responsible=responsible).level == level
        return
    with pytest.raises(RuleViolation) as refused:
        register_medium(level=level, responsible=responsible)
    assert refused.value.code == "clearance"
    assert not Medium.objects.exists()


@pytest.mark.rule("D2")
@pytest.mark.parametrize(("person_key", "level"), PAIRS)
def test_a_new_responsible_person_is_cleared_for_the_device(people, register_device,
                                                            person_key, level):
    device = register_device(level=level, responsible=people["top"].person)
    person = people[person_key].person
    change = {"location": "科研楼 305", "responsible": person, "state": DeviceState.IDLE}
    if allowed(person_key, level):
        services.update_device(people["office"], device, **change)
        device.refresh_from_db()
        assert (device.responsible, device.location, device.state) == (
            person, "科研楼 305", DeviceState.IDLE)
        return
    with pytest.raises(RuleViolation) as refused:
        services.update_device(people["office"], device, **change)
    assert refused.value.code == "clearance"
    device.refresh_from_db()
    assert device.responsible == people["top"].person


@pytest.mark.rule("D2")
@pytest.mark.parametrize(("user_key", "new_level"), PAIRS)
def test_raising_the_level_leaves_no_user_below_it(people, register_device, user_key,
                                                   new_level):
    device = register_device(level=Level.NONSECRET, responsible=people["top"].person)
    services.add_device_user(people["office"], device, people[user_key].person)
    if new_level == Level.NONSECRET:
        with pytest.raises(Conflict):
            services.change_device_level(people["office"], device, new_level)
        return
    if allowed(user_key, new_level):
        services.change_device_level(people["office"], device, new_level)
        assert Device.objects.get().level == new_level
        return
    with pytest.raises(RuleViolation) as refused:
        services.change_device_level(people["office"], device, new_level)
    assert (refused.value.code, refused.value.rule) == ("clearance", "D2")
    assert Device.objects.get().level == Level.NONSECRET


@pytest.mark.rule("D2")
def test_raising_the_level_above_the_responsible_person_is_refused(people, register_device):
    device = register_device(level=Level.SECRET, responsible=people["secret"].person)
    with pytest.raises(RuleViolation) as refused:
        services.change_device_level(people["office"], device, Level.CONFIDENTIAL)
    assert refused.value.code == "clearance"
    services.update_device(people["office"], device, location="科研楼 201",
                           responsible=people["confidential"].person, state=DeviceState.IN_USE)
    services.change_device_level(people["office"], device, Level.CONFIDENTIAL)
    assert Device.objects.get().level == Level.CONFIDENTIAL
    events = AuditEvent.objects.filter(action="DEVICE_LEVEL_CHANGED")
    assert [(json.loads(e.before), json.loads(e.after)) for e in events] == [
        ({"level": 1}, {"level": 2})]


@pytest.mark.rule("D4")
def test_lowering_the_level_refuses_while_a_higher_medium_is_bound(people, register_device,
                                                                   register_medium):
    device = register_device(level=Level.CONFIDENTIAL)
    medium = register_medium(level=Level.CONFIDENTIAL)
    binding = MediumBinding.objects.create(medium=medium, device=device, bound_on=today(),
                                           bound_by=people["office"])
    with pytest.raises(RuleViolation) as refused:
        services.change_device_level(people["office"], device, Level.SECRET)
    assert (refused.value.code, refused.value.rule) == ("media_above", "D4")
    assert Device.objects.get().level == Level.CONFIDENTIAL
    # a medium at the new level does not stand in the way; an ended binding neither
    MediumBinding.objects.filter(pk=binding.pk).update(unbound_on=today(),
                                                       unbound_by=people["office"])
    MediumBinding.objects.create(medium=register_medium(level=Level.SECRET), device=device,
                                 bound_on=today(), bound_by=people["office"])
    services.change_device_level(people["office"], device, Level.SECRET)
    assert Device.objects.get().level == Level.SECRET


# --- rule D9: office equipment on a phone line ------------------------------------------------


@pytest.mark.rule("D9")
@pytest.mark.parametrize("kind", [DeviceKind.MULTIFUNCTION, DeviceKind.FAX])
@pytest.mark.parametrize("level", LEVELS)
def test_a_classified_multifunction_device_is_never_on_a_phone_line(register_device, kind,
                                                                    level):
    if level == Level.NONSECRET:
        assert register_device(kind=kind, level=level, phone_line=True).phone_line
        return
    with pytest.raises(RuleViolation) as refused:
        register_device(kind=kind, level=level, phone_line=True)
    assert (refused.value.code, refused.value.rule) == ("phone_line", "D9")
    assert register_device(kind=kind, level=level, phone_line=False).level == level


@pytest.mark.rule("D9")
def test_a_multifunction_device_on_a_phone_line_is_not_raised_to_a_secret_level(
        people, register_device):
    device = register_device(kind=DeviceKind.MULTIFUNCTION, level=Level.NONSECRET,
                             phone_line=True)
    with pytest.raises(RuleViolation) as refused:
        services.change_device_level(people["office"], device, Level.SECRET)
    assert refused.value.code == "phone_line"


@pytest.mark.rule("D3")
def test_a_classified_computer_is_not_on_a_phone_line(register_device):
    with pytest.raises(RuleViolation) as refused:
        register_device(kind=DeviceKind.PORTABLE, level=Level.SECRET, phone_line=True)
    assert (refused.value.code, refused.value.rule) == ("phone_line", "D3")
    assert register_device(kind=DeviceKind.PRINTER, level=Level.SECRET).phone_line is False


# --- rule D1: registration, numbers, access -----------------------------------------------------


@pytest.mark.rule("D1")
def test_registration_is_audited_with_every_column(people, register_device):
    device = register_device(number="HX-SB-001")
    event = AuditEvent.objects.get(action="DEVICE_REGISTERED")
    assert event.object_id == str(device.pk) and event.unit_id == device.unit_id
    after = json.loads(event.after)
    assert after["number"] == "HX-SB-001" and after["level"] == 2
    assert after["mac"] == "00-1A-2B-3C-4D-5E"


@pytest.mark.rule("D1")
def test_a_number_is_unique_in_the_unit(people, register_device, register_medium, other_unit):
    register_device(number="SB-1")
    with pytest.raises(Conflict) as refused:
        register_device(number="SB-1")
    assert refused.value.code == "number_exists" and "number" in refused.value.fields
    register_medium(number="SB-1")  # another ledger
    with pytest.raises(Conflict):
        register_medium(number="SB-1")
    assert Device.objects.count() == 1 and Medium.objects.count() == 1


@pytest.mark.rule("D1")
@pytest.mark.django_db(transaction=True)
def test_two_registrations_of_one_number_at_once_leave_one_device(people, register_device):
    results = race(lambda: register_device(number="SB-RACE"),
                   lambda: register_device(number="SB-RACE"))
    won = [r for r in results if isinstance(r, Device)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], Conflict) and lost[0].code == "number_exists"
    assert Device.objects.filter(number="SB-RACE").count() == 1
    assert AuditEvent.objects.filter(action="DEVICE_REGISTERED").count() == 1


def test_only_the_secrecy_office_of_the_unit_registers(people, register_device,
                                                       register_medium, auditor):
    for key in ("head", "leader", "top", "office2"):
        with pytest.raises(AccessDenied):
            register_device(actor=people[key])
        with pytest.raises(AccessDenied):
            register_medium(actor=people[key])
    with pytest.raises(AccessDenied):
        register_device(actor=auditor)  # rule T2
    assert not Device.objects.exists() and not Medium.objects.exists()


@pytest.mark.rule("L5")
def test_nobody_registers_above_their_own_clearance(people, register_device, register_medium):
    with pytest.raises(RuleViolation) as refused:
        register_device(actor=people["office_important"], level=Level.TOP_SECRET)
    assert refused.value.code == "above_clearance"
    assert register_device(actor=people["office_important"], level=Level.CONFIDENTIAL)
    with pytest.raises(RuleViolation):
        register_medium(actor=people["office_important"], level=Level.TOP_SECRET)


def test_users_are_added_once_and_removed(people, register_device):
    device = register_device()
    office, person = people["office"], people["confidential"].person
    services.add_device_user(office, device, person)
    with pytest.raises(Conflict) as twice:
        services.add_device_user(office, device, person)
    assert twice.value.code == "already_user"
    services.remove_device_user(office, device, person)
    assert not DeviceUser.objects.exists()
    with pytest.raises(Conflict) as gone:
        services.remove_device_user(office, device, person)
    assert gone.value.code == "not_a_user"
    events = AuditEvent.objects.filter(action__startswith="DEVICE_USER").order_by("seq")
    assert [e.action for e in events] == ["DEVICE_USER_ADDED", "DEVICE_USER_REMOVED"]


def test_only_the_office_changes_a_device(people, register_device):
    device = register_device()
    services.add_device_user(people["office"], device, people["confidential"].person)
    with pytest.raises(AccessDenied):  # the head sees it, but does not keep the ledger
        services.change_device_level(people["head"], device, Level.SECRET)
    with pytest.raises(NotFound):  # another unit learns nothing
        services.add_device_user(people["office2"], device, people["top"].person)
    with pytest.raises(NotFound):  # a 秘密 person with no duty on it does not see it
        services.update_device(people["secret"], device, location="x",
                               responsible=people["top"].person, state=DeviceState.IN_USE)


@pytest.mark.parametrize(("field", "value", "error"), [
    ("number", "", InvalidInput), ("number", "x" * 51, InvalidInput),
    ("number", "a\x00b", InvalidInput), ("kind", "laptop", InvalidInput),
    ("level", 4, InvalidInput), ("level", True, InvalidInput), ("level", "2", InvalidInput),
    ("location", "", InvalidInput), ("mac", "m" * 101, InvalidInput),
    ("in_use_on", "2026-01-01", InvalidInput), ("in_use_on", None, InvalidInput),
    ("os_installed_on", datetime.date(2999, 1, 1), InvalidInput),
    ("phone_line", "yes", InvalidInput), ("responsible", None, InvalidInput),
    ("department", None, InvalidInput),
])
def test_bad_input_is_refused_without_a_write(people, register_device, field, value, error):
    with pytest.raises(error) as refused:
        register_device(**{field: value})
    assert refused.value.fields
    assert not Device.objects.exists() and not AuditEvent.objects.filter(
        action="DEVICE_REGISTERED").exists()


def test_people_and_departments_of_another_unit_are_refused(people, register_device,
                                                            other_unit):
    with pytest.raises(InvalidInput) as refused:
        register_device(responsible=people["office2"].person)
    assert refused.value.code == "unknown_person"
    with pytest.raises(InvalidInput):
        register_device(department=people["office2"].person.department)


def test_a_medium_kind_and_level_are_checked(register_medium):
    with pytest.raises(InvalidInput):
        register_medium(kind="floppy")
    medium = register_medium(kind=MediumKind.OPTICAL, level=Level.NONSECRET,
                             capacity="700MB")
    assert (medium.kind, medium.level) == (MediumKind.OPTICAL, Level.NONSECRET)
    assert AuditEvent.objects.filter(action="MEDIUM_REGISTERED").count() == 1


def test_reading_a_confidential_device_is_audited(people, register_device):
    secret = register_device(level=Level.SECRET)
    confidential = register_device(level=Level.CONFIDENTIAL)
    services.record_device_read(people["office"], secret)
    services.record_device_read(people["office"], confidential)
    assert list(AuditEvent.objects.filter(action="DEVICE_READ").values_list(
        "object_id", flat=True)) == [str(confidential.pk)]


# --- rule D4: a level crossing the line between 非密 and classified ---------------------------


def bind(people, medium, device):
    return services.bind_medium(people["office"], medium, device)


@pytest.mark.rule("D4")
def test_raising_a_nonsecret_computer_refuses_while_a_nonsecret_medium_is_bound(
        people, register_device, register_medium):
    device = register_device(level=Level.NONSECRET)
    binding = bind(people, register_medium(number="JZ-FM", level=Level.NONSECRET), device)
    with pytest.raises(RuleViolation) as refused:
        services.change_device_level(people["office"], device, Level.SECRET)
    assert (refused.value.code, refused.value.rule) == ("cross_use", "D4")
    assert "level" in refused.value.fields and "JZ-FM" in refused.value.message
    assert Device.objects.get().level == Level.NONSECRET
    assert not AuditEvent.objects.filter(action="DEVICE_LEVEL_CHANGED").exists()
    services.unbind_medium(people["office"], binding)  # an ended binding is no obstacle
    services.change_device_level(people["office"], device, Level.SECRET)
    assert Device.objects.get().level == Level.SECRET


@pytest.mark.rule("D4")
def test_lowering_a_classified_computer_to_nonsecret_refuses_while_a_medium_is_bound(
        people, register_device, register_medium):
    device = register_device(level=Level.SECRET)
    binding = bind(people, register_medium(number="JZ-MM", level=Level.SECRET), device)
    with pytest.raises(RuleViolation) as refused:
        services.change_device_level(people["office"], device, Level.NONSECRET)
    assert (refused.value.code, refused.value.rule) == ("cross_use", "D4")
    assert "JZ-MM" in refused.value.message
    assert Device.objects.get().level == Level.SECRET
    services.unbind_medium(people["office"], binding)
    services.change_device_level(people["office"], device, Level.NONSECRET)
    assert Device.objects.get().level == Level.NONSECRET


@pytest.mark.rule("D4")
def test_changes_between_classified_levels_keep_media_at_or_below_the_device(
        people, register_device, register_medium):
    """The other side of the boundary: 秘密 ↔ 机密 is no cross use, so a 秘密 medium stays
    bound while the computer goes up and comes back down to its level."""
    device = register_device(level=Level.SECRET)
    bind(people, register_medium(level=Level.SECRET), device)
    services.change_device_level(people["office"], device, Level.CONFIDENTIAL)
    services.change_device_level(people["office"], device, Level.SECRET)
    assert Device.objects.get().level == Level.SECRET
    assert MediumBinding.objects.filter(unbound_on__isnull=True).count() == 1


# --- media: location and responsible person ---------------------------------------------------


@pytest.mark.rule("D2")
@pytest.mark.parametrize(("person_key", "level"), PAIRS)
def test_a_medium_is_handed_only_to_someone_cleared_for_it(people, register_medium,
                                                           person_key, level):
    medium = register_medium(level=level, responsible=people["top"].person)
    person = people[person_key].person
    if allowed(person_key, level):
        services.update_medium(people["office"], medium, location="保密柜 2",
                               responsible=person)
        medium.refresh_from_db()
        assert (medium.responsible, medium.location) == (person, "保密柜 2")
        event = AuditEvent.objects.get(action="MEDIUM_UPDATED")
        assert json.loads(event.before)["responsible"] == people["top"].person_id
        assert json.loads(event.after) == {"location": "保密柜 2", "responsible": person.pk}
        return
    with pytest.raises(RuleViolation) as refused:
        services.update_medium(people["office"], medium, location="保密柜 2",
                               responsible=person)
    assert refused.value.code == "clearance" and "responsible" in refused.value.fields
    medium.refresh_from_db()
    assert (medium.responsible, medium.location) == (people["top"].person, "保密办")
    assert not AuditEvent.objects.filter(action="MEDIUM_UPDATED").exists()


def test_only_the_office_updates_a_medium(people, register_medium, auditor):
    medium = register_medium()
    change = {"location": "x", "responsible": people["top"].person}
    with pytest.raises(AccessDenied):  # the head sees it, but does not keep the ledger
        services.update_medium(people["head"], medium, **change)
    with pytest.raises(NotFound):  # another unit learns nothing
        services.update_medium(people["office2"], medium, **change)
    with pytest.raises(NotFound):  # rule L5: a 机密 medium is out of a 秘密 person's sight
        services.update_medium(people["secret"], medium, **change)
    with pytest.raises(AccessDenied):  # rule T2
        services.update_medium(auditor, medium, **change)
    with pytest.raises(NotFound):
        services.update_medium(people["office"], Medium(pk=None), **change)
    assert Medium.objects.get().location == "保密办"


@pytest.mark.parametrize(("field", "value"), [
    ("location", "x" * 201), ("location", "a\x00b"), ("location", 12),
    ("responsible", None), ("responsible", "top"),
])
def test_bad_medium_updates_are_refused_without_a_write(people, register_medium, field, value):
    medium = register_medium()
    change = {"location": "保密柜 2", "responsible": people["top"].person, field: value}
    with pytest.raises(InvalidInput) as refused:
        services.update_medium(people["office"], medium, **change)
    assert refused.value.fields
    assert not AuditEvent.objects.filter(action="MEDIUM_UPDATED").exists()


def test_a_medium_is_handed_only_within_its_unit(people, register_medium):
    medium = register_medium()
    gone = people["confidential"].person
    Person.objects.filter(pk=gone.pk).update(active=False)
    gone.refresh_from_db()
    for person in (people["office2"].person, gone):
        with pytest.raises(InvalidInput) as refused:
            services.update_medium(people["office"], medium, location="", responsible=person)
        assert refused.value.code == "unknown_person"
    assert Medium.objects.get().responsible == people["top"].person
