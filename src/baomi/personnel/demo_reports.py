"""Demo 重大事项报告 (rule P7): two zero annual reports and one acknowledged ad hoc report."""

from datetime import timedelta

from django.utils import timezone

from baomi.core.demo import DemoContext

from .models import MajorMatterReport, PersonnelFile
from .services.reports import acknowledge_report, submit_report


def load(context: DemoContext) -> None:
    office = context.users["baomiban"]
    if MajorMatterReport.objects.filter(file__unit_id=office.person.unit_id).exists():
        context.say("personnel: demo reports already loaded")
        return
    today = timezone.localdate()
    files = list(PersonnelFile.objects.filter(unit_id=office.person.unit_id, state="in_post")
                 .order_by("pk")[:2])
    if len(files) < 2:
        return
    submit_report(office, files[0], kind="annual", year=today.year, is_zero=True)
    report = submit_report(office, files[1], kind="ad_hoc", matters=[{
        "category": "private_travel", "description": "春节赴泰国探亲（因私，已按规定审批）",
        "date": today - timedelta(days=30)}])
    acknowledge_report(office, report)
    context.say("personnel: 2 major personal matters reports")
