"""Obligation rule `personnel.annual_report` (rule P7): from 1 December every person in post
without the year's annual report, due 31 December, on the person's login."""

from datetime import date

import pytest

from baomi.core.labels import Category
from baomi.core.testing.factories import PersonFactory
from baomi.obligations.registry import Severity, get_rule
from baomi.personnel.choices import FileState
from baomi.personnel.models import MajorMatterReport, PersonnelFile
from baomi.personnel.rules import annual_report

from . import reports_support as support

office, staff, staff_file = support.office, support.staff, support.staff_file
pytestmark = pytest.mark.django_db


def subjects(today):
    return {row["subject_id"]: row for row in annual_report(today)}


@pytest.mark.rule("P7")
def test_registered():
    rule = get_rule("personnel.annual_report")
    assert rule is not None and rule.rule_id == "P7"


@pytest.mark.rule("P7")
def test_boundary_1_december(staff, staff_file):
    assert subjects(date(2026, 11, 30)) == {}
    rows = subjects(date(2026, 12, 1))
    row = rows[staff_file.pk]
    assert row["due_date"] == date(2026, 12, 31)
    assert row["responsible_id"] == staff.pk
    assert row["severity"] == Severity.WARNING
    assert subjects(date(2026, 12, 31))[staff_file.pk]["severity"] == Severity.CRITICAL


@pytest.mark.rule("P7")
def test_filed_report_closes_it(staff, staff_file):
    MajorMatterReport.objects.create(person=staff.person, file=staff_file, kind="annual",
                                     year=2026, is_zero=True, submitted_by=staff)
    assert subjects(date(2026, 12, 1)) == {}
    # last year's report or an ad hoc report does not count
    assert staff_file.pk in subjects(date(2027, 12, 1))


@pytest.mark.rule("P7")
def test_ad_hoc_does_not_count_and_only_in_post(staff, staff_file, unit):
    MajorMatterReport.objects.create(person=staff.person, file=staff_file, kind="ad_hoc",
                                     matters=[support.MATTER], submitted_by=staff)
    no_login = PersonFactory(unit=unit, category=Category.GENERAL)
    without_user = PersonnelFile.objects.create(person=no_login, unit=unit,
                                                category=Category.GENERAL,
                                                state=FileState.IN_POST)
    proposed = PersonnelFile.objects.create(person=PersonFactory(unit=unit), unit=unit)
    rows = subjects(date(2026, 12, 1))
    assert staff_file.pk in rows
    assert rows[without_user.pk]["responsible_id"] is None
    assert proposed.pk not in rows
