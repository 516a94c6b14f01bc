"""The check tool in the API (/api/v1/scans; rules D4, D11): the upload answers 201, 400, 403
or 409 — never a 500, whatever the body — and the register, keyword lists and profiles."""

import json

import pytest

from baomi.accounts import services as accounts
from baomi.core.labels import Level
from baomi.devices import services as devices
from baomi.scans import services
from baomi.scans.models import ScanReport

from . import support
from .support import make_report

people, yf1, other_unit, register_device, device, record = (
    support.people, support.yf1, support.other_unit, support.register_device, support.device,
    support.record)
register_medium = support.support.register_medium
BASE = "/api/v1/scans"


def upload(client, body, **headers):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(f"{BASE}/reports", data, content_type="application/json", **headers)


@pytest.mark.rule("D11")
def test_upload_with_a_token_attaches_and_opens_rectifications(client, people, device, record):
    check = record()
    _, token = accounts.create_api_token(people["office"], "scanner")
    response = upload(client, {"device": device.number, "report": make_report(2)},
                      HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201, response.content
    body = response.json()
    scan = ScanReport.objects.get()
    assert body == {"id": scan.pk, "url": f"/scans/{scan.pk}/", "check": check.pk,
                    "rectifications": sorted(scan.rectifications.values_list("pk", flat=True))}
    assert len(body["rectifications"]) == 2
    again = upload(client, {"device": device.number, "report": make_report(2)},
                   HTTP_AUTHORIZATION=f"Bearer {token}")
    assert again.status_code == 409 and again.json()["code"] == "duplicate_report"


@pytest.mark.rule("D11")
@pytest.mark.parametrize("body", [
    b"", b"[1, 2]", b'"report"', b"3", b"null", b"{", b'{"device": "A"}', b"\x00",
    b'{"device": "A", "report": "\x00"}', b'{"device": "A", "report": {"schema": "\\u0000"}}',
    b"\xff\xfe", b'{"device": 5, "report": {}}', b'{"report": [1]}',
    b'{"report": {"schema": "baomi-scan-report", "version": 1}}',
    b"[" * 100000,
])
def test_a_bad_body_is_a_400_never_a_500(client, people, body):
    client.force_login(people["office"])
    response = upload(client, body)
    assert response.status_code == 400, response.content
    assert response.json()["code"] in ("invalid_report", "invalid")
    assert not ScanReport.objects.exists()


def test_a_body_past_ten_megabytes_is_refused_unread(client, people):
    client.force_login(people["office"])
    response = upload(client, b'{"report": "' + b"x" * (10 * 1024 * 1024) + b'"}')
    assert response.status_code == 400 and response.json()["code"] == "invalid_report"


def test_upload_refused_to_others_and_to_anonymous(client, people):
    assert upload(client, {"report": make_report()}).status_code == 401
    client.force_login(people["top"])
    response = upload(client, {"device": None, "report": make_report()})
    assert response.status_code == 403 and response.json()["code"] == "not_secrecy_office"


@pytest.mark.rule("D11")
def test_register_filters_and_detail(client, people, device):
    clean = services.receive_report(people["office"], device.number, make_report())
    found = services.receive_report(people["office"], "BM-FM-1", make_report(
        1, started=support.SHANGHAI_DAY(2025, 4, 1)))
    client.force_login(people["office"])
    ids = lambda query: [r["id"] for r in client.get(f"{BASE}/reports{query}").json()["items"]]  # noqa: E731
    assert ids("") == [found.pk, clean.pk]
    assert ids("?clean=true") == [clean.pk]
    assert ids("?device=BM-FM-1") == [found.pk]
    assert ids("?date_from=2025-04-01&date_to=2025-04-01") == [found.pk]
    assert ids("?date_to=2025-03-31") == [clean.pk]
    detail = client.get(f"{BASE}/reports/{found.pk}").json()
    assert detail["violations"] == 1 and detail["violation_list"][0]["level"] == 2
    assert detail["files"][0]["path"].endswith("报告0.docx") and len(detail["rectifications"]) == 1
    download = client.get(f"{BASE}/reports/{found.pk}/json")
    assert download.status_code == 200 and json.loads(download.content) == found.report
    # the responsible person sees the report of the device, not the other one
    client.force_login(people["top"])
    assert ids("") == [clean.pk]
    assert client.get(f"{BASE}/reports/{found.pk}").status_code == 404
    client.force_login(people["office2"])
    assert ids("") == [] and client.get(f"{BASE}/reports/{clean.pk}").status_code == 404


def test_keyword_list_and_profile_crud(client, people):
    client.force_login(people["office"])
    made = client.post(f"{BASE}/keyword-lists", {"name": "报警关键字", "terms": "天枢\n 天枢 \n\nAurora"},
                       content_type="application/json")
    assert made.status_code == 201 and made.json()["terms"] == ["天枢", "Aurora"]
    list_id = made.json()["id"]
    changed = client.put(f"{BASE}/keyword-lists/{list_id}", {"name": "报警关键字", "terms": "玄武"},
                         content_type="application/json")
    assert changed.status_code == 200 and changed.json()["count"] == 1
    twice = client.post(f"{BASE}/keyword-lists", {"name": "报警关键字", "terms": ""},
                        content_type="application/json")
    assert twice.status_code == 400 and twice.json()["code"] == "duplicate_name"
    profile = {"name": "unclassified", "base": "unclassified", "keyword_list_id": list_id,
               "limits": {"max_depth": 3}, "note": ""}
    assert client.post(f"{BASE}/profiles", profile, content_type="application/json").status_code == 201
    bad = client.post(f"{BASE}/profiles", {**profile, "name": "保密"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "bad_name"
    bad = client.post(f"{BASE}/profiles", {**profile, "name": "x", "limits": {"max_depth": -1}},
                      content_type="application/json")
    assert bad.status_code == 400 and "limits" in bad.json()["fields"]
    changed = client.put(f"{BASE}/profiles/unclassified", {**profile, "base": "classified"},
                         content_type="application/json")
    assert changed.status_code == 200 and changed.json()["base"] == "classified"
    assert [p["name"] for p in client.get(f"{BASE}/profiles").json()] == ["unclassified"]
    client.force_login(people["top"])
    assert client.get(f"{BASE}/keyword-lists").json() == []
    assert client.get(f"{BASE}/keyword-lists/{list_id}").status_code == 404
    response = client.post(f"{BASE}/keyword-lists", {"name": "x", "terms": ""},
                           content_type="application/json")
    assert response.status_code == 403


@pytest.mark.rule("D4")
def test_the_profile_the_scanner_fetches(client, people, device, register_medium):
    keywords = services.create_keyword_list(people["office"], name="词表", terms="天枢-3\nAurora")
    services.create_profile(people["office"], name="classified", base="classified",
                            keyword_list=keywords, limits={"max_depth": 2})
    bound = register_medium(serial_no="U-777", level=Level.CONFIDENTIAL)
    devices.bind_medium(people["office"], bound, device=device, bound_on=support.CHECKED_ON)
    client.force_login(people["office"])
    body = client.get(f"{BASE}/profiles/classified?device={device.number}").json()
    assert body["name"] == "classified" and body["base"] == "classified"
    assert body["device_level"] == Level.CONFIDENTIAL and body["allowed_media"] == ["U-777"]
    assert body["keywords"] == ["天枢-3", "Aurora"] and body["limits"] == {"max_depth": 2}
    assert body["keyword_list"]["name"] == "词表" and len(body["keyword_list"]["sha256"]) == 64
    unknown = client.get(f"{BASE}/profiles/classified?device=BM-FM-9").json()
    assert unknown["device_level"] is None and unknown["allowed_media"] == []
    assert client.get(f"{BASE}/profiles/nothing").status_code == 404
    client.force_login(people["office2"])
    assert client.get(f"{BASE}/profiles/classified").status_code == 404


@pytest.mark.rule("D11")
def test_reading_a_report_with_classified_findings_is_audited(client, people):
    from baomi.audit.models import AuditEvent

    marked = services.receive_report(people["office"], "BM-1", make_report(1))
    clean = services.receive_report(people["office"], "BM-2", make_report(device="BM-2"))
    client.force_login(people["office"])
    for scan in (marked, clean):
        assert client.get(f"{BASE}/reports/{scan.pk}").status_code == 200
        assert client.get(f"{BASE}/reports/{scan.pk}/json").status_code == 200
    reads = AuditEvent.objects.filter(action="SCAN_REPORT_READ")
    assert list(reads.values_list("object_id", flat=True)) == [str(marked.pk)] * 2


def test_import_a_keyword_list_from_a_text_file(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    keywords = services.create_keyword_list(people["office"], name="词表", terms="旧词")
    client.force_login(people["office"])
    url = f"{BASE}/keyword-lists/{keywords.pk}/import"
    content = "\ufeff天枢-3\r\n玄武二型\r\n".encode("utf-8")
    response = client.post(url, {"file": SimpleUploadedFile("k.txt", content)})
    assert response.status_code == 200 and response.json()["terms"] == ["天枢-3", "玄武二型"]
    response = client.post(url, {"file": SimpleUploadedFile("k.txt", "曙光工程".encode("gb18030"))})
    assert response.json()["terms"] == ["曙光工程"]
    big = SimpleUploadedFile("k.txt", b"a\n" * (services.TERMS_BYTES_MAX // 2 + 1))
    response = client.post(url, {"file": big})
    assert response.status_code == 400 and response.json()["code"] == "too_large"
    client.force_login(people["top"])
    assert client.post(url, {"file": SimpleUploadedFile("k.txt", b"x")}).status_code == 404
