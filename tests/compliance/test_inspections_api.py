"""The inspection API (rules Q9, Q10): the 保密办 runs an inspection to a rectification and
its re-check; the owner records the measures; another unit's objects are 404; refusals are
4xx with stable codes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baomi.accounts.roles import Role
from baomi.compliance.models import Inspection, InspectionEvidence, Rectification

from .inspections_support import office, other_unit, outsider, owner  # noqa: F401

BASE = "/api/v1/compliance"


def post(client, path, data):
    return client.post(BASE + path, data, content_type="application/json")


def start(client, **extra):
    response = post(client, "/inspections", {"kind": "self", "library": "self_assessment_58",
                                             "started_on": "2026-03-10", **extra})
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.rule("Q10")
def test_an_inspection_to_a_rectification_and_its_re_check(client, office, owner):
    client.force_login(office)
    inspection = start(client)
    assert len(inspection["items"]) == 52
    first, *rest = inspection["items"]
    url = f"/inspections/{inspection['id']}/items/{first['id']}"
    assert post(client, url, {"result": "problem", "finding": "未签订"}).status_code == 200
    for item in rest:
        post(client, f"/inspections/{inspection['id']}/items/{item['id']}", {"result": "pass"})
    refused = post(client, f"/inspections/{inspection['id']}/complete", {})
    assert (refused.status_code, refused.json()["code"]) == (422,
                                                            "problem_without_rectification")
    early = post(client, url + "/rectification", {"owner_id": owner.pk, "due_on": "2026-03-09"})
    assert (early.status_code, early.json()["code"]) == (400, "due_before_inspection")
    opened = post(client, url + "/rectification", {"owner_id": owner.pk, "due_on": "2026-04-10"})
    assert opened.status_code == 201, opened.content
    rectification = opened.json()
    assert (rectification["state"], rectification["inspection_id"]) == ("open",
                                                                        inspection["id"])
    done = post(client, f"/inspections/{inspection['id']}/complete",
                {"finished_on": "2026-03-12"})
    assert (done.status_code, done.json()["state"]) == (200, "completed")
    detail = client.get(f"{BASE}/inspections/{inspection['id']}").json()
    assert detail["items"][0]["rectification_id"] == rectification["id"]

    client.force_login(owner)
    mine = client.get(f"{BASE}/rectifications").json()
    assert [r["id"] for r in mine["items"]] == [rectification["id"]]
    assert client.get(f"{BASE}/inspections/{inspection['id']}").status_code == 404
    rid = rectification["id"]
    measured = post(client, f"/rectifications/{rid}/measures", {"measures": "已补签"})
    assert measured.json()["state"] == "done"
    forbidden = post(client, f"/rectifications/{rid}/recheck", {"passed": True})
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "not_secrecy_office")

    client.force_login(office)
    failed = post(client, f"/rectifications/{rid}/recheck", {"passed": False, "note": "缺签字"})
    assert (failed.status_code, failed.json()["code"]) == (400, "new_due_required")
    failed = post(client, f"/rectifications/{rid}/recheck",
                  {"passed": False, "note": "缺签字", "new_due_on": "2099-01-01"})
    assert failed.json()["state"] == "open" and len(failed.json()["checks"]) == 1
    client.force_login(owner)
    post(client, f"/rectifications/{rid}/measures", {"measures": "已补签并签字"})
    client.force_login(office)
    passed = post(client, f"/rectifications/{rid}/recheck", {"passed": True})
    assert passed.json()["state"] == "verified"
    assert [c["passed"] for c in passed.json()["checks"]] == [False, True]
    summary = client.get(f"{BASE}/inspection-summary", {"year": 2026}).json()
    assert summary["by_kind"]["self"] == {"total": 1, "completed": 1}
    assert (summary["problems"], summary["rectifications_by_state"]["verified"],
            summary["self_assessment_completed"]) == (1, 1, True)


def test_lists_filter_and_page(client, office, department):
    client.force_login(office)
    start(client)
    start(client, kind="department", library="department_self_check",
          department_id=department.pk)
    page = client.get(f"{BASE}/inspections", {"limit": 1}).json()
    assert len(page["items"]) == 1 and page["next_after"]
    second = client.get(f"{BASE}/inspections", {"after": page["next_after"]}).json()
    assert len(second["items"]) == 1 and second["next_after"] is None
    kinds = client.get(f"{BASE}/inspections", {"kind": "department"}).json()["items"]
    assert [i["kind"] for i in kinds] == ["department"]
    assert client.get(f"{BASE}/inspections", {"kind": "x"}).status_code == 400
    assert client.get(f"{BASE}/inspections", {"year": 2025}).json()["items"] == []


def test_bad_input_is_a_4xx(client, office):
    client.force_login(office)
    assert post(client, "/inspections", {"kind": "self", "library": "x"}).json()["code"] == \
        "unknown_library"
    assert post(client, "/inspections", {"kind": "self", "library": "self_assessment_58",
                                         "title": "a\x00b"}).status_code == 400
    inspection = start(client)
    item = inspection["items"][0]["id"]
    bad = post(client, f"/inspections/{inspection['id']}/items/{item}", {"result": "meh"})
    assert bad.status_code == 400
    missing = post(client, f"/inspections/{inspection['id']}/items/{item}/rectification",
                   {"owner_id": 999999, "due_on": "2026-05-01"})
    assert missing.status_code == 400
    assert not Rectification.objects.exists()


def test_evidence_upload(client, office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(office)
    inspection = start(client)
    item = inspection["items"][0]["id"]
    url = f"{BASE}/inspections/{inspection['id']}/items/{item}/evidence"
    response = client.post(url, {"title": "照片", "file": SimpleUploadedFile("p.png", b"\x89PNG")})
    assert response.status_code == 201, response.content
    assert InspectionEvidence.objects.get().title == "照片"
    refused = client.post(url, {"file": SimpleUploadedFile("x.sh", b"rm")})
    assert (refused.status_code, refused.json()["code"]) == (400, "file_type")


def test_another_unit_sees_nothing(client, office, outsider, make_user):
    client.force_login(office)
    inspection = start(client)
    item = inspection["items"][0]["id"]
    client.force_login(outsider)
    assert client.get(f"{BASE}/inspections").json()["items"] == []
    assert client.get(f"{BASE}/inspections/{inspection['id']}").status_code == 404
    assert post(client, f"/inspections/{inspection['id']}/items/{item}",
                {"result": "pass"}).status_code == 404
    assert post(client, f"/inspections/{inspection['id']}/complete", {}).status_code == 404
    client.force_login(make_user("leader", roles=[Role.LEADER]))
    assert client.get(f"{BASE}/inspections/{inspection['id']}").status_code == 200
    refused = post(client, f"/inspections/{inspection['id']}/items/{item}", {"result": "pass"})
    assert refused.status_code == 403
    assert Inspection.objects.get().items.filter(result="pass").count() == 0
