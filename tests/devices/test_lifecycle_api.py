"""Maintenance (rule D7) and retirement (rule D8) through the API: the whole way of a device
sent out and of a retirement, refusals as 4xx with their stable codes, lists by key, and
nothing shown to whoever does not see the device."""

import pytest

from baomi.core.labels import Level
from baomi.devices.choices import DeviceState
from baomi.devices.models import Device

from . import lifecycle_support as lc
from .lifecycle_support import approve, deciders_for, today

people, yf1, other_unit, register_device, register_medium = (
    lc.people, lc.yf1, lc.other_unit, lc.register_device, lc.register_medium)
BASE = "/api/v1/devices"


def post(client, path, data=None):
    return client.post(f"{BASE}{path}", data or {}, content_type="application/json")


def approve_request(people, request_id):
    from baomi.approvals.models import Request

    request = Request.objects.get(pk=request_id)
    approve(request, *deciders_for(people, request))


@pytest.mark.rule("D7")
def test_a_device_sent_out_through_the_api(client, people, register_device):
    device = register_device(level=Level.SECRET)
    client.force_login(people["top"])
    response = post(client, f"/devices/{device.pk}/maintenances",
                    {"mode": "on_site", "fault": "不开机", "repairer": "厂商"})
    assert response.status_code == 422 and response.json()["code"] == "supervisor_required"
    response = post(client, f"/devices/{device.pk}/maintenances",
                    {"mode": "sent_out", "fault": "主板故障", "repairer": "定点维修中心"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "requested" and body["device_number"] == device.number
    pk = body["id"]
    approve_request(people, body["request_id"])
    client.force_login(people["office"])
    response = post(client, f"/maintenances/{pk}/send-out", {"left_on": str(today())})
    assert response.status_code == 422 and response.json()["code"] == "disk_not_removed"
    assert post(client, f"/maintenances/{pk}/disk-removed",
                {"removed_on": str(today()), "kept_at": "保密柜"}).status_code == 200
    response = post(client, f"/maintenances/{pk}/send-out", {"left_on": str(today())})
    assert response.status_code == 200 and response.json()["state"] == "away"
    assert Device.objects.get(pk=device.pk).state == DeviceState.AWAY
    response = post(client, f"/maintenances/{pk}/repaired",
                    {"done_on": str(today()), "result": "换主板"})
    assert response.status_code == 400 and response.json()["code"] == "back_on_required"
    response = post(client, f"/maintenances/{pk}/repaired",
                    {"done_on": str(today()), "result": "换主板", "back_on": str(today())})
    assert response.status_code == 200 and response.json()["state"] == "done"
    listed = client.get(f"{BASE}/maintenances?state=done").json()
    assert [item["id"] for item in listed["items"]] == [pk]
    assert client.get(f"{BASE}/maintenances/{pk}").json()["back_on"] == str(today())


@pytest.mark.rule("D8")
def test_a_retirement_through_the_api(client, people, register_device, register_medium):
    medium = register_medium(level=Level.SECRET)
    client.force_login(people["top"])
    response = post(client, f"/media/{medium.pk}/retirements", {"reason": "无法读写"})
    assert response.status_code == 201
    body = response.json()
    assert body["medium_id"] == medium.pk and body["device_id"] is None
    assert body["number"] == medium.number and body["level"] == Level.SECRET
    response = post(client, f"/media/{medium.pk}/retirements", {"reason": "再次"})
    assert response.status_code == 409 and response.json()["code"] == "retirement_open"
    approve_request(people, body["request_id"])
    client.force_login(people["office"])
    pk = body["id"]
    response = post(client, f"/retirements/{pk}/destruction", {
        "destruction_body": "销毁中心", "handed_over_on": str(today()), "certificate_no": "X1"})
    assert response.status_code == 422 and response.json()["code"] == "not_cleared"
    response = post(client, f"/retirements/{pk}/clearing", {
        "cleared_on": str(today()), "method": "shred", "cleared_by": "保密办"})
    assert response.status_code == 200 and response.json()["state"] == "cleared"
    response = post(client, f"/retirements/{pk}/destruction", {
        "destruction_body": "销毁中心", "handed_over_on": str(today()), "certificate_no": "X1"})
    assert response.status_code == 200 and response.json()["certificate_no"] == "X1"
    response = post(client, f"/media/{medium.pk}/loans",
                    {"person_id": people["top"].person_id, "purpose": "拷贝"})
    assert response.status_code == 422 and response.json()["code"] == "locked"
    items = client.get(f"{BASE}/retirements?subject=medium&state=destroyed").json()["items"]
    assert [item["id"] for item in items] == [pk]
    device = register_device()
    response = post(client, f"/devices/{device.pk}/retirements", {"reason": "老化"})
    assert response.status_code == 201 and response.json()["device_id"] == device.pk


def test_withdraw_through_the_api(client, people, register_device):
    device = register_device()
    client.force_login(people["top"])
    maintenance = post(client, f"/devices/{device.pk}/maintenances", {
        "mode": "in_house", "fault": "蓝屏", "repairer": "信息中心",
        "supervisor_id": people["confidential"].person_id}).json()
    response = post(client, f"/maintenances/{maintenance['id']}/withdraw", {"reason": "已好"})
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"
    retirement = post(client, f"/devices/{device.pk}/retirements", {"reason": "老化"}).json()
    response = post(client, f"/retirements/{retirement['id']}/withdraw")
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"


@pytest.mark.rule("L5")
def test_nothing_for_those_who_do_not_see_it(client, people, register_device):
    device = register_device(level=Level.TOP_SECRET)
    client.force_login(people["top"])
    maintenance = post(client, f"/devices/{device.pk}/maintenances", {
        "mode": "sent_out", "fault": "故障", "repairer": "厂商"}).json()
    for who in ("confidential", "office2"):
        client.force_login(people[who])
        assert client.get(f"{BASE}/maintenances/{maintenance['id']}").status_code == 404
        assert client.get(f"{BASE}/maintenances").json()["items"] == []
        assert post(client, f"/maintenances/{maintenance['id']}/withdraw").status_code == 404
        assert post(client, f"/devices/{device.pk}/retirements",
                    {"reason": "老化"}).status_code == 404


def test_bad_input_is_a_4xx(client, people, register_device):
    device = register_device()
    client.force_login(people["office"])
    for data in ({"mode": "sold", "fault": "x", "repairer": "y"},
                 {"mode": "sent_out", "fault": "", "repairer": "y"},
                 {"mode": "sent_out", "fault": "x" * 501, "repairer": "y"},
                 {"mode": "sent_out", "fault": "a\x00b", "repairer": "y"},
                 {"mode": "in_house", "fault": "x", "repairer": "y", "supervisor_id": 2**62}):
        response = post(client, f"/devices/{device.pk}/maintenances", data)
        assert 400 <= response.status_code < 500, (data, response.status_code)
    assert client.get(f"{BASE}/maintenances?limit=0").status_code in (400, 422)
    assert client.get(f"{BASE}/retirements/{2**63 - 1}").status_code == 404
    response = post(client, "/retirements/1/clearing", {
        "cleared_on": "2020-01-01", "method": "sell", "cleared_by": "x"})
    assert response.status_code in (400, 422)
