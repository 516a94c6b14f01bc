"""The devices API for the ledgers: register, list, read, users and level of a device;
register, list and read a medium; 4xx with a stable code on every refusal, never a 500."""

import pytest

from baomi.audit.models import AuditEvent
from baomi.core.labels import Level
from baomi.devices.models import Device, DeviceUser, Medium

from . import support
from .support import today

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)

BASE = "/api/v1/devices"


def post(client, path, data=None):
    return client.post(f"{BASE}{path}", data or {}, content_type="application/json")


def device_body(people, yf1, **overrides):
    body = {"number": "HX-JSJ-001", "kind": "desktop", "level": 2, "department_id": yf1.pk,
            "responsible_id": people["top"].person_id, "location": "科研楼 203",
            "in_use_on": today().isoformat(), "mac": "00-1A-2B-3C-4D-01",
            "os": "中标麒麟 V7.0", "os_installed_on": today().isoformat()}
    body.update(overrides)
    return body


@pytest.mark.rule("D1")
def test_register_list_and_read_a_device(client, people, yf1):
    client.force_login(people["office"])
    response = post(client, "/devices", device_body(people, yf1))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["family"], body["level"], body["users"]) == (
        "HX-JSJ-001", "computer", 2, [])
    listed = client.get(f"{BASE}/devices").json()
    assert [row["id"] for row in listed["items"]] == [body["id"]]
    assert listed["next_after"] is None
    assert client.get(f"{BASE}/devices?family=office").json()["items"] == []
    read = client.get(f"{BASE}/devices/{body['id']}")
    assert read.status_code == 200 and read.json()["mac"] == "00-1A-2B-3C-4D-01"
    assert AuditEvent.objects.filter(action="DEVICE_READ").count() == 1  # 机密


def test_the_list_pages_by_key(client, people, register_device):
    made = [register_device(number=f"PC-{n}") for n in range(3)]
    client.force_login(people["office"])
    first = client.get(f"{BASE}/devices?limit=2").json()
    assert [row["id"] for row in first["items"]] == [made[2].pk, made[1].pk]
    rest = client.get(f"{BASE}/devices?limit=2&after={first['next_after']}").json()
    assert [row["id"] for row in rest["items"]] == [made[0].pk]


@pytest.mark.rule("D2")
def test_users_and_level_through_the_api(client, people, register_device):
    device = register_device(level=Level.SECRET)
    client.force_login(people["office"])
    refused = post(client, f"/devices/{device.pk}/users",
                   {"person_id": people["none"].person_id})
    assert refused.status_code == 422 and refused.json()["code"] == "clearance"
    added = post(client, f"/devices/{device.pk}/users",
                 {"person_id": people["secret"].person_id})
    assert added.status_code == 200
    assert [u["name"] for u in added.json()["users"]] == ["马秘密"]
    twice = post(client, f"/devices/{device.pk}/users", {"person_id": people["secret"].person_id})
    assert twice.status_code == 409 and twice.json()["code"] == "already_user"
    raised = post(client, f"/devices/{device.pk}/level", {"level": 2})
    assert raised.status_code == 422 and raised.json()["code"] == "clearance"
    removed = post(client, f"/devices/{device.pk}/users/{people['secret'].person_id}/remove")
    assert removed.status_code == 200 and removed.json()["users"] == []
    raised = post(client, f"/devices/{device.pk}/level", {"level": 2})
    assert raised.status_code == 200 and raised.json()["level"] == 2


@pytest.mark.rule("D9")
def test_rule_refusals_carry_their_code(client, people, yf1, register_device):
    client.force_login(people["office"])
    response = post(client, "/devices", device_body(people, yf1, kind="fax", phone_line=True))
    assert response.status_code == 422 and response.json()["code"] == "phone_line"
    response = post(client, "/devices", device_body(
        people, yf1, responsible_id=people["secret"].person_id))
    assert response.status_code == 422 and response.json()["code"] == "clearance"
    register_device(number="HX-JSJ-001")
    response = post(client, "/devices", device_body(people, yf1))
    assert response.status_code == 409 and response.json()["code"] == "number_exists"


@pytest.mark.parametrize("bad", [
    {"level": 4}, {"level": -1}, {"kind": "laptop"}, {"number": ""}, {"number": "x" * 51},
    {"in_use_on": "2999-01-01"}, {"in_use_on": "0001-01-01"}, {"in_use_on": "soon"},
    {"department_id": 0}, {"department_id": 2**63}, {"responsible_id": 999999},
    {"location": "a\u0000b"}, {"mac": "m" * 101}, {"phone_line": "maybe"},
])
def test_bad_input_is_a_4xx(client, people, yf1, bad):
    client.force_login(people["office"])
    response = post(client, "/devices", device_body(people, yf1, **bad))
    assert 400 <= response.status_code < 500, (bad, response.status_code)
    assert not Device.objects.exists()


def test_bad_queries_and_ids_are_4xx(client, people, register_device):
    device = register_device()
    client.force_login(people["office"])
    for url in ("/devices?level=9", "/devices?family=x", "/devices?limit=0",
                "/devices?after=-5", "/devices?q=" + "x" * 101, "/media?state=lost",
                "/devices/0", f"/devices/{2**63}", "/devices/999999", "/media/999999"):
        status = client.get(f"{BASE}{url}").status_code
        assert 400 <= status < 500, (url, status)
    assert post(client, f"/devices/{device.pk}/level", {"level": "high"}).status_code == 422
    assert post(client, f"/devices/{device.pk}/users", {"person_id": "x"}).status_code == 422
    assert post(client, f"/devices/{device.pk}/users/999999/remove").status_code == 400
    assert post(client, "/devices/999999/users",
                {"person_id": people["top"].person_id}).status_code == 404
    assert not DeviceUser.objects.exists()


def test_only_the_office_writes(client, people, yf1, register_device):
    device = register_device()
    client.force_login(people["head"])
    assert post(client, "/devices", device_body(people, yf1)).status_code == 403
    response = post(client, f"/devices/{device.pk}/level", {"level": 1})
    assert response.status_code == 403 and response.json()["code"] == "not_secrecy_office"
    client.force_login(people["office2"])  # another unit's office sees nothing of it
    assert post(client, f"/devices/{device.pk}/level", {"level": 1}).status_code == 404


@pytest.mark.rule("D4")
def test_register_list_and_read_a_medium(client, people, yf1):
    client.force_login(people["office"])
    body = {"number": "HX-U-001", "kind": "usb", "level": 1, "department_id": yf1.pk,
            "responsible_id": people["secret"].person_id, "capacity": "64GB"}
    response = post(client, "/media", body)
    assert response.status_code == 201, response.content
    medium_id = response.json()["id"]
    assert [row["id"] for row in client.get(f"{BASE}/media").json()["items"]] == [medium_id]
    assert client.get(f"{BASE}/media/{medium_id}").json()["capacity"] == "64GB"
    refused = post(client, "/media", {**body, "number": "HX-U-002", "level": 3})
    assert refused.status_code == 422 and refused.json()["code"] == "clearance"
    assert post(client, "/media", {**body, "kind": "floppy"}).status_code == 422
    assert post(client, "/media", body).status_code == 409
    assert Medium.objects.count() == 1


@pytest.mark.rule("D2")
def test_update_a_medium_through_the_api(client, people, register_medium):
    medium = register_medium(level=Level.CONFIDENTIAL)
    client.force_login(people["office"])
    refused = post(client, f"/media/{medium.pk}",
                   {"location": "柜 1", "responsible_id": people["secret"].person_id})
    assert refused.status_code == 422 and refused.json()["code"] == "clearance"
    done = post(client, f"/media/{medium.pk}",
                {"location": "柜 1", "responsible_id": people["confidential"].person_id})
    assert done.status_code == 200, done.content
    assert (done.json()["location"], done.json()["responsible_name"]) == ("柜 1", "何机密")
    assert AuditEvent.objects.filter(action="MEDIUM_UPDATED").count() == 1


def test_medium_updates_refuse_access_and_bad_input(client, people, register_medium):
    medium = register_medium(level=Level.CONFIDENTIAL)
    body = {"location": "柜 1", "responsible_id": people["top"].person_id}
    client.force_login(people["head"])  # sees it, does not keep the ledger
    response = post(client, f"/media/{medium.pk}", body)
    assert response.status_code == 403 and response.json()["code"] == "not_secrecy_office"
    for key in ("office2", "secret"):  # another unit; a 秘密 person (rule L5)
        client.force_login(people[key])
        assert post(client, f"/media/{medium.pk}", body).status_code == 404
    client.force_login(people["office"])
    for path, bad in ((f"/media/{medium.pk}", {"location": "x" * 201}),
                      (f"/media/{medium.pk}", {"responsible_id": 0}),
                      (f"/media/{medium.pk}", {"responsible_id": "x"}),
                      (f"/media/{medium.pk}", {"responsible_id": 999999}),
                      (f"/media/{medium.pk}", {"responsible_id": people["office2"].person_id}),
                      (f"/media/{medium.pk}", {"location": "a\u0000b"}),
                      ("/media/999999", {}), ("/media/0", {})):
        response = post(client, path, {**body, **bad})
        assert 400 <= response.status_code < 500, (path, bad, response.status_code)
    assert Medium.objects.get().location == "保密办"
    assert not AuditEvent.objects.filter(action="MEDIUM_UPDATED").exists()
