"""The secure-room API (/api/v1/compliance/rooms, rule Q7): the 保密办 lists, registers, reads
and updates the rooms of its unit with whether each meets Q7; anyone else sees none and
changes none; every refusal is a 4xx with a stable code and writes nothing."""

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.carriers.choices import ContainerKind
from baomi.carriers.models import Container
from baomi.compliance.models import SecureRoom
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import SecureRoomFactory

BASE = "/api/v1/compliance/rooms"
BODY = {"name": "档案室", "location": "行政楼四层", "access_control": True, "video": True,
        "video_retention_days": 90, "camera_inside": False, "alarm": True, "note": ""}


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def written():
    return (SecureRoom.objects.count(),
            AuditEvent.objects.filter(action__startswith="SECURE_ROOM_").count())


@pytest.mark.rule("Q7")
def test_the_office_registers_reads_and_updates_a_room(client, unit, office):
    client.force_login(office)
    response = post(client, BASE, {**BODY, "alarm": False})
    assert response.status_code == 201, response.content
    room = response.json()
    assert (room["unit_id"], room["name"], room["alarm"], room["meets_q7"]) == (
        unit.pk, "档案室", False, False)
    assert len(room["shortfalls"]) == 1 and room["container_count"] == 0
    Container.objects.create(unit=unit, number="MX-01", kind=ContainerKind.SAFE,
                             rating=Level.TOP_SECRET, location="档案室",
                             room_id=room["id"])
    one = client.get(f"{BASE}/{room['id']}")
    assert one.status_code == 200 and one.json()["container_count"] == 1
    updated = post(client, f"{BASE}/{room['id']}", {**BODY, "note": "报警器已安装"})
    assert updated.status_code == 200, updated.content
    assert (updated.json()["meets_q7"], updated.json()["shortfalls"],
            updated.json()["note"]) == (True, [], "报警器已安装")
    assert SecureRoom.objects.get(pk=room["id"]).alarm is True
    assert written() == (1, 2)


@pytest.mark.rule("Q7")
@pytest.mark.parametrize(("days", "meets"), [(29, False), (30, True)])
def test_video_kept_thirty_days_meets_q7_twenty_nine_does_not(client, office, days, meets):
    client.force_login(office)
    response = post(client, BASE, {**BODY, "video_retention_days": days})
    assert response.status_code == 201
    assert response.json()["meets_q7"] is meets


def test_the_list_is_paged_by_key(client, unit, office):
    rooms = [SecureRoomFactory(unit=unit) for _ in range(3)]
    client.force_login(office)
    first = client.get(f"{BASE}?limit=2").json()
    assert [item["id"] for item in first["items"]] == [rooms[2].pk, rooms[1].pk]
    assert first["next_after"] == rooms[1].pk
    second = client.get(f"{BASE}?limit=2&after={first['next_after']}").json()
    assert ([item["id"] for item in second["items"]], second["next_after"]) == (
        [rooms[0].pk], None)
    assert second["items"][0]["meets_q7"] is True


def test_a_name_is_unique_in_the_unit(client, unit, office):
    SecureRoomFactory(unit=unit, name="机要室")
    client.force_login(office)
    duplicate = post(client, BASE, {**BODY, "name": "机要室"})
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "name_exists"
    assert "name" in duplicate.json()["fields"]
    other = post(client, BASE, BODY).json()
    renamed = post(client, f"{BASE}/{other['id']}", {**BODY, "name": "机要室"})
    assert renamed.status_code == 409 and renamed.json()["code"] == "name_exists"
    assert written() == (2, 1)


@pytest.mark.rule("T2")
def test_no_one_but_the_office_sees_or_changes_a_room(client, unit, make_user, secadmin,
                                                     auditor):
    room = SecureRoomFactory(unit=unit)
    for user in (make_user("staff", roles=[Role.STAFF], category=Category.CORE),
                 make_user("leader", roles=[Role.LEADER], category=Category.CORE),
                 secadmin, auditor):
        client.force_login(user)
        assert client.get(BASE).json() == {"items": [], "next_after": None}
        for response in (client.get(f"{BASE}/{room.pk}"),
                         post(client, f"{BASE}/{room.pk}", BODY)):
            assert response.status_code == 404 and response.json()["code"] == "not_found"
        refused = post(client, BASE, BODY)
        assert refused.status_code == 403 and refused.json()["code"] == "not_secrecy_office"
    assert written() == (1, 0)
    client.logout()
    assert client.get(BASE).status_code == 401


@pytest.mark.parametrize(("bad", "status"), [
    ({"name": ""}, 422), ({"name": "x" * 101}, 422), ({"name": "   "}, 400),
    ({"name": "档案\x00室"}, 400), ({"location": "x" * 201}, 422), ({"note": "x" * 501}, 422),
    ({"video_retention_days": -1}, 422), ({"video_retention_days": 3661}, 422),
    ({"video_retention_days": "很多"}, 422), ({"alarm": "maybe"}, 422),
    ({"name": None}, 422), ({"name": ["档案室"]}, 422)])
def test_bad_input_is_a_4xx_and_writes_nothing(client, unit, office, bad, status):
    room = SecureRoomFactory(unit=unit, name="机要室")
    client.force_login(office)
    assert post(client, BASE, {**BODY, **bad}).status_code == status
    assert post(client, f"{BASE}/{room.pk}", {**BODY, **bad}).status_code == status
    assert written() == (1, 0)
    assert SecureRoom.objects.get(pk=room.pk).name == "机要室"


def test_bad_paging_and_ids_are_4xx(client, office):
    client.force_login(office)
    for url in (f"{BASE}?limit=0", f"{BASE}?limit=501", f"{BASE}?after=-1", f"{BASE}/0",
                f"{BASE}/99999999999999999999", f"{BASE}/abc"):
        assert 400 <= client.get(url).status_code < 500, url
    missing = post(client, f"{BASE}/0", BODY)
    assert 400 <= missing.status_code < 500
