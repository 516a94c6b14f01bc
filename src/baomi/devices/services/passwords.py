"""Passwords of classified devices (rule D6): the 保密办 or the device's responsible person
records that the password was changed. The password itself never reaches the system — only
the day, its length and how many character classes it mixes, checked against the policy of
the device's unit for its level (`devices.password.min_length.<level>`,
`devices.password.change_days.<level>`).
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.audit.services import record_event
from baomi.core.errors import AccessDenied, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level
from baomi.core.policy import policy_of

from ..models import Device
from ..selectors import devices_visible_to, manages_devices
from . import common
from .common import invalid, refresh, require_user
from .locks import is_locked, require_unlocked

# rule D6: upper case, lower case, digits and symbols.
CLASSES_REQUIRED = 4
LENGTH_MAX = 256
# The policy keys carry the level in their name.
LEVEL_KEY = {Level.SECRET: "secret", Level.CONFIDENTIAL: "confidential",
             Level.TOP_SECRET: "top_secret"}


def min_length_key(level: int) -> str:
    return f"devices.password.min_length.{LEVEL_KEY[Level(level)]}"


def change_days_key(level: int) -> str:
    return f"devices.password.change_days.{LEVEL_KEY[Level(level)]}"


def is_classified(device: Device) -> bool:
    return int(device.level) > Level.NONSECRET


def password_rules(device: Device) -> dict[str, int]:
    """The minimum length and the change interval (days) for a classified device."""
    policy = policy_of(device.unit)
    return {"min_length": int(policy[min_length_key(device.level)]),
            "change_days": int(policy[change_days_key(device.level)])}


def password_due_on(device: Device, change_days: int | None = None) -> dt.date | None:
    """rule D6: the day the next change is due — from the day it came into use when none is
    recorded; None for a 非密 device."""
    if not is_classified(device):
        return None
    if device.password_changed_on is None:
        return device.in_use_on
    days = change_days if change_days is not None else password_rules(device)["change_days"]
    return device.password_changed_on + dt.timedelta(days=days)


# --- input and access --------------------------------------------------------------------------


def _number(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise invalid(field, _("Enter a whole number from %(low)s to %(high)s.")
                      % {"low": low, "high": high})
    return value


def _changed_on(device: Device, value: Any) -> dt.date:
    """Not in the future, not before the device came into use."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise invalid("changed_on", _("Enter a valid date."))
    if value > common.today():
        raise invalid("changed_on", _("The date cannot be in the future."), code="future_date")
    if value < device.in_use_on:
        raise invalid("changed_on", _("The date cannot be before the device came into use."),
                      code="before_in_use")
    return value


def may_record_password(user: Any, device: Device) -> bool:
    """The 保密办 of the device's unit or its responsible person; nobody for a retired
    device (rule D8)."""
    person_id = getattr(user, "person_id", None)
    return not is_locked(device) and (manages_devices(user, device.unit_id) or (
        person_id is not None and person_id == device.responsible_id))


def _recordable_device(actor: Any, device: Any) -> Device:
    """A device the actor sees (NotFound otherwise, rule L5) and may record for."""
    require_user(actor)
    if not isinstance(device, Device) or device.pk is None \
            or not devices_visible_to(actor).filter(pk=device.pk).exists():
        raise NotFound()
    require_unlocked(device)  # rule D8
    if not may_record_password(actor, device):
        raise AccessDenied(_("Only the secrecy office or the device's responsible person can "
                             "do this."), code="not_office_or_responsible")
    return device


def _require_strong(rules: dict[str, int], length: int, classes: int) -> None:
    if length < rules["min_length"]:  # rule D6: minimum length for the device's level
        message = _("The password must have at least %(count)s characters for this level.") \
            % {"count": rules["min_length"]}
        raise RuleViolation(message, code="password_too_short", rule="D6",
                            fields={"length": message})
    if classes < CLASSES_REQUIRED:  # rule D6: all four character classes
        message = _("The password must mix upper case, lower case, digits and symbols.")
        raise RuleViolation(message, code="password_classes", rule="D6",
                            fields={"classes": message})


def _not_classified() -> InvalidInput:
    message = _("A non-secret device needs no password record.")
    return InvalidInput(message, code="not_classified", fields={"changed_on": message})


# --- the write ----------------------------------------------------------------------------------


def record_password_change(actor: Any, device: Device, *, changed_on: dt.date, length: int,
                           classes: int) -> Device:
    """rule D6: the password of a classified device was changed on `changed_on` to one of
    `length` characters mixing `classes` of the four character classes. Only these are kept
    and audited — never the password."""
    device = _recordable_device(actor, device)
    length = _number(length, "length", 1, LENGTH_MAX)
    classes = _number(classes, "classes", 1, CLASSES_REQUIRED)
    with transaction.atomic():
        # The row is locked: the level, the day it came into use and the last change are
        # read as they are now, and of two concurrent records the later day stays.
        fresh = Device.objects.select_for_update(of=("self",)).select_related("unit").get(
            pk=device.pk)
        require_unlocked(fresh)  # rule D8, as the row is now
        if not is_classified(fresh):
            raise _not_classified()
        changed_on = _changed_on(fresh, changed_on)
        _require_strong(password_rules(fresh), length, classes)
        before = {"changed_on": common.iso(fresh.password_changed_on)}
        if fresh.password_changed_on is None or changed_on >= fresh.password_changed_on:
            Device.objects.filter(pk=fresh.pk).update(password_changed_on=changed_on,
                                                      updated_at=timezone.now())
            fresh.password_changed_on = changed_on
        record_event(actor, "DEVICE_PASSWORD_CHANGED", fresh, before=before,
                     after={"changed_on": changed_on.isoformat(), "length": length,
                            "classes": classes})
    return refresh(device, fresh)
