"""The outside-firm API (/api/v1/compliance/firms, rules Q8, Q11): the 保密办 registers a firm,
qualifies it and signs contracts; refusals are 4xx with stable codes and write nothing; leaders
read; other units' firms are 404; contracts above the caller's clearance do not appear."""

import pytest

from baomi.accounts.roles import Role
from baomi.compliance.models import Firm, FirmContract
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import UnitFactory

from .test_firms import credit_code, firm, qualify, sign

BASE = "/api/v1/compliance/firms"


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.IMPORTANT)


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def contract_body(person, level=Level.SECRET, **extra):
    return {"title": "涉密评估", "level": int(level), "work_kind": "资产评估",
            "signed_on": "2026-03-02", "responsible_id": person.pk, **extra}


@pytest.mark.rule("Q11")
def test_register_qualify_and_sign_through_the_api(client, unit, office):
    client.force_login(office)
    created = post(client, BASE, {"name": "中评资产评估公司", "credit_code": credit_code(9),
                                  "kind": "appraisal"})
    assert created.status_code == 201, created.content
    firm_id = created.json()["id"]
    assert created.json()["qualified"] is False and len(created.json()["shortfalls"]) == 2
    refused = post(client, f"{BASE}/{firm_id}/contracts", contract_body(office.person))
    assert refused.status_code == 422 and refused.json()["code"] == "firm_unqualified"
    assert refused.json()["rule"] == "Q11"
    body = {**created.json(), "security_review_passed_on": "2026-01-05"}
    updated = post(client, f"{BASE}/{firm_id}", {k: body[k] for k in (
        "name", "credit_code", "kind", "contact", "foreign_capital",
        "security_review_passed_on", "last_suspension_on", "on_directory",
        "directory_number", "note")})
    assert updated.status_code == 200, updated.content
    protocol = post(client, f"{BASE}/{firm_id}/protocols", {
        "signed_on": "2026-01-06", "filed_on": "2026-01-08", "scope": "资产评估",
        "secrecy_clauses": True})
    assert protocol.status_code == 201, protocol.content
    assert client.get(f"{BASE}/{firm_id}").json()["qualified"] is True
    signed = post(client, f"{BASE}/{firm_id}/contracts", contract_body(office.person))
    assert signed.status_code == 201, signed.content
    listed = client.get(f"{BASE}/{firm_id}/contracts").json()
    assert [c["id"] for c in listed["items"]] == [signed.json()["id"]]
    ended = post(client, f"{BASE}/{firm_id}/contracts/{signed.json()['id']}/end",
                 {"ended_on": "2026-06-30"})
    assert ended.status_code == 200 and ended.json()["state"] == "ended"


@pytest.mark.rule("Q11")
def test_changes_reports_strike_off_and_reinstatement(client, unit, office):
    the_firm = firm(office, unit)
    client.force_login(office)
    change = post(client, f"{BASE}/{the_firm.pk}/changes", {
        "occurred_on": "2026-09-24", "reported_on": "2026-09-25", "description": "股东变更"})
    assert change.status_code == 201 and change.json()["rereview_due"] == "2026-10-29"
    review = post(client, f"{BASE}/{the_firm.pk}/changes/{change.json()['id']}/re-review",
                  {"rereviewed_on": "2026-10-20", "passed": True})
    assert review.status_code == 200 and review.json()["result"] == "passed"
    again = post(client, f"{BASE}/{the_firm.pk}/changes/{change.json()['id']}/re-review",
                 {"rereviewed_on": "2026-10-21", "passed": False})
    assert again.status_code == 409
    report = post(client, f"{BASE}/{the_firm.pk}/year-reports",
                  {"year": 2025, "received_on": "2026-03-31"})
    assert report.status_code == 201 and report.json()["due"] == "2026-03-31"
    assert client.get(f"{BASE}/{the_firm.pk}/year-reports").json()["items"][0]["year"] == 2025
    struck = post(client, f"{BASE}/{the_firm.pk}/strike-off",
                  {"struck_off_on": "2026-06-01", "reason": "提供虚假材料"})
    assert struck.status_code == 200 and struck.json()["reapply_from"] == "2027-06-01"
    refused = post(client, f"{BASE}/{the_firm.pk}/contracts",
                   contract_body(office.person, level=Level.NONSECRET))
    assert refused.status_code == 422 and refused.json()["code"] == "firm_struck_off"
    early = post(client, f"{BASE}/{the_firm.pk}/reinstate", {"reinstated_on": "2027-05-31"})
    assert early.status_code == 422 and early.json()["code"] == "reapply_too_soon"
    late = post(client, f"{BASE}/{the_firm.pk}/reinstate", {"reinstated_on": "2027-06-01"})
    assert late.status_code == 200 and late.json()["state"] == "active"


@pytest.mark.rule("Q8")
def test_a_classified_subcontract_off_the_directory_is_refused(client, unit, office):
    the_firm = qualify(office, firm(office, unit, kind="subcontractor"))
    client.force_login(office)
    refused = post(client, f"{BASE}/{the_firm.pk}/contracts", contract_body(office.person))
    assert refused.status_code == 422 and refused.json()["code"] == "not_on_directory"
    plain = post(client, f"{BASE}/{the_firm.pk}/contracts",
                 contract_body(office.person, level=Level.NONSECRET))
    assert plain.status_code == 201
    assert FirmContract.objects.count() == 1


def test_bad_input_is_a_4xx_and_writes_nothing(client, unit, office, make_user):
    the_firm = firm(office, unit)
    client.force_login(office)
    assert post(client, BASE, {"name": "x", "credit_code": "A" * 18,
                               "kind": "audit"}).json()["code"] == "invalid_credit_code"
    assert post(client, BASE, {"name": "x\x00", "credit_code": credit_code(4),
                               "kind": "audit"}).status_code == 400
    assert post(client, f"{BASE}/{the_firm.pk}/changes", {
        "occurred_on": "9999-12-31", "reported_on": "9999-12-31",
        "description": "x"}).status_code == 400
    stranger = make_user("stranger", roles=[Role.STAFF], unit=UnitFactory())
    assert post(client, f"{BASE}/{the_firm.pk}/contracts",
                contract_body(stranger.person)).status_code == 400
    assert Firm.objects.count() == 1 and FirmContract.objects.count() == 0


def test_visibility(client, unit, office, make_user):
    the_firm = qualify(office, firm(office, unit))
    sign(office, the_firm, level=Level.CONFIDENTIAL)
    sign(office, the_firm, level=Level.NONSECRET)
    leader = make_user("leader", roles=[Role.LEADER], category=Category.GENERAL)
    client.force_login(leader)
    assert [f["id"] for f in client.get(BASE).json()["items"]] == [the_firm.pk]
    assert len(client.get(f"{BASE}/{the_firm.pk}/contracts").json()["items"]) == 1
    denied = post(client, f"{BASE}/{the_firm.pk}/strike-off",
                  {"struck_off_on": "2026-06-01", "reason": "x"})
    assert denied.status_code == 403 and denied.json()["code"] == "not_secrecy_office"
    summary = client.get("/api/v1/compliance/firm-summary?year=2026").json()
    assert summary["firms"] == 1 and summary["qualified"] == 1
    other = make_user("other", roles=[Role.SECRECY_OFFICE], unit=UnitFactory())
    client.force_login(other)
    assert client.get(f"{BASE}/{the_firm.pk}").status_code == 404
    assert client.get(BASE).json()["items"] == []
    staff = make_user("staff", roles=[Role.STAFF])
    client.force_login(staff)
    assert client.get("/api/v1/compliance/firm-summary?year=2026").status_code == 404
