"""The usage log in the API (/api/v1/devices; rule D5): books of a device, opening one,
entries a page at a time, recording, ending, closing, the .xlsx export; refusals as a 4xx
with a stable code; what the caller does not see is a 404."""

from datetime import datetime

import pytest
from django.utils import timezone

from baomi.core.labels import Level
from baomi.devices import services
from baomi.devices.models import UsageBook, UsageEntry

from . import support
from .support import sheet_rows, streamed, today

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)

BASE = "/api/v1/devices"
LAST_YEAR = today().year - 1


@pytest.fixture
def computer(people, register_device):
    device = register_device(level=Level.CONFIDENTIAL)
    services.add_device_user(people["office"], device, people["confidential"].person)
    return device


@pytest.fixture
def book(people, computer):
    return services.open_usage_book(people["office"], computer, year=LAST_YEAR)


def post(client, path, data=None):
    return client.post(f"{BASE}{path}", data or {}, content_type="application/json")


def entry_data(person, **overrides):
    return {"user_id": person.pk, "started_at": f"{LAST_YEAR}-05-06T09:00:00+08:00",
            "ended_at": f"{LAST_YEAR}-05-06T11:00:00+08:00", "work": "审校设计文档",
            "level": Level.SECRET, **overrides}


@pytest.mark.rule("D5")
def test_open_and_list_books(client, people, computer):
    client.force_login(people["top"])
    response = post(client, f"/devices/{computer.pk}/usage-books", {"year": today().year})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["year"], body["entry_count"], body["closed_on"]) == (today().year, 0, None)
    assert body["discardable_from"] == f"{today().year + 6}-01-01"
    again = post(client, f"/devices/{computer.pk}/usage-books", {"year": today().year})
    assert again.status_code == 409 and again.json()["code"] == "book_exists"
    future = post(client, f"/devices/{computer.pk}/usage-books", {"year": today().year + 1})
    assert future.status_code == 400 and future.json()["code"] == "invalid_year"
    post(client, f"/devices/{computer.pk}/usage-books", {"year": LAST_YEAR})
    listed = client.get(f"{BASE}/devices/{computer.pk}/usage-books?limit=1").json()
    assert [b["year"] for b in listed["items"]] == [today().year]
    rest = client.get(f"{BASE}/devices/{computer.pk}/usage-books?after={listed['next_after']}")
    assert [b["year"] for b in rest.json()["items"]] == [LAST_YEAR]


@pytest.mark.rule("D2")
def test_record_end_and_page_entries(client, people, computer, book):
    client.force_login(people["confidential"])
    url = f"/usage-books/{book.pk}/entries"
    first = post(client, url, entry_data(people["confidential"].person, ended_at=None))
    assert first.status_code == 201, first.content
    assert first.json()["ended_at"] is None
    naive = post(client, url, entry_data(people["confidential"].person,
                                         started_at=f"{LAST_YEAR}-05-07T09:00:00",
                                         ended_at=f"{LAST_YEAR}-05-07T10:00:00"))
    assert naive.status_code == 201  # local time
    assert datetime.fromisoformat(naive.json()["started_at"]) == timezone.make_aware(
        datetime(LAST_YEAR, 5, 7, 9))
    above = post(client, url, entry_data(people["confidential"].person, level=Level.TOP_SECRET))
    assert above.status_code == 422 and above.json()["code"] == "level_above_device"
    other = post(client, url, entry_data(people["top"].person))
    assert other.status_code == 403 and other.json()["code"] == "not_usage_recorder"
    wrong = post(client, url, entry_data(people["confidential"].person,
                                         started_at=f"{today().year}-01-05T09:00:00+08:00",
                                         ended_at=None))
    assert wrong.status_code == 400 and wrong.json()["code"] == "wrong_book"
    ended = post(client, f"/usage-entries/{first.json()['id']}/end",
                 {"ended_at": f"{LAST_YEAR}-05-06T12:00:00+08:00"})
    assert ended.status_code == 200 and ended.json()["ended_at"] is not None
    twice = post(client, f"/usage-entries/{first.json()['id']}/end",
                 {"ended_at": f"{LAST_YEAR}-05-06T12:30:00+08:00"})
    assert twice.status_code == 409 and twice.json()["code"] == "already_ended"
    page = client.get(f"{BASE}{url}?limit=1").json()
    assert [e["id"] for e in page["items"]] == [first.json()["id"]]
    rest = client.get(f"{BASE}{url}?after={page['next_after']}").json()
    assert [e["id"] for e in rest["items"]] == [naive.json()["id"]] and not rest["next_after"]


@pytest.mark.rule("D5")
def test_close_a_book_and_export_it(client, people, computer, book):
    services.record_usage(
        people["office"], computer, user=people["top"].person,
        started_at=timezone.make_aware(datetime(LAST_YEAR, 2, 3, 9)),
        ended_at=timezone.make_aware(datetime(LAST_YEAR, 2, 3, 10)), work="绘制工程图纸",
        level=Level.CONFIDENTIAL)
    client.force_login(people["top"])
    refused = post(client, f"/usage-books/{book.pk}/close")
    assert refused.status_code == 403 and refused.json()["code"] == "not_secrecy_office"
    client.force_login(people["office"])
    closed = post(client, f"/usage-books/{book.pk}/close")
    assert closed.status_code == 200 and closed.json()["closed_on"] == today().isoformat()
    assert closed.json()["entry_count"] == 1
    late = post(client, f"/usage-books/{book.pk}/entries", entry_data(people["top"].person))
    assert late.status_code == 422 and late.json()["code"] == "book_closed"
    export = client.get(f"{BASE}/usage-books/{book.pk}/export")
    assert export.status_code == 200
    rows = sheet_rows(streamed(export))
    assert rows[3][3] == "绘制工程图纸" and len(rows) == 4


@pytest.mark.rule("L5")
def test_what_the_caller_does_not_see_is_a_404(client, people, computer, book):
    entry = services.record_usage(
        people["office"], computer, user=people["top"].person,
        started_at=timezone.make_aware(datetime(LAST_YEAR, 2, 3, 9)), ended_at=None,
        work="绘制工程图纸", level=Level.SECRET)
    client.force_login(people["secret"])  # cleared 秘密, the computer is 机密
    for path in (f"/devices/{computer.pk}/usage-books", f"/usage-books/{book.pk}",
                 f"/usage-books/{book.pk}/entries", f"/usage-books/{book.pk}/export"):
        assert client.get(f"{BASE}{path}").status_code == 404, path
    for path, data in ((f"/devices/{computer.pk}/usage-books", {"year": today().year}),
                       (f"/usage-books/{book.pk}/entries", entry_data(people["secret"].person)),
                       (f"/usage-entries/{entry.pk}/end",
                        {"ended_at": f"{LAST_YEAR}-02-03T10:00:00+08:00"}),
                       (f"/usage-books/{book.pk}/close", {})):
        assert post(client, path, data).status_code == 404, path
    assert UsageBook.objects.count() == 1 and UsageEntry.objects.get().ended_at is None


@pytest.mark.rule("D5")
@pytest.mark.parametrize("overrides", [
    {"started_at": "0001-01-01T00:00:00+14:00"}, {"started_at": "9999-12-31T23:59:59-14:00"},
    {"work": ""}, {"work": "x" * 501}, {"level": 4}, {"user_id": 0},
    {"user_id": 2**63 - 1}, {"started_at": "not a time"},
])
def test_bad_input_is_a_4xx(client, people, computer, book, overrides):
    client.force_login(people["office"])
    response = post(client, f"/usage-books/{book.pk}/entries",
                    entry_data(people["top"].person, **overrides))
    assert 400 <= response.status_code < 500, response.content
    assert not UsageEntry.objects.exists()
