"""The default result items of a check of a classified device (rule D11), as data.

Each item has a stable key (stored in `DeviceCheck.items`), the label shown and printed, and
the rule it verifies. Three items are the network attestation itself (rule D3): their keys are
the attestation flags of `DeviceCheck` (`no_internet`, `no_wireless`, `ports_sealed`), and a
check's item and flag always agree.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CheckItem:
    key: str
    label: Any  # lazy-translated
    rule: str
    attestation: bool = False  # one of the three D3 flags


CHECK_ITEMS: tuple[CheckItem, ...] = (
    CheckItem("level_label", _("Level label present and intact"), "D1"),
    CheckItem("no_internet", _("No record of connection to the internet or a public network"),
              "D3", attestation=True),
    CheckItem("no_wireless", _("No wireless network card or Bluetooth"), "D3",
              attestation=True),
    CheckItem("ports_sealed", _("Port seals intact"), "D3", attestation=True),
    CheckItem("registered_media", _("Only registered media used"), "D4"),
    CheckItem("password", _("Password meets the requirements"), "D6"),
    CheckItem("security_products", _("Security products running normally"), "D11"),
    CheckItem("usage_log", _("Usage log complete"), "D5"),
    CheckItem("no_unrelated_software", _("No unrelated software installed"), "D11"),
)
ITEMS_BY_KEY = {item.key: item for item in CHECK_ITEMS}
ATTESTATION_KEYS = tuple(item.key for item in CHECK_ITEMS if item.attestation)


def item_label(key: str) -> str:
    """The label of an item; an item no longer in the list shows its key."""
    item = ITEMS_BY_KEY.get(key)
    return str(item.label) if item else key
