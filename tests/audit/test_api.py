"""/api/v1/audit/: the auditor only (rule T2), typed, never a 500 on any input."""

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.audit.services import record_event

BASE = "/api/v1/audit"


@pytest.fixture
def auditor_api(client, auditor):
    client.force_login(auditor)
    return client


@pytest.mark.rule("T2")
@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.STAFF, Role.SECRECY_OFFICE])
@pytest.mark.parametrize("path", ["/events", "/events/1", "/verify", "/checkpoints"])
def test_other_roles_get_403_with_a_code(client, make_user, make_chain, role, path):
    make_chain(1)
    client.force_login(make_user(roles=[role]))
    response = client.get(BASE + path)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert response.json()["rule"] == "T2"


@pytest.mark.rule("T2")
def test_anonymous_gets_401(client, db):
    response = client.get(BASE + "/events")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.rule("T2")
def test_auditor_lists_events_of_a_sysadmin(auditor_api, sysadmin, make_chain):
    make_chain(2)
    mine = record_event(sysadmin, "TEST_SYSADMIN_ACTED", object_type="x", object_id=9,
                        after={"a": 1})
    body = auditor_api.get(BASE + "/events", {"actor": "sysadmin"}).json()
    assert [item["seq"] for item in body["items"]] == [mine.seq]
    item = body["items"][0]
    assert (item["hash"], item["prev_hash"], item["after"]) == (mine.hash, mine.prev_hash,
                                                                '{"a":1}')
    assert body["next_after"] is None


def test_keyset_paging(auditor_api, make_chain):
    make_chain(7)
    first = auditor_api.get(BASE + "/events", {"limit": 3}).json()
    assert [i["seq"] for i in first["items"]] == [7, 6, 5] and first["next_after"] == 5
    second = auditor_api.get(BASE + "/events", {"limit": 3, "after": 5}).json()
    assert [i["seq"] for i in second["items"]] == [4, 3, 2]


def test_filters(auditor_api, make_chain):
    make_chain(2)
    record_event(None, "TEST_OTHER", object_type="y", object_id="abc")
    body = auditor_api.get(BASE + "/events", {"action": "TEST_OTHER"}).json()
    assert [i["action"] for i in body["items"]] == ["TEST_OTHER"]
    body = auditor_api.get(BASE + "/events", {"object_type": "y", "object_id": "abc"}).json()
    assert len(body["items"]) == 1


def test_event_detail(auditor_api, make_chain):
    event = make_chain(1)[0]
    assert auditor_api.get(f"{BASE}/events/{event.seq}").json()["hash"] == event.hash
    missing = auditor_api.get(f"{BASE}/events/999")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize("params", [
    {"date_from": "2026-02-30"}, {"date_from": "yesterday"}, {"date_to": "0001-01-01"},
    {"date_from": "9999-12-31"}, {"limit": 0}, {"limit": 501}, {"after": 0},
    {"after": 2**64}, {"action": "x" * 61}, {"actor": "a\x00"}, {"object_id": "o" * 65},
])
def test_bad_input_is_422(auditor_api, params):
    response = auditor_api.get(BASE + "/events", params)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid"


def test_dates_in_wrong_order_are_400(auditor_api):
    response = auditor_api.get(BASE + "/events", {"date_from": "2026-02-02",
                                                  "date_to": "2026-02-01"})
    assert response.status_code == 400
    assert "date_to" in response.json()["fields"]


@pytest.mark.parametrize("path", ["/events/0", "/events/-1", f"/events/{2**64}", "/events/x"])
def test_bad_seq_is_4xx(auditor_api, path):
    assert auditor_api.get(BASE + path).status_code in (404, 422)


@pytest.mark.rule("T4")
def test_verify(auditor_api, make_chain, raw_sql):
    make_chain(3)
    body = auditor_api.get(BASE + "/verify").json()
    assert body["ok"] is True and body["count"] == 3 and body["head_seq"] == 3
    raw_sql("DELETE FROM audit_auditevent WHERE seq = 2")
    body = auditor_api.get(BASE + "/verify").json()
    assert (body["ok"], body["first_broken_seq"], body["reason"]) == (
        False, 2, "missing sequence")
    assert AuditEvent.objects.count() == 2  # verification appended nothing


def test_checkpoints(auditor_api, auditor, make_chain):
    from baomi.audit.checkpoint import sign_checkpoint

    make_chain(1)
    checkpoint = sign_checkpoint(auditor)
    body = auditor_api.get(BASE + "/checkpoints").json()
    assert [i["id"] for i in body["items"]] == [checkpoint.pk]
    assert body["items"][0]["signature"] == checkpoint.signature
