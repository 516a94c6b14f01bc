"""The devices and media a person holds, for the exit check of classified personnel (rule C9).

Each line of `HELD` is one query of what a person must hand back, with the words naming it;
another kind of custody (media checked out, for instance) is one more line.
"""

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from baomi.personnel.custody import CustodyItem, register_custody_provider

from .selectors_media import media_checked_out


def _devices_responsible(person: Any) -> QuerySet[Any]:
    """Devices the person answers for; one away for repair is still theirs (rule D7), a
    retired one is nobody's to hand back (rule D8)."""
    from .choices import DeviceState
    from .models import Device

    return Device.objects.filter(responsible=person).exclude(state=DeviceState.RETIRED)


def _media_responsible(person: Any) -> QuerySet[Any]:
    """Media the person answers for, retired ones aside (rule D8)."""
    from .choices import MediumState
    from .models import Medium

    return Medium.objects.filter(responsible=person).exclude(state=MediumState.RETIRED)


# (what it is, the query of the things `person` holds that way)
HELD: list[tuple[Any, Callable[[Any], QuerySet[Any]]]] = [
    (_("Classified device"), _devices_responsible),
    (_("Removable medium"), _media_responsible),
    (_("Removable medium checked out"), media_checked_out),  # rule D4, from selectors_media
]


def devices_held(person: Any) -> Iterator[CustodyItem]:
    """rule C9: devices and media the person is responsible for (and whatever else `HELD`
    lists); each thing once, under the first way it is held."""
    seen: set[tuple[str, int]] = set()
    for kind, query in HELD:
        for obj in query(person).order_by("number", "id"):
            key = (obj._meta.label_lower, obj.pk)
            if key in seen:
                continue
            seen.add(key)
            yield CustodyItem(kind=str(kind), reference=obj.number,
                              title=str(obj.get_kind_display()), level=int(obj.level))


def register() -> None:
    register_custody_provider("devices", devices_held)
