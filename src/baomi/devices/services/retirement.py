"""Writes of the retirement of classified devices and removable media (rule D8).

A device or a medium in store is proposed for retirement by its responsible person, the head
of its department or the 保密办; the chain `approvals.chains.device_retirement` decides
(request type `device_retirement`; 单位领导 too from 机密 up). Approved, it is RETIRED at once
and locked: it stays on its ledger for the record, no service changes it any more, its medium
bindings end and a device leaves its classified systems (its users stay, for the history).
The 保密办 then records the technical processing (信息清除: when, how, by whom) and the
hand-over to the designated destruction body against its certificate — never before the
clearing (`not_cleared`), never to another body than the one the unit's policy designates
(`devices.destruction_body`, `not_designated_body`).

Media and devices are never sold, given away or reused: there is no such path here, only
clearing and destruction.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Unit
from baomi.audit.services import record_event
from baomi.core.errors import AccessDenied, Conflict, NotFound, RuleViolation
from baomi.core.policy import policy_of
from baomi.core.transitions import table

from ..choices import (
    ClearingMethod,
    DeviceState,
    MediumKind,
    MediumState,
    RetirementState,
)
from ..models import ClassifiedSystem, Device, Maintenance, Medium, MediumBinding, Retirement
from ..models.lifecycle import OPEN_MAINTENANCE, OPEN_RETIREMENT
from ..selectors import devices_visible_to, manages_devices, media_visible_to
from . import common
from .common import (
    choice,
    invalid,
    locked_row,
    not_office,
    past_date,
    refresh,
    require_user,
    stored,
    text,
)
from .locks import require_unlocked
from .maintenance import require_may_ask

REASON_MAX = 500
CLEARED_BY_MAX = 200
BODY_MAX = 200
CERTIFICATE_MAX = 100
DESTRUCTION_BODY_KEY = "devices.destruction_body"
# rule D8: an optical disc is destroyed physically; it cannot be degaussed or overwritten.
OPTICAL_METHODS = frozenset({ClearingMethod.SHRED, ClearingMethod.SMELT})

R = RetirementState
RETIREMENT = table("state", [
    (R.REQUESTED, R.APPROVED, None),   # the chain approved: the subject is retired, locked
    (R.REQUESTED, R.REJECTED, None),
    (R.REQUESTED, R.WITHDRAWN, None),
    (R.APPROVED, R.CLEARED, None),     # 信息清除 recorded (rule D8)
    (R.CLEARED, R.DESTROYED, None),    # handed over to the designated body, certificate
])
DEVICE = table("state", [
    (DeviceState.IN_USE, DeviceState.RETIRED, None),
    (DeviceState.IDLE, DeviceState.RETIRED, None),
])
MEDIUM = table("state", [(MediumState.IN_STORE, MediumState.RETIRED, None)])


def designated_body(unit: Unit) -> str:
    """The destruction body the unit's policy designates; "" when any named body will do."""
    return str(policy_of(unit)[DESTRUCTION_BODY_KEY]).strip()


# --- access and locks -------------------------------------------------------------------------


def _subject(actor: Any, device: Any, medium: Any) -> Device | Medium:
    """Exactly one of a device or a medium, seen by the actor (rule L5)."""
    require_user(actor)
    if (device is None) == (medium is None):
        message = _("Name either a device or a medium.")
        raise invalid("device", message, code="one_subject")
    if device is not None:
        if not isinstance(device, Device) or device.pk is None \
                or not devices_visible_to(actor).filter(pk=device.pk).exists():
            raise NotFound()
        return device
    if not isinstance(medium, Medium) or medium.pk is None \
            or not media_visible_to(actor).filter(pk=medium.pk).exists():
        raise NotFound()
    return medium


def subject_of(retirement: Retirement) -> Device | Medium:
    subject = retirement.device if retirement.device_id else retirement.medium
    assert subject is not None  # retirement_device_or_medium
    return subject


def _locked_subject(retirement: Retirement) -> Device | Medium:
    if retirement.device_id is not None:
        return Device.objects.select_for_update(of=("self",)).select_related("unit").get(
            pk=retirement.device_id)
    assert retirement.medium_id is not None  # retirement_device_or_medium
    return Medium.objects.select_for_update(of=("self",)).select_related("unit").get(
        pk=retirement.medium_id)


def _locked(retirement: Any) -> Retirement:
    return locked_row(Retirement.objects.select_related(
        "device__unit", "medium__unit", "request"), retirement)


def _current(actor: Any, retirement: Any) -> Retirement:
    """The retirement as stored, when the actor sees it (rule L5)."""
    from ..selectors_lifecycle import retirements_visible_to

    require_user(actor)
    return stored(retirements_visible_to(actor).select_related("device", "medium", "request"),
                  retirement)


def _office_retirement(actor: Any, retirement: Any) -> Retirement:
    """A retirement the actor sees and keeps as the 保密办 of its unit."""
    current = _current(actor, retirement)
    if not manages_devices(actor, subject_of(current).unit_id):
        raise not_office()
    return current


def _retirement_open() -> Conflict:
    return Conflict(_("A retirement of this device or medium is already open."),
                    code="retirement_open")


# --- rules ------------------------------------------------------------------------------------


def _require_retirable(subject: Device | Medium) -> None:
    """rule D8: a retired subject is locked; a medium is retired from the store (not while
    someone has it), a device not while it is being repaired."""
    require_unlocked(subject)
    if isinstance(subject, Medium):
        if subject.state != MediumState.IN_STORE:
            raise Conflict(_("This medium is not in store; it is retired once it is back."),
                           code="not_in_store")
        return
    if Maintenance.objects.filter(device_id=subject.pk, state__in=OPEN_MAINTENANCE).exists():
        raise Conflict(_("This device has an open maintenance; close it first."),
                       code="under_maintenance")


def check_retirement(retirement: Retirement) -> None:
    """The rules of `request_retirement` again, as they stand now (every (re)submission)."""
    _require_retirable(subject_of(retirement))


def retirement_values(retirement: Retirement) -> dict[str, Any]:
    return {"device": retirement.device_id, "medium": retirement.medium_id,
            "reason": retirement.reason, "state": retirement.state}


# --- request and decision ---------------------------------------------------------------------


def request_retirement(actor: Any, *, device: Device | None = None,
                       medium: Medium | None = None, reason: str) -> Retirement:
    """rule D8: propose a device or a medium (exactly one, `one_subject`) for retirement,
    saying why. Asked by its responsible person, its department head or the 保密办; a medium
    only from the store (`not_in_store`), a device not while it is repaired
    (`under_maintenance`); one open retirement each (`retirement_open`). The request
    `device_retirement` goes to the approvals chain."""
    reason = text(reason, "reason", REASON_MAX)
    subject = _subject(actor, device, medium)
    require_may_ask(actor, subject)
    field = "device_id" if isinstance(subject, Device) else "medium_id"
    with transaction.atomic():
        fresh = (Device if isinstance(subject, Device) else Medium).objects.select_for_update(
            of=("self",)).get(pk=subject.pk)
        _require_retirable(fresh)  # rule D8
        if Retirement.objects.filter(**{field: fresh.pk}, state__in=OPEN_RETIREMENT).exists():
            raise _retirement_open()
        try:
            with transaction.atomic():
                retirement = Retirement.objects.create(
                    **{field: fresh.pk}, reason=reason, created_by=actor)
        except IntegrityError:  # retirement_one_open_*: a concurrent request won
            raise _retirement_open() from None
        retirement = Retirement.objects.select_related("device", "medium").get(
            pk=retirement.pk)
        retirement.request = _submit(actor, retirement)
        Retirement.objects.filter(pk=retirement.pk).update(request=retirement.request)
        record_event(actor, "RETIREMENT_REQUESTED", retirement, after={
            **retirement_values(retirement), "request": retirement.request.pk})
    return retirement


def _submit(actor: Any, retirement: Retirement) -> Any:
    from baomi.approvals.services import submit_request

    from ..request_types import DeviceRetirementRequest, retirement_payload

    title = _("Retirement of %(number)s") % {"number": subject_of(retirement).number}
    return submit_request(actor, DeviceRetirementRequest.code, title=title[:200],
                          payload=retirement_payload(retirement), subject=retirement)


def conclude_retirement(actor: Any, retirement: Retirement, *, approved: bool) -> Retirement:
    """The approvals engine decided (request type `device_retirement`); runs in its
    transaction. Approved: the device or medium is RETIRED and locked at once (rule D8), its
    open medium bindings end, a device leaves its systems; the retirement awaits the
    clearing."""
    fresh = _locked(retirement)
    if not approved:
        RETIREMENT.apply(fresh, R.REJECTED)
        record_event(actor, "RETIREMENT_REJECTED", fresh, before={"state": R.REQUESTED},
                     after={"state": fresh.state})
        return refresh(retirement, fresh)
    RETIREMENT.check(fresh, R.APPROVED)
    subject = _locked_subject(fresh)
    _require_retirable(subject)  # rule D8, at the decision
    _retire(actor, fresh, subject)
    RETIREMENT.apply(fresh, R.APPROVED)
    record_event(actor, "RETIREMENT_APPROVED", fresh, before={"state": R.REQUESTED},
                 after={"state": fresh.state})
    return refresh(retirement, fresh)


def _retire(actor: Any, retirement: Retirement, subject: Device | Medium) -> None:
    """rule D8: lock the subject for good, end its bindings, take a device out of its
    systems; each change audited."""
    before = subject.state
    if isinstance(subject, Device):
        DEVICE.apply(subject, DeviceState.RETIRED, updated_at=timezone.now())
        bindings = MediumBinding.objects.filter(device_id=subject.pk)
    else:
        MEDIUM.apply(subject, MediumState.RETIRED, updated_at=timezone.now())
        bindings = MediumBinding.objects.filter(medium_id=subject.pk)
    unbound = _end_bindings(actor, bindings)
    systems = _leave_systems(actor, subject) if isinstance(subject, Device) else []
    action = "DEVICE_RETIRED" if isinstance(subject, Device) else "MEDIUM_RETIRED"
    record_event(actor, action, subject, before={"state": before},
                 after={"state": subject.state, "retirement": retirement.pk,
                        "unbound": unbound, "systems_left": systems})


def _end_bindings(actor: Any, bindings: Any) -> list[int]:
    """End the open bindings (each audited as an unbinding); their ids."""
    today = common.today()
    ended = []
    for binding in bindings.filter(unbound_on__isnull=True).order_by("id"):
        MediumBinding.objects.filter(pk=binding.pk, unbound_on__isnull=True).update(
            unbound_on=today, unbound_by=actor)
        record_event(actor, "MEDIUM_UNBOUND", binding, before={"unbound_on": None},
                     after={"medium": binding.medium_id, "device": binding.device_id,
                            "unbound_on": today.isoformat()},
                     reason=str(_("Retired")))
        ended.append(binding.pk)
    return ended


def _leave_systems(actor: Any, device: Device) -> list[int]:
    """A retired device processes nothing any more: it leaves its systems (audited on each
    system)."""
    systems = list(ClassifiedSystem.objects.filter(devices=device).order_by("id"))
    for system in systems:
        system.devices.remove(device)
        record_event(actor, "SYSTEM_DEVICE_REMOVED", system,
                     before={"device": device.pk, "number": device.number},
                     reason=str(_("Retired")))
    return [system.pk for system in systems]


def withdraw_retirement(actor: Any, retirement: Retirement, *, reason: str = "") -> Retirement:
    """Take a retirement back while it awaits approval: through its request (the requester;
    the engine calls this back, `on_withdrawn`). Once approved the subject is retired for
    good."""
    from baomi.approvals.choices import RequestState
    from baomi.approvals.services import withdraw_request

    reason = text(reason, "reason", REASON_MAX, required=False)
    current = _current(actor, retirement)
    request = current.request
    if current.state == R.REQUESTED and request is not None \
            and request.state in (RequestState.PENDING, RequestState.RETURNED):
        withdraw_request(actor, request, reason=reason or str(_("Retirement withdrawn")))
        return refresh(retirement, Retirement.objects.get(pk=current.pk))
    if actor.pk != current.created_by_id:
        raise AccessDenied(_("Only the requester can withdraw it."), code="not_requester")
    with transaction.atomic():
        fresh = _locked(current)
        RETIREMENT.apply(fresh, R.WITHDRAWN)
        record_event(actor, "RETIREMENT_WITHDRAWN", fresh, before={"state": R.REQUESTED},
                     after={"state": fresh.state}, reason=reason)
    return refresh(retirement, fresh)


# --- the steps the 保密办 records -------------------------------------------------------------


def _approved_on(retirement: Retirement) -> dt.date | None:
    request = retirement.request
    if request is None or request.decided_at is None:
        return None
    return timezone.localdate(request.decided_at)


def _not_before(day: dt.date, earliest: dt.date | None, field: str, code: str) -> None:
    if earliest is not None and day < earliest:
        raise invalid(field, _("The date cannot be before %(day)s.") % {
            "day": earliest.isoformat()}, code=code)


def _require_method_suits(subject: Device | Medium, method: str) -> None:
    """rule D8: the clearing works on what is cleared — an optical disc is shredded or
    smelted."""
    if isinstance(subject, Medium) and subject.kind == MediumKind.OPTICAL \
            and method not in OPTICAL_METHODS:
        message = _("An optical disc is cleared by shredding or smelting.")
        raise RuleViolation(message, code="method_unsuited", rule="D8",
                            fields={"method": message})


def record_clearing(actor: Any, retirement: Retirement, *, cleared_on: dt.date, method: str,
                    cleared_by: str) -> Retirement:
    """rule D8: the information on the retired device or medium was cleared (信息清除) on
    `cleared_on`, by `method`, by `cleared_by` (the person or body who did it)."""
    current = _office_retirement(actor, retirement)
    cleared_on = past_date(cleared_on, "cleared_on")
    method = choice(method, ClearingMethod.values, "method")
    cleared_by = text(cleared_by, "cleared_by", CLEARED_BY_MAX)
    with transaction.atomic():
        fresh = _locked(current)
        RETIREMENT.check(fresh, R.CLEARED)
        _require_method_suits(subject_of(fresh), method)
        _not_before(cleared_on, _approved_on(fresh), "cleared_on", "before_approval")
        RETIREMENT.apply(fresh, R.CLEARED, cleared_on=cleared_on, clearing_method=method,
                         cleared_by=cleared_by, recorded_by=actor)
        record_event(actor, "RETIREMENT_CLEARED", fresh, before={"state": R.APPROVED},
                     after={"state": fresh.state, "cleared_on": cleared_on.isoformat(),
                            "method": method, "cleared_by": cleared_by})
    return refresh(retirement, fresh)


def _require_designated(unit: Unit, body: str) -> None:
    """rule D8: handed over to the body the unit's policy designates, when it names one."""
    designated = designated_body(unit)
    if designated and body != designated:
        message = _("Hand it over to the designated destruction body: %(body)s.") % {
            "body": designated}
        raise RuleViolation(message, code="not_designated_body", rule="D8",
                            fields={"destruction_body": message})


def record_destruction(actor: Any, retirement: Retirement, *, destruction_body: str,
                       handed_over_on: dt.date, certificate_no: str) -> Retirement:
    """rule D8: the cleared device or medium was handed over on `handed_over_on` to the
    designated destruction body, which gave certificate `certificate_no`. Refused before the
    clearing is recorded (`not_cleared`)."""
    current = _office_retirement(actor, retirement)
    body = text(destruction_body, "destruction_body", BODY_MAX)
    handed_over_on = past_date(handed_over_on, "handed_over_on")
    certificate_no = text(certificate_no, "certificate_no", CERTIFICATE_MAX)
    with transaction.atomic():
        fresh = _locked(current)
        if fresh.state == R.APPROVED:  # rule D8: technical processing first
            message = _("Record the clearing of the information before the hand-over for "
                        "destruction.")
            raise RuleViolation(message, code="not_cleared", rule="D8",
                                fields={"destruction_body": message})
        RETIREMENT.check(fresh, R.DESTROYED)
        _require_designated(subject_of(fresh).unit, body)
        _not_before(handed_over_on, fresh.cleared_on, "handed_over_on", "before_clearing")
        RETIREMENT.apply(fresh, R.DESTROYED, destruction_body=body,
                         handed_over_on=handed_over_on, certificate_no=certificate_no,
                         recorded_by=actor)
        record_event(actor, "RETIREMENT_DESTROYED", fresh, before={"state": R.CLEARED},
                     after={"state": fresh.state, "destruction_body": body,
                            "handed_over_on": handed_over_on.isoformat(),
                            "certificate_no": certificate_no})
    return refresh(retirement, fresh)
