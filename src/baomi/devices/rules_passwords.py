"""Obligation rule of device passwords (rule D6): each classified device in use has its
password changed within the interval of its level (policy `devices.password.change_days.*`).
One query per group of units sharing those intervals; Python only turns rows into
obligations."""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baomi.core.labels import Level
from baomi.core.policy import units_by_policy
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .choices import DeviceState
from .models import Device
from .services.passwords import LEVEL_KEY, change_days_key

SUBJECT = "devices.device"
FIELDS = ("id", "number", "unit_id", "level", "in_use_on", "password_changed_on",
          "responsible__name", "responsible__user__id")
LEVELS = tuple(LEVEL_KEY)


def _due(device: dict[str, Any], days: dict[int, int]) -> date:
    changed = device["password_changed_on"]
    if changed is None:  # never recorded: due from the day it came into use
        return device["in_use_on"]  # type: ignore[no-any-return]
    return changed + timedelta(days=days[device["level"]])  # type: ignore[no-any-return]


def _row(device: dict[str, Any], due: date) -> ObligationRow:
    return {
        "subject_type": SUBJECT,
        "subject_id": device["id"],
        "subject_label": f"{device['number']} · {device['responsible__name']}"[:200],
        "unit_id": device["unit_id"],
        # The responsible person changes it; one without a login leaves it to the 保密办.
        "responsible_id": device["responsible__user__id"],
        "due_date": due,
        "severity": Severity.CRITICAL,
        "level": int(device["level"]),  # rule L5: shown only to those cleared for it
    }


def _overdue_q(today: date, days: dict[int, int]) -> Q:
    """Never recorded, or last changed before today minus the days of the level."""
    overdue = Q(password_changed_on__isnull=True, level__gt=Level.NONSECRET)
    for level, interval in days.items():
        overdue |= Q(level=level, password_changed_on__lt=today - timedelta(days=interval))
    return overdue


@obligation_rule("devices.password_change_due", "D6",
                 _("Change the password of a classified device"))
def password_change_due(today: date) -> Iterator[ObligationRow]:
    """rule D6: a classified device in use whose password was never recorded as changed, or
    last changed more than the policy days of its level ago (due on the changed day plus
    those days; still in time on the due day itself)."""
    keys = [change_days_key(level) for level in LEVELS]
    for values, unit_ids in units_by_policy(*keys).items():
        days = {int(level): int(value) for level, value in zip(LEVELS, values, strict=True)}
        devices = Device.objects.filter(_overdue_q(today, days), unit_id__in=unit_ids,
                                        state=DeviceState.IN_USE)
        for device in devices.values(*FIELDS).iterator(chunk_size=5000):
            yield _row(device, _due(device, days))
