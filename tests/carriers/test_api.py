"""The carriers API: the ledger, storing and custody, loans from request to return, the
containers; 4xx with a stable code on every refusal."""

import pytest

from baomi.audit.models import AuditEvent
from baomi.carriers.models import Carrier, Container, Loan
from baomi.core.labels import Level

from . import page_support as support
from .page_support import today

cabinet, clerk, head, item, keeper, office, reader, register, safe, yf1 = (
    support.cabinet, support.clerk, support.head, support.item, support.keeper, support.office,
    support.reader, support.register, support.safe, support.yf1)

BASE = "/api/v1/carriers"


def post(client, path, data):
    return client.post(f"{BASE}{path}", data, content_type="application/json")


def carrier_body(yf1, keeper, safe, **overrides):
    body = {"number": "SW-2026-015", "title": "关于型号研制保密管理的通知", "kind": "paper",
            "scheme": "state", "level": 2, "period_kind": "years", "period_value": 10,
            "origin": "received", "source_unit": "国防科工局",
            "source_document_no": "科工密〔2026〕15号", "received_on": today().isoformat(),
            "signed_by_id": keeper.pk, "department_id": yf1.pk, "custodian_id": keeper.pk,
            "container_id": safe.pk, "pages": 12, "copies": 2}
    body.update(overrides)
    return body


@pytest.mark.rule("C2")
def test_register_list_and_read(client, office, yf1, keeper, safe):
    client.force_login(office)
    response = post(client, "/carriers", carrier_body(yf1, keeper, safe))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mark"] == "机密★10年" and body["container_number"] == "MX-01"
    assert body["custodian_name"] == "王保管" and body["state"] == "in_store"
    listed = client.get(f"{BASE}/carriers?level=2&q=王保管").json()
    assert [c["id"] for c in listed["items"]] == [body["id"]] and listed["next_after"] is None
    assert client.get(f"{BASE}/carriers?scheme=work").json()["items"] == []  # rule L4
    one = client.get(f"{BASE}/carriers/{body['id']}")
    assert one.status_code == 200 and one.json()["number"] == "SW-2026-015"
    assert AuditEvent.objects.filter(action="CARRIER_READ", object_id=str(body["id"])).exists()


def test_list_pages_by_key(client, office, register):
    made = [register(level=Level.SECRET) for _ in range(3)]
    client.force_login(office)
    first = client.get(f"{BASE}/carriers?limit=2").json()
    assert [c["id"] for c in first["items"]] == [made[2].pk, made[1].pk]
    rest = client.get(f"{BASE}/carriers?limit=2&after={first['next_after']}").json()
    assert [c["id"] for c in rest["items"]] == [made[0].pk] and rest["next_after"] is None


@pytest.mark.parametrize(("overrides", "status", "code"), [
    ({"department_id": 987654}, 400, "unknown"),
    ({"container_id": 987654}, 400, "unknown"),
    ({"secret_item_id": 987654}, 400, "unknown"),
    ({"signed_by_id": None}, 422, "receipt_incomplete"),
    ({"level": 4}, 422, "invalid"),
    ({"number": "x" * 51}, 422, "invalid"),
    ({"received_on": "2999-01-01"}, 422, "invalid"),
    ({"received_on": "2099-01-01"}, 400, "future_date"),
    ({"scheme": "work", "level": 2}, 422, "level_not_in_scheme"),
])
def test_bad_input_is_a_4xx_with_a_code(client, office, yf1, keeper, safe, overrides, status,
                                        code):
    client.force_login(office)
    response = post(client, "/carriers", carrier_body(yf1, keeper, safe, **overrides))
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert not Carrier.objects.exists()


@pytest.mark.rule("C3")
def test_container_rating_is_enforced(client, office, yf1, keeper, cabinet):
    client.force_login(office)
    response = post(client, "/carriers", carrier_body(yf1, keeper, cabinet, level=3,
                                                      period_value=30))
    assert response.status_code == 422 and response.json()["code"] == "container_rating"
    response = post(client, "/containers", {"number": "BXG-02", "kind": "cabinet",
                                            "rating": 1, "location": "档案室"})
    assert response.status_code == 422 and response.json()["code"] == "rating_above_kind"


def test_only_the_office_registers(client, reader, yf1, keeper, safe):
    client.force_login(reader)
    response = post(client, "/carriers", carrier_body(yf1, keeper, safe))
    assert response.status_code == 403 and response.json()["code"] == "not_secrecy_office"
    assert client.get(f"{BASE}/containers").json()["items"] == []


@pytest.mark.rule("C5")
def test_loan_from_request_to_return(client, office, head, reader, register, item, cabinet):
    carrier = register(secret_item=item)
    client.force_login(reader)
    response = post(client, f"/carriers/{carrier.pk}/loans",
                    {"kind": "borrow", "purpose": "编写设计报告", "room": "保密阅览室"})
    assert response.status_code == 201, response.content
    loan = response.json()
    assert (loan["state"], loan["due_on"], loan["overdue"]) == ("requested",
                                                                 today().isoformat(), False)
    assert [item["id"] for item in client.get(f"{BASE}/loans").json()["items"]] == [loan["id"]]
    refused = post(client, f"/loans/{loan['id']}/hand-out", {})
    assert refused.status_code == 403

    from baomi.approvals.services import decide

    request = Loan.objects.get(pk=loan["id"]).request
    for decider in (head, office):
        request = decide(decider, request, "approve")
    client.force_login(office)
    out = post(client, f"/loans/{loan['id']}/hand-out", {})
    assert out.status_code == 200 and out.json()["state"] == "out"
    assert client.get(f"{BASE}/carriers/{carrier.pk}").json()["state"] == "on_loan"
    assert [x["id"] for x in client.get(f"{BASE}/loans?out=true").json()["items"]] == [
        loan["id"]]
    assert client.get(f"{BASE}/loans?overdue=true").json()["items"] == []
    twice = post(client, f"/loans/{loan['id']}/hand-out", {})
    assert twice.status_code == 409
    back = post(client, f"/loans/{loan['id']}/return", {})
    assert back.status_code == 200 and back.json()["state"] == "returned"
    assert client.get(f"{BASE}/carriers/{carrier.pk}").json()["state"] == "in_store"


@pytest.mark.rule("C5")
def test_borrower_below_the_level_is_refused(client, office, register, clerk):
    carrier = register()
    client.force_login(office)
    response = post(client, f"/carriers/{carrier.pk}/loans",
                    {"kind": "circulate", "purpose": "审阅", "borrower_id": clerk.person_id})
    assert response.status_code == 422 and response.json()["code"] == "clearance"


def test_store_and_custodian(client, office, register, cabinet, reader):
    carrier = register(level=Level.SECRET)
    client.force_login(office)
    stored = post(client, f"/carriers/{carrier.pk}/store",
                  {"container_id": cabinet.pk, "location": "第二层"})
    assert stored.status_code == 200 and stored.json()["container_id"] == cabinet.pk
    moved = post(client, f"/carriers/{carrier.pk}/custodian",
                 {"custodian_id": reader.person_id, "reason": "工作交接"})
    assert moved.status_code == 200 and moved.json()["custodian_id"] == reader.person_id
    unknown = post(client, f"/carriers/{carrier.pk}/custodian",
                   {"custodian_id": 987654, "reason": "x"})
    assert unknown.status_code == 400 and unknown.json()["fields"]["custodian_id"]
    missing = post(client, "/carriers/987654/store", {"container_id": cabinet.pk})
    assert missing.status_code == 404


def test_containers(client, office, register):
    client.force_login(office)
    response = post(client, "/containers", {"number": "MX-02", "kind": "safe", "rating": 3,
                                            "location": "机要室"})
    assert response.status_code == 201 and response.json()["carrier_count"] == 0
    duplicate = post(client, "/containers", {"number": "MX-02", "kind": "safe", "rating": 3,
                                             "location": "机要室"})
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "number_exists"
    register()
    counts = {c["number"]: c["carrier_count"]
              for c in client.get(f"{BASE}/containers").json()["items"]}
    assert counts == {"MX-02": 0, "MX-01": 1}
    assert Container.objects.count() == 2


@pytest.mark.rule("T2")
def test_admin_roles_see_no_carrier(client, sysadmin, register):
    carrier = register()
    client.force_login(sysadmin)
    assert client.get(f"{BASE}/carriers").json()["items"] == []
    assert client.get(f"{BASE}/carriers/{carrier.pk}").status_code == 404
    assert client.get(f"{BASE}/loans").json()["items"] == []
