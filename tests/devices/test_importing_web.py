"""The import pages and the import API of the device and media ledgers: the 保密办 uploads,
sees every problem by row and column when anything is wrong (nothing imported), or lands on
the ledger; the empty template; 4xx with a stable code on any upload, never a 500."""

import io
import json

import pytest
from django.urls import reverse

from baomi.audit.models import AuditEvent
from baomi.devices import forms_importing
from baomi.devices.models import Device, Medium

from . import support
from .support import sheet_rows
from .test_importing import (
    DEVICE_HEADER,
    MEDIUM_HEADER,
    device_row,
    medium_row,
    workbook,
)

people, yf1, other_unit = support.people, support.yf1, support.other_unit

API = "/api/v1/devices"


def upload(client, user, url, data):
    client.force_login(user)
    return client.post(reverse(url), {"file": data})


# --- the pages ----------------------------------------------------------------------------------


@pytest.mark.rule("D1")
def test_the_office_imports_a_device_ledger_and_lands_on_it(client, people):
    client.force_login(people["office"])
    page = client.get(reverse("devices:device_import"))
    assert page.status_code == 200
    assert [c["title"] for c in page.context["columns"]] == DEVICE_HEADER
    response = upload(client, people["office"], "devices:device_import",
                      workbook(device_row("HX-1"), device_row("HX-2", level="秘密")))
    assert response.status_code == 302 and response.url == reverse("devices:device_list")
    assert set(Device.objects.values_list("number", flat=True)) == {"HX-1", "HX-2"}
    listed = client.get(response.url)
    assert "2" in [str(m) for m in listed.context["messages"]][0]


@pytest.mark.rule("D2")
def test_a_bad_row_shows_every_problem_and_imports_nothing(client, people):
    response = upload(client, people["office"], "devices:device_import", workbook(
        device_row("HX-1"), device_row("HX-2", responsible="罗非密"),
        device_row("HX-3", department="无此部门")))
    assert response.status_code == 400
    assert [(e.line, e.column) for e in response.context["row_errors"]] == [
        (3, "责任人"), (4, "部门")]
    body = response.content.decode()
    assert 'id="row-errors"' in body and 'data-line="3" data-column="责任人"' in body
    assert not Device.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="DEVICE").exists()


def test_an_unreadable_file_is_shown_on_the_page(client, people):
    response = upload(client, people["office"], "devices:device_import",
                      io.BytesIO(b"%PDF-1.4 not a workbook"))
    assert response.status_code == 400
    [error] = response.context["row_errors"]
    assert (error.line, error.column) == (0, "")


def test_a_file_over_the_limit_is_refused_on_the_form(client, people, monkeypatch):
    monkeypatch.setattr(forms_importing, "MAX_BYTES", 10)
    response = upload(client, people["office"], "devices:device_import",
                      workbook(device_row()))
    assert response.status_code == 400 and response.context["form"].errors["file"]
    assert not Device.objects.exists()


@pytest.mark.rule("D4")
def test_the_office_imports_a_media_ledger(client, people):
    response = upload(client, people["office"], "devices:medium_import",
                      workbook(medium_row(), header=MEDIUM_HEADER))
    assert response.status_code == 302 and response.url == reverse("devices:medium_list")
    assert Medium.objects.get().number == "HX-U-101"
    bad = upload(client, people["office"], "devices:medium_import",
                 workbook(medium_row("HX-U-2", state="已领用"), header=MEDIUM_HEADER))
    assert bad.status_code == 400 and [e.column for e in bad.context["row_errors"]] == ["状态"]


@pytest.mark.parametrize("url", ["devices:device_import", "devices:medium_import",
                                 "devices:device_import_template",
                                 "devices:medium_import_template"])
def test_only_the_office_opens_the_import(client, people, sysadmin, url):
    for user in (people["head"], people["top"], sysadmin):
        client.force_login(user)
        assert client.get(reverse(url)).status_code == 404
    client.force_login(people["office"])
    assert client.get(reverse(url)).status_code == 200


def test_the_list_links_to_the_import_only_for_the_office(client, people):
    client.force_login(people["office"])
    assert 'id="device-import-link"' in client.get(reverse("devices:device_list")).content.decode()
    assert 'id="medium-import-link"' in client.get(reverse("devices:medium_list")).content.decode()
    client.force_login(people["head"])
    body = client.get(reverse("devices:device_list")).content.decode()
    assert 'id="device-import-link"' not in body and 'id="device-ledger-docx-link"' in body


@pytest.mark.parametrize(("url", "header"), [
    ("devices:device_import_template", DEVICE_HEADER),
    ("devices:medium_import_template", MEDIUM_HEADER)])
def test_the_template_is_an_empty_ledger_with_the_columns(client, people, url, header):
    client.force_login(people["office"])
    response = client.get(reverse(url))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert sheet_rows(response.content) == [tuple(header)]


def test_the_filled_template_imports(client, people):
    from openpyxl import load_workbook

    client.force_login(people["office"])
    template = client.get(reverse("devices:device_import_template")).content
    book = load_workbook(io.BytesIO(template))
    book.active.append(device_row("TPL-1"))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    assert upload(client, people["office"], "devices:device_import", data).status_code == 302
    assert Device.objects.get().number == "TPL-1"


# --- the API ------------------------------------------------------------------------------------


def api_upload(client, path, data):
    return client.post(f"{API}{path}", {"file": data})


@pytest.mark.rule("D1")
def test_the_api_imports_every_row_or_none(client, people):
    client.force_login(people["office"])
    response = api_upload(client, "/devices/import", workbook(device_row("A-1"),
                                                              device_row("A-2")))
    assert response.status_code == 200 and response.json() == {"created": 2}
    refused = api_upload(client, "/devices/import", workbook(
        device_row("A-3"), device_row("A-4", level="绝级"), device_row("A-1")))
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "import_rows" and set(body["fields"]) == {"3.密级", "4.保密编号"}
    assert Device.objects.count() == 2


@pytest.mark.rule("D4")
def test_the_api_imports_media(client, people):
    client.force_login(people["office"])
    response = api_upload(client, "/media/import", workbook(medium_row(), header=MEDIUM_HEADER))
    assert response.json() == {"created": 1}
    event = AuditEvent.objects.get(action="MEDIA_IMPORTED")
    assert json.loads(event.after)["created"] == 1


@pytest.mark.parametrize("content", [b"", b"\x00\xff" * 50, b"PK\x03\x04"])
def test_any_file_is_a_4xx(client, people, content):
    client.force_login(people["office"])
    for path in ("/devices/import", "/media/import"):
        response = api_upload(client, path, io.BytesIO(content))
        assert response.status_code == 400 and response.json()["code"] == "import_rows"
        assert list(response.json()["fields"]) == ["file"]


def test_the_api_wants_a_file_and_the_office(client, people):
    client.force_login(people["office"])
    assert client.post(f"{API}/devices/import", {}).status_code == 422
    client.force_login(people["head"])
    response = api_upload(client, "/devices/import", workbook(device_row()))
    assert response.status_code == 403 and response.json()["code"] == "not_secrecy_office"
    assert not Device.objects.exists()
