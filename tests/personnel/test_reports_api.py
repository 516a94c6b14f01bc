"""重大事项报告 API (rule P7): /api/v1/personnel/reports, /people/{id}/reports, /me/reports."""

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role

from . import reports_support as support
from .reports_support import MATTER

office, staff, staff_file = support.office, support.staff, support.staff_file
pytestmark = pytest.mark.django_db
BASE = "/api/v1/personnel"


def year() -> int:
    return timezone.localdate().year


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


@pytest.mark.rule("P7")
def test_me_files_a_zero_report_and_lists_it(client, staff, staff_file):
    client.force_login(staff)
    created = post(client, f"{BASE}/me/reports",
                   {"kind": "annual", "year": year(), "is_zero": True})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["is_zero"] is True and body["file_id"] == staff_file.pk
    again = post(client, f"{BASE}/me/reports", {"kind": "annual", "year": year(),
                                                "matters": [MATTER]})
    assert again.status_code == 409 and again.json()["code"] == "report_exists"
    mine = client.get(f"{BASE}/me/reports").json()
    assert [r["id"] for r in mine] == [body["id"]]


@pytest.mark.rule("P7")
@pytest.mark.parametrize(("body", "status"), [
    ({"kind": "annual", "year": 2026, "is_zero": True, "matters": [MATTER]}, 400),
    ({"kind": "ad_hoc", "matters": []}, 400),
    ({"kind": "ad_hoc", "matters": [{**MATTER, "date": "2999-01-01"}]}, 400),
    ({"kind": "ad_hoc", "matters": [{**MATTER, "category": "x"}]}, 422),
    ({"kind": "annual", "year": 1999, "is_zero": True}, 422),
])
def test_bad_bodies_are_4xx(client, staff, staff_file, body, status):
    client.force_login(staff)
    assert post(client, f"{BASE}/me/reports", body).status_code == status


def test_me_without_file(client, make_user):
    client.force_login(make_user("nofile", roles=[Role.STAFF]))
    assert client.get(f"{BASE}/me/reports").json() == []
    response = post(client, f"{BASE}/me/reports", {"kind": "annual", "is_zero": True})
    assert response.status_code == 404


@pytest.mark.rule("P7")
def test_office_files_lists_and_acknowledges(client, office, staff, staff_file):
    client.force_login(office)
    created = post(client, f"{BASE}/people/{staff_file.pk}/reports",
                   {"kind": "ad_hoc", "matters": [MATTER]})
    assert created.status_code == 201
    report_id = created.json()["id"]
    listed = client.get(f"{BASE}/reports", {"kind": "ad_hoc", "year": year()}).json()
    assert [r["id"] for r in listed["items"]] == [report_id] and listed["next_after"] is None
    assert client.get(f"{BASE}/reports", {"kind": "annual"}).json()["items"] == []
    ack = post(client, f"{BASE}/reports/{report_id}/acknowledge")
    assert ack.status_code == 200 and ack.json()["acknowledged_by_id"] == office.pk
    assert post(client, f"{BASE}/reports/{report_id}/acknowledge").status_code == 409
    client.force_login(staff)
    assert client.get(f"{BASE}/reports").status_code == 403
    assert client.get(f"{BASE}/reports/{report_id}").status_code == 200
    assert post(client, f"{BASE}/reports/{report_id}/acknowledge").status_code == 403


def test_strangers_get_404(client, make_user, staff_file):
    client.force_login(make_user("colleague", roles=[Role.STAFF]))
    response = post(client, f"{BASE}/people/{staff_file.pk}/reports",
                    {"kind": "ad_hoc", "matters": [MATTER]})
    assert response.status_code == 404
    assert post(client, f"{BASE}/reports/999/acknowledge").status_code == 404
