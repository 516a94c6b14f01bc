"""The demo annual reports (rule Q5): last year's filed and archived, this year's generated and
not filed, so the reminder is open from November; a second load adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from baomi.compliance.models import AnnualReport
from baomi.obligations.models import Obligation


@pytest.mark.rule("Q5")
@pytest.mark.django_db(transaction=True)
def test_demo_annual_reports_load_once():
    call_command("demo", stdout=StringIO())
    year = timezone.localdate().year
    reports = {report.year: report for report in AnnualReport.objects.all()}
    assert set(reports) == {year - 1, year}
    assert reports[year - 1].state == "filed" and reports[year - 1].filed_to
    assert reports[year].state == "generated"
    assert reports[year].figures["carriers"]["by_level_state"]
    reminders = Obligation.objects.filter(rule_code="compliance.annual_report_due",
                                          state="open")
    assert reminders.exists() == (timezone.localdate().month >= 11)
    call_command("demo", stdout=StringIO())
    assert AnnualReport.objects.count() == 2
