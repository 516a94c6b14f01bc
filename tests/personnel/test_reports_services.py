"""重大事项报告 services (rule P7): who files, what a report holds, one annual report a year,
acknowledgement, audit."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from baomi.core.testing.factories import UnitFactory
from baomi.personnel.models import MajorMatterReport
from baomi.personnel.services.reports import acknowledge_report, submit_report

from . import reports_support as support
from .reports_support import MATTER

office, staff, staff_file = support.office, support.staff, support.staff_file
pytestmark = pytest.mark.django_db


def year() -> int:
    return timezone.localdate().year


@pytest.mark.rule("P7")
def test_person_files_a_zero_annual_report(staff, staff_file):
    report = submit_report(staff, staff_file, kind="annual", year=year(), is_zero=True)
    assert report.is_zero and report.matters == [] and report.submitted_by == staff
    assert report.person_id == staff.person_id
    event = AuditEvent.objects.get(action="PERSONNEL_MATTER_REPORTED")
    assert json.loads(event.after)["is_zero"] is True


@pytest.mark.rule("P7")
def test_office_files_on_behalf_with_matters(office, staff_file):
    report = submit_report(office, staff_file, kind="annual", year=year(), matters=[MATTER])
    assert report.matters == [MATTER] and report.submitted_by == office


@pytest.mark.rule("P7")
def test_one_annual_report_per_year(staff, staff_file):
    submit_report(staff, staff_file, kind="annual", year=year(), is_zero=True)
    with pytest.raises(Conflict) as exc:
        submit_report(staff, staff_file, kind="annual", year=year(), matters=[MATTER])
    assert exc.value.code == "report_exists"
    # ad hoc reports are not limited
    submit_report(staff, staff_file, kind="ad_hoc", matters=[MATTER])
    submit_report(staff, staff_file, kind="ad_hoc", matters=[MATTER])
    assert MajorMatterReport.objects.count() == 3


@pytest.mark.rule("P7")
@pytest.mark.parametrize(("kwargs", "code"), [
    ({"kind": "annual", "is_zero": True, "matters": [MATTER]}, "zero_with_matters"),
    ({"kind": "annual", "is_zero": False, "matters": []}, "no_matters"),
    ({"kind": "ad_hoc", "is_zero": False, "matters": []}, "no_matters"),
    ({"kind": "ad_hoc", "is_zero": True, "matters": []}, "zero_not_annual"),
    ({"kind": "weekly", "is_zero": True, "matters": []}, "invalid_kind"),
])
def test_content_is_checked(staff, staff_file, kwargs, code):
    if kwargs["kind"] == "annual":
        kwargs["year"] = year()
    with pytest.raises(InvalidInput) as exc:
        submit_report(staff, staff_file, **kwargs)
    assert exc.value.code == code
    assert not MajorMatterReport.objects.exists()


@pytest.mark.rule("P7")
def test_year_of_annual_report_this_or_last(staff, staff_file):
    for bad in (year() + 1, year() - 2, None, True):
        with pytest.raises(InvalidInput) as exc:
            submit_report(staff, staff_file, kind="annual", year=bad, is_zero=True)
        assert exc.value.code == "invalid_year"
    assert submit_report(staff, staff_file, kind="annual", year=year() - 1, is_zero=True).year


@pytest.mark.rule("P7")
def test_matter_date_not_in_the_future(staff, staff_file):
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as exc:
        submit_report(staff, staff_file, kind="ad_hoc",
                      matters=[{**MATTER, "date": (today + timedelta(days=1)).isoformat()}])
    assert exc.value.code == "future_date" and "matters.0.date" in exc.value.fields
    report = submit_report(staff, staff_file, kind="ad_hoc",
                           matters=[{**MATTER, "date": today.isoformat()}])
    assert report.matters[0]["date"] == today.isoformat()


@pytest.mark.rule("P7")
@pytest.mark.parametrize("matter", [
    {**MATTER, "category": "婚姻变化"},
    {**MATTER, "description": ""},
    {**MATTER, "description": "x\x00y"},
    {**MATTER, "date": "not a date"},
    {**MATTER, "extra": 1},
    "婚姻变化",
])
def test_bad_matters_are_invalid(staff, staff_file, matter):
    with pytest.raises(InvalidInput):
        submit_report(staff, staff_file, kind="ad_hoc", matters=[matter])


@pytest.mark.rule("P7")
def test_others_cannot_file(make_user, staff_file):
    colleague = make_user("colleague", roles=[Role.STAFF])
    with pytest.raises(NotFound):
        submit_report(colleague, staff_file, kind="ad_hoc", matters=[MATTER])
    other_office = make_user("other", roles=[Role.SECRECY_OFFICE], unit=UnitFactory())
    with pytest.raises(NotFound):
        submit_report(other_office, staff_file, kind="ad_hoc", matters=[MATTER])
    leader = make_user("leader", roles=[Role.LEADER])
    with pytest.raises(AccessDenied):
        submit_report(leader, staff_file, kind="ad_hoc", matters=[MATTER])


@pytest.mark.rule("P7")
def test_office_acknowledges_once(office, staff, staff_file):
    report = submit_report(staff, staff_file, kind="ad_hoc", matters=[MATTER])
    with pytest.raises(AccessDenied):
        acknowledge_report(staff, report)
    acknowledge_report(office, report)
    report.refresh_from_db()
    assert report.acknowledged_by == office and report.acknowledged_at is not None
    with pytest.raises(Conflict) as exc:
        acknowledge_report(office, MajorMatterReport.objects.get(pk=report.pk))
    assert exc.value.code == "already_acknowledged"
    assert AuditEvent.objects.filter(action="PERSONNEL_MATTER_REPORT_ACKNOWLEDGED").count() == 1


@pytest.mark.rule("P7")
def test_matters_dates_stored_iso(staff, staff_file):
    report = submit_report(staff, staff_file, kind="ad_hoc",
                           matters=[{**MATTER, "date": date(2026, 1, 5)}])
    assert report.matters[0]["date"] == "2026-01-05"
