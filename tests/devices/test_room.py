"""rule Q7, equipment side: a 机密 or 绝密 server processes and stores the unit's 机密+
information in bulk, so it stands in a secure room of its unit meeting Q7 — door access
control, video kept at least 30 days from a camera outside the room, an intrusion alarm.
Registering, moving and raising refuse (code `secure_room`); the rule `devices.secure_room`
finds what changed afterwards. Desktops, portables and office equipment are not affected, nor
秘密 and 非密 servers (which may name a room)."""

import io
import json

import pytest
from openpyxl import Workbook

from baomi.audit.models import AuditEvent
from baomi.compliance.services import update_room
from baomi.core.errors import InvalidInput, RuleViolation
from baomi.core.labels import Level
from baomi.core.testing.factories import SecureRoomFactory
from baomi.devices import services
from baomi.devices.choices import DeviceKind, DeviceState
from baomi.devices.importing import DEVICE_COLUMNS, ImportRejected
from baomi.devices.models import Device
from baomi.devices.rules_room import server_outside_secure_room
from baomi.obligations.registry import Severity

from . import support
from .support import today

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)

pytestmark = [pytest.mark.django_db, pytest.mark.rule("Q7")]
SERVER = DeviceKind.SERVER
LACKING = [{"access_control": False}, {"video": False}, {"camera_inside": True},
           {"alarm": False}]


@pytest.fixture
def good_room(unit):
    return SecureRoomFactory(unit=unit, name="中心机房")


def refused(call, field="room"):
    with pytest.raises(RuleViolation) as exc:
        call()
    assert (exc.value.code, exc.value.rule) == ("secure_room", "Q7")
    assert field in exc.value.fields
    return exc.value


def listed(day=None):
    return [row["subject_id"] for row in server_outside_secure_room(day or today())]


def measures(room, **changes):
    values = {name: getattr(room, name) for name in
              ("access_control", "video", "video_retention_days", "camera_inside", "alarm")}
    return {**values, **changes}


# --- registration -----------------------------------------------------------------------------


@pytest.mark.parametrize("level", list(Level))
def test_from_confidential_up_a_server_needs_a_room(people, register_device, level):
    if level >= Level.CONFIDENTIAL:
        refused(lambda: register_device(kind=SERVER, level=level))
        assert not Device.objects.exists()
        assert not AuditEvent.objects.filter(action="DEVICE_REGISTERED").exists()
    else:  # 秘密 and 非密 servers stand anywhere
        assert register_device(kind=SERVER, level=level).room is None


@pytest.mark.parametrize("kind", sorted(set(DeviceKind) - {SERVER}))
def test_other_kinds_of_top_secret_need_no_room(people, register_device, kind):
    assert register_device(kind=kind, level=Level.TOP_SECRET).room is None


@pytest.mark.parametrize(("days", "meets"), [(29, False), (30, True)])
def test_video_is_kept_thirty_days_not_twenty_nine(people, unit, register_device, days,
                                                   meets):
    room = SecureRoomFactory(unit=unit, video_retention_days=days)
    if meets:
        assert register_device(kind=SERVER, room=room).room == room
    else:
        error = refused(lambda: register_device(kind=SERVER, room=room))
        assert room.name in error.message and not Device.objects.exists()


@pytest.mark.parametrize("lacking", LACKING)
def test_each_measure_is_needed(people, unit, register_device, lacking):
    room = SecureRoomFactory(unit=unit, **lacking)
    refused(lambda: register_device(kind=SERVER, level=Level.TOP_SECRET, room=room))
    assert register_device(kind=SERVER, level=Level.SECRET, room=room).room == room


def test_the_room_is_one_of_the_unit_by_instance_or_id(people, other_unit, register_device,
                                                       good_room):
    foreign = SecureRoomFactory(unit=other_unit)
    for value in (foreign, foreign.pk, 0, -1, 2**63, "1", True):
        with pytest.raises(InvalidInput) as exc:
            register_device(kind=SERVER, room=value)
        assert exc.value.code == "unknown_room" and "room" in exc.value.fields
    device = register_device(kind=SERVER, room=good_room.pk)
    assert device.room_id == good_room.pk
    event = AuditEvent.objects.get(action="DEVICE_REGISTERED")
    assert json.loads(event.after)["room"] == good_room.pk


# --- moving and raising -----------------------------------------------------------------------


def move(people, device, room):
    return services.update_device(people["office"], device, location="机房",
                                  responsible=people["top"].person, state=DeviceState.IN_USE,
                                  room=room)


def test_a_confidential_server_moves_only_to_a_room_meeting_q7(people, unit, register_device,
                                                               good_room):
    server = register_device(kind=SERVER, room=good_room)
    poor = SecureRoomFactory(unit=unit, alarm=False)
    refused(lambda: move(people, server, poor))
    refused(lambda: move(people, server, None))
    assert Device.objects.get(pk=server.pk).room_id == good_room.pk
    better = SecureRoomFactory(unit=unit)
    assert move(people, server, better).room == better
    event = AuditEvent.objects.get(action="DEVICE_UPDATED")
    assert (json.loads(event.before)["room"], json.loads(event.after)["room"]) == (
        good_room.pk, better.pk)


def test_an_update_leaving_the_room_alone_keeps_it(people, register_device, good_room):
    server = register_device(kind=SERVER, room=good_room)
    services.update_device(people["office"], server, location="二号机柜",
                           responsible=people["top"].person, state=DeviceState.IDLE)
    assert Device.objects.get(pk=server.pk).room_id == good_room.pk


def test_a_secret_server_and_a_desktop_leave_their_room_freely(people, register_device,
                                                                good_room):
    for device in (register_device(kind=SERVER, level=Level.SECRET, room=good_room),
                   register_device(level=Level.TOP_SECRET, room=good_room)):
        assert move(people, device, None).room is None


def test_raising_a_server_to_confidential_needs_its_room_to_meet_q7(people, unit,
                                                                    register_device):
    poor = SecureRoomFactory(unit=unit, video_retention_days=29)
    server = register_device(kind=SERVER, level=Level.SECRET, room=poor)
    bare = register_device(kind=SERVER, level=Level.SECRET)
    for device in (server, bare):
        refused(lambda d=device: services.change_device_level(
            people["office"], d, Level.CONFIDENTIAL), field="level")
        assert Device.objects.get(pk=device.pk).level == Level.SECRET
    update_room(people["office"], poor, name=poor.name, location=poor.location,
                **measures(poor, video_retention_days=30))
    raised = services.change_device_level(people["office"], server, Level.TOP_SECRET)
    assert raised.level == Level.TOP_SECRET
    desktop = register_device(level=Level.SECRET)
    assert services.change_device_level(people["office"], desktop, Level.TOP_SECRET).level \
        == Level.TOP_SECRET


# --- the obligation rule ----------------------------------------------------------------------


def test_the_rule_lists_servers_whose_room_no_longer_meets_q7(people, register_device,
                                                              good_room):
    server = register_device(kind=SERVER, level=Level.TOP_SECRET, room=good_room)
    register_device(kind=SERVER, level=Level.SECRET, room=good_room)
    register_device(level=Level.TOP_SECRET)  # a desktop stands on a desk
    assert listed() == []
    update_room(people["office"], good_room, name=good_room.name,
                location=good_room.location, **measures(good_room, video_retention_days=29))
    rows = list(server_outside_secure_room(today()))
    assert [row["subject_id"] for row in rows] == [server.pk]
    assert rows[0]["level"] == Level.TOP_SECRET  # rule L5: seen by those cleared for it
    assert (rows[0]["severity"], rows[0]["due_date"], rows[0]["subject_type"]) == (
        Severity.CRITICAL, today(), "devices.device")
    update_room(people["office"], good_room, name=good_room.name,
                location=good_room.location, **measures(good_room, video_retention_days=30))
    assert listed() == []


@pytest.mark.parametrize("lacking", LACKING)
def test_the_rule_checks_each_measure(people, unit, register_device, lacking):
    room = SecureRoomFactory(unit=unit)
    server = register_device(kind=SERVER, room=room)
    room.__class__.objects.filter(pk=room.pk).update(**lacking)
    assert listed() == [server.pk]


def test_the_rule_lists_a_server_in_no_room_until_it_retires(people, register_device,
                                                             good_room):
    server = register_device(kind=SERVER, room=good_room)
    Device.objects.filter(pk=server.pk).update(room=None)  # registered before rooms were
    assert listed() == [server.pk]
    Device.objects.filter(pk=server.pk).update(state=DeviceState.IDLE)
    assert listed() == [server.pk]
    Device.objects.filter(pk=server.pk).update(state=DeviceState.RETIRED)
    assert listed() == []


# --- pages ------------------------------------------------------------------------------------


def device_post(people, yf1, **overrides):
    data = {"number": "HX-FWQ-001", "kind": "server", "level": int(Level.CONFIDENTIAL),
            "department": yf1.pk, "responsible": people["top"].person_id,
            "location": "中心机房 1号机柜", "in_use_on": today().isoformat()}
    data.update(overrides)
    return data


def test_the_register_form_offers_the_rooms_and_shows_the_refusal(client, people, unit, yf1,
                                                                  good_room):
    poor = SecureRoomFactory(unit=unit, name="库房", alarm=False)
    client.force_login(people["office"])
    form = client.get("/devices/new/").content.decode()
    assert f'value="{good_room.pk}"' in form and f'value="{poor.pk}"' in form
    response = client.post("/devices/new/", device_post(people, yf1, room=poor.pk))
    assert response.status_code == 422
    assert "room" in response.context["form"].errors and not Device.objects.exists()
    response = client.post("/devices/new/", device_post(people, yf1, room=good_room.pk))
    assert response.status_code == 302
    server = Device.objects.get(number="HX-FWQ-001")
    assert server.room == good_room
    detail = client.get(f"/devices/{server.pk}/").content.decode()
    assert 'data-field="room" data-meets-q7="yes"' in detail and "中心机房" in detail
    update_room(people["office"], good_room, name=good_room.name,
                location=good_room.location, **measures(good_room, alarm=False))
    detail = client.get(f"/devices/{server.pk}/").content.decode()
    assert 'data-field="room" data-meets-q7="no"' in detail


def test_the_detail_form_moves_a_server_between_rooms(client, people, unit, register_device,
                                                      good_room):
    server = register_device(kind=SERVER, room=good_room)
    poor = SecureRoomFactory(unit=unit, camera_inside=True)
    client.force_login(people["office"])
    data = {"action": "update", "update-location": "库房", "update-state": "in_use",
            "update-responsible": people["top"].person_id, "update-room": poor.pk}
    response = client.post(f"/devices/{server.pk}/", data)
    assert response.status_code == 422 and "room" in response.context["forms"]["update"].errors
    assert Device.objects.get(pk=server.pk).room == good_room
    better = SecureRoomFactory(unit=unit)
    response = client.post(f"/devices/{server.pk}/", {**data, "update-room": better.pk})
    assert response.status_code == 302 and Device.objects.get(pk=server.pk).room == better


def test_the_room_page_lists_the_devices_the_user_sees(client, people, register_device,
                                                       good_room):
    top = register_device(number="FWQ-TOP", kind=SERVER, level=Level.TOP_SECRET,
                          room=good_room)
    confidential = register_device(number="FWQ-CONF", kind=SERVER, room=good_room)
    register_device(number="PC-ELSEWHERE")
    client.force_login(people["office"])
    page = client.get(f"/compliance/rooms/{good_room.pk}/")
    assert [d.pk for d in page.context["devices"].items] == [confidential.pk, top.pk]
    client.force_login(people["office_important"])  # cleared 机密 (rule L5)
    page = client.get(f"/compliance/rooms/{good_room.pk}/")
    assert [d.pk for d in page.context["devices"].items] == [confidential.pk]


def test_the_export_names_the_room(client, people, register_device, good_room):
    register_device(number="FWQ-1", kind=SERVER, room=good_room)
    register_device(number="PC-1")
    client.force_login(people["office"])
    rows = support.sheet_rows(support.streamed(client.get("/devices/export.xlsx")))
    assert [(row[0], row[-1]) for row in rows[1:]] == [("PC-1", None), ("FWQ-1", "中心机房")]


# --- import -----------------------------------------------------------------------------------


def upload(*rows):
    book = Workbook()
    sheet = book.active
    sheet.append([column.title for column in DEVICE_COLUMNS])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def server_row(number, room, level="机密"):
    return [number, level, "服务器", "", "", "", "", "", "", None, "研发一部", "郭绝密",
            "机房", "2024-03-01", "否", "在用", room]


def test_the_import_finds_the_room_by_name_or_names_the_problem(people, unit, good_room):
    SecureRoomFactory(unit=unit, name="旧机房", alarm=False)
    with pytest.raises(ImportRejected) as exc:
        services.import_devices(people["office"], unit, upload(
            server_row("FWQ-1", "中心机房"), server_row("FWQ-2", "无此机房"),
            server_row("FWQ-3", "旧机房"), server_row("FWQ-4", ""),
            server_row("FWQ-5", "", level="秘密")))
    assert sorted((e.line, e.column) for e in exc.value.errors) == [
        (3, "保密室"), (4, "保密室"), (5, "保密室")]
    assert not Device.objects.exists()
    assert services.import_devices(people["office"], unit, upload(
        server_row("FWQ-1", "中心机房"), server_row("FWQ-5", "", level="秘密"))) == 2
    assert Device.objects.get(number="FWQ-1").room == good_room


# --- API --------------------------------------------------------------------------------------

BASE = "/api/v1/devices"


def api_body(people, yf1, **overrides):
    return {"number": "HX-FWQ-001", "kind": "server", "level": 2, "department_id": yf1.pk,
            "responsible_id": people["top"].person_id, "location": "中心机房",
            "in_use_on": today().isoformat(), **overrides}


def post(client, path, data):
    return client.post(f"{BASE}{path}", data, content_type="application/json")


def test_the_api_takes_and_gives_the_room(client, people, unit, other_unit, yf1, good_room):
    poor = SecureRoomFactory(unit=unit, video=False)
    client.force_login(people["office"])
    assert post(client, "/devices", api_body(people, yf1)).json()["code"] == "secure_room"
    response = post(client, "/devices", api_body(people, yf1, room_id=poor.pk))
    assert response.status_code == 422 and response.json()["code"] == "secure_room"
    foreign = SecureRoomFactory(unit=other_unit)
    response = post(client, "/devices", api_body(people, yf1, room_id=foreign.pk))
    assert response.status_code in (400, 422) and "room_id" in response.json()["fields"]
    response = post(client, "/devices", api_body(people, yf1, room_id=good_room.pk))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["room_id"], body["room_name"], body["room_meets_q7"]) == (
        good_room.pk, "中心机房", True)
    [row] = client.get(f"{BASE}/devices").json()["items"]
    assert (row["room_id"], row["room_meets_q7"]) == (good_room.pk, True)
    move = {"location": "库房", "responsible_id": people["top"].person_id, "state": "idle",
            "room_id": poor.pk}
    response = post(client, f"/devices/{body['id']}", move)
    assert response.status_code == 422 and response.json()["code"] == "secure_room"
    better = SecureRoomFactory(unit=unit)
    response = post(client, f"/devices/{body['id']}", {**move, "room_id": better.pk})
    assert response.status_code == 200
    assert (response.json()["room_id"], response.json()["state"]) == (better.pk, "idle")
