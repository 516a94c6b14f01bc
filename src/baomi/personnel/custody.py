"""What a person still holds (rule C9): the seam between the exit of personnel (rule P10) and
the apps that keep custody of things — carriers, devices, media.

An app that keeps things in someone's custody registers a provider at start-up (in its
`AppConfig.ready`):

    from baomi.personnel.custody import CustodyItem, register_custody_provider

    def carriers_held(person):
        for carrier in Carrier.objects.filter(custodian=person).exclude(state__in=CLOSED):
            yield CustodyItem(kind=_("Classified carrier"), reference=carrier.number,
                              title=carrier.title, level=carrier.level)

    register_custody_provider("carriers", carriers_held)

`outstanding_custody(person)` asks every provider; an exit is not approved while the list is
not empty. With no provider registered (before those apps exist) it lists nothing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class CustodyItem:
    """One thing a person must hand back before leaving."""

    kind: str       # what it is, for people: "涉密载体", "涉密计算机", "U盘" …
    reference: str  # its number in its ledger
    title: str
    level: int      # core.labels.Level


CustodyProvider = Callable[[Any], Iterable[CustodyItem]]
_providers: dict[str, CustodyProvider] = {}


def register_custody_provider(code: str, provider: CustodyProvider) -> CustodyProvider:
    if code in _providers and _providers[code] is not provider:
        raise ImproperlyConfigured(f"custody provider {code!r} registered twice")
    _providers[code] = provider
    return provider


def unregister_custody_provider(code: str) -> None:
    """For tests that register a provider of their own."""
    _providers.pop(code, None)


def outstanding_custody(person: Any) -> list[CustodyItem]:
    """Everything `person` still holds, from every registered provider, in a stable order."""
    items = [item for code in sorted(_providers) for item in _providers[code](person)]
    return items
