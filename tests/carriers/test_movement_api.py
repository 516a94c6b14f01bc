"""Carrier movements in the carriers API (rules C2, C6): request, list, read, hand over,
receipt, return; a 4xx with a stable code on every refusal, 404 for what the caller does not
see (rule L5)."""

import datetime as dt

import pytest

from baomi.approvals.services import decide
from baomi.carriers.models import Carrier, Movement
from baomi.core.labels import Level

from . import page_support as support
from .page_support import today

clerk, head, item, keeper, office, reader, register, safe, yf1 = (
    support.clerk, support.head, support.item, support.keeper, support.office, support.reader,
    support.register, support.safe, support.yf1)

BASE = "/api/v1/carriers"
SEND = {"kind": "send_out", "destination": "总体设计部", "purpose": "报送评审",
        "channel": "traffic", "escorts": []}


def post(client, path, data):
    return client.post(f"{BASE}{path}", data, content_type="application/json")


def approve(movement_id, *deciders):
    request = Movement.objects.get(pk=movement_id).request
    for decider in deciders:
        request = decide(decider, request, "approve")


@pytest.mark.rule("C2")
def test_send_out_hand_over_and_receipt(client, office, head, reader, register, item):
    carrier = register(secret_item=item, number="ZT-0300")
    client.force_login(reader)
    response = post(client, f"/carriers/{carrier.pk}/movements", SEND)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["carrier_number"], body["channel"]) == (
        "requested", "ZT-0300", "traffic")
    client.force_login(office)
    early = post(client, f"/movements/{body['id']}/hand-over", {})
    assert early.status_code == 409 and early.json()["code"] == "illegal_transition"
    approve(body["id"], head, office)
    out = post(client, f"/movements/{body['id']}/hand-over", {})
    assert out.status_code == 200 and out.json()["state"] == "out", out.content
    receipt = post(client, f"/movements/{body['id']}/receipt",
                   {"signed_by_name": "王五", "received_on": today().isoformat()})
    assert receipt.status_code == 200 and receipt.json()["state"] == "delivered"
    assert Carrier.objects.get(pk=carrier.pk).state == "sent"
    listed = client.get(f"{BASE}/movements").json()
    assert [m["id"] for m in listed["items"]] == [body["id"]]
    client.force_login(reader)
    assert client.get(f"{BASE}/movements/{body['id']}").status_code == 200


@pytest.mark.rule("C2")
def test_ordinary_post_is_refused(client, reader, register, item):
    carrier = register(secret_item=item)
    client.force_login(reader)
    response = post(client, f"/carriers/{carrier.pk}/movements", {**SEND, "channel": "post"})
    assert response.status_code == 422
    assert response.json()["code"] == "not_confidential_channel"


@pytest.mark.rule("C6")
def test_top_secret_abroad_is_refused(client, office, register):
    carrier = register(level=Level.TOP_SECRET)
    client.force_login(office)
    response = post(client, f"/carriers/{carrier.pk}/movements", {
        **SEND, "kind": "abroad", "channel": "", "escorts": ["张三", "李四"],
        "due_back_on": (today() + dt.timedelta(days=3)).isoformat()})
    assert response.status_code == 422 and response.json()["code"] == "top_secret_abroad"


@pytest.mark.parametrize("data", [
    {}, {**SEND, "kind": "fly"}, {**SEND, "destination": ""}, {**SEND, "escorts": [""]},
    {**SEND, "escorts": ["x" * 51]}, {**SEND, "due_back_on": "0001-01-01"},
    {**SEND, "kind": "carry_out"}, {**SEND, "carried_by_id": 0},
])
def test_bad_input_is_a_4xx(client, reader, register, item, data):
    carrier = register(secret_item=item)
    client.force_login(reader)
    response = post(client, f"/carriers/{carrier.pk}/movements", data)
    assert 400 <= response.status_code < 500, response.content
    assert not Movement.objects.exists()


def test_unseen_movement_is_404(client, head, reader, clerk, register, item):
    carrier = register(secret_item=item)
    client.force_login(reader)
    response = post(client, f"/carriers/{carrier.pk}/movements", SEND)
    assert response.status_code == 201, response.content
    body = response.json()
    client.force_login(clerk)
    assert client.get(f"{BASE}/movements/{body['id']}").status_code == 404
    assert post(client, f"/movements/{body['id']}/hand-over", {}).status_code == 404
    assert client.get(f"{BASE}/movements/999999").status_code == 404
