"""Device passwords on the device page and in the API (rule D6): the panel, the form of the
保密办 and the responsible person, `POST /api/v1/devices/devices/{id}/password`."""

import datetime as dt

import pytest
from django.urls import reverse

from baomi.core.labels import Level
from baomi.core.paging import MAX_KEY
from baomi.devices.models import Device

from . import support
from .support import today

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)

API = "/api/v1/devices/devices"


@pytest.fixture
def device(register_device):
    """A 机密 desktop (minimum 10 characters, weekly), responsible 郭绝密 (`top`)."""
    return register_device(in_use_on=today() - dt.timedelta(days=30))


def page(client, device):
    return client.get(reverse("devices:device_detail", args=[device.pk])).content.decode()


def form_data(**overrides):
    return {"changed_on": today().isoformat(), "length": "10", "classes": "4", **overrides}


# --- the page ----------------------------------------------------------------------------------


@pytest.mark.rule("D6")
def test_the_panel_shows_the_due_day_and_the_form(client, people, device):
    client.force_login(people["office"])
    html = page(client, device)
    assert 'id="password-panel"' in html and 'id="action-password"' in html
    assert 'data-overdue="true"' in html  # nothing recorded yet
    client.force_login(people["top"])  # the responsible person records too
    assert 'id="action-password"' in page(client, device)


def test_who_only_sees_the_device_gets_no_form(client, people, device):
    client.force_login(people["head"])
    html = page(client, device)
    assert 'id="password-panel"' in html and 'id="action-password"' not in html
    url = reverse("devices:device_password", args=[device.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    assert Device.objects.get(pk=device.pk).password_changed_on is None


def test_no_panel_on_a_nonsecret_device(client, people, register_device):
    device = register_device(level=Level.NONSECRET, responsible=people["none"].person)
    client.force_login(people["office"])
    assert 'id="password-panel"' not in page(client, device)
    url = reverse("devices:device_password", args=[device.pk])
    assert client.get(url).status_code == 404


@pytest.mark.rule("D6")
def test_recording_a_change_on_the_page(client, people, device):
    client.force_login(people["top"])
    url = reverse("devices:device_password", args=[device.pk])
    response = client.post(url, form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("devices:device_detail", args=[device.pk])
    assert Device.objects.get(pk=device.pk).password_changed_on == today()
    assert 'data-overdue="false"' in page(client, device)


@pytest.mark.rule("D6")
@pytest.mark.parametrize("data, status", [
    (form_data(length="9"), 422),  # below 10 for 机密
    (form_data(classes="3"), 422),
    (form_data(changed_on=(today() + dt.timedelta(days=1)).isoformat()), 400),
    (form_data(length="abc"), 400),
    (form_data(classes="7"), 400),
])
def test_a_refusal_is_shown_on_the_form(client, people, device, data, status):
    client.force_login(people["office"])
    response = client.post(reverse("devices:device_password", args=[device.pk]), data)
    assert response.status_code == status
    assert 'id="action-password"' in response.content.decode()
    assert response.context["form"].errors
    assert Device.objects.get(pk=device.pk).password_changed_on is None


# --- the API -----------------------------------------------------------------------------------


def post(client, device_id, data):
    return client.post(f"{API}/{device_id}/password", data, content_type="application/json")


def api_data(**overrides):
    return {"changed_on": today().isoformat(), "length": 10, "classes": 4, **overrides}


@pytest.mark.rule("D6")
def test_api_records_a_change(client, people, device):
    client.force_login(people["office"])
    response = post(client, device.pk, api_data())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["password_changed_on"] == today().isoformat()
    assert body["due_on"] == (today() + dt.timedelta(days=7)).isoformat()
    assert (body["min_length"], body["change_days"], body["level"]) == (10, 7, Level.CONFIDENTIAL)


@pytest.mark.rule("D6")
@pytest.mark.parametrize("data, status, code", [
    (api_data(length=9), 422, "password_too_short"),
    (api_data(classes=3), 422, "password_classes"),
    (api_data(changed_on=(today() - dt.timedelta(days=31)).isoformat()), 400, "before_in_use"),
])
def test_api_refusals_carry_their_code(client, people, device, data, status, code):
    client.force_login(people["office"])
    response = post(client, device.pk, data)
    assert response.status_code == status and response.json()["code"] == code


@pytest.mark.parametrize("data", [
    api_data(length=0), api_data(length=10**9), api_data(classes=5), api_data(classes=-1),
    api_data(changed_on="9999-12-31"), api_data(changed_on="x"), {"length": 10},
])
def test_api_bad_input_is_a_4xx(client, people, device, data):
    client.force_login(people["office"])
    assert 400 <= post(client, device.pk, data).status_code < 500


@pytest.mark.parametrize("who, device_id, status", [
    ("head", None, 403), ("office2", None, 404), ("secret", None, 404),
    ("office", MAX_KEY, 404),
])
def test_api_access(client, people, device, who, device_id, status):
    client.force_login(people[who])
    assert post(client, device_id or device.pk, api_data()).status_code == status
    assert Device.objects.get(pk=device.pk).password_changed_on is None


def test_api_nonsecret_device(client, people, register_device):
    device = register_device(level=Level.NONSECRET, responsible=people["none"].person)
    client.force_login(people["office"])
    response = post(client, device.pk, api_data())
    assert response.status_code == 400 and response.json()["code"] == "not_classified"
