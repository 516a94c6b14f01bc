"""The check tool's demo (rule D11): a keyword list, two profiles, a clean report of a 非涉密
computer, one with a 机密 document and keyword hits (two rectifications) and one attached to a
demo device's check; a second load adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from baomi.core.demo import DemoContext
from baomi.scans import demo
from baomi.scans.models import KeywordList, ScanProfile, ScanReport


@pytest.mark.rule("D11")
@pytest.mark.django_db(transaction=True)
def test_demo_loads_once():
    call_command("demo", stdout=StringIO())
    keywords = KeywordList.objects.get()
    assert 50 <= len(keywords.term_list) <= 70
    assert set(ScanProfile.objects.values_list("name", flat=True)) == {"unclassified", "classified"}
    reports = {r.device_number: r for r in ScanReport.objects.all()}
    assert reports["HXDZ-FM-017"].is_clean and reports["HXDZ-FM-017"].device is None
    marked = reports["HXDZ-FM-023"]
    assert marked.highest_level == 2 and marked.rectifications.count() == 2
    attached = reports["HXDZ-JSJ-001"]
    assert attached.check_record is not None and attached.check_record.report is not None
    assert attached.profile == "classified"
    counts = (KeywordList.objects.count(), ScanProfile.objects.count(), ScanReport.objects.count())
    office = keywords.updated_by
    demo.load(DemoContext(out=StringIO(), users={"baomiban": office}))
    assert (KeywordList.objects.count(), ScanProfile.objects.count(),
            ScanReport.objects.count()) == counts
