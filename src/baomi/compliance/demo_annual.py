"""Demo annual self-inspection reports (rule Q5) of 华信电子科技研究院: last year's report,
generated on 20 December and filed with the 市保密局 on the 26th; this year's generated and
not yet filed, so the reminder shows until a visitor records it as filed."""

import datetime as dt

from django.utils import timezone

from baomi.accounts.models import Unit
from baomi.core.demo import DemoContext

from . import services_annual
from .models import AnnualReport

FILED_WITH = "市国家保密局"


def _last_year(office: object, unit: Unit, year: int) -> None:
    generated_on = dt.date(year, 12, 20)
    report = services_annual.generate_annual_report(office, unit=unit, year=year,
                                                    today=generated_on)
    # Back-dated as the office generated it that December (the service stamps "now").
    AnnualReport.objects.filter(pk=report.pk).update(generated_at=timezone.make_aware(
        dt.datetime.combine(generated_on, dt.time(10, 30))))
    report.refresh_from_db()
    services_annual.file_annual_report(office, report, filed_on=dt.date(year, 12, 26),
                                       filed_to=FILED_WITH, today=dt.date(year, 12, 26))


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("baomiban")
    if office is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if AnnualReport.objects.filter(unit=unit).exists():
        ctx.say("compliance: demo annual reports already there")
        return
    today = timezone.localdate()
    _last_year(office, unit, today.year - 1)
    services_annual.generate_annual_report(office, unit=unit, year=today.year)
    ctx.say(f"compliance: annual self-inspection reports — {today.year - 1} filed with "
            f"{FILED_WITH}, {today.year} generated, not yet filed")
