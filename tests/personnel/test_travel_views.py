"""Pages and API of 出国(境) (rules P8, P9): apply, the action forms, the ledger, exports."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from baomi.personnel.choices import TripState

from .onboarding_support import people, yf1  # noqa: F401
from .test_travel_services import TALKERS, approved, passport, returned, traveller  # noqa: F401

pytestmark = pytest.mark.django_db


def test_person_applies_from_their_file(client, traveller, people):
    client.force_login(traveller)
    file = traveller.person.personnel_file
    page = client.get(reverse("personnel:my_file"))
    assert reverse("personnel:trip_new", args=[file.pk]) in page.content.decode()
    today = timezone.localdate()
    response = client.post(reverse("personnel:trip_new", args=[file.pk]), {
        "purpose_kind": "private", "destinations": "日本", "purpose": "旅游",
        "depart_on": today + timedelta(days=3), "return_on": today + timedelta(days=8)})
    assert response.status_code == 302, response.content.decode()
    trip = file.trips.get()
    assert trip.state == TripState.APPLIED and trip.request.request_type == "travel"


@pytest.mark.rule("P8")
def test_one_talker_is_an_error_on_the_form(client, traveller, people):
    trip = approved(traveller, people)
    client.force_login(people["office"])
    url = reverse("personnel:trip_detail", args=[trip.pk])
    response = client.post(url, {"action": "talk", "talk-held_on": timezone.localdate(),
                                 "talk-talkers": "张保密"})
    assert response.status_code == 422
    response = client.post(url, {"action": "talk", "talk-held_on": timezone.localdate(),
                                 "talk-talkers": "，".join(TALKERS)})
    assert response.status_code == 302
    trip.refresh_from_db()
    assert trip.state == TripState.TALKED


def test_traveller_sees_no_action_forms(client, traveller, people):
    trip = approved(traveller, people)
    client.force_login(traveller)
    url = reverse("personnel:trip_detail", args=[trip.pk])
    assert b'id="action-talk"' not in client.get(url).content
    assert client.post(url, {"action": "talk"}).status_code == 404


def test_ledger_lists_overdue_and_exports(client, traveller, people, passport):
    returned(traveller, people, passport, "official", 8)
    client.force_login(people["office"])
    page = client.get(reverse("personnel:document_list") + "?overdue=1")
    assert b'data-overdue="yes"' in page.content
    export = client.get(reverse("personnel:document_export"))
    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxmlformats")
    assert client.get(reverse("personnel:travel_list") + "?overdue=1").status_code == 200
    docx = client.get(reverse("personnel:trip_docx", args=[passport.trips.get().pk]))
    assert docx.status_code == 200


def test_register_document_form(client, people, traveller):
    client.force_login(people["office"])
    response = client.post(reverse("personnel:document_list"), {
        "person": traveller.person.pk, "kind": "hk_macao", "number": "c1234567",
        "issued_on": date(2023, 1, 1), "expires_on": date(2033, 1, 1)})
    assert response.status_code == 302
    assert traveller.person.travel_documents.get().number == "C1234567"


def test_staff_cannot_open_the_office_lists(client, traveller):
    client.force_login(traveller)
    assert client.get(reverse("personnel:travel_list")).status_code == 404
    assert client.get(reverse("personnel:document_list")).status_code == 404


@pytest.mark.rule("P9")
def test_api_refuses_a_new_trip_while_overdue(client, traveller, people, passport):
    trip = returned(traveller, people, passport, "official", 8)
    client.force_login(traveller)
    today = timezone.localdate()
    body = {"file_id": traveller.person.personnel_file.pk, "purpose_kind": "private",
            "destinations": "法国", "purpose": "探亲", "depart_on": str(today),
            "return_on": str(today + timedelta(days=3))}
    response = client.post("/api/v1/personnel/trips", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "document_overdue"
    client.force_login(people["office"])
    done = client.post(f"/api/v1/personnel/trips/{trip.pk}/document-returned",
                       {"received_on": str(today)}, content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == TripState.DOCUMENT_BACK
    client.force_login(traveller)
    response = client.post("/api/v1/personnel/trips", body, content_type="application/json")
    assert response.status_code == 201


@pytest.mark.rule("P8")
def test_api_talk_and_lists(client, traveller, people, passport):
    trip = approved(traveller, people)
    client.force_login(people["office"])
    url = f"/api/v1/personnel/trips/{trip.pk}/talk"
    one = client.post(url, {"held_on": str(timezone.localdate()), "talkers": ["张保密"]},
                      content_type="application/json")
    assert one.status_code == 422 and one.json()["code"] == "two_talkers"
    two = client.post(url, {"held_on": str(timezone.localdate()), "talkers": TALKERS},
                      content_type="application/json")
    assert two.status_code == 200 and two.json()["state"] == TripState.TALKED
    issue = client.post(f"/api/v1/personnel/trips/{trip.pk}/issue-document",
                        {"document_id": passport.pk, "issued_on": str(timezone.localdate())},
                        content_type="application/json")
    assert issue.status_code == 422 and issue.json()["code"] == "not_ready"
    assert client.get("/api/v1/personnel/trips").json()["items"][0]["id"] == trip.pk
    assert client.get("/api/v1/personnel/documents").json()["items"][0]["id"] == passport.pk


@pytest.mark.rule("P9")
def test_api_registers_a_document_for_custody(client, traveller, people):
    body = {"file_id": traveller.person.personnel_file.pk, "kind": "passport",
            "number": "e7654321", "issued_on": "2024-03-01", "expires_on": "2034-03-01"}
    client.force_login(traveller)
    assert client.post("/api/v1/personnel/documents", body,
                       content_type="application/json").status_code == 403
    client.force_login(people["office"])
    created = client.post("/api/v1/personnel/documents", body, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["number"] == "E7654321" and created.json()["state"] == "in_custody"
    again = client.post("/api/v1/personnel/documents", body, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "document_exists"
    wrong = client.post("/api/v1/personnel/documents", {**body, "number": "E1",
                                                        "expires_on": "2024-01-01"},
                        content_type="application/json")
    assert wrong.status_code == 400 and "expires_on" in wrong.json()["fields"]
