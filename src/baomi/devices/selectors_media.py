"""Reads of removable media in use (rule D4): bindings to computers and check-outs, always
through the visibility of `selectors` (rule L5: nobody learns of a medium or a computer above
their clearance)."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from baomi.core.access import clearance, sees_business_data
from baomi.core.errors import NotFound
from baomi.core.labels import Level
from baomi.core.paging import parse_key

from .choices import TAKES_MEDIA, MediumLoanState, MediumState
from .models import Device, Medium, MediumBinding, MediumLoan
from .selectors import devices_visible_to, manages_devices, media_visible_to

HISTORY_MAX = 100  # bindings and check-outs shown on a page


def _cleared(user: Any) -> int:
    return int(clearance(user))


def bindings_of_device(user: Any, device: Device) -> QuerySet[MediumBinding]:
    """The bindings of a computer, open first, without media above the user's clearance."""
    return (MediumBinding.objects.filter(device=device, medium__level__lte=_cleared(user))
            .select_related("medium", "bound_by__person", "unbound_by__person")
            .order_by("unbound_on", "-id")[:HISTORY_MAX])


def bindings_of_medium(user: Any, medium: Medium) -> QuerySet[MediumBinding]:
    """The bindings of a medium, open first, without computers above the user's clearance."""
    return (MediumBinding.objects.filter(medium=medium, device__level__lte=_cleared(user))
            .select_related("device", "bound_by__person", "unbound_by__person")
            .order_by("unbound_on", "-id")[:HISTORY_MAX])


def _open_binding(medium: Any, device: Any) -> Exists:
    return Exists(MediumBinding.objects.filter(medium_id=medium, device_id=device,
                                               unbound_on__isnull=True))


def allowed_medium_levels(device_level: int) -> Q:
    """rule D4 as a filter over media: 非密 media on a 非密 computer only; classified media
    up to the computer's level on a classified one."""
    if device_level == Level.NONSECRET:
        return Q(level=Level.NONSECRET)
    return Q(level__gte=Level.SECRET, level__lte=device_level)


def allowed_device_levels(medium_level: int) -> Q:
    """rule D4 as a filter over computers (the mirror of `allowed_medium_levels`)."""
    if medium_level == Level.NONSECRET:
        return Q(level=Level.NONSECRET)
    return Q(level__gte=medium_level)


def bindable_media(user: Any, device: Device) -> QuerySet[Medium]:
    """The media of the computer's unit the user keeps that rule D4 lets on it and that are
    not bound to it yet: the choices of the bind form on the device page."""
    if device.kind not in TAKES_MEDIA or not manages_devices(user, device.unit_id):
        return Medium.objects.none()
    return (media_visible_to(user).filter(allowed_medium_levels(device.level),
                                          unit_id=device.unit_id)
            .exclude(_open_binding(OuterRef("pk"), device.pk)).order_by("number", "id"))


def bindable_devices(user: Any, medium: Medium) -> QuerySet[Device]:
    """The computers of the medium's unit the user keeps that rule D4 lets it be used on and
    that it is not bound to yet: the choices of the bind form on the medium page."""
    if not manages_devices(user, medium.unit_id):
        return Device.objects.none()
    return (devices_visible_to(user).filter(allowed_device_levels(medium.level),
                                            unit_id=medium.unit_id, kind__in=TAKES_MEDIA)
            .exclude(_open_binding(medium.pk, OuterRef("pk"))).order_by("number", "id"))


def loans_of_medium(medium: Medium) -> QuerySet[MediumLoan]:
    """The check-outs of a medium the user sees (the medium's visibility covers them)."""
    return (MediumLoan.objects.filter(medium=medium)
            .select_related("person", "handed_by__person", "received_by__person")
            .order_by("-id")[:HISTORY_MAX])


def medium_loans_visible_to(user: Any) -> QuerySet[MediumLoan]:
    """Check-outs of the media the user sees, and the user's own (rule L5: never of a medium
    above the user's clearance)."""
    if not sees_business_data(user):
        return MediumLoan.objects.none()
    visible = media_visible_to(user).values("pk")
    return MediumLoan.objects.filter(
        Q(medium_id__in=visible)
        | Q(person_id=user.person_id, medium__level__lte=_cleared(user)))


def medium_loan_list(user: Any, *, office: bool, out: bool = False,
                     overdue: bool = False) -> QuerySet[MediumLoan]:
    """The 保密办's check-outs of its unit, or the user's own; `out` keeps those not back,
    `overdue` those not back past their due day."""
    loans = medium_loans_visible_to(user)
    if office:
        loans = loans.filter(medium__unit_id=user.person.unit_id)
    else:
        loans = loans.filter(person_id=user.person_id)
    if out or overdue:
        loans = loans.filter(state=MediumLoanState.OUT)
    if overdue:
        loans = loans.filter(due_on__lt=timezone.localdate())
    return loans.select_related("medium", "person")


def medium_loan_for(user: Any, pk: Any) -> MediumLoan:
    """One visible check-out by id; NotFound for anything else."""
    key = parse_key(pk)
    found = (medium_loans_visible_to(user).select_related("medium", "person")
             .filter(pk=key).first() if key else None)
    if found is None:
        raise NotFound()
    return found


def binding_for(user: Any, pk: Any) -> MediumBinding:
    """One binding of a computer the user sees, whose medium is within the user's clearance;
    NotFound otherwise."""
    key = parse_key(pk)
    found = (MediumBinding.objects.select_related("medium", "device")
             .filter(pk=key, device__in=devices_visible_to(user),
                     medium__level__lte=_cleared(user)).first() if key else None)
    if found is None:
        raise NotFound()
    return found


def is_overdue(loan: MediumLoan) -> bool:
    return loan.state == MediumLoanState.OUT and loan.due_on < timezone.localdate()


def can_check_out(user: Any, medium: Medium) -> bool:
    return medium.state == MediumState.IN_STORE and manages_devices(user, medium.unit_id)


def media_checked_out(person: Any) -> QuerySet[Medium]:
    """rule C9: the media checked out to `person` and not back (the custody of the exit
    check, `custody.HELD`)."""
    return Medium.objects.filter(loans__person=person, loans__state=MediumLoanState.OUT)
