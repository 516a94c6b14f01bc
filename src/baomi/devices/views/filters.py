"""The filters of the device and media ledgers, shared by the pages, the export, the labels
and the API. Anything invalid is dropped.

rule D9: office equipment has its own ledger — the device list always shows one family
(computers, office equipment or security products), computers when none or an unknown one is
asked for.
"""

from typing import Any

from django.db.models import Q, QuerySet

from baomi.core.labels import Level
from baomi.core.paging import parse_key

from ..choices import FAMILY, DeviceFamily, DeviceState, MediumKind, MediumState
from ..models import Device, Medium
from ..selectors import devices_visible_to, media_visible_to

SEARCH_MAX = 100
DEVICE_RELATED = ("department", "responsible")


def search_text(raw: Any) -> str:
    """The search text without control characters (PostgreSQL refuses a NUL in a literal)."""
    text = "".join(ch for ch in str(raw or "") if ch.isprintable())
    return text.strip()[:SEARCH_MAX]


def _level(params: Any) -> int | None:
    raw = str(params.get("level") if params.get("level") is not None else "")
    return int(raw) if raw.isascii() and raw.isdigit() and int(raw) in Level.values else None


def device_filters(params: Any) -> dict[str, Any]:
    """The valid filters in `params` (a QueryDict, a dict or an API query)."""
    family = str(params.get("family") or "")
    state = str(params.get("state") or "")
    return {
        "family": family if family in DeviceFamily.values else DeviceFamily.COMPUTER,
        "level": _level(params),
        "state": state if state in DeviceState.values else "",
        "department": parse_key(params.get("department")),
        "responsible": parse_key(params.get("responsible")),
        "q": search_text(params.get("q")),
    }


def kinds_of(family: str) -> list[str]:
    return [str(kind) for kind, of in FAMILY.items() if of == family]


def ledger_devices(user: Any, filters: dict[str, Any]) -> QuerySet[Device]:
    """The devices visible to `user` (rule L5) matching the filters, one family (rule D9)."""
    devices = devices_visible_to(user).filter(kind__in=kinds_of(filters["family"]))
    for name, lookup in (("level", "level"), ("state", "state"),
                         ("department", "department_id"), ("responsible", "responsible_id")):
        if filters.get(name) not in (None, ""):
            devices = devices.filter(**{lookup: filters[name]})
    text = filters.get("q") or ""
    if text:
        # 保密编号, serial, asset number or MAC address
        devices = devices.filter(Q(number__icontains=text) | Q(serial_no__icontains=text)
                                 | Q(asset_no__icontains=text) | Q(mac__icontains=text))
    return devices.select_related(*DEVICE_RELATED, "room")  # the room: rule Q7


def medium_filters(params: Any) -> dict[str, Any]:
    kind = str(params.get("kind") or "")
    state = str(params.get("state") or "")
    return {
        "kind": kind if kind in MediumKind.values else "",
        "level": _level(params),
        "state": state if state in MediumState.values else "",
        "department": parse_key(params.get("department")),
        "q": search_text(params.get("q")),
    }


def ledger_media(user: Any, filters: dict[str, Any]) -> QuerySet[Medium]:
    """The media visible to `user` (rule L5) matching the filters."""
    media = media_visible_to(user)
    for name, lookup in (("kind", "kind"), ("level", "level"), ("state", "state"),
                         ("department", "department_id")):
        if filters.get(name) not in (None, ""):
            media = media.filter(**{lookup: filters[name]})
    text = filters.get("q") or ""
    if text:
        media = media.filter(Q(number__icontains=text) | Q(serial_no__icontains=text))
    return media.select_related(*DEVICE_RELATED)


def query_of(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters worth repeating in a link (export, labels)."""
    return {name: value for name, value in filters.items() if value not in ("", None)}
