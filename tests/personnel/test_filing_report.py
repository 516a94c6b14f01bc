"""备案 (rule P16): changes in the range from the files and the audit trail, the roster, the
two-sheet export, and access (another unit's 保密办 sees nothing)."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied, InvalidInput
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import PersonFactory, UnitFactory
from baomi.personnel import filing
from baomi.personnel.choices import ExitKind, FileState
from baomi.personnel.models import PersonnelFile
from baomi.personnel.services import people as services

from . import onboarding_support
from . import test_filing_support as support
from .test_filing_support import day

# The shared fixtures of test_filing_support and onboarding_support.
exited, in_post, office = (support.exited, support.in_post, support.office)
people, yf1 = onboarding_support.people, onboarding_support.yf1


@pytest.fixture
def assigned(office, department):
    """A 机密 post assigned today to a person (file in post since 2020)."""
    person = PersonFactory(unit=department.unit, department=department, name="何振宇",
                           employee_no="E-0001")
    file = services.open_file(office, person)
    file.state, file.in_post_since = FileState.IN_POST, day("2020-01-01")
    file.save(update_fields=["state", "in_post_since"])
    post = services.create_post(office, department=department, name="型号总师",
                                level=Level.CONFIDENTIAL)
    services.assign_post(office, person, post, started_on=timezone.localdate())
    return file


def kinds(report):
    return sorted((change.action, change.name) for change in report.changes)


@pytest.mark.rule("P16")
def test_assignment_in_range_is_listed_outside_not(office, assigned):
    today = timezone.localdate()
    report = filing.filing(office, today, today)
    assert kinds(report) == [("PERSON_CATEGORY_DERIVED", "何振宇"), ("POST_ASSIGNED", "何振宇")]
    posted = next(c for c in report.changes if c.action == "POST_ASSIGNED")
    assert "型号总师" in posted.detail and posted.on == today and posted.department
    before = filing.filing(office, today - timedelta(days=400), today - timedelta(days=1))
    assert before.changes == []
    assert [f.person.name for f in report.roster] == ["何振宇"] == [
        f.person.name for f in before.roster]


@pytest.mark.rule("P16")
def test_post_end_and_start_in_post_are_listed(office, assigned, in_post):
    holding = assigned.person.post_holdings.get()
    services.end_post(office, holding, ended_on=timezone.localdate())
    in_post("梁晨", Category.GENERAL, day("2025-03-10"))
    today = timezone.localdate()
    actions = [c.action for c in filing.filing(office, today, today).changes]
    assert actions.count("POST_ENDED") == 1 and actions.count("PERSON_CATEGORY_DERIVED") == 2
    started = filing.filing(office, day("2025-03-10"), day("2025-03-10"))
    assert kinds(started) == [("PERSONNEL_IN_POST_STARTED", "梁晨")]
    assert kinds(filing.filing(office, day("2025-03-11"), day("2025-12-31"))) == []


@pytest.mark.rule("P16")
def test_backdated_assignment_is_listed_by_its_own_date(office, assigned, department):
    post = services.create_post(office, department=department, name="试验员",
                                level=Level.SECRET)
    services.assign_post(office, assigned.person, post, started_on=day("2024-05-06"))
    today = timezone.localdate()
    assert ("POST_ASSIGNED", "何振宇") not in [
        (c.action, c.name) for c in filing.filing(office, today, today).changes
        if "试验员" in c.detail]
    in_2024 = filing.filing(office, day("2024-01-01"), day("2024-12-31"))
    assert [(c.action, c.on) for c in in_2024.changes] == [("POST_ASSIGNED", day("2024-05-06"))]


@pytest.mark.rule("P16")
def test_names_resolved_with_one_query_per_kind(office, assigned, department):
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as few:
        assert len(filing.filing(office, today, today).changes) == 2
    for number in range(3):
        person = PersonFactory(unit=department.unit, department=department)
        services.open_file(office, person)
        post = services.create_post(office, department=department, name=f"岗位{number}",
                                    level=Level.SECRET)
        services.assign_post(office, person, post, started_on=today)
    with CaptureQueriesContext(connection) as many:
        assert len(filing.filing(office, today, today).changes) == 8
    assert len(many) == len(few)  # independent of the number of changes


@pytest.mark.rule("P16")
def test_another_units_office_sees_nothing(office, assigned, make_user):
    other_unit = UnitFactory(code="OTHER")
    other = make_user("other", roles=[Role.SECRECY_OFFICE], unit=other_unit)
    today = timezone.localdate()
    report = filing.filing(other, today, today)
    assert report.changes == [] and report.roster == []
    leader = make_user("leader", roles=[Role.LEADER], category=Category.CORE)
    with pytest.raises(AccessDenied):
        filing.filing(leader, today, today)


def test_reversed_range_is_refused(office):
    with pytest.raises(InvalidInput) as caught:
        filing.filing(office, day("2025-02-01"), day("2025-01-01"))
    assert caught.value.code == "invalid_range"


@pytest.mark.rule("P16")
def test_export_has_both_sheets(client, office, assigned):
    client.force_login(office)
    today = timezone.localdate().isoformat()
    page = client.get(f"/personnel/filing/?date_from={today}&date_to={today}")
    assert page.status_code == 200 and len(page.context["report"].changes) == 2
    response = client.get(f"/personnel/filing/export.xlsx?date_from={today}&date_to={today}")
    assert response.status_code == 200
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    changes, roster, declassifying = book.worksheets
    assert changes.max_row == 3 and roster.max_row == 2 and declassifying.max_row == 1
    assert "何振宇" in [cell.value for cell in roster[2]]
    assert AuditEvent.objects.filter(action="PERSONNEL_FILING_EXPORTED").count() == 1


def test_filing_page_defaults_to_this_year_and_refuses_others(client, office, make_user):
    client.force_login(office)
    page = client.get("/personnel/filing/")
    year = timezone.localdate().year
    assert page.status_code == 200
    assert (page.context["report"].date_from.year, page.context["report"].date_to.year) == (
        year, year)
    bad = client.get("/personnel/filing/?date_from=2025-02-01&date_to=2025-01-01")
    assert bad.status_code == 400 and bad.context["form"].errors["date_from"]
    client.force_login(make_user("staff", roles=[Role.STAFF]))
    assert client.get("/personnel/filing/").status_code == 403
    assert client.get("/personnel/filing/export.xlsx").status_code == 403


@pytest.mark.rule("P16")
def test_api(client, office, assigned, make_user):
    client.force_login(office)
    today = timezone.localdate().isoformat()
    body = client.get(f"/api/v1/personnel/filing?date_from={today}&date_to={today}").json()
    assert sorted(c["action"] for c in body["changes"]) == ["PERSON_CATEGORY_DERIVED",
                                                            "POST_ASSIGNED"]
    assert body["roster"][0]["category"] == Category.IMPORTANT
    assert client.get("/api/v1/personnel/filing").status_code == 200
    reversed_range = client.get("/api/v1/personnel/filing?date_from=2025-02-01&date_to=2025-01-01")
    assert reversed_range.json()["code"] == "invalid_range"
    other = make_user("other", roles=[Role.SECRECY_OFFICE], unit=UnitFactory(code="OTHER"))
    client.force_login(other)
    body = client.get(f"/api/v1/personnel/filing?date_from={today}&date_to={today}").json()
    assert body["changes"] == [] and body["roster"] == []


# --- exits (rules P10–P14 as changes to file, rule P16) ---------------------------------------


@pytest.mark.rule("P16")
def test_exits_and_withdrawn_filings_are_changes_on_their_dates(office, exited, in_post):
    exited("梁晨", Category.CORE, day("2020-01-01"), day("2025-03-10"), ends_on=day("2028-03-09"))
    exited("韩磊", Category.IMPORTANT, day("2020-01-01"), day("2022-03-01"),
           kind=ExitKind.LEAVE_POST, ends_on=day("2025-02-28"), state=FileState.RELEASED,
           withdrawn_on=day("2025-03-12"), reference="保备〔2025〕3号")
    march = filing.filing(office, day("2025-03-01"), day("2025-03-31"))
    assert [(c.on, c.action, c.name) for c in march.changes] == [
        (day("2025-03-10"), "EXIT_APPROVED", "梁晨"),
        (day("2025-03-12"), "DECLASSIFICATION_RELEASED", "韩磊")]
    left, released = march.changes
    assert left.kind == str(ExitKind.LEAVE_UNIT.label) and "2028-03-09" in left.detail
    assert "2025-02-28" in released.detail and "保备〔2025〕3号" in released.detail
    # Each change on its own date only: the boundaries of the range.
    assert kinds(filing.filing(office, day("2025-03-11"), day("2025-03-11"))) == []
    assert kinds(filing.filing(office, day("2025-03-12"), day("2025-03-12"))) == [
        ("DECLASSIFICATION_RELEASED", "韩磊")]
    assert kinds(filing.filing(office, day("2022-03-01"), day("2022-03-01"))) == [
        ("EXIT_APPROVED", "韩磊")]


@pytest.mark.rule("P16")
def test_declassification_section_and_roster(office, exited, in_post):
    in_post("在岗", Category.GENERAL, day("2020-01-01"))
    in_post("审批中", Category.GENERAL, day("2020-01-01"), state=FileState.LEAVING)
    exited("脱密", Category.IMPORTANT, day("2020-01-01"), day("2025-03-10"),
           ends_on=day("2027-03-09"))
    exited("已解脱", Category.GENERAL, day("2020-01-01"), day("2023-03-10"),
           state=FileState.RELEASED)
    report = filing.filing(office, day("2025-01-01"), day("2025-12-31"))
    assert {f.person.name for f in report.roster} == {"审批中", "在岗"}
    assert [(f.person.name, f.left_on, f.declassification_ends_on, f.category)
            for f in report.declassifying] == [
        ("脱密", day("2025-03-10"), day("2027-03-09"), Category.IMPORTANT)]


@pytest.mark.rule("P16")
def test_start_in_post_stays_listed_after_the_exit(office, exited):
    exited("短期", Category.GENERAL, day("2025-03-10"), day("2025-05-20"))
    report = filing.filing(office, day("2025-01-01"), day("2025-12-31"))
    assert kinds(report) == [("EXIT_APPROVED", "短期"), ("PERSONNEL_IN_POST_STARTED", "短期")]


@pytest.mark.rule("P16")
def test_exits_of_another_unit_are_not_listed(office, exited, make_user):
    exited("梁晨", Category.CORE, day("2020-01-01"), day("2025-03-10"))
    other = make_user("other", roles=[Role.SECRECY_OFFICE], unit=UnitFactory(code="OTHER"))
    report = filing.filing(other, day("2025-01-01"), day("2025-12-31"))
    assert report.changes == [] and report.declassifying == []


@pytest.mark.rule("P16")
def test_declassification_on_the_page_in_the_export_and_the_api(client, office, exited):
    exited("梁晨", Category.CORE, day("2020-01-01"), day("2025-03-10"), ends_on=day("2028-03-09"))
    client.force_login(office)
    query = "date_from=2025-03-01&date_to=2025-03-31"
    page = client.get(f"/personnel/filing/?{query}")
    text = page.content.decode()
    section = text[text.index('id="filing-declassifying"'):]
    assert "梁晨" in section and "2025-03-10" in section and "2028-03-09" in section
    assert "梁晨" in text[text.index('id="filing-changes"'):text.index('id="filing-roster"')]
    response = client.get(f"/personnel/filing/export.xlsx?{query}")
    changes, roster, declassifying = load_workbook(
        BytesIO(b"".join(response.streaming_content))).worksheets
    assert changes.max_row == 2 and roster.max_row == 1
    row = [cell.value for cell in declassifying[2]]
    assert row[0] == "梁晨" and row[4].date() == day("2025-03-10")
    assert row[5].date() == day("2028-03-09")
    body = client.get(f"/api/v1/personnel/filing?{query}").json()
    assert [c["action"] for c in body["changes"]] == ["EXIT_APPROVED"]
    assert body["changes"][0]["on"] == "2025-03-10" and body["roster"] == []
    assert body["declassifying"] == [{
        "file_id": body["declassifying"][0]["file_id"], "name": "梁晨", "employee_no": (
            body["declassifying"][0]["employee_no"]), "department": "综合部",
        "category": Category.CORE, "left_on": "2025-03-10", "ends_on": "2028-03-09"}]


@pytest.mark.rule("P15")
@pytest.mark.rule("P16")
def test_an_exit_approved_through_the_chain(people, department):
    """The real path: the 保密办 files the exit, the chain approves it (rule P10); the 备案
    lists it today and the allowance of this month stops today."""
    from baomi.approvals.services import decide
    from baomi.personnel.services.exit import file_exit

    unit = department.unit
    unit.policy_overrides = {**unit.policy_overrides, **support.AMOUNTS}
    unit.save(update_fields=["policy_overrides"])
    person = PersonFactory(unit=unit, department=people["head"].person.department, name="林海峰",
                           category=Category.GENERAL)
    file = PersonnelFile.objects.create(person=person, unit=unit, category=Category.GENERAL,
                                        state=FileState.IN_POST, in_post_since=day("2020-01-01"))
    today = timezone.localdate()
    case = file_exit(people["office"], file, kind=ExitKind.LEAVE_UNIT, leave_on=today,
                     reason="调往外单位")
    request = case.request
    for name in ("head", "office2", "leader"):
        request = decide(people[name], request, "approve")
    case.refresh_from_db()
    assert case.approved_on == today
    report = filing.filing(people["office"], today, today)
    assert kinds(report) == [("EXIT_APPROVED", "林海峰")]
    assert [f.person.name for f in report.declassifying] == ["林海峰"] and report.roster == []
    sheet = filing.allowance(people["office"], today.replace(day=1))
    assert [(row.name, row.left_on, row.days_in_post) for row in sheet.rows] == [
        ("林海峰", today, today.day)]
