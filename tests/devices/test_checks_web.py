"""Pages, printed record and API of device checks (rules D3, D11, L5): the panel of the device
page, recording a check, signing it, rectifying and re-checking its items, the list of
rectification items; refusals on the form or as a 4xx with a stable code, never a 500."""

import typing
from datetime import timedelta

import pytest
from django.urls import reverse

from baomi.audit.models import AuditEvent
from baomi.compliance.models import Incident
from baomi.core.labels import Level
from baomi.devices import services
from baomi.devices.api_checks import ItemKey
from baomi.devices.checklist import CHECK_ITEMS
from baomi.devices.choices import FindingState
from baomi.devices.models import CheckFinding, CheckSignOff, DeviceCheck

from . import checks_support, support
from .checks_support import CHECKED_ON, ITEMS_OK, items_with
from .support import docx_text, today

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)
device, record = checks_support.device, checks_support.record

BASE = "/api/v1/devices"


def check_post(people, **overrides):
    """The form of a check with every item met, as the page posts it."""
    data = {"checked_on": CHECKED_ON.isoformat(), "tool": "检查工具", "tool_version": "3.2",
            "checker": people["office"].person_id, "note": "", "other_findings": ""}
    for item in CHECK_ITEMS:
        data[f"item-{item.key}"], data[f"note-{item.key}"] = "yes", ""
    return {**data, **overrides}


def api_post(client, path, data):
    return client.post(f"{BASE}{path}", data, content_type="application/json")


# --- the panel of the device page --------------------------------------------------------------


@pytest.mark.rule("D11")
def test_the_device_page_shows_the_last_check_and_the_next_due(client, people, device, record):
    client.force_login(people["office"])
    url = reverse("devices:device_detail", args=[device.pk])
    html = client.get(url).content.decode()
    assert 'id="check-panel"' in html and 'id="check-new-link"' in html
    assert 'data-field="check_due_on" data-overdue="true"' in html  # never checked since 2020
    check = record(ports_sealed=False)
    html = client.get(url).content.decode()
    assert reverse("devices:check_detail", args=[check.pk]) in html
    assert 'data-attested="false"' in html and 'data-passed="false"' in html
    client.force_login(people["confidential"])  # a user of the device: sees, records nothing
    html = client.get(url).content.decode()
    assert 'id="check-panel"' in html and 'id="check-new-link"' not in html


def test_no_panel_for_a_nonsecret_device(client, people, register_device):
    nonsecret = register_device(level=Level.NONSECRET)
    client.force_login(people["office"])
    html = client.get(reverse("devices:device_detail", args=[nonsecret.pk])).content.decode()
    assert 'id="check-panel"' not in html
    assert client.get(reverse("devices:check_new", args=[nonsecret.pk])).status_code == 404


# --- recording a check -------------------------------------------------------------------------


@pytest.mark.rule("D11")
def test_record_a_check_with_an_item_not_met_on_the_page(client, people, device):
    client.force_login(people["office"])
    url = reverse("devices:check_new", args=[device.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, check_post(people, **{
        "item-password": "no", "note-password": "口令长度不足", "other_findings": "机箱封条破损\n\n"}))
    check = DeviceCheck.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("devices:check_detail", args=[check.pk])
    assert not check.passed and check.attested
    assert CheckFinding.objects.count() == 2


@pytest.mark.rule("D3")
def test_a_wireless_card_on_the_page_shows_the_incident(client, people, device):
    client.force_login(people["office"])
    client.post(reverse("devices:check_new", args=[device.pk]),
                check_post(people, **{"item-no_wireless": "no"}))
    check = DeviceCheck.objects.get()
    assert not check.no_wireless
    incident = Incident.objects.get()
    html = client.get(reverse("devices:check_detail", args=[check.pk])).content.decode()
    assert reverse("compliance:incident_detail", args=[incident.pk]) in html


@pytest.mark.rule("L5")
def test_refusals_show_on_the_form(client, people, device):
    client.force_login(people["office"])
    url = reverse("devices:check_new", args=[device.pk])
    response = client.post(url, check_post(people, checker=people["secret"].person_id))
    assert response.status_code == 422 and "has-error" in response.content.decode()
    response = client.post(url, check_post(people, tool=""))
    assert response.status_code == 400
    response = client.post(url, check_post(people, **{"item-password": "maybe"}))
    assert response.status_code == 400
    assert not DeviceCheck.objects.exists()


@pytest.mark.rule("L5")
def test_who_opens_the_check_pages(client, people, device, record):
    check = record()
    new = reverse("devices:check_new", args=[device.pk])
    detail = reverse("devices:check_detail", args=[check.pk])
    for who in ("secret", "office2"):
        client.force_login(people[who])
        assert client.get(detail).status_code == 404
        assert client.get(reverse("devices:check_record", args=[check.pk])).status_code == 404
        assert client.get(reverse("devices:check_list", args=[device.pk])).status_code == 404
    for who in ("head", "confidential"):
        client.force_login(people[who])
        assert client.get(new).status_code == 404
        html = client.get(detail).content.decode()
        assert 'id="sign-offs"' in html and 'id="action-sign"' not in html
        assert client.post(detail, {"action": "sign"}).status_code == 404


# --- signing, rectifying, re-checking on the check page ---------------------------------------


@pytest.mark.rule("D11")
def test_sign_three_times_on_the_page(client, people, record):
    check = record()
    client.force_login(people["office"])
    url = reverse("devices:check_detail", args=[check.pk])

    def sign(role, who):
        return client.post(url, {"action": "sign", "sign-role": role,
                                 "sign-person": people[who].person_id,
                                 "sign-signed_on": CHECKED_ON.isoformat()})

    response = sign("head", "confidential")
    assert response.status_code == 422 and "has-error" in response.content.decode()
    for role, who in (("checker", "office"), ("user", "confidential"), ("head", "head")):
        assert sign(role, who).status_code == 302
    html = client.get(url).content.decode()
    assert 'data-signed="true"' in html and 'id="action-sign"' not in html
    assert sign("head", "head").status_code == 404  # nothing left to sign
    assert CheckSignOff.objects.count() == 3


@pytest.mark.rule("Q10")
def test_rectify_and_re_check_on_the_page(client, people, record):
    check = record(items=items_with(password="口令过短"))
    finding = CheckFinding.objects.get()
    url = reverse("devices:check_detail", args=[check.pk])
    day = (CHECKED_ON + timedelta(days=2)).isoformat()
    client.force_login(people["confidential"])  # a user, not the owner: no form
    assert f'id="action-rectify-{finding.pk}"' not in client.get(url).content.decode()
    assert client.post(url, {"action": "rectify", "finding": finding.pk}).status_code == 404
    client.force_login(people["top"])  # the owner
    assert f'id="action-rectify-{finding.pk}"' in client.get(url).content.decode()
    prefix = f"rectify-{finding.pk}"
    response = client.post(url, {"action": "rectify", "finding": finding.pk,
                                 f"{prefix}-rectified_on": day,
                                 f"{prefix}-rectification": "已更换为12位复杂口令"})
    assert response.status_code == 302
    client.force_login(people["office"])
    prefix = f"verify-{finding.pk}"
    response = client.post(url, {"action": "verify", "finding": finding.pk,
                                 f"{prefix}-verified_on": CHECKED_ON.isoformat(),
                                 f"{prefix}-passed": "yes"})
    assert response.status_code == 400  # before the rectification: shown on the form
    assert "has-error" in response.content.decode() or "error" in response.content.decode()
    response = client.post(url, {"action": "verify", "finding": finding.pk,
                                 f"{prefix}-verified_on": day, f"{prefix}-passed": "yes"})
    assert response.status_code == 302
    assert CheckFinding.objects.get().state == FindingState.VERIFIED
    assert client.post(url, {"action": "verify", "finding": "x"}).status_code == 404


@pytest.mark.rule("D11")
def test_the_check_list_of_a_device(client, people, device, record):
    record()
    record(checked_on=CHECKED_ON + timedelta(days=1), ports_sealed=False)
    client.force_login(people["confidential"])
    html = client.get(reverse("devices:check_list", args=[device.pk])).content.decode()
    assert html.count('data-passed="') == 2 and 'data-field="sign_count">0/3' in html


@pytest.mark.rule("Q10")
def test_the_list_of_rectification_items(client, people, record):
    record(items=items_with(password="口令过短"))
    record(checked_on=today() - timedelta(days=3),
           findings=[{"description": "操作规程未上墙", "owner": people["confidential"].person,
                      "due_on": today()}])  # due today: not overdue yet
    url = reverse("devices:finding_list")
    client.force_login(people["office"])
    html = client.get(url).content.decode()
    assert "口令过短" in html and "操作规程未上墙" in html
    html = client.get(url, {"overdue": "on"}).content.decode()
    assert html.count('data-overdue="true"') == 1 and "操作规程未上墙" not in html
    html = client.get(url, {"state": "verified"}).content.decode()
    assert 'data-state="open"' not in html
    assert client.get(url, {"state": "nonsense", "after": "x"}).status_code == 200
    client.force_login(people["secret"])
    assert 'data-state=' not in client.get(url).content.decode()


# --- the printed record -----------------------------------------------------------------------


@pytest.mark.rule("D11")
def test_the_printed_check_record(client, people, device, record):
    check = record(items=items_with(password="口令过短"), no_wireless=False)
    services.sign_check(people["office"], check, role="checker",
                        person=people["office"].person, signed_on=CHECKED_ON)
    client.force_login(people["office"])
    response = client.get(reverse("devices:check_record", args=[check.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = docx_text(response.content)
    assert "涉密计算机保密检查记录" in text and device.number in text
    assert "涉密计算机检查工具" in text and "3.2.1" in text and "WD-001" in text
    # the password and the wireless items, in the items table and again as findings
    assert text.count("不符合") == 4
    assert "刘保密" in text and "口令过短" in text and people["top"].person.name in text
    assert "使用人签字：________________" in text  # not signed yet: a line to sign by hand
    assert AuditEvent.objects.filter(action="DEVICE_READ").exists()  # a 机密 device


# --- the API ---------------------------------------------------------------------------------


def test_the_api_item_keys_are_the_checklist():
    assert typing.get_args(ItemKey) == tuple(item.key for item in CHECK_ITEMS)


@pytest.mark.rule("D11")
def test_record_sign_and_read_a_check_through_the_api(client, people, device):
    client.force_login(people["office"])
    body = {"checked_on": CHECKED_ON.isoformat(), "tool": "检查工具", "tool_version": "3.2",
            "checker_id": people["office"].person_id, "no_internet": True,
            "no_wireless": False, "ports_sealed": True, "items": ITEMS_OK,
            "findings": [{"description": "显示器正对窗口"}]}
    response = api_post(client, f"/devices/{device.pk}/checks", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["passed"] is False and created["attested"] is False
    assert len(created["items"]) == len(CHECK_ITEMS) and len(created["findings"]) == 2
    assert created["incident_id"] == Incident.objects.get().pk
    check_id = created["id"]
    response = api_post(client, f"/checks/{check_id}/sign-offs",
                        {"role": "head", "person_id": people["top"].person_id,
                         "signed_on": CHECKED_ON.isoformat()})
    assert response.status_code == 422 and response.json()["code"] == "not_the_department_head"
    response = api_post(client, f"/checks/{check_id}/sign-offs",
                        {"role": "user", "person_id": people["top"].person_id,
                         "signed_on": CHECKED_ON.isoformat()})
    assert response.status_code == 201 and response.json()["sign_count"] == 1
    listed = client.get(f"{BASE}/devices/{device.pk}/checks").json()
    assert [c["id"] for c in listed["items"]] == [check_id] and listed["next_after"] is None
    assert client.get(f"{BASE}/checks/{check_id}").json()["sign_offs"][0]["role"] == "user"


@pytest.mark.rule("D11")
def test_api_refusals_are_4xx_with_codes(client, people, device, record):
    client.force_login(people["office"])
    body = {"checked_on": CHECKED_ON.isoformat(), "tool": "检查工具", "tool_version": "3.2",
            "checker_id": people["office2"].person_id, "no_internet": True,
            "no_wireless": True, "ports_sealed": True, "items": ITEMS_OK}
    response = api_post(client, f"/devices/{device.pk}/checks", body)
    assert response.status_code == 400 and response.json()["code"] == "unknown"
    body["checker_id"] = people["office"].person_id
    response = api_post(client, f"/devices/{device.pk}/checks", {**body, "items": ITEMS_OK[1:]})
    assert response.status_code == 400 and response.json()["code"] == "items_incomplete"
    response = api_post(client, f"/devices/{device.pk}/checks", {**body, "tool": "a\x00b"})
    assert response.status_code == 400
    client.force_login(people["secret"])
    assert api_post(client, f"/devices/{device.pk}/checks", body).status_code == 404
    check = record()
    assert client.get(f"{BASE}/checks/{check.pk}").status_code == 404
    assert not DeviceCheck.objects.exclude(pk=check.pk).exists()


@pytest.mark.rule("D11")
def test_attach_a_scan_report_through_the_api(client, people, record):
    check = record()
    client.force_login(people["office"])
    response = api_post(client, f"/checks/{check.pk}/report",
                        {"schema": "baomi-scan/1", "findings": []})
    assert response.status_code == 200 and response.json()["report_attached"] is True
    response = api_post(client, f"/checks/{check.pk}/report", {"findings": []})
    assert response.status_code == 400 and response.json()["code"] == "invalid_report"
    client.force_login(people["confidential"])  # sees the check, is not the 保密办
    response = api_post(client, f"/checks/{check.pk}/report", {"schema": "x"})
    assert response.status_code == 403


@pytest.mark.rule("Q10")
def test_rectify_and_verify_through_the_api(client, people, record):
    record(items=items_with(password="口令过短"))
    finding = CheckFinding.objects.get()
    client.force_login(people["top"])
    listed = client.get(f"{BASE}/findings", {"state": "open"}).json()
    assert [f["id"] for f in listed["items"]] == [finding.pk]
    day = (CHECKED_ON + timedelta(days=1)).isoformat()
    response = api_post(client, f"/findings/{finding.pk}/rectification",
                        {"rectified_on": day, "rectification": "已更换口令"})
    assert response.status_code == 200 and response.json()["state"] == "rectified"
    response = api_post(client, f"/findings/{finding.pk}/verification",
                        {"verified_on": day, "passed": True})
    assert response.status_code == 403 and response.json()["code"] == "not_secrecy_office"
    client.force_login(people["office"])
    response = api_post(client, f"/findings/{finding.pk}/verification",
                        {"verified_on": day, "passed": False})
    assert response.status_code == 200 and response.json()["state"] == "open"
    [again] = client.get(f"{BASE}/findings", {"overdue": True}).json()["items"]
    assert again["due_on"] == (CHECKED_ON + timedelta(days=31)).isoformat()  # failed in 2025
    assert again["overdue"] is True
    client.force_login(people["secret"])
    assert client.get(f"{BASE}/findings").json()["items"] == []
    response = api_post(client, f"/findings/{finding.pk}/rectification",
                        {"rectified_on": day, "rectification": "x"})
    assert response.status_code == 404


def test_a_deeply_nested_report_is_a_4xx(client, people, record):
    check = record()
    client.force_login(people["office"])
    body = '{"schema": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.post(f"{BASE}/checks/{check.pk}/report", body,
                           content_type="application/json")
    assert 400 <= response.status_code < 500
