"""The check tool's pages (rule D11): the register, a report, the upload of a report file,
keyword lists (edit, import UTF-8 and GB18030), profiles and how to run the tool — for the
保密办; a 404 for anyone else."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baomi.compliance.models import Rectification
from baomi.scans import services
from baomi.scans.models import KeywordList, ScanProfile, ScanReport

from . import support
from .support import make_report

people, yf1, other_unit, register_device, device, record = (
    support.people, support.yf1, support.other_unit, support.register_device, support.device,
    support.record)


@pytest.fixture
def loaded(people):
    keywords = services.create_keyword_list(people["office"], name="本所词表甲", terms="天枢-3\n玄武")
    profile = services.create_profile(people["office"], name="unclassified", base="unclassified",
                                      keyword_list=keywords)
    scan = services.receive_report(people["office"], "BM-FM-7", make_report(1))
    return keywords, profile, scan


def pages(keywords, profile, scan):
    return ["/scans/", f"/scans/{scan.pk}/", f"/scans/{scan.pk}/download.json", "/scans/upload/",
            "/scans/keywords/", f"/scans/keywords/{keywords.pk}/", "/scans/profiles/",
            f"/scans/profiles/{profile.pk}/", "/scans/howto/"]


@pytest.mark.rule("D11")
def test_pages_render_for_the_secrecy_office(client, people, loaded):
    client.force_login(people["office"])
    for url in pages(*loaded):
        assert client.get(url).status_code == 200, url
    detail = client.get(f"/scans/{loaded[2].pk}/").content.decode()
    assert "报告0.docx" in detail and "密码保护" in detail and "journalctl" in detail
    assert Rectification.objects.get().problem in detail
    howto = client.get("/scans/howto/").content.decode()
    assert "baomi scan --server http://testserver" in howto and "--profile unclassified" in howto
    assert "/api/v1/scans/reports" in howto
    assert "检查工具" in client.get("/scans/").content.decode()


@pytest.mark.parametrize("who", ["top", "leader", "office2"])
def test_pages_refuse_others(client, people, loaded, who):
    """Anyone but the 保密办 gets a 404; the 保密办 of another unit sees its own unit's pages
    but none of this unit's objects."""
    client.force_login(people[who])
    own_unit_pages = {"/scans/upload/", "/scans/keywords/", "/scans/profiles/", "/scans/howto/"}
    for url in pages(*loaded)[1:]:
        if who == "office2" and url in own_unit_pages:
            assert client.get(url).status_code == 200, url
            assert "本所词表甲" not in client.get(url).content.decode()
        else:
            assert client.get(url).status_code == 404, url
    assert loaded[2].pk not in [r.pk for r in client.get("/scans/").context["page"].items]


@pytest.mark.rule("D11")
def test_upload_a_report_file(client, people):
    client.force_login(people["office"])
    report = json.dumps(make_report(2), ensure_ascii=False, indent=2).encode("utf-8")
    response = client.post("/scans/upload/", {
        "file": SimpleUploadedFile("report.json", report), "device": "BM-FM-8"})
    scan = ScanReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/scans/{scan.pk}/"
    assert scan.device_number == "BM-FM-8" and Rectification.objects.count() == 2
    again = client.post("/scans/upload/", {"file": SimpleUploadedFile("report.json", report)})
    assert again.status_code == 400 and "已上传" in again.content.decode()
    broken = client.post("/scans/upload/", {"file": SimpleUploadedFile("r.json", b"\xff{")})
    assert broken.status_code == 400 and ScanReport.objects.count() == 1
    wrong = client.post("/scans/upload/", {"file": SimpleUploadedFile(
        "r.json", json.dumps(make_report(version=9)).encode())})
    assert wrong.status_code == 400 and "版本" in wrong.content.decode()


def test_upload_refused_to_others(client, people):
    client.force_login(people["top"])
    report = json.dumps(make_report(1)).encode()
    response = client.post("/scans/upload/", {"file": SimpleUploadedFile("r.json", report)})
    assert response.status_code == 404 and not ScanReport.objects.exists()


def test_edit_and_import_a_keyword_list(client, people, loaded):
    keywords = loaded[0]
    client.force_login(people["office"])
    url = f"/scans/keywords/{keywords.pk}/"
    assert client.post(url, {"name": "本所词表甲", "terms": "甲\n乙\n甲\n", "save": ""}).status_code == 302
    assert KeywordList.objects.get().term_list == ["甲", "乙"]
    for encoding in ("utf-8", "gb18030"):
        content = "曙光工程\n外场试验数据\n".encode(encoding)
        response = client.post(url, {"import": "", "file": SimpleUploadedFile("k.txt", content)})
        assert response.status_code == 302, encoding
        assert KeywordList.objects.get().term_list == ["曙光工程", "外场试验数据"]
    too_many = "\n".join(f"t{i}" for i in range(services.TERMS_MAX + 1))
    response = client.post(url, {"name": "本所词表甲", "terms": too_many, "save": ""})
    assert response.status_code == 400 and KeywordList.objects.get().term_list == ["曙光工程", "外场试验数据"]


def test_create_and_edit_a_profile(client, people, loaded):
    keywords, profile, _ = loaded
    client.force_login(people["office"])
    response = client.post("/scans/profiles/", {"name": "classified", "base": "classified",
                                                "keyword_list": keywords.pk, "limits": "",
                                                "note": ""})
    assert response.status_code == 302
    response = client.post(f"/scans/profiles/{profile.pk}/", {
        "name": "unclassified", "base": "unclassified", "keyword_list": "",
        "limits": '{"max_depth": 2}', "note": "只查文档"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.keyword_list, profile.limits, profile.note) == (None, {"max_depth": 2}, "只查文档")
    duplicate = client.post("/scans/profiles/", {"name": "classified", "base": "classified"})
    assert duplicate.status_code == 400 and ScanProfile.objects.count() == 2


@pytest.mark.rule("D11")
def test_the_device_page_shows_its_reports(client, people, device):
    scan = services.receive_report(people["office"], device.number, make_report(1))
    other = services.receive_report(people["office"], "BM-FM-7", make_report(2))
    for who in ("office", "top"):
        client.force_login(people[who])
        page = client.get(f"/devices/{device.pk}/").content.decode()
        assert f"/scans/{scan.pk}/" in page and f"/scans/{other.pk}/" not in page, who


@pytest.mark.rule("D11")
def test_rectifications_reach_my_rectifications_and_the_office_re_check(client, people, device):
    services.receive_report(people["office"], device.number, make_report(1))
    rectification = Rectification.objects.get()
    client.force_login(people["top"])
    assert f"/compliance/rectifications/{rectification.pk}/" in client.get(
        "/compliance/rectifications/mine/").content.decode()
    assert client.get(f"/compliance/rectifications/{rectification.pk}/").status_code == 200
    client.force_login(people["office"])
    page = client.get(f"/compliance/rectifications/{rectification.pk}/")
    assert page.status_code == 200 and device.number in page.content.decode()
