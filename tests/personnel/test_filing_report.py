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
from baomi.personnel.choices import FileState
from baomi.personnel.services import people as services

from . import test_filing_support as support
from .test_filing_support import day

# The shared fixtures of test_filing_support.
in_post, office = (support.in_post, support.office)


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
    changes, roster = book.worksheets
    assert changes.max_row == 3 and roster.max_row == 2
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
