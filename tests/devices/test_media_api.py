"""The media API (rule D4): bind, unbind, check out, take back, list; a 4xx with a stable code
on every refusal."""

import datetime as dt

import pytest

from baomi.audit.models import AuditEvent
from baomi.core.labels import Level
from baomi.core.paging import MAX_KEY
from baomi.devices import services
from baomi.devices.choices import DeviceKind, MediumState
from baomi.devices.models import Medium, MediumBinding, MediumLoan

from . import support
from .support import today

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)

BASE = "/api/v1/devices"


def post(client, path, data=None):
    return client.post(f"{BASE}{path}", data or {}, content_type="application/json")


@pytest.fixture
def medium(register_medium):
    return register_medium()


@pytest.fixture
def computer(register_device):
    return register_device()


@pytest.mark.rule("D4")
def test_bind_and_unbind(client, people, medium, computer):
    client.force_login(people["office"])
    response = post(client, f"/media/{medium.pk}/bindings", {"device_id": computer.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["medium_id"], body["device_id"], body["unbound_on"]) == (
        medium.pk, computer.pk, None)
    assert post(client, f"/media/{medium.pk}/bindings",
                {"device_id": computer.pk}).json()["code"] == "already_bound"
    response = post(client, f"/bindings/{body['id']}/unbind")
    assert response.status_code == 200 and response.json()["unbound_on"] == today().isoformat()
    again = post(client, f"/bindings/{body['id']}/unbind")
    assert (again.status_code, again.json()["code"]) == (409, "not_bound")


@pytest.mark.rule("D4")
@pytest.mark.parametrize(("medium_level", "device_level", "kind", "code"), [
    (Level.TOP_SECRET, Level.CONFIDENTIAL, DeviceKind.DESKTOP, "medium_above_device"),
    (Level.SECRET, Level.NONSECRET, DeviceKind.DESKTOP, "cross_use"),
    (Level.NONSECRET, Level.SECRET, DeviceKind.PORTABLE, "cross_use"),
    (Level.SECRET, Level.SECRET, DeviceKind.SCANNER, "not_a_computer"),
])
def test_binding_refused_by_rule_d4(client, people, register_medium, register_device,
                                    medium_level, device_level, kind, code):
    medium = register_medium(level=medium_level)
    device = register_device(level=device_level, kind=kind)
    client.force_login(people["office"])
    response = post(client, f"/media/{medium.pk}/bindings", {"device_id": device.pk})
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["rule"]) == (code, "D4")
    assert not MediumBinding.objects.exists()


@pytest.mark.parametrize(("body", "status"), [
    ({}, 422), ({"device_id": 0}, 422), ({"device_id": MAX_KEY + 1}, 422),
    ({"device_id": "x"}, 422), ({"device_id": 999999}, 400),
    ({"device_id": None}, 422), ({"bound_on": "9999-01-01"}, 422),
])
def test_bind_input_is_bounded(client, people, medium, computer, body, status):
    client.force_login(people["office"])
    response = post(client, f"/media/{medium.pk}/bindings", body)
    assert response.status_code == status, response.content


def test_future_bound_on_is_400(client, people, medium, computer):
    client.force_login(people["office"])
    response = post(client, f"/media/{medium.pk}/bindings",
                    {"device_id": computer.pk,
                     "bound_on": (today() + dt.timedelta(days=1)).isoformat()})
    assert (response.status_code, response.json()["code"]) == (400, "future_date")


def test_others_get_403_or_404(client, people, medium, computer):
    client.force_login(people["head"])  # sees both, keeps neither
    response = post(client, f"/media/{medium.pk}/bindings", {"device_id": computer.pk})
    assert response.status_code == 403
    client.force_login(people["office2"])  # another unit: nothing to see
    assert post(client, f"/media/{medium.pk}/bindings",
                {"device_id": computer.pk}).status_code == 404
    assert post(client, f"/media/{medium.pk}/loans",
                {"person_id": people["top"].person.pk, "purpose": "x"}).status_code == 404
    assert post(client, "/bindings/999999/unbind").status_code == 404
    assert post(client, "/medium-loans/999999/return",
                {"content_check": "nothing"}).status_code == 404


@pytest.mark.rule("D4")
def test_check_out_return_and_list(client, people, medium):
    client.force_login(people["office"])
    response = post(client, f"/media/{medium.pk}/loans",
                    {"person_id": people["top"].person.pk, "purpose": "拷贝试验数据"})
    assert response.status_code == 201, response.content
    loan = response.json()
    assert loan["state"] == "out" and loan["due_on"] == (
        today() + dt.timedelta(days=7)).isoformat()
    assert Medium.objects.get(pk=medium.pk).state == MediumState.OUT
    listed = client.get(f"{BASE}/medium-loans?out=true").json()
    assert [item["id"] for item in listed["items"]] == [loan["id"]]
    assert client.get(f"{BASE}/medium-loans?overdue=true").json()["items"] == []
    refused = post(client, f"/medium-loans/{loan['id']}/return", {"content_check": "kept"})
    assert (refused.status_code, refused.json()["code"]) == (400, "note_required")
    response = post(client, f"/medium-loans/{loan['id']}/return",
                    {"content_check": "kept", "content_note": "登记为载体 ZT-0102"})
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["content_check"]) == ("returned", "kept")
    again = post(client, f"/medium-loans/{loan['id']}/return", {"content_check": "nothing"})
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action="MEDIUM_RETURNED").count() == 1


@pytest.mark.rule("D4")
def test_check_out_refusals(client, people, medium):
    client.force_login(people["office"])
    url = f"/media/{medium.pk}/loans"
    response = post(client, url, {"person_id": people["secret"].person.pk, "purpose": "x"})
    assert (response.status_code, response.json()["code"]) == (422, "clearance")
    response = post(client, url, {"person_id": people["office2"].person.pk, "purpose": "x"})
    assert (response.status_code, response.json()["code"]) == (400, "unknown")
    late = (today() + dt.timedelta(days=400)).isoformat()
    response = post(client, url, {"person_id": people["top"].person.pk, "purpose": "x",
                                  "due_on": late})
    assert (response.status_code, response.json()["code"]) == (400, "due_out_of_range")
    for body in ({"person_id": people["top"].person.pk, "purpose": ""},
                 {"person_id": people["top"].person.pk, "purpose": "x" * 501},
                 {"person_id": people["top"].person.pk}):
        assert post(client, url, body).status_code == 422
    assert post(client, url, {"person_id": people["top"].person.pk,
                              "purpose": "x"}).status_code == 201
    response = post(client, url, {"person_id": people["top"].person.pk, "purpose": "x"})
    assert (response.status_code, response.json()["code"]) == (409, "not_in_store")
    assert MediumLoan.objects.count() == 1


def test_return_input_is_bounded(client, people, medium):
    loan = services.check_out_medium(people["office"], medium, person=people["top"].person,
                                     purpose="拷贝")
    client.force_login(people["office"])
    for body in ({}, {"content_check": "wiped"},
                 {"content_check": "cleared", "content_note": "x" * 501}):
        assert post(client, f"/medium-loans/{loan.pk}/return", body).status_code == 422


def test_list_is_the_units_for_the_office_and_ones_own_otherwise(client, people,
                                                                  register_medium):
    office = people["office"]
    mine = services.check_out_medium(office, register_medium(), person=people["top"].person,
                                     purpose="拷贝")
    services.check_out_medium(office, register_medium(), person=people["confidential"].person,
                              purpose="拷贝")
    client.force_login(office)
    assert len(client.get(f"{BASE}/medium-loans").json()["items"]) == 2
    page = client.get(f"{BASE}/medium-loans?limit=1").json()
    assert len(page["items"]) == 1 and page["next_after"]
    client.force_login(people["top"])
    assert [i["id"] for i in client.get(f"{BASE}/medium-loans").json()["items"]] == [mine.pk]
    for query in ("limit=0", "limit=501", "after=0", "out=maybe"):
        assert client.get(f"{BASE}/medium-loans?{query}").status_code == 422, query
