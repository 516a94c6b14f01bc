"""The 保密组织机构 pages (rule Q1): who reads them (the 保密办, the leaders, the committee's
members; anyone else, the 三员 and other units included, gets a 404), who writes (the 保密办),
the forms and a service's refusal shown on the form with its status, the printed minutes and
roster."""

import datetime as dt
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from baomi.accounts.models import User
from baomi.accounts.roles import Role
from baomi.compliance import services_org
from baomi.compliance.models import Committee, CommitteeMeeting, CommitteeMember
from baomi.core.testing.factories import UnitFactory

from .org_support import ESTABLISHED_ON, committee, leader, meet, member, office  # noqa: F401

PAGE = "/compliance/committee/"
MEETINGS = "/compliance/committee/meetings/"
NEW_MEETING = "/compliance/committee/meetings/new/"
ROSTER = "/compliance/committee/roster.docx"


def tables(content):
    """The rows of each table of a .docx, as lists of cell texts."""
    document = Document(io.BytesIO(content))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def test_readers_and_others(client, unit, committee, member, make_user, sysadmin):  # noqa: F811
    for reader in (member.user, make_user("boss", roles=[Role.LEADER])):
        client.force_login(reader)
        page = client.get(PAGE)
        assert page.status_code == 200 and b'id="member-form"' not in page.content
        assert client.get(MEETINGS).status_code == 200
        assert client.get(NEW_MEETING).status_code == 404
        assert client.post(PAGE, {}).status_code == 404
    for outsider in (make_user("staff", roles=[Role.STAFF]), sysadmin,
                     make_user("far", roles=[Role.SECRECY_OFFICE], unit=UnitFactory())):
        client.force_login(outsider)
        assert client.get(MEETINGS).status_code == 404
        assert client.get(ROSTER).status_code == 404
        if outsider.username != "far":
            assert client.get(PAGE).status_code == 404


def test_the_office_records_the_committee(client, unit, office, leader):  # noqa: F811
    client.force_login(office)
    page = client.get(PAGE)
    assert b'id="committee-establish-form"' in page.content
    form = {"kind": "committee", "name": "示范单位保密委员会", "established_on": "2021-03-15",
            "document_number": "示范〔2021〕12号", "legal_representative": "陈建华",
            "duties": "研究部署保密工作", "chair_user": str(leader.pk)}
    refused = client.post(PAGE, {**form, "legal_representative": "陈建"})
    assert refused.status_code == 422 and not Committee.objects.exists()
    assert client.post(PAGE, form).status_code == 302
    page = client.get(PAGE)
    assert re.search(rb'data-chair-ok="yes"', page.content)
    assert Committee.objects.get().members.get().user == leader


def test_a_leader_sees_that_no_committee_is_recorded(client, unit, leader):  # noqa: F811
    client.force_login(leader)
    page = client.get(PAGE)
    assert page.status_code == 200 and b'id="no-committee"' in page.content
    assert b"<form" not in page.content.split(b'id="no-committee"')[1]


@pytest.mark.rule("Q1")
def test_members_are_added_and_ended(client, office, committee, make_user):  # noqa: F811
    client.force_login(office)
    staff = make_user("zhang", roles=[Role.STAFF], person__name="张伟")
    response = client.post("/compliance/committee/members/", {
        "user": str(staff.pk), "position": "deputy", "title": "副院长", "duties": "分管保密",
        "from_on": "2022-01-01"})
    assert response.status_code == 302
    added = CommitteeMember.objects.get(user=staff)
    assert (added.name, added.position) == ("张伟", "deputy")
    second_chair = client.post("/compliance/committee/members/", {
        "name": "陈建华", "position": "chair", "from_on": "2022-01-01"})
    assert second_chair.status_code == 409
    ended = client.post(f"/compliance/committee/members/{added.pk}/end/",
                        {"to_on": "2025-06-30"})
    assert ended.status_code == 302
    assert CommitteeMember.objects.get(pk=added.pk).to_on == dt.date(2025, 6, 30)
    page = client.get(PAGE).content.decode()
    assert 'id="former-members"' in page and "张伟" in page.split('id="former-members"')[1]


@pytest.mark.rule("Q1")
def test_the_office_records_a_meeting_with_attendance(client, office, committee, member):  # noqa: F811
    client.force_login(office)
    chair = committee.members.get(position="chair")
    form = client.get(NEW_MEETING).content.decode()
    assert f'name="present-{member.pk}"' in form and f'name="reason-{chair.pk}"' in form
    data = {"held_on": "2025-03-18", "kind": "regular", "place": "第一会议室",
            "topics": "部署年度保密工作", "minutes": "会议研究部署了年度保密工作。", "decisions": "",
            f"present-{chair.pk}": "on"}
    refused = client.post(NEW_MEETING, data)  # 张伟 absent without a reason
    assert refused.status_code == 400 and not CommitteeMeeting.objects.exists()
    scan = SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 scan")
    response = client.post(NEW_MEETING, {**data, f"reason-{member.pk}": "出差",
                                         "attachment": scan})
    assert response.status_code == 302
    meeting = CommitteeMeeting.objects.get()
    assert response["Location"] == f"/compliance/committee/meetings/{meeting.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-name="张伟" data-present="no"' in page and 'data-quorate="no"' in page
    download = client.get(f"/compliance/committee/meetings/{meeting.pk}/attachment")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 scan"
    listing = client.get(f"{MEETINGS}?year=2025").content.decode()
    assert 'data-held="1" data-required="2"' in listing and 'data-met="no"' in listing


def test_the_printed_minutes(client, office, committee, member):  # noqa: F811
    chair = committee.members.get(position="chair")
    meeting = meet(office, committee, dt.date(2025, 12, 16), [
        {"member": chair.pk}, {"member": member.pk, "present": False, "absence_reason": "出差"}])
    client.force_login(member.user)
    response = client.get(f"/compliance/committee/meetings/{meeting.pk}/minutes.docx")
    assert response.status_code == 200
    [head, attendance] = tables(response.content)
    assert head[1][:2] == ["2025年12月16日", "第一会议室"]
    assert attendance[0] == ["序号", "姓名", "职务", "出席情况", "缺席原因", "签名"]
    assert attendance[1][:4] == ["1", "陈建华", attendance[1][2], "出席"]
    assert attendance[2][1:6] == ["张伟", attendance[2][2], "缺席", "出差", ""]
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "会议研究部署了年度保密工作。" in text and "通过年度保密工作计划" in text


def test_the_printed_roster(client, office, committee, member):  # noqa: F811
    services_org.add_member(office, committee, position="office_head", user=office,
                            from_on=ESTABLISHED_ON, duties="负责日常工作")
    client.force_login(office)
    response = client.get(ROSTER)
    assert response.status_code == 200
    [head, roster] = tables(response.content)
    assert head[1] == [committee.unit.name, "2021年3月15日", "示范〔2021〕12号", "陈建华"]
    assert [row[1] for row in roster[1:]] == ["陈建华", "刘晓燕", "张伟"]  # chair first
    assert roster[3][4] == "负责研发部门保密工作"


def test_bad_ids_are_404(client, office, committee):  # noqa: F811
    client.force_login(office)
    meeting = meet(office, committee, dt.date(2025, 3, 18))
    assert client.get(f"/compliance/committee/meetings/{meeting.pk}/attachment").status_code \
        == 404  # none attached
    for path in ("/compliance/committee/meetings/999999/",
                 "/compliance/committee/meetings/999999/minutes.docx"):
        assert client.get(path).status_code == 404
    assert client.post("/compliance/committee/members/999999/end/",
                       {"to_on": "2025-01-01"}).status_code == 404


def test_the_meetings_of_a_year_export_to_xlsx(client, office, committee, member):  # noqa: F811
    from openpyxl import load_workbook

    from baomi.audit.models import AuditEvent

    chair = committee.members.get(position="chair")
    meet(office, committee, dt.date(2025, 12, 16), [
        {"member": chair.pk}, {"member": member.pk, "present": False, "absence_reason": "出差"}])
    meet(office, committee, dt.date(2026, 1, 1))
    client.force_login(member.user)
    response = client.get(f"{MEETINGS}export.xlsx?year=2025")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0].date() == dt.date(2025, 12, 16)
    assert rows[1][2:6] == ("第一会议室", "部署年度保密工作", "陈建华", "张伟（出差）")
    event = AuditEvent.objects.get(action="COMMITTEE_MEETINGS_EXPORTED")
    assert json.loads(event.after) == {"year": 2025, "rows": 1}
    client.force_login(User.objects.get(username="office"))
    assert client.get(f"{MEETINGS}export.xlsx?year=2025").status_code == 200
