"""The 资质与备案 and 单位变更事项 pages, their API, the .xlsx ledger and the demo (rules Q3,
Q4, Q6): the 保密办 writes, the leaders read, anyone else — and any other unit's record — is a
404; a refusal is a form error or a 4xx with its code, never a 500 and never a half write."""

import datetime as dt
import io
from decimal import Decimal
from io import StringIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from baomi.accounts import demo as accounts_demo
from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance import demo_qualification
from baomi.compliance import rules_qualification as rules
from baomi.compliance import services_qualification as services
from baomi.compliance.choices_qualification import QualificationType
from baomi.compliance.models import Qualification, QualificationApplication, UnitChange
from baomi.core.demo import DemoContext
from baomi.core.labels import Category
from baomi.core.testing.factories import UnitFactory

D = dt.date
API = "/api/v1/compliance"


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.IMPORTANT)


@pytest.fixture
def leader(make_user):
    return make_user("leader", roles=[Role.LEADER], category=Category.CORE)


@pytest.fixture
def filing(unit, office):
    return services.register_qualification(
        office, unit=unit, type=QualificationType.CONSULTING_FILING, grade="second",
        certificate_number="JGBA-2024-0156", issuing_authority="国家国防科技工业局",
        issued_on=D(2024, 3, 1))


@pytest.fixture
def elsewhere(make_user):
    """A qualification and a change of another unit, by its own 保密办."""
    other = UnitFactory()
    their_office = make_user("their-office", roles=[Role.SECRECY_OFFICE], unit=other)
    q = services.register_qualification(
        their_office, unit=other, type=QualificationType.WEAPONRY, grade="first",
        certificate_number="W-1", issuing_authority="省国防科工办", issued_on=D(2023, 1, 1),
        expires_on=D(2027, 12, 31))
    change = services.record_unit_change(their_office, unit=other, kind="name",
                                         description="更名", occurred_on=D(2026, 11, 2))
    return q, change


def post_json(client, path, data):
    return client.post(path, data, content_type="application/json")


# --- pages --------------------------------------------------------------------------------------

@pytest.mark.rule("Q4")
def test_the_office_sees_state_and_days_to_the_renewal_deadline(client, office, filing):
    client.force_login(office)
    response = client.get("/compliance/qualifications/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-id="{filing.pk}"' in page and 'data-state="valid"' in page
    assert 'id="qualification-form"' in page and 'id="application-form"' in page
    deadline = services.requalification_deadline(filing).date
    assert deadline.isoformat() in page
    assert client.get(f"/compliance/qualifications/{filing.pk}/").status_code == 200


def test_the_office_registers_and_files_on_the_page(client, unit, office):
    client.force_login(office)
    response = client.post("/compliance/qualifications/", {
        "action": "qualification", "type": "consulting_filing", "grade": "second",
        "certificate_number": "JGBA-1", "issuing_authority": "国家国防科技工业局",
        "issued_on": "2024-03-01", "expires_on": "", "note": ""})
    assert response.status_code == 302
    q = Qualification.objects.get(certificate_number="JGBA-1")
    assert q.expires_on == D(2027, 2, 28)
    response = client.post("/compliance/qualifications/", {
        "action": "application", "type": "consulting_filing", "kind": "renewal",
        "renews": q.pk, "applied_on": "2026-11-02", "note": ""})
    assert response.status_code == 302
    assert QualificationApplication.objects.get().renews_id == q.pk


@pytest.mark.rule("Q3")
def test_a_refusal_shows_on_the_form(client, unit, office):
    failed = services.file_application(office, unit=unit, type="weaponry", kind="new",
                                       applied_on=D(2026, 6, 1))
    services.record_review(office, failed, reviewed_on=D(2026, 7, 1), passed=False, score=80)
    client.force_login(office)
    page = client.get(f"/compliance/qualification-applications/{failed.pk}/")
    assert 'id="reapply-from"' in page.content.decode() and "2027-01-01" in page.content.decode()
    response = client.post("/compliance/qualifications/", {
        "action": "application", "type": "weaponry", "kind": "new", "applied_on": "2026-11-02"})
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert QualificationApplication.objects.count() == 1


def test_review_and_certificate_on_the_page(client, unit, office, filing):
    client.force_login(office)
    a = services.file_application(office, unit=unit, type="consulting_filing",
                                  kind="renewal", renews=filing, applied_on=D(2026, 11, 2))
    url = f"/compliance/qualification-applications/{a.pk}/"
    assert client.post(url, {"action": "review", "reviewed_on": "2026-11-20", "score": "88",
                             "result": "passed"}).status_code == 422
    assert client.post(url, {"action": "review", "reviewed_on": "2026-11-20", "score": "96",
                             "result": "passed"}).status_code == 302
    assert 'id="certificate-form"' in client.get(url).content.decode()
    assert client.post(url, {"action": "certificate", "grade": "second",
                             "certificate_number": "JGBA-2026-9", "issuing_authority": "国防科工局",
                             "issued_on": "2026-11-23"}).status_code == 302
    assert Qualification.objects.get(pk=filing.pk).state == "superseded"


@pytest.mark.rule("Q6")
def test_record_a_change_and_report_it_on_the_page(client, unit, office):
    client.force_login(office)
    response = client.post("/compliance/unit-changes/", {
        "kind": "ownership", "description": "股权结构调整", "old_value": "国有独资",
        "new_value": "国有控股", "occurred_on": "2026-11-05"})
    assert response.status_code == 302
    change = UnitChange.objects.get()
    page = client.get(f"/compliance/unit-changes/{change.pk}/").content.decode()
    assert 'data-filing="new"' in page and "2026-11-19" in page
    response = client.post(f"/compliance/unit-changes/{change.pk}/", {
        "reported_on": "2026-11-20", "reported_to": "省国防科技工业办公室"})
    assert response.status_code == 302
    assert UnitChange.objects.get().reported_late is True
    listing = client.get("/compliance/unit-changes/").content.decode()
    assert 'data-late="yes"' in listing


def test_leaders_read_without_forms_and_cannot_write(client, unit, leader, filing):
    client.force_login(leader)
    page = client.get("/compliance/qualifications/").content.decode()
    assert f'data-id="{filing.pk}"' in page and 'id="qualification-form"' not in page
    response = client.post("/compliance/qualifications/", {
        "action": "qualification", "type": "weaponry", "certificate_number": "X",
        "issuing_authority": "Y", "issued_on": "2024-01-01"})
    assert response.status_code == 403
    assert Qualification.objects.count() == 1


@pytest.mark.parametrize("roles", [[Role.STAFF], [Role.DEPARTMENT_HEAD], [Role.SYSADMIN],
                                   [Role.AUDITOR]])
def test_anyone_else_gets_404(client, make_user, filing, roles):
    client.force_login(make_user("someone", roles=roles, category=Category.CORE))
    for path in ("/compliance/qualifications/", f"/compliance/qualifications/{filing.pk}/",
                 "/compliance/unit-changes/", "/compliance/qualifications/export.xlsx"):
        assert client.get(path).status_code == 404, path


def test_another_units_records_are_404(client, office, elsewhere):
    q, change = elsewhere
    client.force_login(office)
    assert client.get(f"/compliance/qualifications/{q.pk}/").status_code == 404
    assert client.get(f"/compliance/unit-changes/{change.pk}/").status_code == 404
    assert client.post(f"/compliance/unit-changes/{change.pk}/", {
        "reported_on": "2026-11-20", "reported_to": "x"}).status_code == 404
    assert client.get(f"{API}/qualifications/{q.pk}").status_code == 404
    assert client.get(f"{API}/unit-changes/{change.pk}").status_code == 404
    assert client.get(f"{API}/qualifications").json()["items"] == []


def test_the_ledger_xlsx(client, unit, office, filing):
    services.record_unit_change(office, unit=unit, kind="name", description="更名",
                                occurred_on=D(2026, 11, 2))
    client.force_login(office)
    response = client.get("/compliance/qualifications/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][2] == "JGBA-2024-0156"
    assert rows[1][5].date() == D(2027, 2, 28)
    assert rows[1][7].date() == services.requalification_deadline(filing).date
    changes = list(book.worksheets[2].iter_rows(values_only=True))
    assert len(changes) == 2 and changes[1][1] == "更名"
    book.close()
    assert AuditEvent.objects.filter(action="QUALIFICATION_LEDGER_EXPORTED").count() == 1


# --- API ----------------------------------------------------------------------------------------

@pytest.mark.rule("Q4")
def test_api_register_list_and_get(client, unit, office):
    client.force_login(office)
    response = post_json(client, f"{API}/qualifications", {
        "type": "consulting_filing", "grade": "second", "certificate_number": "JGBA-1",
        "issuing_authority": "国家国防科技工业局", "issued_on": "2024-01-01"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["expires_on"], body["state"], body["renewal_due_on"]) == (
        "2026-12-31", "valid", "2026-10-09")
    listing = client.get(f"{API}/qualifications?limit=1").json()
    assert [item["id"] for item in listing["items"]] == [body["id"]]
    assert listing["next_after"] is None
    assert client.get(f"{API}/qualifications/{body['id']}").json()["certificate_number"] == "JGBA-1"


@pytest.mark.rule("Q3")
def test_api_applications_with_codes(client, unit, office):
    client.force_login(office)
    response = post_json(client, f"{API}/qualification-applications", {
        "type": "weaponry", "kind": "new", "applied_on": "2026-04-01"})
    assert response.status_code == 201, response.content
    a = response.json()
    review = post_json(client, f"{API}/qualification-applications/{a['id']}/review", {
        "reviewed_on": "2026-05-06", "passed": False, "score": "72.5"})
    assert review.status_code == 200 and review.json()["reapply_from"] == "2026-11-06"
    again = post_json(client, f"{API}/qualification-applications", {
        "type": "weaponry", "kind": "new", "applied_on": "2026-11-05"})
    assert (again.status_code, again.json()["code"]) == (422, "reapply_too_soon")
    reviewed = post_json(client, f"{API}/qualification-applications/{a['id']}/review", {
        "reviewed_on": "2026-06-01", "passed": True, "score": "95"})
    assert (reviewed.status_code, reviewed.json()["code"]) == (409, "illegal_transition")
    cert = post_json(client, f"{API}/qualification-applications/{a['id']}/certificate", {
        "certificate_number": "W-2", "issuing_authority": "省国防科工办", "issued_on": "2026-07-01"})
    assert (cert.status_code, cert.json()["code"]) == (409, "not_certifiable")
    items = client.get(f"{API}/qualification-applications").json()["items"]
    assert [(i["result"], Decimal(str(i["score"]))) for i in items] == [
        ("failed", Decimal("72.5"))]


@pytest.mark.rule("Q6")
def test_api_unit_changes_record_and_report(client, unit, office):
    client.force_login(office)
    response = post_json(client, f"{API}/unit-changes", {
        "kind": "legal_representative", "description": "法定代表人变更", "old_value": "陈建华",
        "new_value": "周立新", "occurred_on": "2026-09-24"})
    assert response.status_code == 201, response.content
    change = response.json()
    assert (change["report_due_on"], change["requires_filing_amendment"]) == (
        "2026-10-15", True)
    report = post_json(client, f"{API}/unit-changes/{change['id']}/report", {
        "reported_on": "2026-10-16", "reported_to": "省国防科技工业办公室"})
    assert report.status_code == 200 and report.json()["reported_late"] is True
    twice = post_json(client, f"{API}/unit-changes/{change['id']}/report", {
        "reported_on": "2026-10-16", "reported_to": "省国防科技工业办公室"})
    assert (twice.status_code, twice.json()["code"]) == (409, "already_reported")
    assert client.get(f"{API}/unit-changes").json()["items"][0]["id"] == change["id"]


@pytest.mark.parametrize(("path", "body"), [
    ("qualifications", {"type": "nope", "certificate_number": "A", "issuing_authority": "B",
                        "issued_on": "2024-01-01"}),
    ("qualifications", {"type": "weaponry", "certificate_number": "A\u0000",
                        "issuing_authority": "B", "issued_on": "2024-01-01"}),
    ("qualifications", {"type": "weaponry", "certificate_number": "A" * 101,
                        "issuing_authority": "B", "issued_on": "2024-01-01"}),
    ("unit-changes", {"kind": "name", "description": "x", "occurred_on": "2999-01-01"}),
    ("qualification-applications", {"type": "weaponry", "kind": "new",
                                    "applied_on": "2026-01-01", "renews_id": 99999}),
])
def test_api_bad_input_is_a_4xx_and_writes_nothing(client, unit, office, path, body):
    client.force_login(office)
    response = post_json(client, f"{API}/{path}", body)
    assert 400 <= response.status_code < 500, response.content
    assert not AuditEvent.objects.filter(action__startswith="QUALIFICATION").exists()
    assert not UnitChange.objects.exists()


def test_api_leaders_read_and_cannot_write(client, leader, filing):
    client.force_login(leader)
    assert client.get(f"{API}/qualifications").json()["items"][0]["id"] == filing.pk
    response = post_json(client, f"{API}/unit-changes", {
        "kind": "name", "description": "更名", "occurred_on": "2026-11-02"})
    assert (response.status_code, response.json()["code"]) == (403, "not_secrecy_office")


# --- demo ---------------------------------------------------------------------------------------

@pytest.mark.rule("Q4")
def test_the_demo_loads_once_with_its_obligations_open(db):
    ctx = DemoContext(out=StringIO())
    accounts_demo.load(ctx)
    demo_qualification.load(ctx)
    filing = Qualification.objects.get(type="consulting_filing")
    assert (filing.issued_on, filing.expires_on, filing.grade) == (
        D(2024, 3, 1), D(2027, 2, 28), "second")
    weaponry = Qualification.objects.get(type="weaponry")
    today = timezone.localdate()
    due = {row["subject_id"]: row["due_date"] for row in rules.requalification_due(today)}
    assert weaponry.pk in due and due[weaponry.pk] >= today
    failed = QualificationApplication.objects.get(result="failed")
    assert failed.applied_on.year == 2025 and failed.type == "system_integration"
    assert services.reapply_from(failed.unit, failed.type) == D(2026, 5, 20)
    unreported = UnitChange.objects.get(reported_on=None)
    assert unreported.kind == "address"
    assert [row["subject_id"] for row in rules.change_report_due(today)] == [unreported.pk]
    assert UnitChange.objects.get(kind="legal_representative").reported_late is False
    counts = (Qualification.objects.count(), QualificationApplication.objects.count(),
              UnitChange.objects.count(), AuditEvent.objects.count())
    again = DemoContext(out=StringIO())
    accounts_demo.load(again)
    demo_qualification.load(again)
    assert (Qualification.objects.count(), QualificationApplication.objects.count(),
            UnitChange.objects.count(), AuditEvent.objects.count()) == counts


@pytest.mark.rule("Q4")
def test_correct_and_revoke_on_the_page(client, office, filing):
    client.force_login(office)
    url = f"/compliance/qualifications/{filing.pk}/"
    fields = {"action": "edit", "type": "consulting_filing", "grade": "second",
              "certificate_number": "JGBA-2024-0157", "issuing_authority": "国家国防科技工业局",
              "issued_on": "2024-03-01", "expires_on": "2027-03-01", "note": ""}
    refused = client.post(url, fields)
    assert refused.status_code == 400 and 'role="alert"' in refused.content.decode()
    assert client.post(url, {**fields, "expires_on": ""}).status_code == 302
    assert Qualification.objects.get(pk=filing.pk).certificate_number == "JGBA-2024-0157"
    assert client.post(url, {"action": "revoke", "reason": "撤出备案"}).status_code == 302
    assert Qualification.objects.get(pk=filing.pk).state == "revoked"
    page = client.get(url).content.decode()
    assert 'data-state="revoked"' in page and 'id="qualification-revoke-form"' not in page
