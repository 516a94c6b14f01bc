"""The annual self-inspection report (rule Q5): its figures, generating and filing it, the
printed report, the reminder, the pages and the API; and the overview charts."""

import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from docx import Document

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.carriers.choices import CarrierState
from baomi.carriers.models import Carrier
from baomi.compliance import services_annual
from baomi.compliance.annual import annual_figures
from baomi.compliance.models import AnnualReport, Incident, Standard
from baomi.compliance.overview import overview_charts
from baomi.compliance.rules_annual import CODE, annual_report_due
from baomi.compliance.services_assessments import install_shipped_standards
from baomi.core.errors import AccessDenied, Conflict, InvalidInput
from baomi.core.labels import Category, Level, Scheme
from baomi.core.testing.factories import DEFAULT_PASSWORD, UnitFactory
from baomi.obligations.models import Obligation
from baomi.personnel.choices import FileState
from baomi.personnel.models import PersonnelFile, TrainingRecord

from .assessments_support import scored

YEAR = 2026
TODAY = dt.date(YEAR, 11, 24)


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


@pytest.fixture
def carrier_of(unit, department, office):
    def make(level, state=CarrierState.IN_STORE, scheme=Scheme.STATE, received=TODAY):
        return Carrier.objects.create(
            unit=unit, department=department, number=f"C{Carrier.objects.count()}", title="文件",
            kind="paper", scheme=scheme, level=level, origin="produced", received_on=received,
            custodian=office.person, state=state, registered_by=office)
    return make


def test_carriers_counted_by_level_and_state_up_to_the_clearance(unit, carrier_of):
    carrier_of(Level.TOP_SECRET)
    carrier_of(Level.CONFIDENTIAL, CarrierState.ON_LOAN)
    carrier_of(Level.CONFIDENTIAL)
    carrier_of(Level.SECRET, CarrierState.DESTROYED)
    carrier_of(Level.SECRET, received=dt.date(YEAR - 1, 12, 31))
    carrier_of(Level.NONSECRET, scheme=Scheme.COMMERCIAL)
    figures = annual_figures(unit, YEAR, Level.TOP_SECRET, TODAY)["carriers"]
    assert figures["by_level_state"] == {
        "3": {"in_store": 1}, "2": {"on_loan": 1, "in_store": 1}, "1": {"in_store": 1},
        "0": {"in_store": 1}}
    assert figures["registered"] == {"3": 1, "2": 2, "1": 1, "0": 1}


@pytest.mark.rule("L5")
def test_a_confidential_reader_does_not_learn_the_top_secret_count(unit, carrier_of):
    carrier_of(Level.TOP_SECRET)
    carrier_of(Level.CONFIDENTIAL)
    carrier_of(Level.TOP_SECRET, scheme=Scheme.COMMERCIAL)  # rule L4: no state level
    figures = annual_figures(unit, YEAR, Level.CONFIDENTIAL, TODAY)["carriers"]
    assert "3" not in figures["by_level_state"] or figures["by_level_state"]["3"] == {
        "in_store": 1}
    assert sum(n for states in figures["by_level_state"].values()
               for n in states.values()) == 2


def test_people_by_category_and_training_of_the_year(unit, make_user):
    people = [make_user(f"p{i}", category=c).person
              for i, c in enumerate([Category.CORE, Category.IMPORTANT, Category.IMPORTANT])]
    for person, state in zip(people, [FileState.IN_POST, FileState.LEAVING, FileState.RELEASED],
                             strict=True):
        PersonnelFile.objects.create(person=person, unit=unit, state=state,
                                     category=person.category, in_post_since=TODAY)
    TrainingRecord.objects.create(person=people[0], course="保密法", held_on=TODAY,
                                  hours=Decimal("2.5"))
    TrainingRecord.objects.create(person=people[0], course="旧课", held_on=dt.date(YEAR - 1, 6, 1),
                                  hours=Decimal("4"))
    figures = annual_figures(unit, YEAR, Level.TOP_SECRET, TODAY)["people"]
    assert figures["by_category"] == {"3": 1, "2": 1, "1": 0}
    assert figures["in_post"] == 2
    assert figures["joined"] == 3
    assert (figures["training_sessions"], figures["training_hours"],
            figures["trained_people"]) == (1, "2.5", 1)


def test_incidents_of_the_year_by_kind(unit, office):
    for kind, day in [("leak", TODAY), ("suspected_leak", TODAY),
                      ("leak", dt.date(YEAR - 1, 12, 31))]:
        Incident.objects.create(unit=unit, kind=kind, scheme=Scheme.STATE, level=Level.SECRET,
                                title="事件", discovered_on=day, created_on=day)
    figures = annual_figures(unit, YEAR, Level.TOP_SECRET, TODAY)["incidents"]
    assert figures == {"leaks": 1, "suspected": 1, "closed": 0}


def test_generating_stores_the_docx_and_figures_and_is_audited(unit, office, carrier_of):
    carrier_of(Level.SECRET)
    report = services_annual.generate_annual_report(office, unit=unit, year=YEAR, today=TODAY)
    assert report.state == "generated" and report.max_level == Level.TOP_SECRET
    assert report.figures["carriers"]["by_level_state"] == {"1": {"in_store": 1}}
    document = Document(io.BytesIO(bytes(report.content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"{unit.name}{YEAR}年度保密自查报告" in text
    assert "本年度未发生泄密事件。" in text
    carriers_table = document.tables[1]
    assert [c.text for c in carriers_table.rows[0].cells][0] == "密级"
    secret_row = [c.text for c in carriers_table.rows[2].cells]
    assert secret_row[0] == "秘密" and secret_row[1] == "1" and secret_row[-1] == "1"
    assert AuditEvent.objects.filter(action="ANNUAL_REPORT_GENERATED").count() == 1


@pytest.mark.rule("L5")
def test_a_report_generated_by_a_confidential_officer_says_so(unit, make_user):
    officer = make_user("o2", roles=[Role.SECRECY_OFFICE], category=Category.IMPORTANT)
    report = services_annual.generate_annual_report(officer, unit=unit, year=YEAR, today=TODAY)
    assert report.max_level == Level.CONFIDENTIAL
    text = "\n".join(p.text for p in Document(io.BytesIO(bytes(report.content))).paragraphs)
    assert "仅含机密级及以下" in text


def test_only_the_secrecy_office_generates(unit, make_user):
    leader = make_user("leader", roles=[Role.LEADER], category=Category.CORE)
    with pytest.raises(AccessDenied) as refused:
        services_annual.generate_annual_report(leader, unit=unit, year=YEAR, today=TODAY)
    assert refused.value.code == "not_secrecy_office"


@pytest.mark.parametrize("year", [1999, YEAR + 1, "2026", True, None])
def test_a_year_outside_2000_to_this_year_is_refused(unit, office, year):
    with pytest.raises(InvalidInput) as refused:
        services_annual.generate_annual_report(office, unit=unit, year=year, today=TODAY)
    assert "year" in refused.value.fields
    assert not AnnualReport.objects.exists()


def test_generating_again_replaces_until_filed_then_refuses(unit, office, carrier_of):
    first = services_annual.generate_annual_report(office, unit=unit, year=YEAR, today=TODAY)
    carrier_of(Level.SECRET)
    again = services_annual.generate_annual_report(office, unit=unit, year=YEAR, today=TODAY)
    assert again.pk == first.pk and again.figures["carriers"]["by_level_state"]
    services_annual.file_annual_report(office, again, filed_on=timezone.localdate(), filed_to="市保密局")
    archived = bytes(AnnualReport.objects.get().content)
    with pytest.raises(Conflict) as refused:
        services_annual.generate_annual_report(office, unit=unit, year=YEAR, today=TODAY)
    assert refused.value.code == "filed"
    assert bytes(AnnualReport.objects.get().content) == archived


@pytest.mark.parametrize("filed_on, field", [
    (TODAY + dt.timedelta(days=1), "filed_on"), (None, "filed_on")])
def test_filing_in_the_future_is_refused(unit, office, filed_on, field):
    report = services_annual.generate_annual_report(office, unit=unit, year=YEAR, today=TODAY)
    with pytest.raises(InvalidInput) as refused:
        services_annual.file_annual_report(office, report, filed_on=filed_on, filed_to="局",
                                           today=TODAY)
    assert field in refused.value.fields
    assert AnnualReport.objects.get().state == "generated"


def test_filing_before_generation_is_refused(unit, office):
    report = services_annual.generate_annual_report(office, unit=unit, year=YEAR)
    day_before = timezone.localdate(report.generated_at) - dt.timedelta(days=1)
    with pytest.raises(InvalidInput):
        services_annual.file_annual_report(office, report, filed_on=day_before, filed_to="局")


def test_filing_a_stale_copy_twice_only_one_wins(unit, office):
    report = services_annual.generate_annual_report(office, unit=unit, year=YEAR, today=TODAY)
    stale = AnnualReport.objects.get(pk=report.pk)
    services_annual.file_annual_report(office, report, filed_on=timezone.localdate(), filed_to="甲")
    with pytest.raises(Conflict):
        services_annual.file_annual_report(office, stale, filed_on=timezone.localdate(), filed_to="乙")
    assert AnnualReport.objects.get().filed_to == "甲"


@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_one_wins(unit, office):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the compare-and-set is tested above")
    report = services_annual.generate_annual_report(office, unit=unit, year=YEAR, today=TODAY)
    results: list[str] = []

    def file(name: str) -> None:
        try:
            services_annual.file_annual_report(office, AnnualReport.objects.get(pk=report.pk),
                                               filed_on=timezone.localdate(), filed_to=name)
            results.append("ok")
        except Conflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=file, args=(n,)) for n in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict", "ok"]


@pytest.mark.rule("Q5")
@pytest.mark.parametrize("today, shown", [
    (dt.date(YEAR, 10, 31), False), (dt.date(YEAR, 11, 1), True), (dt.date(YEAR, 12, 31), True)])
def test_reminder_shows_60_days_before_december_31(unit, today, shown):
    rows = [row for row in annual_report_due(today) if row["unit_id"] == unit.pk]
    assert bool(rows) == shown
    if shown:
        assert rows[0]["due_date"] == dt.date(YEAR, 12, 31)
        assert rows[0]["severity"] == "warning"


@pytest.mark.rule("Q5")
def test_a_filed_report_ends_the_reminder(unit, office):
    report = services_annual.generate_annual_report(office, unit=unit, year=YEAR, today=TODAY)
    services_annual.file_annual_report(office, report, filed_on=timezone.localdate(), filed_to="局")
    assert not [r for r in annual_report_due(dt.date(YEAR, 12, 1)) if r["unit_id"] == unit.pk]


def _reminded(unit, year):
    now = timezone.now()
    Obligation.objects.create(rule_code=CODE, rule_id="Q5", unit=unit,
                              subject_type="accounts.unit", subject_id=unit.pk,
                              due_date=dt.date(year, 12, 31), opened_at=now, updated_at=now)


@pytest.mark.rule("Q5")
def test_last_years_report_once_reminded_is_critical_until_filed(unit, office):
    _reminded(unit, YEAR - 1)
    january = dt.date(YEAR, 1, 1)
    rows = [r for r in annual_report_due(january) if r["unit_id"] == unit.pk]
    assert rows[0]["due_date"] == dt.date(YEAR - 1, 12, 31)
    assert rows[0]["severity"] == "critical"
    report = services_annual.generate_annual_report(office, unit=unit, year=YEAR - 1,
                                                    today=january)
    services_annual.file_annual_report(office, report, filed_on=timezone.localdate(),
                                       filed_to="局")
    assert not [r for r in annual_report_due(january) if r["unit_id"] == unit.pk]


@pytest.mark.rule("Q5")
def test_a_unit_never_reminded_is_not_chased_for_last_year(unit):
    assert not [r for r in annual_report_due(dt.date(YEAR, 1, 2)) if r["unit_id"] == unit.pk]


def test_groups_have_no_report_of_their_own(db):
    group = UnitFactory(kind="group")
    assert not [r for r in annual_report_due(dt.date(YEAR, 12, 1)) if r["unit_id"] == group.pk]


@pytest.mark.rule("Q3")
def test_assessment_scores_by_year_chart(unit, office):
    consulting = _consulting()
    scored(office, consulting, year=2025)
    scored(office, consulting, year=2026, lose={"org.1": 4, "org.2": 1}, unmet=("basic.1",))
    chart = next(c for c in overview_charts(unit, TODAY, Level.TOP_SECRET)
                 if c.key == "assessments")
    assert chart.table_rows == [["2025", 100.0, 0.0, 100.0], ["2026", 0.0, 95.0, 95.0]]
    assert [seg.css for seg in chart.rows[1].segments] == ["chart-s1"]  # failed: a veto item


def _consulting():
    install_shipped_standards()
    return Standard.objects.get(unit__isnull=True, code="consulting_unit")


def test_overview_charts_and_their_tables(unit, office, carrier_of):
    carrier_of(Level.SECRET)
    carrier_of(Level.SECRET, CarrierState.ON_LOAN)
    now = timezone.now()
    for due in (TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=40)):
        Obligation.objects.create(rule_code="x", rule_id="Q5", unit=unit, subject_type="t",
                                  subject_id=due.toordinal(), due_date=due, opened_at=now,
                                  updated_at=now, severity="critical")
    charts = {c.key: c for c in overview_charts(unit, TODAY, Level.TOP_SECRET)}
    assert set(charts) == {"people", "carriers", "obligations", "assessments"}
    secret = next(row for row in charts["carriers"].table_rows if row[0] == str(Level.SECRET.label))
    assert secret[1:3] == [1, 1] and secret[-1] == 2
    rows = charts["obligations"].table_rows
    months = {row[0]: row[-1] for row in rows}
    assert rows[0][-1] == 1  # overdue first
    assert months["2027-01"] == 1 and months["2026-11"] == 0 and len(rows) == 14
    bars = charts["carriers"].rows
    assert [bar.total for bar in bars] == [0, 2, 0, 0]


def _login(client, user):
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)


def test_pages_generate_download_and_file(client, unit, office):
    _login(client, office)
    assert client.get(reverse("compliance:overview")).status_code == 200
    response = client.post(reverse("compliance:annual_report_list"), {"year": YEAR})
    assert response.status_code == 302
    report = AnnualReport.objects.get()
    download = client.get(reverse("compliance:annual_report_download", args=[report.pk]))
    assert download.status_code == 200 and download.content == bytes(report.content)
    bad = client.post(reverse("compliance:annual_report_file", args=[report.pk]),
                      {"filed_on": "", "filed_to": "局"}, follow=True)
    assert bad.status_code == 200 and AnnualReport.objects.get().state == "generated"
    client.post(reverse("compliance:annual_report_file", args=[report.pk]),
                {"filed_on": timezone.localdate().isoformat(), "filed_to": "市保密局"})
    assert AnnualReport.objects.get().state == "filed"
    refused = client.post(reverse("compliance:annual_report_list"), {"year": report.year})
    assert refused.status_code == 409
    page = client.get(reverse("compliance:annual_report_list")).content.decode()
    assert 'data-state="filed"' in page


def test_bad_year_is_a_form_error(client, office):
    _login(client, office)
    response = client.post(reverse("compliance:annual_report_list"), {"year": "1999"})
    assert response.status_code == 400


def test_staff_and_other_units_see_nothing(client, unit, office, make_user):
    report = services_annual.generate_annual_report(office, unit=unit, year=YEAR, today=TODAY)
    staff = make_user("staff", roles=[Role.STAFF], category=Category.CORE)
    other_unit = UnitFactory()
    other = make_user("other", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                      unit=other_unit)
    for user in (staff, other):
        client.logout()
        _login(client, user)
        assert client.get(reverse("compliance:annual_report_download",
                                  args=[report.pk])).status_code == 404
        assert client.get(f"/api/v1/compliance/annual-reports/{report.pk}").status_code == 404
    client.logout()
    _login(client, staff)
    assert client.get(reverse("compliance:overview")).status_code == 404


@pytest.mark.rule("L5")
def test_a_report_counting_top_secret_is_hidden_from_a_confidential_officer(
        client, unit, office, make_user):
    report = services_annual.generate_annual_report(office, unit=unit, year=YEAR, today=TODAY)
    officer = make_user("o2", roles=[Role.SECRECY_OFFICE], category=Category.IMPORTANT)
    _login(client, officer)
    assert client.get(reverse("compliance:annual_report_download",
                              args=[report.pk])).status_code == 404


def test_api_generate_list_file_and_download(client, unit, office):
    _login(client, office)
    created = client.post("/api/v1/compliance/annual-reports", {"year": YEAR},
                          content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["figures"]["year"] == YEAR and body["state"] == "generated"
    listed = client.get("/api/v1/compliance/annual-reports").json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    docx = client.get(f"/api/v1/compliance/annual-reports/{body['id']}/docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    filed = client.post(f"/api/v1/compliance/annual-reports/{body['id']}/file",
                        {"filed_on": timezone.localdate().isoformat(), "filed_to": "市保密局"},
                        content_type="application/json")
    assert filed.status_code == 200 and filed.json()["state"] == "filed"
    again = client.post("/api/v1/compliance/annual-reports", {"year": YEAR},
                        content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "filed"
    overview = client.get("/api/v1/compliance/overview").json()
    assert [c["key"] for c in overview["charts"]] == ["people", "carriers", "obligations",
                                                      "assessments"]
    assert client.get("/api/v1/compliance/overview?unit=999999").status_code == 404
