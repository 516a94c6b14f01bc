"""The committee API (/api/v1/compliance/committee, rule Q1): the 保密办 records and corrects the
committee, adds and ends members and records meetings; the leaders and members read; anyone
else gets a 404; refusals are 4xx with their codes and write nothing."""

import datetime as dt

import pytest

from baomi.accounts.models import User
from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance.models import Committee, CommitteeMeeting, CommitteeMember
from baomi.core.testing.factories import UnitFactory

from .org_support import committee, leader, meet, member, office  # noqa: F401

BASE = "/api/v1/compliance/committee"
COMMITTEE = {"kind": "committee", "name": "示范单位保密委员会", "established_on": "2021-03-15",
             "document_number": "示范〔2021〕12号", "legal_representative": "陈建华",
             "duties": "研究部署保密工作"}
MEETING = {"held_on": "2025-03-18", "kind": "regular", "place": "第一会议室",
           "topics": "部署年度保密工作", "minutes": "会议研究部署了年度保密工作。"}


def post(client, path, data, method="post"):
    return getattr(client, method)(path, data, content_type="application/json")


def written():
    return (Committee.objects.count(), CommitteeMember.objects.count(),
            CommitteeMeeting.objects.count(),
            AuditEvent.objects.filter(action__startswith="COMMITTEE_").count())


def refused(response, status, code):
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


@pytest.mark.rule("Q1")
def test_the_office_records_the_committee(client, unit, office, leader):  # noqa: F811
    client.force_login(office)
    assert client.get(BASE).status_code == 404
    before = written()
    refused(post(client, BASE, COMMITTEE), 422, "chair_required")
    refused(post(client, BASE, {**COMMITTEE, "chair_name": "李四"}), 422,
            "chair_not_legal_representative")
    refused(post(client, BASE, {**COMMITTEE, "chair_user_id": 10**12}), 400, "invalid")
    assert written() == before
    created = post(client, BASE, {**COMMITTEE, "chair_user_id": leader.pk})
    assert created.status_code == 201, created.content
    assert created.json()["legal_representative"] == "陈建华"
    refused(post(client, BASE, {**COMMITTEE, "chair_name": "陈建华"}), 409, "committee_exists")
    updated = post(client, BASE, {**COMMITTEE, "name": "示范单位保密工作领导小组",
                                  "kind": "leading_group"}, method="put")
    assert updated.status_code == 200 and updated.json()["kind"] == "leading_group"


@pytest.mark.rule("Q1")
def test_members(client, office, committee, member):  # noqa: F811
    client.force_login(office)
    listing = client.get(f"{BASE}/members").json()
    assert [m["position"] for m in listing["items"]] == ["member", "chair"]
    refused(post(client, f"{BASE}/members", {"name": "陈建华", "position": "chair",
                                             "from_on": "2024-01-01"}), 409, "one_chair")
    added = post(client, f"{BASE}/members", {"name": "王五", "position": "deputy",
                                             "from_on": "2024-01-01", "title": "副院长"})
    assert added.status_code == 201 and added.json()["position"] == "deputy"
    chair = committee.members.get(position="chair")
    refused(post(client, f"{BASE}/members/{chair.pk}/end", {"to_on": "2025-01-01"}), 422,
            "chair_required")
    ended = post(client, f"{BASE}/members/{member.pk}/end", {"to_on": "2025-01-01"})
    assert ended.status_code == 200 and ended.json()["to_on"] == "2025-01-01"
    refused(post(client, f"{BASE}/members/{member.pk}/end", {"to_on": "2025-01-02"}), 409,
            "already_ended")
    current = client.get(f"{BASE}/members?limit=1").json()
    assert len(current["items"]) == 1 and current["next_after"] is not None
    everyone = client.get(f"{BASE}/members?current=false").json()["items"]
    assert len(everyone) == 3


@pytest.mark.rule("Q1")
def test_meetings_and_summary(client, office, committee, member):  # noqa: F811
    client.force_login(office)
    chair = committee.members.get(position="chair")
    before = written()
    refused(post(client, f"{BASE}/meetings", {**MEETING, "attendance": [
        {"member_id": member.pk, "present": False}]}), 400, "absence_reason_required")
    assert written() == before
    created = post(client, f"{BASE}/meetings", {**MEETING, "attendance": [
        {"member_id": chair.pk}, {"member_id": member.pk, "present": False,
                                  "absence_reason": "出差"}]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert [(a["name"], a["present"]) for a in body["attendance"]] == [
        ("陈建华", True), ("张伟", False)]
    assert client.get(f"{BASE}/meetings/{body['id']}").json()["minutes"] == MEETING["minutes"]
    assert len(client.get(f"{BASE}/meetings?year=2025").json()["items"]) == 1
    assert client.get(f"{BASE}/meetings?year=2024").json()["items"] == []
    summary = client.get(f"{BASE}/summary?year=2025").json()
    assert summary == {"year": 2025, "members": 2, "meetings_held": 1, "meetings_required": 2,
                       "meets_requirement": False, "attendance_rate": 0.5,
                       "chair_is_legal_representative": True}


def test_readers_read_and_do_not_write(client, committee, member, leader, make_user):  # noqa: F811
    meeting = meet_for(committee)
    for reader in (leader, member.user):
        client.force_login(reader)
        assert client.get(BASE).status_code == 200
        assert client.get(f"{BASE}/meetings/{meeting.pk}").status_code == 200
        before = written()
        refused(post(client, f"{BASE}/meetings", MEETING), 403, "not_secrecy_office")
        refused(post(client, BASE, COMMITTEE, method="put"), 403, "not_secrecy_office")
        assert written() == before
    for outsider in (make_user("staff", roles=[Role.STAFF]),
                     make_user("far", roles=[Role.SECRECY_OFFICE], unit=UnitFactory())):
        client.force_login(outsider)
        assert client.get(BASE).status_code == 404
        assert client.get(f"{BASE}/meetings/{meeting.pk}").status_code == 404
        assert client.get(f"{BASE}/members").status_code == 404
        refused(post(client, f"{BASE}/members/{member.pk}/end", {"to_on": "2025-01-01"}), 404,
                "not_found")


def meet_for(committee):  # noqa: F811
    return meet(User.objects.get(username="office"), committee, dt.date(2025, 3, 18))


def test_bad_input_is_a_4xx(client, office, committee):  # noqa: F811
    client.force_login(office)
    for body in ({**MEETING, "held_on": "0001-01-01"}, {**MEETING, "place": "x" * 201},
                 {**MEETING, "place": "会议\u0000室"}, {**MEETING, "kind": "party"},
                 {**MEETING, "attendance": [{"member_id": 0}]}):
        response = post(client, f"{BASE}/meetings", body)
        assert 400 <= response.status_code < 500, (body, response.content)
    assert client.get(f"{BASE}/meetings/0").status_code in (404, 422)
    assert CommitteeMeeting.objects.count() == 0
