import hashlib

import pytest
from django.test import Client

from baomi.accounts.models import ApiToken
from baomi.accounts.roles import Role
from baomi.approvals.models import Request, Step
from baomi.approvals.services import decide, submit_request
from baomi.audit.models import AuditEvent
from baomi.core.labels import Category

API = "/api/v1/approvals"


def submit(actor, note="n", level=0):
    return submit_request(actor, "test_note", title=f"T {note}",
                          payload={"note": note, "level": level})


@pytest.fixture
def api():
    def as_user(user):
        client = Client()
        client.force_login(user)
        return client

    return as_user


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"code", "message", "fields"}
    if code:
        assert body["code"] == code
    return body


def test_anonymous_is_refused(client):
    assert_error(client.get(f"{API}/inbox"), 401, "unauthenticated")


def test_a_bearer_token_works(client, requester, head, approvers):
    submit(requester)
    ApiToken.objects.create(user=head, name="t", prefix="abc",
                            token_hash=hashlib.sha256(b"secret-token").hexdigest())
    response = client.get(f"{API}/inbox", HTTP_AUTHORIZATION="Bearer secret-token")
    assert response.status_code == 200 and len(response.json()["items"]) == 1


def test_inbox_and_my_requests_are_keyset_pages(api, requester, head, approvers):
    made = [submit(requester, note=str(i)) for i in range(5)]
    c = api(head)
    body = c.get(f"{API}/inbox", {"limit": 2}).json()
    assert [r["id"] for r in body["items"]] == [made[4].pk, made[3].pk]
    assert body["next_after"] == made[3].pk
    body = c.get(f"{API}/inbox", {"limit": 2, "after": body["next_after"]}).json()
    assert [r["id"] for r in body["items"]] == [made[2].pk, made[1].pk]
    item = body["items"][0]
    assert item["current_role"] == "department_head" and item["title"] == "T 2"
    assert api(requester).get(f"{API}/requests").json()["items"][0]["id"] == made[4].pk
    assert api(head).get(f"{API}/requests").json() == {"items": [], "next_after": None}


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 201}, {"after": 0},
                                   {"after": 2**64}, {"limit": "x"}])
def test_bad_paging_is_422(api, requester, query):
    assert_error(api(requester).get(f"{API}/inbox", query), 422, "invalid")


def test_file_a_request(api, requester, approvers):
    c = api(requester)
    response = post(c, f"{API}/requests", {"request_type": "test_note", "title": "Need",
                                           "payload": {"note": "n", "level": 1}})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["level"] == 1 and body["state"] == "pending"
    assert [s["role"] for s in body["steps"]] == ["department_head", "secrecy_office"]
    assert body["payload"] == {"note": "n", "level": 1, "refuse_on_approval": False}


def test_invalid_payload_is_400_with_fields(api, requester, approvers):
    response = post(api(requester), f"{API}/requests",
                    {"request_type": "test_note", "title": "t", "payload": {"note": ""}})
    body = assert_error(response, 400, "invalid")
    assert "note" in body["fields"]
    assert Request.objects.count() == 0


@pytest.mark.parametrize("body", [
    {"request_type": "nope", "title": "t", "payload": {}},
    {"request_type": "test_note", "title": "t\x00", "payload": {"note": "x"}},
    {"request_type": "test_note", "title": "t", "payload": {"note": "x\x00"}},
])
def test_unknown_types_and_bad_text_are_400(api, requester, approvers, body):
    assert_error(post(api(requester), f"{API}/requests", body), 400)


@pytest.mark.parametrize("body", [
    {"request_type": "test_note", "title": "", "payload": {}},
    {"request_type": "test_note", "title": "t", "payload": []},
    {"request_type": "test_note", "title": "t", "payload": {}, "level": 7},
    {"request_type": "x" * 51, "title": "t", "payload": {}},
    {},
])
def test_malformed_bodies_are_422(api, requester, body):
    assert_error(post(api(requester), f"{API}/requests", body), 422, "invalid")


def test_level_rules_are_422(api, requester, approvers):
    body = {"request_type": "test_note", "title": "t", "payload": {"note": "x"}, "level": 3}
    assert_error(post(api(requester), f"{API}/requests", body), 422, "above_clearance")


def test_detail_and_its_visibility(api, requester, head, approvers, make_user):
    request = submit(requester)
    body = api(head).get(f"{API}/requests/{request.pk}").json()
    assert body["id"] == request.pk and body["steps"][0]["state"] == "pending"
    stranger = make_user("stranger", roles=[Role.STAFF], category=Category.CORE)
    assert_error(api(stranger).get(f"{API}/requests/{request.pk}"), 404, "not_found")
    assert_error(api(head).get(f"{API}/requests/{2**63}"), 422)
    assert_error(api(head).get(f"{API}/requests/0"), 422)


def test_reading_a_confidential_request_is_audited(api, requester, head, approvers):
    request = submit(requester, level=2)
    api(head).get(f"{API}/requests/{request.pk}")
    assert AuditEvent.objects.filter(action="REQUEST_READ", object_id=str(request.pk)).exists()


def test_decide_through_the_api(api, requester, head, office):
    request = submit(requester)
    step = Step.objects.get(request=request, order=0)
    response = post(api(head), f"{API}/requests/{request.pk}/decision",
                    {"decision": "approve", "comment": "ok", "step_id": step.pk})
    assert response.status_code == 200, response.content
    assert response.json()["current_role"] == "secrecy_office"
    # the same click again: the step is decided
    body = assert_error(post(api(head), f"{API}/requests/{request.pk}/decision",
                             {"decision": "approve", "step_id": step.pk}), 409, "already_decided")
    assert body["message"]
    response = post(api(office), f"{API}/requests/{request.pk}/decision", {"decision": "approve"})
    assert response.json()["state"] == "approved"


def test_decision_errors(api, requester, head, office, leader):
    request = submit(requester)
    url = f"{API}/requests/{request.pk}/decision"
    assert_error(post(api(head), url, {"decision": "reject"}), 400, "comment_required")
    assert_error(post(api(head), url, {"decision": "maybe"}), 422, "invalid")
    assert_error(post(api(head), url, {"decision": "approve", "comment": "x" * 2001}), 422)
    assert_error(post(api(requester), url, {"decision": "approve"}), 422, "own_request")
    # visible to the office (保密办 of the unit) but not theirs to decide now
    assert_error(post(api(office), url, {"decision": "approve"}), 403, "not_approver")
    assert_error(post(api(leader), url, {"decision": "approve"}), 404, "not_found")


def test_resubmit_and_withdraw_through_the_api(api, requester, head, approvers):
    request = decide(head, submit(requester), "return", comment="why?")
    c = api(requester)
    response = post(c, f"{API}/requests/{request.pk}/resubmit",
                    {"title": "again", "payload": {"note": "because"}})
    assert response.status_code == 200 and response.json()["round"] == 2
    assert_error(post(c, f"{API}/requests/{request.pk}/resubmit",
                      {"title": "again", "payload": {"note": "because"}}), 409)
    assert_error(post(api(head), f"{API}/requests/{request.pk}/withdraw", {"reason": "x"}),
                 403, "not_requester")
    assert_error(post(c, f"{API}/requests/{request.pk}/withdraw", {"reason": ""}), 422)
    response = post(c, f"{API}/requests/{request.pk}/withdraw", {"reason": "done"})
    assert response.json()["state"] == "withdrawn"
    assert_error(post(c, f"{API}/requests/{request.pk}/withdraw", {"reason": "again"}), 409)


def test_types(api, requester, secadmin):
    types = {t["code"]: t for t in api(requester).get(f"{API}/types").json()}
    assert types["role_grant"]["has_form"] and not types["test_api_only"]["has_form"]
    assert "user_id" in types["role_grant"]["payload_schema"]["properties"]
    assert api(secadmin).get(f"{API}/types").json() == []


def test_the_openapi_document_describes_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/inbox", "/requests", "/requests/{id}", "/requests/{id}/decision",
                 "/requests/{id}/withdraw", "/requests/{id}/resubmit", "/types"):
        assert f"{API}{path}" in paths
