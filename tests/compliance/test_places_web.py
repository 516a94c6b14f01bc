"""Key places (rule M1) and classified meetings (rule M2) on the pages and in the API: who
sees what (another unit's objects are 404, a 机密 meeting only for people cleared for it — the
保密办, the organiser, the attendees), the forms with the services' refusals, the downloads,
and the API codes; a refusal writes nothing."""

import datetime as dt

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance import services_places as sp
from baomi.compliance.models import ClassifiedMeeting, KeyPlace, KeyPlacePerson, MeetingDocument
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import UnitFactory

from .test_places_support import (  # noqa: F401
    PLACE,
    general,
    important,
    leader,
    meeting,
    office,
    place,
    plan,
    soon,
)

API = "/api/v1/compliance"
PLACE_FORM = {"name": "档案室", "kind": "part", "location": "行政楼四层", "level": "2",
              "approved_on": "2026-03-01", "approval_no": "华信保〔2026〕4号",
              "people_measures": "专人管理", "physical_measures": "防盗门", "technical_measures":
              "门禁、视频、报警", "phone_storage": "门外存放柜", "active": "on"}


def post_json(client, path, data):
    return client.post(path, data, content_type="application/json")


@pytest.fixture
def outsider(make_user):
    other = UnitFactory()
    return make_user("outsider", roles=[Role.SECRECY_OFFICE], unit=other, category=Category.CORE)


# --- pages ------------------------------------------------------------------------------------

@pytest.mark.rule("M1")
def test_the_office_registers_a_place_and_the_leader_reads_the_register(
        client, unit, office, leader):
    client.force_login(office)
    assert client.get("/compliance/places/").status_code == 200
    response = client.post("/compliance/places/", PLACE_FORM)
    assert response.status_code == 302, response.content
    place = KeyPlace.objects.get(name="档案室")
    client.force_login(leader)
    listing = client.get("/compliance/places/").content.decode()
    assert f'data-id="{place.pk}"' in listing and 'id="place-form"' not in listing
    detail = client.get(f"/compliance/places/{place.pk}/")
    assert detail.status_code == 200 and b"place-edit-form" not in detail.content
    assert client.post("/compliance/places/", PLACE_FORM).status_code == 404


@pytest.mark.rule("M1")
def test_a_missing_measure_shows_on_the_form_and_writes_nothing(client, office):
    client.force_login(office)
    response = client.post("/compliance/places/", {**PLACE_FORM, "technical_measures": ""})
    assert response.status_code == 422
    assert response.context["form"].errors["technical_measures"]
    assert KeyPlace.objects.count() == 0


@pytest.mark.rule("M1")
def test_people_are_allowed_in_and_revoked_on_the_place_page(
        client, place, office, important, general):
    client.force_login(office)
    url = f"/compliance/places/{place.pk}/people/"
    refused = client.post(url, {"user": general.pk})
    assert refused.status_code == 422 and refused.context["grant_form"].errors["user"]
    assert client.post(url, {"user": important.pk}).status_code == 302
    grant = KeyPlacePerson.objects.get()
    page = client.get(f"/compliance/places/{place.pk}/").content.decode()
    assert 'data-name="郭重要" data-current="yes"' in page
    revoke = f"/compliance/places/{place.pk}/people/{grant.pk}/revoke/"
    assert client.post(revoke).status_code == 302
    assert client.post(revoke).status_code == 409
    assert KeyPlacePerson.objects.get().revoked_on is not None


def test_places_are_not_seen_by_staff_the_three_admins_or_another_unit(
        client, place, important, secadmin, outsider):
    for user in (important, secadmin, outsider):
        client.force_login(user)
        assert client.get(f"/compliance/places/{place.pk}/").status_code == 404
    client.force_login(outsider)
    assert client.get("/compliance/places/").content.decode().count("data-id=") == 0


@pytest.mark.rule("M2")
def test_the_office_plans_a_meeting_on_the_form(client, office):
    client.force_login(office)
    assert client.get("/compliance/meetings/new/").status_code == 200
    form = {"title": "型号方案评审会", "level": "2", "starts_at": "2026-12-01T09:00",
            "ends_at": "2026-12-01T11:30", "place_text": "三楼会议室", "plan": ""}
    refused = client.post("/compliance/meetings/new/", form)
    assert refused.status_code == 422 and refused.context["form"].errors["plan"]
    response = client.post("/compliance/meetings/new/", {**form, "plan": "会前清场"})
    assert response.status_code == 302
    meeting = ClassifiedMeeting.objects.get()
    assert meeting.organiser == office and meeting.level == Level.CONFIDENTIAL


@pytest.mark.rule("M2")
def test_the_meeting_page_runs_the_meeting_to_its_close(client, meeting, office, important):
    client.force_login(office)
    base = f"/compliance/meetings/{meeting.pk}/"
    assert client.post(base + "attendee/", {"attendee-user": important.pk}).status_code == 302
    attendee = meeting.attendees.get()
    assert client.post(base + f"attendees/{attendee.pk}/sign-in/",
                       {"phone_handed_in": "on"}).status_code == 302
    assert client.post(base + "document/", {"document-title": "评审稿", "document-copies": "2",
                                            "document-issued_to": attendee.pk}).status_code == 302
    unknown = client.post(base + "document/", {"document-title": "x", "document-copies": "1",
                                               "document-carrier_number": "NO-SUCH"})
    assert unknown.status_code == 400
    assert client.post(base + "measures/", {"measures-identity_check": "on",
                                            "measures-phones_collected": "on",
                                            "measures-signal_jammer": "on"}).status_code == 302
    refused = client.post(base + "close/")
    assert refused.status_code == 422
    assert "评审稿" in refused.content.decode()
    document = MeetingDocument.objects.get()
    assert client.post(base + f"documents/{document.pk}/return/").status_code == 302
    assert client.post(base + "close/").status_code == 302
    assert ClassifiedMeeting.objects.get().state == "closed"
    page = client.get(base).content.decode()
    assert 'data-state="closed"' in page and 'id="close-form"' not in page
    for sheet in ("sign-in-sheet.docx", "documents.docx"):
        download = client.get(base + sheet)
        assert download.status_code == 200
        assert download["Content-Type"].endswith("wordprocessingml.document")
    assert client.post(base + "nonsense/").status_code == 404


@pytest.mark.rule("L5")
def test_a_confidential_meeting_is_seen_only_by_those_cleared_and_involved(
        client, unit, meeting, office, important, general, leader, make_user, outsider):
    attendee_user = make_user("attendee", roles=[Role.STAFF], category=Category.IMPORTANT)
    sp.add_attendee(office, meeting, user=attendee_user)
    url = f"/compliance/meetings/{meeting.pk}/"
    for user in (office, attendee_user):
        client.force_login(user)
        assert client.get(url).status_code == 200
        assert f'data-id="{meeting.pk}"' in client.get("/compliance/meetings/").content.decode()
    for user in (important, general, leader, outsider):  # not involved, or another unit
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(url + "sign-in-sheet.docx").status_code == 404
    organised = plan(office, unit, level=Level.SECRET, organiser=general, plan="")
    client.force_login(general)
    assert client.get(f"/compliance/meetings/{organised.pk}/").status_code == 200
    # An organiser whose clearance dropped below the level no longer sees the meeting.
    general.person.category = Category.NONE
    general.person.save()
    assert client.get(f"/compliance/meetings/{organised.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="MEETING_READ").count() == 2


# --- API --------------------------------------------------------------------------------------

def place_body(**changes):
    body = {**PLACE, "approved_on": "2026-03-01", "level": 2}
    body.pop("department")
    body.pop("room")
    return {**body, **changes}


@pytest.mark.rule("M1")
def test_the_api_registers_lists_updates_a_place_and_manages_its_people(
        client, office, important, general):
    client.force_login(office)
    created = post_json(client, f"{API}/key-places", place_body())
    assert created.status_code == 201, created.content
    place = created.json()
    assert place["phones_forbidden"] is True and place["level"] == 2
    listing = client.get(f"{API}/key-places").json()
    assert [p["id"] for p in listing["items"]] == [place["id"]] and listing["next_after"] is None
    missing = post_json(client, f"{API}/key-places/{place['id']}",
                        place_body(people_measures="", physical_measures=""))
    assert missing.status_code == 422 and missing.json()["code"] == "measures_missing"
    assert set(missing.json()["fields"]) == {"people_measures", "physical_measures"}
    updated = post_json(client, f"{API}/key-places/{place['id']}", place_body(active=False))
    assert updated.status_code == 200 and updated.json()["active"] is False
    people = f"{API}/key-places/{place['id']}/people"
    refused = post_json(client, people, {"user_id": general.pk})
    assert refused.status_code == 422 and refused.json()["code"] == "not_cleared"
    grant = post_json(client, people, {"user_id": important.pk})
    assert grant.status_code == 201
    assert [g["name"] for g in client.get(people).json()] == ["郭重要"]
    revoked = post_json(client, f"{people}/{grant.json()['id']}/revoke", {})
    assert revoked.status_code == 200 and revoked.json()["revoked_on"] is not None
    assert post_json(client, f"{people}/{grant.json()['id']}/revoke", {}).status_code == 409
    assert post_json(client, people, {"user_id": 999999}).status_code == 400


def test_the_api_hides_places_from_another_unit(client, place, outsider, important):
    for user in (outsider, important):
        client.force_login(user)
        assert client.get(f"{API}/key-places/{place.pk}").status_code == 404
        assert client.get(f"{API}/key-places").json()["items"] == []


@pytest.mark.rule("M2")
def test_the_api_runs_a_meeting_and_refuses_with_codes(client, office, important, general):
    client.force_login(office)
    body = {"title": "型号方案评审会", "level": 2, "starts_at": "2026-12-01T09:00:00+08:00",
            "ends_at": "2026-12-01T11:00:00+08:00", "place_text": "三楼会议室"}
    assert post_json(client, f"{API}/classified-meetings", body).json()["code"] == "plan_required"
    assert post_json(client, f"{API}/classified-meetings",
                     {**body, "level": 0, "plan": "x"}).status_code == 400
    created = post_json(client, f"{API}/classified-meetings", {**body, "plan": "会前清场"})
    assert created.status_code == 201, created.content
    meeting = f"{API}/classified-meetings/{created.json()['id']}"
    not_cleared = post_json(client, f"{meeting}/attendees", {"user_id": general.pk})
    assert (not_cleared.status_code, not_cleared.json()["code"]) == (422, "not_cleared")
    attendee = post_json(client, f"{meeting}/attendees", {"user_id": important.pk}).json()
    guest = post_json(client, f"{meeting}/attendees",
                      {"name": "王专家", "organisation": "某研究所"})
    assert guest.status_code == 201
    signed = post_json(client, f"{meeting}/attendees/{attendee['id']}/sign-in",
                       {"phone_handed_in": True})
    assert signed.status_code == 200 and signed.json()["signed_in_at"] is not None
    again = post_json(client, f"{meeting}/attendees/{attendee['id']}/sign-in",
                      {"phone_handed_in": True})
    assert again.json()["code"] == "already_signed_in"
    document = post_json(client, f"{meeting}/documents",
                         {"title": "评审稿", "copies": 2, "issued_to_id": attendee["id"]})
    assert document.status_code == 201
    closing = post_json(client, f"{meeting}/close", {})
    assert closing.json()["code"] == "documents_not_collected"
    post_json(client, f"{meeting}/documents/{document.json()['id']}/return", {})
    assert post_json(client, f"{meeting}/close", {}).json()["code"] == "measures_not_recorded"
    post_json(client, f"{meeting}/measures", {"identity_check": True, "phones_collected": True,
                                              "signal_jammer": True})
    closed = post_json(client, f"{meeting}/close", {})
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    detail = client.get(meeting).json()
    assert len(detail["attendees"]) == 2 and detail["documents"][0]["returned_at"]
    assert [m["id"] for m in client.get(f"{API}/classified-meetings").json()["items"]] == [
        created.json()["id"]]


@pytest.mark.rule("L5")
def test_the_api_hides_a_meeting_from_people_not_cleared_or_not_involved(
        client, meeting, general, important, outsider):
    for user in (general, important, outsider):
        client.force_login(user)
        assert client.get(f"{API}/classified-meetings/{meeting.pk}").status_code == 404
        assert post_json(client, f"{API}/classified-meetings/{meeting.pk}/close",
                         {}).status_code == 404
        assert client.get(f"{API}/classified-meetings").json()["items"] == []


def test_meeting_times_in_the_past_are_kept_as_given(unit, office):
    start = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    meeting = plan(office, unit, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    assert ClassifiedMeeting.objects.get(pk=meeting.pk).starts_at == start


@pytest.mark.rule("M1")
def test_the_register_exports_with_the_people_allowed_in(client, place, office, important,
                                                         general):
    import io

    from openpyxl import load_workbook

    sp.grant_place_access(office, place, user=important)
    client.force_login(office)
    response = client.get("/compliance/places/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 2
    assert rows[1][0] == "机要室" and rows[1][6] == "华信保〔2026〕3号" and rows[1][13] == "郭重要"
    client.force_login(general)
    assert client.get("/compliance/places/export.xlsx").status_code == 404
