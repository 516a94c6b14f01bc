"""Onboarding API: bodies and errors of /api/v1/personnel/… (reviews, training, commitments,
start, me/file)."""

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.core.labels import Category
from baomi.core.testing.factories import UnitFactory, UserFactory
from baomi.personnel.choices import FileState

from . import onboarding_support as support
from .onboarding_support import FORM, approve_all

# The shared fixtures of onboarding_support.
make_file, people, proposed, yf1 = (support.make_file, support.people,
                                      support.proposed, support.yf1)

BASE = "/api/v1/personnel"
TODAY = timezone.localdate


@pytest.fixture
def api(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.mark.rule("P2")
def test_file_a_review_and_read_it(proposed, people, api):
    client = api(people["office"])
    response = post(client, f"{BASE}/people/{proposed.pk}/reviews",
                    {"kind": "initial", "level": 1, "form": FORM})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["outcome"] == "pending" and body["request_state"] == "pending"
    assert body["form"]["history"][0]["from"] == "2006-09" and body["attachments"] == []
    read = client.get(f"{BASE}/reviews/{body['id']}")
    assert read.status_code == 200 and read.json()["id"] == body["id"]
    again = post(client, f"{BASE}/people/{proposed.pk}/reviews",
                 {"kind": "initial", "level": 1, "form": FORM})
    assert again.status_code == 409 and again.json()["code"] == "review_pending"


def test_review_form_errors_are_4xx_with_fields(proposed, people, api):
    client = api(people["office"])
    response = post(client, f"{BASE}/people/{proposed.pk}/reviews",
                    {"kind": "initial", "level": 1,
                     "form": {**FORM, "family": [{"relation": "父", "name": ""}]}})
    assert response.status_code in (400, 422)
    body = response.json()
    assert set(body) >= {"code", "message", "fields"} and body["fields"]
    response = post(client, f"{BASE}/people/{proposed.pk}/reviews",
                    {"kind": "initial", "level": 9, "form": FORM})
    assert response.status_code == 422


def test_other_units_secrecy_office_gets_404(proposed, make_user, api):
    other = make_user("other", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                      unit=UnitFactory(code="OTHER"))
    client = api(other)
    assert post(client, f"{BASE}/people/{proposed.pk}/reviews",
                {"kind": "initial", "level": 1, "form": FORM}).status_code == 404
    assert post(client, f"{BASE}/people/{proposed.pk}/training",
                {"course": "c", "held_on": TODAY().isoformat(), "hours": "2"}
                ).status_code == 404
    assert client.get(f"{BASE}/reviews/1").status_code == 404


@pytest.mark.rule("P3")
def test_onboarding_through_the_api(proposed, people, api):
    client = api(people["office"])
    review = post(client, f"{BASE}/people/{proposed.pk}/reviews",
                  {"kind": "initial", "level": 1, "form": FORM}).json()
    from baomi.personnel.models import SecurityReview

    approve_all(SecurityReview.objects.get(pk=review["id"]), people)
    start = post(client, f"{BASE}/people/{proposed.pk}/start", {"since": TODAY().isoformat()})
    assert start.status_code == 422
    body = start.json()
    assert body["code"] == "not_ready" and body["rule"] == "P3"
    assert set(body["fields"]) == {"training", "commitment"}
    training = post(client, f"{BASE}/people/{proposed.pk}/training", {
        "course": "保密法", "held_on": TODAY().isoformat(), "hours": "16",
        "exam_result": "passed", "score": 95})
    assert training.status_code == 201 and training.json()["hours"] in ("16", "16.0", 16)
    commitment = post(client, f"{BASE}/people/{proposed.pk}/commitments", {
        "kind": "commitment", "year": TODAY().year, "signed_on": TODAY().isoformat(),
        "text_version": "2026-1"})
    assert commitment.status_code == 201
    start = post(client, f"{BASE}/people/{proposed.pk}/start", {"since": TODAY().isoformat()})
    assert start.status_code == 200, start.content
    assert start.json()["state"] == FileState.IN_POST and start.json()["missing"] == {}


@pytest.mark.parametrize("body", [
    {"course": "", "held_on": "2026-01-01", "hours": "2"},
    {"course": "c", "held_on": "2026-13-01", "hours": "2"},
    {"course": "c", "held_on": "2026-01-01", "hours": "0"},
    {"course": "c", "held_on": "2026-01-01", "hours": "2.25"},
    {"course": "c", "held_on": "2026-01-01", "hours": "2", "score": 101},
    {"course": "c", "held_on": "9999-01-01", "hours": "2"},
])
def test_training_input_is_checked(proposed, people, api, body):
    response = post(api(people["office"]), f"{BASE}/people/{proposed.pk}/training", body)
    assert 400 <= response.status_code < 500 and "code" in response.json()


def test_me_file(make_file, make_user, api):
    nobody = make_user("nobody", roles=[Role.STAFF])
    assert api(nobody).get(f"{BASE}/me/file").json() == {
        "file": None, "training": None, "commitments": []}
    file = make_file(state=FileState.IN_POST)
    user = UserFactory(person=file.person, roles=[Role.STAFF])
    body = api(user).get(f"{BASE}/me/file").json()
    assert body["file"]["id"] == file.pk and body["training"]["min_hours"] == 15
    assert body["training"]["sessions"] == 0
