"""The exit API (rule P10) and the 脱密期 (rules P11–P14): from filing through the approval
chain to the release, and every refusal answered with a 4xx and its code."""

from datetime import timedelta

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.approvals.services import decide
from baomi.core.errors import RuleViolation
from baomi.core.labels import Category
from baomi.personnel.docx_exit import EXIT_COMMITMENT_TEXT_VERSION
from baomi.personnel.models import ExitCase

from .onboarding_support import people, yf1  # noqa: F401
from .test_exit_views import held_usb, leaver  # noqa: F401

pytestmark = pytest.mark.django_db
API = "/api/v1/personnel"


def post(client, url, body):
    return client.post(f"{API}{url}", body, content_type="application/json")


def file_by_api(client, leaver, kind="leave_unit"):
    response = post(client, f"/files/{leaver.person.personnel_file.pk}/exit", {
        "kind": kind, "leave_on": str(timezone.localdate()), "reason": "合同期满",
        "destination": "某公司"})
    assert response.status_code == 201, response.content
    return response.json()


def approve_chain(exit_id, people):
    request = ExitCase.objects.get(pk=exit_id).request
    for name in ("head", "office2", "leader"):
        request = decide(people[name], request, "approve")


@pytest.mark.rule("P10")
@pytest.mark.rule("P11")
def test_exit_from_filing_to_the_period_through_the_api(client, leaver, people):
    client.force_login(people["office"])
    filed = file_by_api(client, leaver)
    assert filed["state"] == "pending" and filed["file_state"] == "leaving"
    assert filed["custody"] == [] and filed["request_id"] and filed["ends_on"] is None
    approve_chain(filed["id"], people)
    url = f"/exits/{filed['id']}"
    case = client.get(f"{API}{url}").json()
    assert case["state"] == "approved" and case["file_state"] == "declassifying"
    assert case["access_withdrawn"]["login_disabled"] is True
    assert set(case["access_withdrawn"]["roles_removed"]) == {Role.STAFF,
                                                            Role.CLASSIFICATION_OFFICER}
    assert case["days_left"] > 300 and len(case["missing_formalities"]) == 3
    today = str(timezone.localdate())
    done = post(client, f"{url}/commitment", {"signed_on": today})
    assert done.status_code == 200
    assert done.json()["commitment_version"] == EXIT_COMMITMENT_TEXT_VERSION
    again = post(client, f"{url}/commitment", {"signed_on": today})
    assert again.status_code == 409 and again.json()["code"] == "already_recorded"
    one = post(client, f"{url}/talk", {"held_on": today, "talkers": ["张保密", "张保密"]})
    assert one.status_code == 422 and one.json()["code"] == "two_talkers"
    two = post(client, f"{url}/talk", {"held_on": today, "talkers": ["张保密", "李保密"],
                                        "notes": "提醒脱密期义务"})
    assert two.status_code == 200 and two.json()["talkers"] == ["张保密", "李保密"]
    door = post(client, f"{url}/door-access", {"revoked_on": today})
    assert door.status_code == 200 and door.json()["missing_formalities"] == []
    visit = post(client, f"{url}/visits", {"visited_on": today, "method": "phone",
                                           "visitors": ["张保密"], "current_employer": "某公司"})
    assert visit.status_code == 201 and len(visit.json()["visits"]) == 1
    assert visit.json()["visits"][0]["restrictions_kept"] is True
    listed = client.get(f"{API}/exits", {"state": "declassifying"}).json()
    assert [item["id"] for item in listed["items"]] == [filed["id"]]
    assert client.get(f"{API}/exits", {"state": "leaving"}).json()["items"] == []
    assert client.get(f"{API}/exits", {"visit_overdue": "true"}).json()["items"] == []


@pytest.mark.rule("P11")
@pytest.mark.rule("P12")
@pytest.mark.rule("P14")
def test_period_refusals_and_release(client, leaver, people):
    client.force_login(people["office"])
    filed = file_by_api(client, leaver, kind="leave_post")
    approve_chain(filed["id"], people)
    url = f"/exits/{filed['id']}"
    months = client.get(f"{API}{url}").json()["period_months"]
    today = timezone.localdate()
    same = post(client, f"{url}/extend", {"months": months, "reason": "知悉较多"})
    assert same.status_code == 422 and same.json()["code"] == "period_not_longer"
    longer = post(client, f"{url}/extend", {"months": months + 12, "reason": "知悉较多"})
    assert longer.status_code == 200 and longer.json()["period_months"] == months + 12
    broken = post(client, f"{url}/visits", {"visited_on": str(today), "method": "in_person",
                                            "visitors": ["张保密"], "restrictions_kept": False})
    assert broken.status_code == 400 and broken.json()["code"] == "findings_required"
    early = post(client, f"{url}/release", {"withdrawn_on": str(today)})
    assert early.status_code == 422 and early.json()["code"] == "period_not_over"
    ExitCase.objects.filter(pk=filed["id"]).update(approved_on=today - timedelta(days=800),
                                                   ends_on=today - timedelta(days=1))
    released = post(client, f"{url}/release", {"withdrawn_on": str(today),
                                               "reference": "保备〔2026〕12号"})
    assert released.status_code == 200
    assert released.json()["file_state"] == "released"
    assert released.json()["filing_reference"] == "保备〔2026〕12号"
    after = post(client, f"{url}/door-access", {"revoked_on": str(today)})
    assert after.status_code == 409 and after.json()["code"] == "illegal_transition"


@pytest.mark.rule("C9")
def test_custody_is_listed_and_blocks_the_approval(client, leaver, people, held_usb):
    client.force_login(people["office"])
    filed = file_by_api(client, leaver)
    assert [item["reference"] for item in filed["custody"]] == ["U-0042"]
    request = ExitCase.objects.get(pk=filed["id"]).request
    request = decide(people["head"], request, "approve")
    request = decide(people["office2"], request, "approve")
    with pytest.raises(RuleViolation) as refused:
        decide(people["leader"], request, "approve")
    assert refused.value.code == "custody_outstanding"


def test_access_and_input_errors_are_4xx(client, leaver, people, make_user):
    file_id = leaver.person.personnel_file.pk
    client.force_login(people["head"])  # sees the file, does not manage it
    body = {"kind": "leave_unit", "leave_on": str(timezone.localdate()), "reason": "x"}
    refused = post(client, f"/files/{file_id}/exit", body)
    assert refused.status_code == 403 and refused.json()["code"] == "not_secrecy_office"
    listing = client.get(f"{API}/exits")
    assert listing.status_code == 403 and listing.json()["code"] == "not_secrecy_office"
    client.force_login(people["office"])
    filed = file_by_api(client, leaver)
    twice = post(client, f"/files/{file_id}/exit", body)
    assert twice.status_code == 409
    early = post(client, f"/exits/{filed['id']}/talk",
                 {"held_on": str(timezone.localdate()), "talkers": ["张保密", "李保密"]})
    assert early.status_code == 409 and early.json()["code"] == "illegal_transition"
    for url, bad in ((f"/exits/{filed['id']}/talk",
                      {"held_on": "2026-01-01", "talkers": ["甲"] * 11}),
                     (f"/exits/{filed['id']}/visits",
                      {"visited_on": "2026-01-01", "method": "mail", "visitors": ["甲"]}),
                     (f"/exits/{filed['id']}/extend", {"months": 0, "reason": "x"}),
                     (f"/files/{file_id}/exit", {**body, "reason": "长" * 2001})):
        response = post(client, url, bad)
        assert response.status_code == 422 and response.json()["code"] == "invalid", url
    stranger = make_user("stranger", roles=[Role.STAFF], category=Category.GENERAL)
    client.force_login(stranger)
    assert client.get(f"{API}/exits/{filed['id']}").status_code == 404
    assert client.get(f"{API}/exits/{2**63}").status_code == 422
