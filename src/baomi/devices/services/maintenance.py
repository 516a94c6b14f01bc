"""Writes of the maintenance of classified devices (rule D7).

A repair is asked for by the device's responsible person, the head of its department or the
保密办: in the unit by its own staff or on site by an outside engineer — both under a named
supervisor of the unit cleared for the device's level — or, when it cannot be helped, sent out.
Every request goes to the chain `approvals.chains.device_maintenance` (a device sent out:
`device_maintenance_sent_out`, which adds 单位领导 from 机密 up); request type
`device_maintenance`. Then the 保密办 records the steps: the disk removed and where it is
kept, the device leaving (refused while its disk is not recorded as removed) and the repair
done — a device sent out is back in use on the day it returns.

Every write checks access and the rule against the locked rows, moves states with a
compare-and-set and records its audit event in one transaction: a refused action leaves
nothing behind, and of two concurrent actions exactly one wins.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Person
from baomi.audit.services import record_event
from baomi.core.errors import AccessDenied, Conflict, NotFound, RuleViolation
from baomi.core.transitions import table

from ..choices import DeviceState, MaintenanceMode, MaintenanceState
from ..models import Device, Maintenance, Retirement
from ..models.lifecycle import OPEN_MAINTENANCE, OPEN_RETIREMENT
from ..selectors import devices_visible_to, manages_devices
from ..selectors_lifecycle import may_ask_for
from .common import (
    choice,
    invalid,
    iso,
    locked_row,
    not_office,
    past_date,
    person_of,
    refresh,
    require_cleared,
    require_user,
    stored,
    text,
)
from .locks import require_unlocked

FAULT_MAX = 500
REPAIRER_MAX = 200
KEPT_AT_MAX = 200
RESULT_MAX = 500
REASON_MAX = 500
# rule D7: repaired in the unit or on site, someone of the unit watches.
SUPERVISED = frozenset({MaintenanceMode.IN_HOUSE, MaintenanceMode.ON_SITE})


def _leaves(maintenance: Maintenance) -> None:
    """Only a device sent out leaves the unit."""
    if maintenance.mode != MaintenanceMode.SENT_OUT:
        raise Conflict(_("This device is repaired in the unit; it does not leave."),
                       code="not_sent_out")


def _stays(maintenance: Maintenance) -> None:
    """A device sent out is repaired once it has left."""
    if maintenance.mode == MaintenanceMode.SENT_OUT:
        raise Conflict(_("This device is sent out for repair; record it leaving first."),
                       code="not_left")


M = MaintenanceState
MAINTENANCE = table("state", [
    (M.REQUESTED, M.APPROVED, None),   # the chain approved (rule D7)
    (M.REQUESTED, M.REJECTED, None),
    (M.REQUESTED, M.WITHDRAWN, None),
    (M.APPROVED, M.WITHDRAWN, None),   # not repaired after all, before it left
    (M.APPROVED, M.AWAY, _leaves),     # sent out, its disk removed first (rule D7)
    (M.APPROVED, M.DONE, _stays),      # repaired in the unit or on site
    (M.AWAY, M.DONE, None),            # back from the repairer
])
DEVICE = table("state", [
    (DeviceState.IN_USE, DeviceState.AWAY, None),
    (DeviceState.IDLE, DeviceState.AWAY, None),
    (DeviceState.AWAY, DeviceState.IN_USE, None),
])


# --- access and locks -------------------------------------------------------------------------


def _visible_device(actor: Any, device: Any) -> Device:
    """A device the actor sees (rule L5); NotFound for anything else."""
    require_user(actor)
    if not isinstance(device, Device) or device.pk is None \
            or not devices_visible_to(actor).filter(pk=device.pk).exists():
        raise NotFound()
    return device


def require_may_ask(actor: Any, obj: Any) -> None:
    """The 保密办, the head of the department or the responsible person asks."""
    if not may_ask_for(actor, obj):
        raise AccessDenied(_("Only the secrecy office, the head of its department or its "
                             "responsible person can ask for this."), code="not_responsible")


def _locked_device(pk: int) -> Device:
    """The device row, locked for this transaction (PostgreSQL; SQLite serialises writers)."""
    return Device.objects.select_for_update(of=("self",)).select_related(
        "unit", "responsible").get(pk=pk)


def _locked(maintenance: Any) -> Maintenance:
    return locked_row(Maintenance.objects.select_related("device", "supervisor", "request"),
                      maintenance)


def _current(actor: Any, maintenance: Any) -> Maintenance:
    """The maintenance as stored, when the actor sees its device (rule L5) or asked for it."""
    from ..selectors_lifecycle import maintenances_visible_to

    require_user(actor)
    return stored(maintenances_visible_to(actor).select_related("device", "request"),
                  maintenance)


def _office_maintenance(actor: Any, maintenance: Any) -> Maintenance:
    """A maintenance of a device the actor keeps as the 保密办 of its unit."""
    current = _current(actor, maintenance)
    if not manages_devices(actor, current.device.unit_id):
        raise not_office()
    return current


def _maintenance_open() -> Conflict:
    return Conflict(_("A maintenance of this device is already open."),
                    code="maintenance_open")


def _requested_on(maintenance: Maintenance) -> dt.date:
    return timezone.localdate(maintenance.created_at)


def _not_before(day: dt.date, earliest: dt.date | None, field: str, code: str) -> None:
    if earliest is not None and day < earliest:
        raise invalid(field, _("The date cannot be before %(day)s.") % {
            "day": earliest.isoformat()}, code=code)


# --- rules ------------------------------------------------------------------------------------


def _require_supervisor(device: Device, mode: str, supervisor: Person | None) -> None:
    """rule D7: a repair in the unit or on site is watched by a named supervisor of the unit,
    cleared for the device's level (an outside engineer never works on it alone)."""
    if mode in SUPERVISED and supervisor is None:
        message = _("Name the person of the unit who supervises the repair.")
        raise RuleViolation(message, code="supervisor_required", rule="D7",
                            fields={"supervisor": message})
    if supervisor is not None:
        require_cleared(supervisor, int(device.level), "supervisor", rule="D7")


def _require_no_retirement(device: Device) -> None:
    if Retirement.objects.filter(device_id=device.pk, state__in=OPEN_RETIREMENT).exists():
        raise Conflict(_("This device is being retired; it is not repaired any more."),
                       code="retirement_open")


def check_maintenance(maintenance: Maintenance) -> None:
    """The rules of `request_maintenance` again, as they stand now (every (re)submission and
    the decision)."""
    device = maintenance.device
    require_unlocked(device)  # rule D8
    _require_supervisor(device, maintenance.mode, maintenance.supervisor)  # rule D7


def maintenance_values(maintenance: Maintenance) -> dict[str, Any]:
    return {"device": maintenance.device_id, "mode": maintenance.mode,
            "fault": maintenance.fault, "repairer": maintenance.repairer,
            "supervisor": maintenance.supervisor_id, "state": maintenance.state}


# --- request and decision ---------------------------------------------------------------------


def request_maintenance(actor: Any, device: Device, *, mode: str, fault: str, repairer: str,
                        supervisor: Person | None = None) -> Maintenance:
    """rule D7: ask to repair a device — in the unit or on site under a named `supervisor`
    cleared for its level (`supervisor_required`, `clearance`), or sent out (then its disk is
    removed before it leaves). Asked by the device's responsible person, its department head
    or the 保密办; one open maintenance per device (`maintenance_open`); a retired device is
    locked (`locked`). The request `device_maintenance` goes to the approvals chain."""
    mode = choice(mode, MaintenanceMode.values, "mode")
    fault = text(fault, "fault", FAULT_MAX)
    repairer = text(repairer, "repairer", REPAIRER_MAX)
    device = _visible_device(actor, device)
    require_may_ask(actor, device)
    person = None if supervisor is None else person_of(device.unit_id, supervisor,
                                                       "supervisor")
    with transaction.atomic():
        fresh = _locked_device(device.pk)
        require_unlocked(fresh)  # rule D8
        _require_supervisor(fresh, mode, person)  # rule D7
        _require_no_retirement(fresh)
        if Maintenance.objects.filter(device=fresh, state__in=OPEN_MAINTENANCE).exists():
            raise _maintenance_open()
        try:
            with transaction.atomic():
                maintenance = Maintenance.objects.create(
                    device=fresh, mode=mode, fault=fault, repairer=repairer,
                    supervisor=person, created_by=actor)
        except IntegrityError:  # maintenance_one_open: a concurrent request won
            raise _maintenance_open() from None
        maintenance.request = _submit(actor, maintenance)
        Maintenance.objects.filter(pk=maintenance.pk).update(request=maintenance.request)
        record_event(actor, "DEVICE_MAINTENANCE_REQUESTED", maintenance, after={
            **maintenance_values(maintenance), "request": maintenance.request.pk})
    return maintenance


def _submit(actor: Any, maintenance: Maintenance) -> Any:
    from baomi.approvals.services import submit_request

    from ..request_types import DeviceMaintenanceRequest, maintenance_payload

    title = _("%(mode)s: %(number)s") % {"mode": maintenance.get_mode_display(),
                                         "number": maintenance.device.number}
    return submit_request(actor, DeviceMaintenanceRequest.code, title=title[:200],
                          payload=maintenance_payload(maintenance), subject=maintenance)


def conclude_maintenance(actor: Any, maintenance: Maintenance, *,
                         approved: bool) -> Maintenance:
    """The approvals engine decided (request type `device_maintenance`); runs in its
    transaction. Approved, the repair may go ahead; the rules are checked again first."""
    fresh = _locked(maintenance)
    if not approved:
        MAINTENANCE.apply(fresh, M.REJECTED)
        record_event(actor, "DEVICE_MAINTENANCE_REJECTED", fresh, before={"state": M.REQUESTED},
                     after={"state": fresh.state})
        return refresh(maintenance, fresh)
    MAINTENANCE.check(fresh, M.APPROVED)
    fresh.device = _locked_device(fresh.device_id)
    check_maintenance(fresh)  # rules D7, D8 at the decision
    MAINTENANCE.apply(fresh, M.APPROVED)
    record_event(actor, "DEVICE_MAINTENANCE_APPROVED", fresh, before={"state": M.REQUESTED},
                 after={"state": fresh.state})
    return refresh(maintenance, fresh)


def withdraw_maintenance(actor: Any, maintenance: Maintenance, *,
                         reason: str = "") -> Maintenance:
    """Take a maintenance back before the device leaves or is repaired: awaiting approval
    through its request (the requester; the engine calls this back, `on_withdrawn`);
    approved, by its requester or the 保密办."""
    from baomi.approvals.choices import RequestState
    from baomi.approvals.services import withdraw_request

    reason = text(reason, "reason", REASON_MAX, required=False)
    current = _current(actor, maintenance)
    request = current.request
    if current.state == M.REQUESTED and request is not None \
            and request.state in (RequestState.PENDING, RequestState.RETURNED):
        withdraw_request(actor, request, reason=reason or str(_("Maintenance withdrawn")))
        return refresh(maintenance, Maintenance.objects.get(pk=current.pk))
    if actor.pk != current.created_by_id and not manages_devices(actor, current.device.unit_id):
        raise AccessDenied(_("Only the requester or the secrecy office can withdraw it."),
                           code="not_requester")
    with transaction.atomic():
        fresh = _locked(current)
        before = fresh.state
        MAINTENANCE.apply(fresh, M.WITHDRAWN)
        record_event(actor, "DEVICE_MAINTENANCE_WITHDRAWN", fresh, before={"state": before},
                     after={"state": fresh.state}, reason=reason)
    return refresh(maintenance, fresh)


# --- the steps the 保密办 records -------------------------------------------------------------


def record_disk_removed(actor: Any, maintenance: Maintenance, *, removed_on: dt.date,
                        kept_at: str) -> Maintenance:
    """rule D7: the disk of a device to be sent out was taken out on `removed_on` and is kept
    at `kept_at` (a secrecy cabinet of the 保密办, say) — recorded once the maintenance is
    approved, once, before it leaves."""
    current = _office_maintenance(actor, maintenance)
    removed_on = past_date(removed_on, "removed_on")
    kept_at = text(kept_at, "kept_at", KEPT_AT_MAX)
    with transaction.atomic():
        fresh = _locked(current)
        _leaves(fresh)  # rule D7: the disk of a device that leaves
        if fresh.state != M.APPROVED:
            raise Conflict(_("The disk is recorded as removed once the maintenance is approved "
                             "and before the device leaves."), code="not_approved")
        if fresh.disk_removed_on is not None:
            raise Conflict(_("The removal of the disk is already recorded."),
                           code="disk_already_removed")
        _not_before(removed_on, _requested_on(fresh), "removed_on", "before_request")
        updated = Maintenance.objects.filter(
            pk=fresh.pk, state=M.APPROVED, disk_removed_on__isnull=True).update(
            disk_removed_on=removed_on, disk_removed_by=actor, disk_kept_at=kept_at)
        if updated != 1:
            raise Conflict(_("Someone else changed this object at the same time; reload and "
                             "try again."), code="concurrent_change")
        fresh.disk_removed_on, fresh.disk_removed_by, fresh.disk_kept_at = (
            removed_on, actor, kept_at)
        record_event(actor, "DEVICE_DISK_REMOVED", fresh, before={"disk_removed_on": None},
                     after={"disk_removed_on": removed_on.isoformat(), "kept_at": kept_at})
    return refresh(maintenance, fresh)


def send_out(actor: Any, maintenance: Maintenance, *, left_on: dt.date) -> Maintenance:
    """rule D7: the device of an approved maintenance leaves the unit for repair on
    `left_on` — refused while its disk is not recorded as removed (`disk_not_removed`). The
    device is AWAY until it is back. Of two at once, one wins."""
    current = _office_maintenance(actor, maintenance)
    left_on = past_date(left_on, "left_on")
    with transaction.atomic():
        fresh = _locked(current)
        MAINTENANCE.check(fresh, M.AWAY)
        if fresh.disk_removed_on is None:  # rule D7: the disk stays in the unit
            message = _("Record the removal of the disk before the device leaves.")
            raise RuleViolation(message, code="disk_not_removed", rule="D7",
                                fields={"left_on": message})
        _not_before(left_on, fresh.disk_removed_on, "left_on", "before_disk_removed")
        device = _locked_device(fresh.device_id)
        require_unlocked(device)  # rule D8
        before = device.state
        DEVICE.apply(device, DeviceState.AWAY, updated_at=timezone.now())
        MAINTENANCE.apply(fresh, M.AWAY, left_on=left_on)
        record_event(actor, "DEVICE_SENT_FOR_REPAIR", fresh, before={"state": M.APPROVED},
                     after={"state": fresh.state, "left_on": left_on.isoformat(),
                            "device_state": {"before": before, "after": device.state}})
    return refresh(maintenance, fresh)


def _repair_days(fresh: Maintenance, done_on: dt.date, back_on: dt.date | None
                 ) -> dt.date | None:
    """A device sent out comes back on `back_on`, repaired between leaving and coming back;
    one repaired in the unit has no day it came back."""
    if fresh.mode != MaintenanceMode.SENT_OUT:
        if back_on is not None:
            raise invalid("back_on", _("Only a device sent out comes back."),
                          code="not_sent_out")
        _not_before(done_on, _requested_on(fresh), "done_on", "before_request")
        return None
    if back_on is None:
        raise invalid("back_on", _("Enter the date the device came back."),
                      code="back_on_required")
    _not_before(back_on, fresh.left_on, "back_on", "before_left")
    _not_before(done_on, fresh.left_on, "done_on", "before_left")
    if done_on > back_on:
        raise invalid("done_on", _("The repair cannot be after the device came back."),
                      code="after_back")
    return back_on


def record_repaired(actor: Any, maintenance: Maintenance, *, done_on: dt.date, result: str,
                    back_on: dt.date | None = None) -> Maintenance:
    """The repair is done (`result` says what was done): in the unit or on site, once
    approved; sent out, once it is back on `back_on` — then the device is in use again."""
    current = _office_maintenance(actor, maintenance)
    done_on = past_date(done_on, "done_on")
    back_on = None if back_on is None else past_date(back_on, "back_on")
    result = text(result, "result", RESULT_MAX)
    with transaction.atomic():
        fresh = _locked(current)
        MAINTENANCE.check(fresh, M.DONE)
        back_on = _repair_days(fresh, done_on, back_on)
        before = fresh.state
        after: dict[str, Any] = {"done_on": done_on.isoformat(), "result": result,
                                 "back_on": iso(back_on)}
        if back_on is not None:
            device = _locked_device(fresh.device_id)
            DEVICE.apply(device, DeviceState.IN_USE, updated_at=timezone.now())
            after["device_state"] = {"before": DeviceState.AWAY, "after": device.state}
        MAINTENANCE.apply(fresh, M.DONE, done_on=done_on, result=result, back_on=back_on)
        record_event(actor, "DEVICE_REPAIRED", fresh, before={"state": before},
                     after={"state": fresh.state, **after})
    return refresh(maintenance, fresh)


def open_maintenance(device: Device) -> Maintenance | None:
    """The device's maintenance not yet closed, if any."""
    return Maintenance.objects.filter(device_id=device.pk, state__in=OPEN_MAINTENANCE).first()
