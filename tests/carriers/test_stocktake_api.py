"""The stocktake API (rules C1, C8, L5): start, check, mark, close, the missing carriers, a
report and a carrier found again; bad input is a 4xx with a code, never a 500."""

import pytest

from baomi.accounts.roles import Role
from baomi.carriers.labels import label_payload
from baomi.carriers.models import MissingCase, Stocktake
from baomi.core.labels import Category, Level
from baomi.secrets.choices import PeriodKind

from . import page_support as support
from .page_support import today

cabinet, clerk, head, item, keeper, office, reader, register, safe, yf1 = (
    support.cabinet, support.clerk, support.head, support.item, support.keeper,
    support.office, support.reader, support.register, support.safe, support.yf1)

API = "/api/v1/carriers"


def post(client, url, data=None):
    return client.post(f"{API}{url}", data or {}, content_type="application/json")


@pytest.mark.rule("C1")
def test_a_stocktake_through_the_api(client, office, register, safe):
    first, second, third = (register() for _ in range(3))
    client.force_login(office)
    started = post(client, "/stocktakes", {"container_id": safe.pk, "note": "月度清查"})
    assert started.status_code == 201, started.json()
    body = started.json()
    assert body["counts"] == {"unchecked": 3, "found": 0, "missing": 0}
    assert (body["state"], body["level"], body["container_id"]) == ("open", 2, safe.pk)
    stocktake_id = body["id"]

    checked = post(client, f"/stocktakes/{stocktake_id}/check",
                   {"code": label_payload(first)})
    assert checked.status_code == 200 and checked.json()["result"] == "found"
    assert checked.json()["mark"] == "机密★10年"
    difference = post(client, f"/stocktakes/{stocktake_id}/check", {"code": "ZT-NOPE"})
    assert difference.status_code == 422
    assert (difference.json()["code"], difference.json()["rule"]) == ("not_on_list", "C1")

    lines = client.get(f"{API}/stocktakes/{stocktake_id}/lines?result=unchecked").json()
    assert {line["carrier_number"] for line in lines["items"]} == {second.number, third.number}
    line_id = next(line["id"] for line in lines["items"]
                   if line["carrier_number"] == second.number)
    marked = post(client, f"/stocktakes/{stocktake_id}/lines/{line_id}",
                  {"result": "found", "note": "借阅人处"})
    assert marked.status_code == 200 and marked.json()["note"] == "借阅人处"

    closed = post(client, f"/stocktakes/{stocktake_id}/close")
    assert closed.status_code == 200, closed.json()
    result = closed.json()
    assert result["found"] == 2 and result["not_moved"] == []
    [missing] = result["missing"]
    case = MissingCase.objects.get()
    assert (missing["carrier_number"], missing["missing_case_id"], missing["deadline"]) == (
        third.number, case.pk, case.deadline.isoformat())
    assert result["stocktake"]["state"] == "closed"
    assert post(client, f"/stocktakes/{stocktake_id}/close").status_code == 409

    listing = client.get(f"{API}/stocktakes").json()
    assert [s["id"] for s in listing["items"]] == [stocktake_id]
    assert client.get(f"{API}/stocktakes/{stocktake_id}").json()["counts"]["missing"] == 1


@pytest.mark.rule("C8")
def test_missing_carriers_through_the_api(client, office, register):
    carrier = register()
    client.force_login(office)
    reported = post(client, f"/carriers/{carrier.pk}/missing",
                    {"discovered_on": today().isoformat(), "note": "会后清点发现缺失"})
    assert reported.status_code == 201, reported.json()
    case = reported.json()
    assert (case["state"], case["source"], case["carrier_id"]) == ("open", "report", carrier.pk)
    again = post(client, f"/carriers/{carrier.pk}/missing",
                 {"discovered_on": today().isoformat(), "note": "x"})
    assert again.status_code == 409 and again.json()["code"] == "already_missing"
    assert [c["id"] for c in client.get(f"{API}/missing").json()["items"]] == [case["id"]]
    found = post(client, f"/missing/{case['id']}/found",
                 {"found_on": today().isoformat(), "note": "夹在其他文件中"})
    assert found.status_code == 200 and found.json()["state"] == "found"
    assert client.get(f"{API}/missing").json()["items"] == []
    assert len(client.get(f"{API}/missing?state=found").json()["items"]) == 1


def test_bad_input_is_a_4xx(client, office, register, safe, cabinet):
    carrier = register()
    client.force_login(office)
    stocktake_id = post(client, "/stocktakes", {"container_id": safe.pk}).json()["id"]
    cases = [
        ("post", "/stocktakes", {"container_id": cabinet.pk}, 400),  # empty scope
        ("post", "/stocktakes", {"container_id": safe.pk}, 409),  # one per scope
        ("post", "/stocktakes", {"container_id": 999999}, 400),
        ("post", "/stocktakes", {"department_id": 0}, 422),
        ("post", "/stocktakes", {"note": "x" * 501}, 422),
        ("post", f"/stocktakes/{stocktake_id}/check", {"code": ""}, 422),
        ("post", f"/stocktakes/{stocktake_id}/check", {"code": "x" * 301}, 422),
        ("post", f"/stocktakes/{stocktake_id}/check", {"code": "   "}, 400),
        ("post", f"/stocktakes/{stocktake_id}/check", {"code": "a\x00b"}, 400),
        ("post", "/stocktakes/999999/check", {"code": "x"}, 404),
        ("post", f"/stocktakes/{stocktake_id}/lines/999999", {"result": "found"}, 404),
        ("post", f"/stocktakes/{stocktake_id}/lines/1", {"result": "lost"}, 422),
        ("post", f"/carriers/{carrier.pk}/missing", {"discovered_on": "2999-01-01",
                                                      "note": "x"}, 422),
        ("post", f"/carriers/{carrier.pk}/missing", {"discovered_on": "2099-01-01",
                                                      "note": "x"}, 400),
        ("post", f"/carriers/{carrier.pk}/missing", {"discovered_on": today().isoformat(),
                                                      "note": ""}, 422),
        ("post", "/missing/999999/found", {"found_on": today().isoformat(), "note": "x"}, 404),
        ("get", "/missing?state=lost", None, 422),
        ("get", f"/stocktakes/{stocktake_id}/lines?result=lost", None, 422),
        ("get", "/stocktakes?limit=0", None, 422),
        ("get", "/stocktakes/0", None, 422),
    ]
    for method, url, data, status in cases:
        response = (post(client, url, data) if method == "post"
                    else client.get(f"{API}{url}"))
        assert response.status_code == status, (url, data, response.content[:300])
        assert "code" in response.json()
    assert Stocktake.objects.count() == 1 and not MissingCase.objects.exists()


@pytest.mark.rule("L5")
def test_the_api_hides_what_is_above_clearance(client, make_user, office, unit, register):
    top = register(level=Level.TOP_SECRET, period_kind=PeriodKind.YEARS, period_value=30)
    client.force_login(office)
    stocktake_id = post(client, "/stocktakes", {}).json()["id"]
    post(client, f"/carriers/{top.pk}/missing", {"discovered_on": today().isoformat(),
                                                 "note": "x"})
    client.force_login(make_user("office_m", roles=[Role.SECRECY_OFFICE],
                                 category=Category.IMPORTANT))
    assert client.get(f"{API}/stocktakes").json()["items"] == []
    assert client.get(f"{API}/stocktakes/{stocktake_id}").status_code == 404
    assert post(client, f"/stocktakes/{stocktake_id}/close").status_code == 404
    assert client.get(f"{API}/missing").json()["items"] == []
    case = MissingCase.objects.get()
    assert post(client, f"/missing/{case.pk}/found",
                {"found_on": today().isoformat(), "note": "x"}).status_code == 404
    client.force_login(make_user("staff", roles=[Role.STAFF], category=Category.CORE))
    assert post(client, "/stocktakes", {}).status_code == 403
