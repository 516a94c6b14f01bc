"""The accounts API: typed input, 4xx bodies with code/message/fields, never a 500."""

import json
from urllib.parse import urlencode

import pytest

from baomi.accounts.models import ApiToken, RoleAssignment, Unit, User
from baomi.accounts.roles import Role
from baomi.core.testing.factories import DEFAULT_PASSWORD

from .conftest import bearer, token_for

BASE = "/api/v1/accounts"


@pytest.fixture
def call(client):
    """call(user, "get", "/users", body) → response, authenticated by a fresh API token."""
    tokens = {}

    def request(user, method, path, body=None, **query):
        if user.pk not in tokens:
            tokens[user.pk] = token_for(user)
        kwargs = bearer(tokens[user.pk])
        url = BASE + path
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        if query:
            url += "?" + urlencode(query)
        return getattr(client, method)(url, **kwargs)

    return request


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)
    return body


def test_me(call, make_user):
    from baomi.core.labels import Category

    user = make_user("u", roles=[Role.STAFF], category=Category.IMPORTANT)
    body = call(user, "get", "/me").json()
    assert body["username"] == "u" and body["roles"] == ["staff"]
    assert (body["clearance"], body["sees_business_data"]) == (2, True)


def test_unauthenticated_is_401(client, db):
    assert_error(client.get(BASE + "/me"), 401, "unauthenticated")
    assert_error(client.get(BASE + "/me", **bearer("bm_nope")), 401, "unauthenticated")


def test_users_list_is_keyset_paged(call, sysadmin, make_user):
    for n in range(5):
        make_user(f"p{n}")
    first = call(sysadmin, "get", "/users", limit=4).json()
    assert len(first["items"]) == 4 and first["next_after"]
    second = call(sysadmin, "get", "/users", limit=4, after=first["next_after"]).json()
    assert len(second["items"]) == 2 and second["next_after"] is None
    ids = [u["id"] for u in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True)


@pytest.mark.rule("T2")
def test_users_list_for_staff_is_only_themselves(call, make_user):
    staff = make_user("staff", roles=[Role.STAFF])
    make_user("other")
    items = call(staff, "get", "/users").json()["items"]
    assert [u["username"] for u in items] == ["staff"]


def test_users_list_filters(call, sysadmin, make_user):
    make_user("gone", is_active=False)
    make_user("staff", roles=[Role.STAFF])
    assert [u["username"] for u in call(sysadmin, "get", "/users", active="false")
            .json()["items"]] == ["gone"]
    assert [u["username"] for u in call(sysadmin, "get", "/users", role="staff")
            .json()["items"]] == ["staff"]
    assert_error(call(sysadmin, "get", "/users", role="king"), 422, "invalid")
    assert_error(call(sysadmin, "get", "/users", after=2**70), 422, "invalid")
    assert_error(call(sysadmin, "get", "/users", limit=0), 422, "invalid")


@pytest.mark.rule("T2")
def test_create_user(call, sysadmin, secadmin, department):
    body = {"department_id": department.pk, "name": "王五", "employee_no": "E-1",
            "username": "wangwu", "password": DEFAULT_PASSWORD}
    response = call(sysadmin, "post", "/users", body)
    assert response.status_code == 201
    assert response.json()["must_change_password"] is True
    error = assert_error(call(sysadmin, "post", "/users", {**body, "employee_no": "E-2"}),
                         409, "duplicate_username")
    assert "username" in error["fields"]
    error = assert_error(call(sysadmin, "post", "/users",
                              {**body, "username": "x2", "employee_no": "E-3", "password": "a"}),
                         400, "password_too_short")
    assert "password" in error["fields"]
    assert_error(call(secadmin, "post", "/users", {**body, "username": "x3", "employee_no": "E-4"}),
                 403, "forbidden")
    error = assert_error(call(sysadmin, "post", "/users", {"name": "x" * 101}), 422, "invalid")
    assert "name" in error["fields"] and "username" in error["fields"]


def test_create_user_in_an_invisible_unit_is_404(call, sysadmin):
    other = Unit.objects.create(name="别的单位", code="OTHER")
    body = {"unit_id": other.pk, "name": "王五", "employee_no": "E-1", "username": "w",
            "password": DEFAULT_PASSWORD}
    assert_error(call(sysadmin, "post", "/users", body), 404, "not_found")


@pytest.mark.rule("T1")
def test_role_endpoints(call, secadmin, make_user):
    target = make_user("target", roles=[Role.SECADMIN])
    error = assert_error(call(secadmin, "post", f"/users/{target.pk}/roles", {"role": "auditor"}),
                         422, "t1_forbidden_combination")
    assert error["rule"] == "T1" and "role" in error["fields"]
    response = call(secadmin, "post", f"/users/{target.pk}/roles",
                    {"role": "staff", "reason": "入职"})
    assert response.status_code == 201
    assert response.json()["roles"] == ["secadmin", "staff"]
    assert_error(call(secadmin, "post", f"/users/{target.pk}/roles", {"role": "staff"}),
                 409, "role_already_held")
    response = call(secadmin, "delete", f"/users/{target.pk}/roles/staff")
    assert response.status_code == 200 and response.json()["roles"] == ["secadmin"]
    assert_error(call(secadmin, "delete", f"/users/{target.pk}/roles/staff"), 409,
                 "role_not_held")
    assert_error(call(secadmin, "post", f"/users/{2**70}/roles", {"role": "staff"}), 422,
                 "invalid")
    assert_error(call(secadmin, "post", "/users/999999/roles", {"role": "staff"}), 404,
                 "not_found")


def test_tokens_endpoints(call, client, make_user):
    user = make_user("u")
    response = call(user, "post", "/tokens", {"name": "脚本"})
    assert response.status_code == 201
    created = response.json()
    listed = call(user, "get", "/tokens").json()
    assert created["id"] in [t["id"] for t in listed]
    assert all("token" not in t for t in listed)
    assert client.get(BASE + "/me", **bearer(created["token"])).status_code == 200
    response = call(user, "delete", f"/tokens/{created['id']}")
    assert response.status_code == 200 and response.json()["revoked_at"]
    assert_error(client.get(BASE + "/me", **bearer(created["token"])), 401, "unauthenticated")
    assert_error(call(user, "delete", f"/tokens/{created['id']}"), 409, "already_in_state")
    other = make_user("other")
    foreign = ApiToken.objects.filter(user=user).exclude(pk=created["id"]).first()
    assert_error(call(other, "delete", f"/tokens/{foreign.pk}"), 404, "not_found")
    assert_error(call(user, "post", "/tokens", {"name": ""}), 422, "invalid")


@pytest.mark.rule("T3")
def test_policy_endpoints(call, secadmin, sysadmin, unit):
    body = call(sysadmin, "get", "/policy").json()
    setting = next(s for s in body["settings"] if s["key"] == "password.min_length")
    assert setting == {**setting, "value": 8, "origin": "default", "rule": "T3",
                       "minimum": 8, "maximum": 64}
    response = call(secadmin, "put", "/policy/overrides/password.min_length",
                    {"value": 12, "reason": "加强"})
    assert response.status_code == 200
    setting = next(s for s in response.json()["settings"] if s["key"] == "password.min_length")
    assert (setting["value"], setting["origin"]) == (12, "unit")
    error = assert_error(call(secadmin, "put", "/policy/overrides/password.min_length",
                              {"value": 65, "reason": "x"}), 400, "policy_value_invalid")
    assert "value" in error["fields"]
    assert_error(call(secadmin, "put", "/policy/overrides/nope", {"value": 1, "reason": "x"}),
                 400, "unknown_setting")
    assert_error(call(sysadmin, "put", "/policy/overrides/password.min_length",
                      {"value": 10, "reason": "x"}), 403, "forbidden")
    assert_error(call(secadmin, "put", "/policy/overrides/password.min_length",
                      {"value": 10}), 422, "invalid")
    response = call(secadmin, "delete", "/policy/overrides/password.min_length", reason="恢复")
    assert response.status_code == 200
    assert Unit.objects.get(pk=unit.pk).policy_overrides == {}
    response = call(secadmin, "put", "/policy/profile", {"profile": "consulting-unit"})
    assert response.json()["profile"] == "consulting-unit"
    assert_error(call(secadmin, "get", "/policy", unit="NOPE"), 404, "not_found")
    # PostgreSQL refuses a NUL in a literal: no unit has one, so it is not found, never a 500.
    assert_error(call(secadmin, "get", "/policy", unit="a\x00"), 404, "not_found")


def test_chain_override_through_the_api(call, secadmin, unit):
    chains = {"default": {"default": ["department_head", "secrecy_office"]}}
    response = call(secadmin, "put", "/policy/overrides/approvals.chains",
                    {"value": chains, "reason": "简化"})
    assert response.status_code == 200
    bad = {"default": {"default": ["sysadmin"]}}
    assert_error(call(secadmin, "put", "/policy/overrides/approvals.chains",
                      {"value": bad, "reason": "x"}), 400, "policy_value_invalid")


def test_session_requests_work_too(client, make_user):
    user = make_user("u", roles=[Role.STAFF])
    client.force_login(user)
    assert client.get(BASE + "/me").json()["id"] == user.pk
    assert not RoleAssignment.objects.filter(user=user, role="sysadmin").exists()
    assert User.objects.filter(pk=user.pk).exists()


@pytest.mark.rule("D8")
def test_text_setting_through_the_api(call, secadmin, unit):
    key = "/policy/overrides/devices.destruction_body"
    response = call(secadmin, "put", key, {"value": " 省保密技术服务中心 ", "reason": "指定"})
    assert response.status_code == 200
    assert Unit.objects.get(pk=unit.pk).policy_overrides == {
        "devices.destruction_body": "省保密技术服务中心"}
    for bad in ("a\x00b", 12):
        assert_error(call(secadmin, "put", key, {"value": bad, "reason": "x"}),
                     400, "policy_value_invalid")
    assert_error(call(secadmin, "put", key, {"value": "x" * 201, "reason": "x"}), 422, "invalid")
