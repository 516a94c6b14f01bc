"""The lock of retired devices and media (rule D8) and the limits of a device away for repair
(rule D7), checked by every service that writes on a device or a medium.

A retired device or medium stays on its ledger for the record but nothing changes it any
more: each write refuses it with the code `locked`. A device away for repair has left the unit
with its disk removed; no medium is bound to it (`away`), while its users and its
responsible person may still change. Callers pass the row they locked, so the state checked is
the state written against.
"""

from typing import Any

from django.utils.translation import gettext as _

from baomi.core.errors import RuleViolation

from ..choices import LOCKED_DEVICE_STATES, DeviceState, MediumState
from ..models import Device, Medium

LOCKED_MEDIUM_STATES = frozenset({MediumState.RETIRED})
# States only a maintenance (AWAY, rule D7) or a retirement (RETIRED, rule D8) sets.
LIFECYCLE_STATES = frozenset({DeviceState.AWAY, DeviceState.RETIRED})


def is_locked(obj: Any) -> bool:
    """Whether a device or medium is retired (rule D8)."""
    if isinstance(obj, Device):
        return obj.state in LOCKED_DEVICE_STATES
    if isinstance(obj, Medium):
        return obj.state in LOCKED_MEDIUM_STATES
    return False


def require_unlocked(obj: Device | Medium, field: str | None = None) -> None:
    """rule D8: a retired device or medium is locked — no write changes it any more."""
    if not is_locked(obj):
        return
    if isinstance(obj, Device):
        message = _("%(number)s is retired; a retired device is locked.") % {
            "number": obj.number}
    else:
        message = _("%(number)s is retired; a retired medium is locked.") % {
            "number": obj.number}
    raise RuleViolation(message, code="locked", rule="D8",
                        fields={field: message} if field else None)


def require_not_away(device: Device, field: str | None = None) -> None:
    """rule D7: a device away for repair has left the unit without its disk; no medium is
    bound to it until it is back."""
    if device.state != DeviceState.AWAY:
        return
    message = _("%(number)s is away for repair.") % {"number": device.number}
    raise RuleViolation(message, code="away", rule="D7",
                        fields={field: message} if field else None)


def require_state_by_ledger(current: str, wanted: str) -> None:
    """rules D7, D8: a device goes away and comes back only through its maintenance, and
    retires only through its retirement; the ledger form keeps such a state as it is."""
    if wanted == current or (wanted not in LIFECYCLE_STATES and current not in LIFECYCLE_STATES):
        return
    message = _("A device leaves for repair, comes back or retires only through its "
                "maintenance or retirement.")
    raise RuleViolation(message, code="lifecycle_state", rule="D7",
                        fields={"state": message})
