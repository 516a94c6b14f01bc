from datetime import timedelta

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.core.labels import Category
from baomi.obligations.services import run_sweep

API = "/api/v1/obligations"


def day(offset: int):
    return timezone.localdate() + timedelta(days=offset)


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.IMPORTANT)


@pytest.fixture
def staff(make_user):
    return make_user("staff", roles=[Role.STAFF])


@pytest.fixture
def api(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_mine(api, staff, make_obligation):
    late = make_obligation(day(-2), staff, subject_label="late", estimated=True)
    soon = make_obligation(day(30), staff)
    make_obligation(day(31), staff)
    body = api(staff).get(f"{API}/mine").json()
    assert body["today"] == day(0).isoformat()
    assert body["upcoming_until"] == day(30).isoformat()
    assert [item["id"] for item in body["overdue"]] == [late.pk]
    assert [item["id"] for item in body["upcoming"]] == [soon.pk]
    item = body["overdue"][0]
    assert item == item | {
        "rule_code": "test.rule", "rule_id": "T3", "subject_label": "late",
        "responsible_id": staff.pk, "responsible_username": "staff", "due_date":
        day(-2).isoformat(), "days_left": -2, "overdue": True, "estimated": True,
        "state": "open", "closed_at": None,
    }
    assert body["upcoming"][0]["days_left"] == 30 and not body["upcoming"][0]["overdue"]


def test_mine_needs_authentication(client, db):
    response = client.get(f"{API}/mine")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


@pytest.mark.rule("T2")
@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR, Role.STAFF])
def test_unit_is_forbidden_to_others(api, make_user, role):
    response = api(make_user("other", roles=[role], category=Category.CORE)).get(f"{API}/unit")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_unit_pages_with_a_cursor(api, office, staff, make_obligation):
    made = [make_obligation(day(offset), staff if offset < 0 else None)
            for offset in (-5, -1, -1, 4, 8)]
    client = api(office)
    seen, after = [], None
    while True:
        params = {"limit": 2} | ({"after": after} if after is not None else {})
        body = client.get(f"{API}/unit", params).json()
        seen += [item["id"] for item in body["items"]]
        after = body["next_after"]
        if after is None:
            break
    assert seen == [o.pk for o in made]
    filtered = client.get(f"{API}/unit", {"overdue": True, "responsible": "staff"}).json()
    assert [item["id"] for item in filtered["items"]] == [o.pk for o in made[:3]]
    assert client.get(f"{API}/unit", {"unassigned": True}).json()["items"][0]["id"] == made[3].pk


@pytest.mark.parametrize("params, status", [
    ({"limit": 0}, 422), ({"limit": 501}, 422), ({"after": -1}, 422), ({"after": 5}, 400),
    ({"after": 2**63}, 422), ({"state": "gone"}, 422), ({"unit": 0}, 422),
    ({"rule": "x" * 81}, 422), ({"responsible": "a\x00b"}, 422), ({"unit": 2**63 - 1}, 200),
])
def test_unit_validates_its_input(api, office, params, status):
    response = api(office).get(f"{API}/unit", params)
    assert response.status_code == status
    if status != 200:
        assert response.json()["code"] in ("invalid",)


def test_rules(api, staff, rules):
    rules.add("test.b", lambda today: [], rule_id="P5", title="Sign the letter")
    rules.add("test.a", lambda today: [], rule_id="T3", title="Change your password")
    body = api(staff).get(f"{API}/rules").json()
    assert body == [
        {"code": "test.a", "rule_id": "T3", "title": "Change your password"},
        {"code": "test.b", "rule_id": "P5", "title": "Sign the letter"},
    ]


def test_latest_sweep(api, office, staff, rules):
    assert api(staff).get(f"{API}/sweeps/latest").status_code == 404
    rules.add("test.a", lambda today: [
        {"subject_type": "x", "subject_id": 1, "unit_id": staff.person.unit_id,
         "due_date": today}])
    run = run_sweep()
    body = api(office).get(f"{API}/sweeps/latest").json()
    assert body["id"] == run.pk and body["today"] == run.today.isoformat()
    assert body["failed"] is False and body["totals"]["opened"] == 1
    assert body["rules"] == [{"code": "test.a", "title": "Test rule", "opened": 1,
                              "updated": 0, "closed": 0, "open": 1, "errors": 0, "error": ""}]
    # staff learn when, not the counts across every unit
    plain = api(staff).get(f"{API}/sweeps/latest").json()
    assert plain["id"] == run.pk and plain["rules"] == [] and plain["totals"] == {}
