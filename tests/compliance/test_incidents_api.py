"""The leak-incident API (rules I1, I2, L5): reporting, the bureau report, measures, the four
items and closing; refusals as `{"code", "message", "fields"}` with a 4xx, never a 500."""

import datetime as dt

import pytest
from django.utils import timezone

from baomi.compliance.models import Incident
from baomi.core.labels import Level

from . import incidents_support as support
from .incidents_support import ITEMS, ago

people, other_unit, reported, handled = (
    support.people, support.other_unit, support.reported, support.handled)
BASE = "/api/v1/compliance/incidents"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.mark.rule("I1")
def test_a_staff_member_reports_through_the_api(client, people, unit):
    client.force_login(people["staff"])
    body = {"kind": "suspected_leak", "level": 1, "title": "秘密级文件被个人手机拍照",
            "discovered_at": ago(hours=3).isoformat(), "description": "会议室内发现"}
    response = post(client, BASE, body)
    assert response.status_code == 201, response.json()
    out = response.json()
    assert (out["state"], out["level"], out["unit_id"], out["reported_late"]) == (
        "open", 1, unit.pk, False)
    naive = timezone.localtime(ago(hours=2)).replace(tzinfo=None).isoformat()
    assert post(client, BASE, {**body, "discovered_at": naive}).status_code == 201
    refused = post(client, BASE, {**body, "level": 2})
    assert refused.status_code == 403 and refused.json()["code"] == "not_cleared"
    future = post(client, BASE, {**body, "discovered_at": (
        timezone.now() + dt.timedelta(hours=1)).isoformat()})
    assert future.status_code == 400 and future.json()["code"] == "in_future"
    for bad in ({"title": ""}, {"title": "x" * 301}, {"title": "a\x00b"}, {"kind": "fire"},
                {"level": 7}, {"discovered_at": "0001-01-01T00:00:00+14:00"},
                {"discovered_at": "yesterday"}, {"description": "x\x00"}):
        response = post(client, BASE, {**body, **bad})
        assert 400 <= response.status_code < 500, bad
    assert Incident.objects.count() == 2
    assert client.get(f"{BASE}/{out['id']}").status_code == 404  # the office's to handle


@pytest.mark.rule("I2")
def test_the_office_handles_and_closes_through_the_api(client, people, reported):
    incident = reported(discovered_at=ago(hours=30))
    url = f"{BASE}/{incident.pk}"
    client.force_login(people["office"])
    refused = post(client, f"{url}/close", {})
    assert refused.status_code == 422 and refused.json()["code"] == "not_reported"
    done = post(client, f"{url}/bureau-report", {"reported_at": ago(hours=1).isoformat(),
                                                  "reported_to": "市国家保密局"})
    assert done.status_code == 200 and done.json()["reported_late"] is True
    assert done.json()["state"] == "investigating"
    again = post(client, f"{url}/bureau-report", {"reported_at": ago(hours=1).isoformat(),
                                                   "reported_to": "上级"})
    assert again.status_code == 409
    measure = post(client, f"{url}/measures", {"taken_at": ago(hours=2).isoformat(),
                                               "measure": "删除照片"})
    assert measure.status_code == 201 and len(measure.json()["measures"]) == 1
    partial = post(client, f"{url}/investigation", {"cause": ITEMS["cause"]})
    assert partial.json()["missing_items"] == ["responsibility", "rectification", "education"]
    four = post(client, f"{url}/close", {})
    assert four.status_code == 422 and four.json()["code"] == "four_not_done"
    assert post(client, f"{url}/investigation", {}).json()["code"] == "nothing_given"
    for bad in ({"cause": ""}, {"cause": "x\x00"}, {"cause": "x" * 4001}, {"on": "x"}):
        assert 400 <= post(client, f"{url}/investigation", bad).status_code < 500, bad
    post(client, f"{url}/investigation", {**ITEMS, "on": timezone.localdate().isoformat()})
    closed = post(client, f"{url}/close", {})
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    locked = post(client, f"{url}/measures", {"taken_at": ago(hours=1).isoformat(),
                                              "measure": "再查"})
    assert locked.status_code == 409 and locked.json()["code"] == "closed"
    detail = client.get(url).json()
    assert detail["closed_on"] == timezone.localdate().isoformat()
    assert detail["cause"] == ITEMS["cause"] and detail["missing_items"] == []


@pytest.mark.rule("L5")
def test_others_get_a_404_or_a_refusal(client, people, reported):
    confidential = reported(people["office"], level=Level.CONFIDENTIAL)
    secret = reported()
    client.force_login(people["office_secret"])
    assert post(client, f"{BASE}/{confidential.pk}/close", {}).status_code == 404
    client.force_login(people["leader"])
    response = post(client, f"{BASE}/{secret.pk}/measures",
                    {"taken_at": ago(hours=1).isoformat(), "measure": "封存"})
    assert response.status_code == 403 and response.json()["code"] == "not_secrecy_office"
    client.force_login(people["office2"])
    assert post(client, f"{BASE}/{secret.pk}/close", {}).status_code == 404
    assert post(client, f"{BASE}/0/close", {}).status_code in (400, 404, 422)
