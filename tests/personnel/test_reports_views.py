"""重大事项报告 pages (rule P7): my reports, a person's reports, the 保密办's list, detail."""

import pytest
from django.urls import reverse
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.personnel.models import MajorMatterReport
from baomi.personnel.services.reports import submit_report

from . import reports_support as support
from .reports_support import MATTER

office, staff, staff_file = support.office, support.staff, support.staff_file
pytestmark = pytest.mark.django_db


def year() -> int:
    return timezone.localdate().year


@pytest.mark.rule("P7")
def test_my_reports_zero_report_is_one_checkbox(client, staff, staff_file):
    client.force_login(staff)
    url = reverse("personnel:my_reports")
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "annual", "year": year(), "is_zero": "on"})
    report = MajorMatterReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("personnel:report_detail", args=[report.pk])
    assert report.is_zero and report.year == year()
    page = client.get(url)
    assert reverse("personnel:report_detail", args=[report.pk]) in page.content.decode()
    again = client.post(url, {"kind": "annual", "year": year(), "is_zero": "on"})
    assert again.status_code == 409 and MajorMatterReport.objects.count() == 1


@pytest.mark.rule("P7")
def test_ad_hoc_report_with_a_matter(client, staff, staff_file):
    client.force_login(staff)
    response = client.post(reverse("personnel:my_reports"), {
        "kind": "ad_hoc", "m0_category": "marriage", "m0_date": "2026-01-02",
        "m0_description": "结婚"})
    assert response.status_code == 302
    report = MajorMatterReport.objects.get()
    assert report.kind == "ad_hoc" and report.matters[0]["category"] == "marriage"


@pytest.mark.rule("P7")
def test_errors_are_shown_on_the_form(client, staff, staff_file):
    client.force_login(staff)
    url = reverse("personnel:my_reports")
    nothing = client.post(url, {"kind": "annual", "year": year()})
    assert nothing.status_code == 400 and nothing.context["form"].errors
    partial = client.post(url, {"kind": "ad_hoc", "m1_category": "other"})
    assert partial.status_code == 400 and "m1_description" in partial.context["form"].errors
    future = client.post(url, {"kind": "ad_hoc", "m0_category": "other",
                               "m0_date": "2999-01-01", "m0_description": "x"})
    assert future.status_code == 400 and "m0_date" in future.context["form"].errors
    assert not MajorMatterReport.objects.exists()


def test_without_a_file_my_reports_says_so(client, make_user):
    user = make_user("nofile", roles=[Role.STAFF])
    client.force_login(user)
    response = client.get(reverse("personnel:my_reports"))
    assert response.status_code == 200 and response.context["form"] is None
    assert client.post(reverse("personnel:my_reports"), {"kind": "annual"}).status_code == 404


@pytest.mark.rule("P7")
def test_office_list_shows_who_filed(client, office, staff, staff_file, make_user):
    submit_report(staff, staff_file, kind="annual", year=year(), is_zero=True)
    client.force_login(office)
    response = client.get(reverse("personnel:report_list"))
    assert response.status_code == 200
    assert (response.context["filed"], response.context["total"]) == (1, 1)
    [row] = response.context["page"].items
    assert row.report_is_zero is True
    last_year = client.get(reverse("personnel:report_list"), {"year": year() - 1})
    assert last_year.context["filed"] == 0
    client.force_login(staff)
    assert client.get(reverse("personnel:report_list")).status_code == 404


@pytest.mark.rule("P7")
def test_office_files_on_behalf_and_acknowledges(client, office, staff_file):
    client.force_login(office)
    url = reverse("personnel:file_reports", args=[staff_file.pk])
    response = client.post(url, {"kind": "ad_hoc", "m0_category": "judicial",
                                 "m0_date": "2026-01-02", "m0_description": "交通违法"})
    report = MajorMatterReport.objects.get()
    assert response.status_code == 302 and report.submitted_by == office
    listed = client.get(reverse("personnel:report_list"))
    assert [r.pk for r in listed.context["to_acknowledge"]] == [report.pk]
    detail = reverse("personnel:report_detail", args=[report.pk])
    assert client.get(detail).context["can_acknowledge"] is True
    assert client.post(detail).status_code == 302
    report.refresh_from_db()
    assert report.acknowledged_by == office
    assert client.post(detail).status_code == 409


def test_others_do_not_see_reports(client, make_user, staff, staff_file):
    report = submit_report(staff, staff_file, kind="ad_hoc", matters=[MATTER])
    client.force_login(make_user("colleague", roles=[Role.STAFF]))
    assert client.get(reverse("personnel:report_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("personnel:file_reports", args=[staff_file.pk])).status_code == 404
