"""Copying in the carriers API (rule C4): request, list, read, make, withdraw; 4xx with a
stable code on every refusal, 404 for what the caller does not see (rule L5)."""

import pytest

from baomi.approvals.services import decide
from baomi.carriers.models import Carrier, CopyOrder
from baomi.core.labels import Level

from . import page_support as support
from .page_support import today

clerk, head, item, keeper, office, reader, register, safe, yf1 = (
    support.clerk, support.head, support.item, support.keeper, support.office, support.reader,
    support.register, support.safe, support.yf1)

BASE = "/api/v1/carriers"
ASK = {"kind": "copy", "copies": 2, "purpose": "分发评审组成员"}


def post(client, path, data):
    return client.post(f"{BASE}{path}", data, content_type="application/json")


@pytest.mark.rule("C4")
def test_request_approve_make_and_read(client, office, head, reader, register, item):
    original = register(secret_item=item, number="ZT-0200")
    client.force_login(reader)
    response = post(client, f"/carriers/{original.pk}/copies", ASK)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["copies"], body["carrier_number"]) == ("requested", 2,
                                                                      "ZT-0200")
    assert body["request_id"] and body["requester_name"] == "何读者"
    order = CopyOrder.objects.get(pk=body["id"])
    client.force_login(office)
    early = post(client, f"/copies/{order.pk}/make", {"made_on": today().isoformat()})
    assert early.status_code == 409 and early.json()["code"] == "illegal_transition"
    request = order.request
    for decider in (head, office):
        request = decide(decider, request, "approve")
    made = post(client, f"/copies/{order.pk}/make", {"made_on": today().isoformat()})
    assert made.status_code == 200, made.content
    detail = made.json()
    assert detail["state"] == "made" and detail["made_on"] == today().isoformat()
    assert [c["number"] for c in detail["made"]] == ["ZT-0200-F1", "ZT-0200-F2"]
    assert all(c["level"] == Level.CONFIDENTIAL and c["mark"] == "机密★10年"
               for c in detail["made"])
    assert detail["made"][0]["stamp"].startswith("复制件 第1份")
    again = post(client, f"/copies/{order.pk}/make", {"made_on": today().isoformat()})
    assert again.status_code == 409
    listed = client.get(f"{BASE}/copies").json()
    assert [o["id"] for o in listed["items"]] == [order.pk] and listed["next_after"] is None
    assert client.get(f"{BASE}/copies/{order.pk}").json()["made"][1]["copy_no"] == "第2份"


@pytest.mark.rule("C4")
def test_top_secret_without_consent_is_422(client, office, register):
    top = register(level=Level.TOP_SECRET, custodian=office.person)
    client.force_login(office)
    response = post(client, f"/carriers/{top.pk}/copies", ASK)
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["rule"]) == ("consent_missing", "C4")
    assert set(body["fields"]) == {"consent_unit", "consent_reference", "consent_on"}


@pytest.mark.rule("L5")
def test_what_the_caller_does_not_see_is_404(client, clerk, head, reader, register, item):
    carrier = register(secret_item=item)
    client.force_login(reader)
    order_id = post(client, f"/carriers/{carrier.pk}/copies", ASK).json()["id"]
    client.force_login(clerk)
    assert post(client, f"/carriers/{carrier.pk}/copies", ASK).status_code == 404
    assert client.get(f"{BASE}/copies/{order_id}").status_code == 404
    assert client.get(f"{BASE}/copies").json()["items"] == []
    assert post(client, f"/copies/{order_id}/withdraw", {}).status_code == 404
    client.force_login(reader)
    withdrawn = post(client, f"/copies/{order_id}/withdraw", {"reason": "不再需要"})
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"


@pytest.mark.parametrize(("body", "status"), [
    ({**ASK, "copies": 0}, 422), ({**ASK, "copies": 100}, 422), ({**ASK, "kind": "scan"}, 422),
    ({**ASK, "purpose": ""}, 422), ({**ASK, "consent_on": "0001-01-01"}, 422),
    ({**ASK, "purpose": "  "}, 400),
])
def test_bad_requests_are_4xx(client, head, reader, register, item, body, status):
    carrier = register(secret_item=item)
    client.force_login(reader)
    response = post(client, f"/carriers/{carrier.pk}/copies", body)
    assert response.status_code == status, response.content
    assert not CopyOrder.objects.exists()


def test_bad_making_is_4xx(client, office, head, reader, register, item):
    carrier = register(secret_item=item)
    client.force_login(reader)
    order_id = post(client, f"/carriers/{carrier.pk}/copies", ASK).json()["id"]
    request = CopyOrder.objects.get(pk=order_id).request
    for decider in (head, office):
        request = decide(decider, request, "approve")
    client.force_login(office)
    for body, status in (({"made_on": "2999-01-01"}, 422), ({}, 422),
                         ({"made_on": "2099-01-01"}, 400),
                         ({"made_on": today().isoformat(), "custodian_id": 999999}, 400),
                         ({"made_on": today().isoformat(), "container_id": 0}, 422)):
        response = post(client, f"/copies/{order_id}/make", body)
        assert response.status_code == status, (body, response.content)
    assert not Carrier.objects.filter(original=carrier).exists()
