"""Who reads what of the check tool (DESIGN.md 'Access model').

The 保密办 of a unit sees its unit's reports (those of a ledger device only up to its
clearance), keyword lists and profiles. Anyone else with a business role sees the reports of
the devices they see on the ledger (responsible person, user, head of the department) and
nothing of the lists and profiles.
"""

import datetime as dt
import hashlib
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.core.access import clearance, sees_business_data, unit_perimeter
from baomi.core.errors import NotFound
from baomi.core.paging import parse_key
from baomi.devices.selectors import devices_visible_to

from .models import KeywordList, ScanProfile, ScanReport

OFFICE = frozenset({Role.SECRECY_OFFICE})


def office_units(user: Any) -> set[int]:
    if not sees_business_data(user):
        return set()
    return unit_perimeter(user, OFFICE)


def reports_visible_to(user: Any) -> QuerySet[ScanReport]:
    if not sees_business_data(user):
        return ScanReport.objects.none()
    office = Q(unit_id__in=office_units(user)) & (
        Q(device__isnull=True) | Q(device__level__lte=int(clearance(user))))
    return ScanReport.objects.filter(office | Q(device__in=devices_visible_to(user)))


def report_for(user: Any, pk: Any) -> ScanReport:
    key = parse_key(pk)
    found = (reports_visible_to(user).select_related("device", "check_record", "uploaded_by__person")
             .filter(pk=key).first() if key else None)
    if found is None:
        raise NotFound()
    return found


def filter_reports(queryset: QuerySet[ScanReport], *, device: str = "", clean: bool | None = None,
                   date_from: dt.date | None = None,
                   date_to: dt.date | None = None) -> QuerySet[ScanReport]:
    """Filters of the register: 保密编号 or host name, verdict, local day of the scan."""
    if device:
        queryset = queryset.filter(Q(device_number=device) | Q(host=device))
    if clean is not None:
        queryset = queryset.filter(is_clean=clean)
    zone = timezone.get_current_timezone()
    if date_from is not None:
        queryset = queryset.filter(
            started_at__gte=dt.datetime.combine(date_from, dt.time(), tzinfo=zone))
    if date_to is not None:
        after = date_to + dt.timedelta(days=1)
        queryset = queryset.filter(started_at__lt=dt.datetime.combine(after, dt.time(), tzinfo=zone))
    return queryset


def keyword_lists_visible_to(user: Any) -> QuerySet[KeywordList]:
    return KeywordList.objects.filter(unit_id__in=office_units(user))


def profiles_visible_to(user: Any) -> QuerySet[ScanProfile]:
    return ScanProfile.objects.filter(unit_id__in=office_units(user)).select_related("keyword_list")


def keyword_list_for(user: Any, pk: Any) -> KeywordList:
    key = parse_key(pk)
    found = keyword_lists_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def profile_for(user: Any, pk: Any) -> ScanProfile:
    key = parse_key(pk)
    found = profiles_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def profile_named(user: Any, name: str) -> ScanProfile:
    """The profile of that name of the user's own unit (what `baomi scan --profile` asks for)."""
    found = profiles_visible_to(user).filter(unit_id=user.person.unit_id, name=name).first() \
        if sees_business_data(user) else None
    if found is None:
        raise NotFound()
    return found


def profile_payload(user: Any, profile: ScanProfile, device_number: str = "") -> dict[str, Any]:
    """What `baomi scan --server … --profile NAME --device N` fetches: the terms, the ledger
    level of the device (None when not on the ledger) and the serials of the media bound to it
    now (rule D4: only those may have been attached)."""
    from baomi.devices.models import MediumBinding

    keyword_list = profile.keyword_list
    terms = keyword_list.term_list if keyword_list is not None else []
    device = (devices_visible_to(user).filter(unit_id=profile.unit_id, number=device_number).first()
              if device_number else None)
    media = [] if device is None else sorted(
        serial for serial in MediumBinding.objects.filter(device=device, unbound_on__isnull=True)
        .values_list("medium__serial_no", flat=True) if serial)
    return {
        "name": profile.name, "base": profile.base,
        "device_level": int(device.level) if device is not None else None,
        "keywords": terms,
        "keyword_list": None if keyword_list is None else {
            "name": keyword_list.name,
            "sha256": hashlib.sha256("\n".join(terms).encode("utf-8")).hexdigest()},
        "allowed_media": media,
        "limits": profile.limits or {},
    }
