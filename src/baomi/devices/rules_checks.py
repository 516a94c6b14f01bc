"""Obligation rules of device checks (rule D11), one set-based query each (per group of units
sharing the policy values):

- `devices.check_due`: every classified computer in use is checked at least every
  `devices.check_months` months, counted from its last check (from the day it came into use
  when never checked) — a warning from SOON_DAYS before the due day, critical after it.
- `devices.check_unsigned`: a check still missing a signature of the checker, the user or the
  department head `devices.check_sign_days` days after it (a warning).
- `devices.finding_overdue`: an open rectification item past its due day (critical), for its
  owner.
"""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from baomi.core.calendar import add_months
from baomi.core.labels import Level
from baomi.core.policy import units_by_policy
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .choices import FAMILY, LOCKED_DEVICE_STATES, DeviceFamily, DeviceState, FindingState
from .models import CheckFinding, Device, DeviceCheck
from .selectors_checks import latest_check_day
from .services.checks import (
    CHECK_MONTHS_KEY,
    SIGN_DAYS_KEY,
    SIGNATURES,
    check_due_after,
)

# rule D11 (seed 000 吉林 §11): the periodic checks are of classified computers.
COMPUTERS = [kind for kind, family in FAMILY.items() if family == DeviceFamily.COMPUTER]
# Shown on the dashboard this many days before the due day (a warning), critical after it.
SOON_DAYS = 30
# add_months clamps to the month's end: the SQL bound is a few days loose, Python is exact.
SLACK_DAYS = 4
DEVICE_FIELDS = ("id", "number", "unit_id", "level", "in_use_on", "last_checked_on")


def _device_row(device: dict[str, Any], due: date, today: date) -> ObligationRow:
    return {
        "subject_type": "devices.device",
        "subject_id": device["id"],
        "subject_label": str(device["number"])[:200],
        "unit_id": device["unit_id"],
        "responsible_id": None,  # the 保密办 arranges the check
        "due_date": due,
        "severity": Severity.CRITICAL if due < today else Severity.WARNING,
        "level": int(device["level"]),  # rule L5: shown only to those cleared for it
    }


@obligation_rule("devices.check_due", "D11", _("Check a classified computer"))
def check_due(today: date) -> Iterator[ObligationRow]:
    """rule D11: due `devices.check_months` months after the last check; the due day itself is
    still in time."""
    horizon = today + timedelta(days=SOON_DAYS)
    for (months,), unit_ids in units_by_policy(CHECK_MONTHS_KEY).items():
        bound = add_months(horizon, -int(months)) + timedelta(days=SLACK_DAYS)
        devices = (Device.objects.filter(unit_id__in=unit_ids, state=DeviceState.IN_USE,
                                         kind__in=COMPUTERS, level__gt=Level.NONSECRET)
                   .annotate(last_checked_on=latest_check_day())
                   .annotate(base=Coalesce("last_checked_on", "in_use_on"))
                   .filter(base__lte=bound))
        for device in devices.values(*DEVICE_FIELDS).iterator(chunk_size=5000):
            due = check_due_after(device["last_checked_on"], device["in_use_on"], int(months))
            if due <= horizon:
                yield _device_row(device, due, today)


@obligation_rule("devices.check_unsigned", "D11",
                 _("Have a device check signed by the checker, the user and the department head"))
def check_unsigned(today: date) -> Iterator[ObligationRow]:
    """rule D11: due `devices.check_sign_days` days after the check; raised the day after."""
    for (days,), unit_ids in units_by_policy(SIGN_DAYS_KEY).items():
        checks = (DeviceCheck.objects
                  .filter(device__unit_id__in=unit_ids,
                          checked_on__lt=today - timedelta(days=int(days)))
                  .exclude(device__state__in=LOCKED_DEVICE_STATES)
                  .annotate(signed=Count("sign_offs"))
                  .filter(signed__lt=len(SIGNATURES))
                  .values("id", "checked_on", "device__number", "device__unit_id",
                          "device__level"))
        for check in checks.iterator(chunk_size=5000):
            yield {
                "subject_type": "devices.devicecheck",
                "subject_id": check["id"],
                "subject_label": f"{check['device__number']} · {check['checked_on']}"[:200],
                "unit_id": check["device__unit_id"],
                "responsible_id": None,  # the 保密办 collects the signatures
                "due_date": check["checked_on"] + timedelta(days=int(days)),
                "severity": Severity.WARNING,
                "level": int(check["device__level"]),
            }


@obligation_rule("devices.finding_overdue", "D11",
                 _("Rectify an item found at a device check"))
def finding_overdue(today: date) -> Iterator[ObligationRow]:
    """An open rectification item past its due day; the due day itself is still in time."""
    findings = (CheckFinding.objects.filter(state=FindingState.OPEN, due_on__lt=today)
                .values("id", "description", "due_on", "owner__user__id",
                        "check_record__device__number", "check_record__device__unit_id",
                        "check_record__device__level"))
    for finding in findings.iterator(chunk_size=5000):
        number = finding["check_record__device__number"]
        yield {
            "subject_type": "devices.checkfinding",
            "subject_id": finding["id"],
            "subject_label": f"{number} · {finding['description']}"[:200],
            "unit_id": finding["check_record__device__unit_id"],
            # The owner puts it right; one without a login leaves it to the 保密办.
            "responsible_id": finding["owner__user__id"],
            "due_date": finding["due_on"],
            "severity": Severity.CRITICAL,
            "level": int(finding["check_record__device__level"]),
        }
