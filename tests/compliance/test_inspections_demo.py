"""The demo inspections (rules Q9, Q10): this year's completed self-assessment with three
rectifications (verified after a failed re-check, awaiting re-check, overdue), last year's
保密局 inspection, a department self-check in draft; a second load adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from baomi.compliance.models import Inspection, Rectification, RectificationCheck
from baomi.compliance.selectors_inspections import inspection_summary
from baomi.obligations.models import Obligation


@pytest.mark.rule("Q10")
@pytest.mark.django_db(transaction=True)
def test_demo_inspections_load_once():
    call_command("demo", stdout=StringIO())
    assessment = Inspection.objects.get(kind="self")
    assert assessment.state == "completed" and assessment.items.filter(
        result="problem").count() == 3
    inspected = Rectification.objects.filter(item__isnull=False)  # the check tool opens others
    states = dict(inspected.values_list("item__code", "state"))
    assert states == {"A03-02": "verified", "A07-03": "done", "A09-02": "open"}
    checks = RectificationCheck.objects.filter(rectification__item__code="A03-02")
    assert list(checks.values_list("passed", flat=True)) == [False, True]
    bureau = Inspection.objects.get(kind="bureau")
    assert (bureau.state, bureau.year) == ("completed", timezone.localdate().year - 1)
    assert Inspection.objects.get(kind="department").state == "draft"
    overdue = Rectification.objects.get(item__code="A09-02")
    assert set(Obligation.objects.filter(rule_code="compliance.rectification_overdue",
                                         state="open").values_list("subject_id", flat=True)
               ) == {overdue.pk}
    summary = inspection_summary(assessment.unit, assessment.year)
    assert (summary["problems"], summary["overdue"], summary["self_assessment_completed"]) \
        == (3, 1, True)
    counts = (Inspection.objects.count(), Rectification.objects.count(),
              RectificationCheck.objects.count())
    call_command("demo", stdout=StringIO())
    assert (Inspection.objects.count(), Rectification.objects.count(),
            RectificationCheck.objects.count()) == counts
