"""The menu each role sees. An app adds its entries to MENU; counts are computed lazily."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from baomi.accounts.roles import BUSINESS_ROLES, Role


@dataclass(frozen=True)
class MenuEntry:
    label: Any
    url_name: str
    roles: frozenset[str]
    count: Callable[[Any], int] | None = None


def _inbox_count(user: Any) -> int:
    from baomi.approvals.selectors import inbox_count

    return inbox_count(user)


def _returned_count(user: Any) -> int:
    from baomi.approvals.selectors import returned_count

    return returned_count(user)


def _obligation_count(user: Any) -> int:
    from baomi.obligations.selectors import my_open_count

    return my_open_count(user)


EVERYONE = frozenset(str(r) for r in Role)
MENU: list[MenuEntry] = [
    MenuEntry(_("My tasks"), "obligations:dashboard", EVERYONE, _obligation_count),
    MenuEntry(_("Awaiting my approval"), "approvals:inbox", BUSINESS_ROLES, _inbox_count),
    MenuEntry(_("My requests"), "approvals:my_requests", BUSINESS_ROLES, _returned_count),
    MenuEntry(_("Unit obligations"), "obligations:unit",
              frozenset({Role.SECRECY_OFFICE, Role.LEADER})),
    MenuEntry(_("Classified personnel"), "personnel:person_list",
              frozenset({Role.SECRECY_OFFICE, Role.LEADER, Role.DEPARTMENT_HEAD})),
    MenuEntry(_("Classified posts"), "personnel:post_list",
              frozenset({Role.SECRECY_OFFICE, Role.LEADER, Role.DEPARTMENT_HEAD})),
    MenuEntry(_("Trips abroad"), "personnel:travel_list", frozenset({Role.SECRECY_OFFICE})),
    MenuEntry(_("Passport and permit custody"), "personnel:document_list",
              frozenset({Role.SECRECY_OFFICE})),
    MenuEntry(_("Major personal matters reports"), "personnel:report_list",
              frozenset({Role.SECRECY_OFFICE})),
    MenuEntry(_("Confidentiality allowance"), "personnel:allowance",
              frozenset({Role.SECRECY_OFFICE})),
    MenuEntry(_("Filing of classified personnel changes"), "personnel:filing",
              frozenset({Role.SECRECY_OFFICE})),
    MenuEntry(_("My classified file"), "personnel:my_file", BUSINESS_ROLES),
    MenuEntry(_("My major personal matters reports"), "personnel:my_reports", BUSINESS_ROLES),
    MenuEntry(_("Users"), "accounts:user_list", frozenset({Role.SYSADMIN, Role.SECADMIN})),
    MenuEntry(_("Policy"), "accounts:policy", frozenset({Role.SECADMIN, Role.SECRECY_OFFICE})),
    MenuEntry(_("Audit trail"), "audit:event_list", frozenset({Role.AUDITOR})),
    MenuEntry(_("API tokens"), "accounts:token_list", EVERYONE),
]


def menu_for(user: Any) -> list[dict[str, Any]]:
    roles = user.role_set()
    entries = []
    for entry in MENU:
        if entry.roles == EVERYONE or roles & entry.roles:
            entries.append({
                "label": entry.label,
                "url": reverse(entry.url_name),
                "url_name": entry.url_name,
                "count": entry.count(user) if entry.count else None,
            })
    return entries
