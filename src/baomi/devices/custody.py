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
    from .models import Device

    return Device.objects.filter(responsible=person)


def _media_responsible(person: Any) -> QuerySet[Any]:
    from .models import Medium

    return Medium.objects.filter(responsible=person)


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
