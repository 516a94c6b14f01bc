"""Obligation rule of the usage log (rule D5): every classified computer in use has its book
for the current year. One query (NOT EXISTS over the books); Python only turns rows into
obligations."""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from baomi.core.calendar import WorkingDay, add_working_days
from baomi.core.labels import Level
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .choices import FAMILY, DeviceFamily, DeviceState
from .models import Device, UsageBook

SUBJECT = "devices.device"
FIELDS = ("id", "number", "unit_id", "level", "in_use_on", "responsible__name",
          "responsible__user__id")
COMPUTER_KINDS = [str(kind) for kind, family in FAMILY.items() if family == DeviceFamily.COMPUTER]


def first_working_day(year: int) -> WorkingDay:
    return add_working_days(date(year, 1, 1) - timedelta(days=1), 1)


def _row(device: dict[str, Any], due: WorkingDay) -> ObligationRow:
    # A computer that came into use during the year needs its book from that day.
    due_date = max(due.date, device["in_use_on"])
    return {
        "subject_type": SUBJECT,
        "subject_id": device["id"],
        "subject_label": f"{device['number']} · {device['responsible__name']}"[:200],
        "unit_id": device["unit_id"],
        # The responsible person opens it; one without a login leaves it to the 保密办.
        "responsible_id": device["responsible__user__id"],
        "due_date": due_date,
        "severity": Severity.WARNING,
        "estimated": due.estimated and due_date == due.date,
        "level": int(device["level"]),  # rule L5: shown only to those cleared for it
    }


@obligation_rule("devices.usage_book_missing", "D5",
                 _("Open this year's usage-log book of a classified computer"))
def usage_book_missing(today: date) -> Iterator[ObligationRow]:
    """rule D5: a classified computer in use without a usage-log book for the current year,
    due on the first working day of the year (or the day it came into use, if later)."""
    this_year = UsageBook.objects.filter(device_id=OuterRef("pk"), year=today.year)
    devices = Device.objects.filter(~Exists(this_year), state=DeviceState.IN_USE,
                                    level__gt=Level.NONSECRET, kind__in=COMPUTER_KINDS)
    due = first_working_day(today.year)
    for device in devices.values(*FIELDS).iterator(chunk_size=5000):
        yield _row(device, due)
