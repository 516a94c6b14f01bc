"""Pages and API of classified information systems (rules D2, D10, L5): the list with the
next assessment due (red when past), registering, devices and assessments on the system's
page; refusals on the form or as a 4xx with a stable code, never a 500."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from baomi.core.calendar import add_months
from baomi.core.labels import Level
from baomi.devices import services
from baomi.devices.models import ClassifiedSystem, RiskAssessment
from baomi.obligations.models import Obligation

from . import support
from .support import today

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)

BASE = "/api/v1/devices"


@pytest.fixture
def system(people, unit):
    return services.register_system(people["office"], unit=unit, name="研发涉密网",
                                    level=Level.CONFIDENTIAL,
                                    responsible=people["confidential"].person,
                                    in_use_on=date(2020, 1, 1))


def post(client, path, data):
    return client.post(f"{BASE}{path}", data, content_type="application/json")


@pytest.mark.rule("D10")
def test_list_marks_the_overdue_system(client, people, system):
    client.force_login(people["office"])
    html = client.get(reverse("devices:system_list")).content.decode()
    assert f'data-id="{system.pk}"' in html and 'data-overdue="true"' in html
    assert 'id="system-new-link"' in html
    services.record_assessment(people["office"], system, assessed_on=today(), assessor="中心",
                               report_no="R-1", passed=True)
    html = client.get(reverse("devices:system_list")).content.decode()
    assert 'data-overdue="false"' in html and add_months(today(), 24).isoformat() in html


@pytest.mark.rule("L5")
def test_pages_for_those_who_do_not_see_it(client, people, system):
    for who in ("secret", "office2"):
        client.force_login(people[who])
        url = reverse("devices:system_detail", args=[system.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "assess"}).status_code == 404
    client.force_login(people["leader"])  # sees it, changes nothing
    url = reverse("devices:system_detail", args=[system.pk])
    html = client.get(url).content.decode()
    assert "研发涉密网" in html and 'id="action-assess"' not in html
    assert client.post(url, {"action": "assess"}).status_code == 404
    assert client.get(reverse("devices:system_new")).status_code == 404


@pytest.mark.rule("D2")
def test_register_then_add_device_and_assess_on_the_pages(client, people, register_device):
    client.force_login(people["office"])
    response = client.post(reverse("devices:system_new"), {
        "name": "办公网", "level": "1", "responsible": people["secret"].person_id,
        "in_use_on": "2023-05-04"})
    system = ClassifiedSystem.objects.get(name="办公网")
    url = reverse("devices:system_detail", args=[system.pk])
    assert response.status_code == 302 and response["Location"] == url
    below = register_device(level=Level.NONSECRET)
    response = client.post(url, {"action": "add_device", "add_device-device": below.pk})
    assert response.status_code == 422 and "has-error" in response.content.decode()
    desktop = register_device(level=Level.SECRET)
    assert client.post(url, {"action": "add_device",
                             "add_device-device": desktop.pk}).status_code == 302
    response = client.post(url, {"action": "assess", "assess-assessed_on": "2024-01-10",
                                 "assess-assessor": "测评中心", "assess-report_no": "R-9",
                                 "assess-passed": "no", "assess-findings": ""})
    assert response.status_code == 400 and not RiskAssessment.objects.exists()
    assert client.post(url, {"action": "assess", "assess-assessed_on": "2024-01-10",
                             "assess-assessor": "测评中心", "assess-report_no": "R-9",
                             "assess-passed": "yes"}).status_code == 302
    html = client.get(url).content.decode()
    assert desktop.number in html and "2026-01-10" in html
    assert client.post(url, {"action": "remove_device",
                             "remove_device-device": desktop.pk}).status_code == 302
    assert not system.devices.exists()


def test_register_form_refusal_is_shown(client, people):
    client.force_login(people["office"])
    response = client.post(reverse("devices:system_new"), {
        "name": "绝密网", "level": "3", "responsible": people["secret"].person_id,
        "in_use_on": "2023-05-04"})
    assert response.status_code == 422 and "has-error" in response.content.decode()
    assert client.post(reverse("devices:system_detail", args=[1]),
                       {"action": "bogus"}).status_code == 404


@pytest.mark.rule("D10")
def test_api_register_list_read_devices_and_assessments(client, people, register_device):
    client.force_login(people["office"])
    desktop = register_device(level=Level.CONFIDENTIAL)
    response = post(client, "/systems", {
        "name": "研发网", "level": 2, "responsible_id": people["confidential"].person_id,
        "in_use_on": "2022-03-01", "device_ids": [desktop.pk]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["device_count"], body["next_due_on"], body["overdue"]) == (
        1, "2022-03-01", True)
    listed = client.get(f"{BASE}/systems").json()
    assert [row["id"] for row in listed["items"]] == [body["id"]]
    response = post(client, f"/systems/{body['id']}/assessments", {
        "assessed_on": "2023-03-01", "assessor": "测评中心", "report_no": "R-1",
        "passed": True})
    assert response.status_code == 201
    assert (response.json()["next_due_on"], response.json()["last_assessed_on"]) == (
        "2025-03-01", "2023-03-01")
    other = register_device(level=Level.TOP_SECRET)
    response = post(client, f"/systems/{body['id']}/devices", {"device_id": other.pk})
    assert [d["id"] for d in response.json()["devices"]] == sorted([desktop.pk, other.pk])
    response = post(client, f"/systems/{body['id']}/devices/{other.pk}/remove", {})
    assert response.json()["device_count"] == 1
    assert client.get(f"{BASE}/systems/{body['id']}").json()["assessments"][0][
        "report_no"] == "R-1"


@pytest.mark.parametrize("path, data, status, code", [
    ("/systems", {"name": "x", "level": 0, "responsible_id": 1, "in_use_on": "2022-01-01"},
     422, None),
    ("/systems", {"name": "x", "level": 2, "responsible_id": 999999,
                  "in_use_on": "2022-01-01"}, 400, "unknown"),
    ("/systems", {"name": "x", "level": 2, "responsible_id": "me",
                  "in_use_on": "2022-01-01"}, 422, None),
    ("/systems/{id}/devices", {"device_id": 999999}, 400, "unknown"),
    ("/systems/{id}/assessments", {"assessed_on": "2019-01-01", "assessor": "a",
                                   "report_no": "r", "passed": True}, 400, "before_in_use"),
    ("/systems/{id}/assessments", {"assessed_on": "2024-01-01", "assessor": "a",
                                   "report_no": "r", "passed": False}, 400,
     "findings_required"),
    ("/systems/{id}/devices/999999/remove", {}, 400, "unknown"),
])
def test_api_bad_input_is_a_4xx(client, people, system, path, data, status, code):
    client.force_login(people["office"])
    response = post(client, path.format(id=system.pk), data)
    assert response.status_code == status, response.content
    if code:
        assert response.json()["code"] == code


@pytest.mark.rule("D2")
def test_api_device_below_the_system(client, people, system, register_device):
    client.force_login(people["office"])
    below = register_device(level=Level.SECRET)
    response = post(client, f"/systems/{system.pk}/devices", {"device_id": below.pk})
    assert (response.status_code, response.json()["code"]) == (422, "device_below_system")


@pytest.mark.rule("L5")
@pytest.mark.parametrize("who, status", [("office", 200), ("leader", 200),
                                         ("confidential", 200), ("secret", 404),
                                         ("office2", 404), ("head", 404)])
def test_api_reading_a_system(client, people, system, who, status):
    client.force_login(people[who])
    assert client.get(f"{BASE}/systems/{system.pk}").status_code == status


def test_api_leader_cannot_write(client, people, system):
    client.force_login(people["leader"])
    response = post(client, f"/systems/{system.pk}/assessments", {
        "assessed_on": "2024-01-01", "assessor": "a", "report_no": "r", "passed": True})
    assert (response.status_code, response.json()["code"]) == (403, "not_secrecy_office")


@pytest.mark.rule("D10")
@pytest.mark.django_db(transaction=True)
def test_demo_systems_one_overdue():
    call_command("demo", stdout=StringIO())
    systems = {s.name: s for s in ClassifiedSystem.objects.all()}
    assert set(systems) == {"研发涉密网", "涉密办公系统"}
    assert not services.assessment_overdue(systems["研发涉密网"])
    assert services.assessment_overdue(systems["涉密办公系统"])
    due = Obligation.objects.filter(rule_code="devices.risk_assessment_due", state="open")
    assert [o.subject_id for o in due] == [systems["涉密办公系统"].pk]
    call_command("demo", stdout=StringIO())
    assert ClassifiedSystem.objects.count() == 2
