"""Secure rooms (rule Q7), services: the 保密办 of the unit registers a room with its
measures and records them as they are now; a room meets Q7 with door access control, video
kept at least 30 days from a camera outside the room, and an intrusion alarm."""

import json

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance import services
from baomi.compliance.models import SecureRoom
from baomi.core.errors import AccessDenied, Conflict, InvalidInput
from baomi.core.labels import Category
from baomi.core.testing.factories import UnitFactory

GOOD = {"access_control": True, "video": True, "video_retention_days": 90,
        "camera_inside": False, "alarm": True}


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


def register(actor, unit, name="保密室", location="行政楼三层", **measures):
    return services.register_room(actor, unit=unit, name=name, location=location,
                                  **{**GOOD, **measures})


def update(actor, room, **changes):
    fields = {"name": room.name, "location": room.location, "note": room.note,
              **{measure: getattr(room, measure) for measure in services.ROOM_MEASURES}}
    return services.update_room(actor, room, **{**fields, **changes})


@pytest.mark.rule("Q7")
def test_the_office_registers_a_room_meeting_q7(unit, office):
    room = register(office, unit, note="双人双锁")
    stored = SecureRoom.objects.get(pk=room.pk)
    assert (stored.unit, stored.name, stored.note, stored.video_retention_days) == (
        unit, "保密室", "双人双锁", 90)
    assert services.q7_shortfalls(stored) == []
    event = AuditEvent.objects.get(action="SECURE_ROOM_REGISTERED")
    assert (event.object_id, json.loads(event.after)["meets_q7"]) == (str(room.pk), True)


@pytest.mark.rule("Q7")
@pytest.mark.parametrize(("days", "meets"), [(29, False), (30, True)])
def test_video_is_kept_thirty_days_not_twenty_nine(unit, office, days, meets):
    room = register(office, unit, video_retention_days=days)
    shortfalls = services.q7_shortfalls(room)
    assert (shortfalls == []) is meets
    assert len(shortfalls) == (0 if meets else 1)


@pytest.mark.rule("Q7")
@pytest.mark.parametrize("lacking", [{"access_control": False}, {"video": False},
                                     {"camera_inside": True}, {"alarm": False}])
def test_each_measure_is_needed(unit, office, lacking):
    room = register(office, unit, **lacking)
    assert len(services.q7_shortfalls(room)) == 1
    assert not services.q7_shortfalls(SecureRoom(**GOOD))  # the same room with every measure


@pytest.mark.rule("Q7")
def test_a_room_lacking_everything_names_each_shortfall_and_no_room_is_a_shortfall(
        unit, office):
    bare = register(office, unit, access_control=False, video=False, video_retention_days=0,
                    camera_inside=True, alarm=False)
    assert len(services.q7_shortfalls(bare)) == 4  # access, video, camera inside, alarm
    assert len(services.q7_shortfalls(None)) == 1


@pytest.mark.rule("Q7")
def test_without_video_the_retention_is_not_kept(unit, office):
    room = register(office, unit, video=False, video_retention_days=90)
    assert SecureRoom.objects.get(pk=room.pk).video_retention_days == 0


@pytest.mark.rule("Q7")
def test_the_office_records_the_measures_as_they_are_now(unit, office):
    room = register(office, unit)
    updated = update(office, room, alarm=False, name="档案室", note="报警器故障")
    stored = SecureRoom.objects.get(pk=room.pk)
    assert (updated.pk, stored.name, stored.alarm, stored.note) == (room.pk, "档案室", False,
                                                                    "报警器故障")
    assert len(services.q7_shortfalls(stored)) == 1
    event = AuditEvent.objects.get(action="SECURE_ROOM_UPDATED")
    before, after = json.loads(event.before), json.loads(event.after)
    assert (before["meets_q7"], after["meets_q7"]) == (True, False)
    assert (before["name"], after["name"]) == ("保密室", "档案室")


@pytest.mark.rule("Q7")
def test_only_the_office_of_the_unit_registers_and_updates(unit, office, make_user, secadmin):
    other_unit = UnitFactory(name="另一单位", code="OTHER")
    outsiders = [
        make_user("staff", roles=[Role.STAFF], category=Category.CORE),
        make_user("leader", roles=[Role.LEADER], category=Category.CORE),
        make_user("head", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE),
        make_user("other_office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                  unit=other_unit),
        secadmin, None]
    room = register(office, unit)
    for actor in outsiders:
        with pytest.raises(AccessDenied) as exc:
            register(actor, unit, name="新保密室")
        assert exc.value.code == "not_secrecy_office"
        with pytest.raises(AccessDenied):
            update(actor, room, alarm=False)
    assert list(SecureRoom.objects.values_list("name", "alarm")) == [("保密室", True)]
    assert AuditEvent.objects.filter(action__startswith="SECURE_ROOM_").count() == 1


def test_a_name_is_unique_in_the_unit(unit, office, make_user):
    first = register(office, unit)
    second = register(office, unit, name="档案室")
    with pytest.raises(Conflict) as exc:
        register(office, unit, name=" 保密室 ")  # the same name once stripped
    assert (exc.value.code, exc.value.status, list(exc.value.fields)) == (
        "name_exists", 409, ["name"])
    with pytest.raises(Conflict) as exc:
        update(office, second, name=first.name)
    assert exc.value.code == "name_exists"
    assert SecureRoom.objects.get(pk=second.pk).name == "档案室"
    assert update(office, first, name="保密室", alarm=False).alarm is False  # its own name
    other_unit = UnitFactory(name="另一单位", code="OTHER")
    elsewhere = make_user("other_office", roles=[Role.SECRECY_OFFICE], unit=other_unit)
    assert register(elsewhere, other_unit).name == "保密室"  # another unit may use it


BAD_INPUT = [
    ({"name": ""}, "name"), ({"name": "   "}, "name"), ({"name": "x" * 101}, "name"),
    ({"name": None}, "name"), ({"name": 12}, "name"), ({"name": "保密\x00室"}, "name"),
    ({"location": ""}, "location"), ({"location": "x" * 201}, "location"),
    ({"note": "x" * 501}, "note"),
    ({"video_retention_days": -1}, "video_retention_days"),
    ({"video_retention_days": 3661}, "video_retention_days"),
    ({"video_retention_days": True}, "video_retention_days"),
    ({"video_retention_days": "30"}, "video_retention_days"),
    ({"alarm": "yes"}, "alarm"), ({"access_control": 1}, "access_control"),
    ({"video": None}, "video"), ({"camera_inside": "false"}, "camera_inside"),
    ({"windows": True}, "windows"),
]


@pytest.mark.parametrize(("bad", "field"), BAD_INPUT)
def test_bad_input_is_refused_and_nothing_is_written(unit, office, bad, field):
    room = register(office, unit)
    fields = {"name": "档案室", "location": "行政楼四层", "note": "", **GOOD, **bad}
    with pytest.raises(InvalidInput) as exc:
        services.register_room(office, unit=unit, **fields)
    assert field in exc.value.fields
    with pytest.raises(InvalidInput):
        services.update_room(office, room, **fields)
    assert list(SecureRoom.objects.values_list("name", "location")) == [("保密室", "行政楼三层")]
    assert AuditEvent.objects.filter(action__startswith="SECURE_ROOM_").count() == 1


def test_days_at_the_bounds_are_accepted(unit, office):
    assert register(office, unit, video_retention_days=3660).video_retention_days == 3660
    assert register(office, unit, name="档案室", video_retention_days=0).video_retention_days == 0
