"""The menu each role sees, in sections. An app adds its entries to a section of MENU;
counts are computed only for the entries shown."""

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
MANAGERS = frozenset({Role.SECRECY_OFFICE, Role.LEADER, Role.DEPARTMENT_HEAD})
OFFICE = frozenset({Role.SECRECY_OFFICE})
# The 保密办 and the leaders of a unit: who oversees its secrecy work.
HANDLERS = frozenset({Role.SECRECY_OFFICE, Role.LEADER})

MENU: list[tuple[Any, list[MenuEntry]]] = [
    (_("Tasks and approvals"), [
        MenuEntry(_("My tasks"), "obligations:dashboard", EVERYONE, _obligation_count),
        MenuEntry(_("Awaiting my approval"), "approvals:inbox", BUSINESS_ROLES, _inbox_count),
        MenuEntry(_("My requests"), "approvals:my_requests", BUSINESS_ROLES, _returned_count),
        MenuEntry(_("Unit obligations"), "obligations:unit",
                  frozenset({Role.SECRECY_OFFICE, Role.LEADER})),
    ]),
    (_("Classified personnel"), [
        MenuEntry(_("Personnel ledger"), "personnel:person_list", MANAGERS),
        MenuEntry(_("Classified posts"), "personnel:post_list", MANAGERS),
        MenuEntry(_("Trips abroad"), "personnel:travel_list", OFFICE),
        MenuEntry(_("Passport and permit custody"), "personnel:document_list", OFFICE),
        MenuEntry(_("Exits and declassification period"), "personnel:exit_list", OFFICE),
        MenuEntry(_("Major personal matters reports"), "personnel:report_list", OFFICE),
        MenuEntry(_("Confidentiality allowance"), "personnel:allowance", OFFICE),
        MenuEntry(_("Filing of classified personnel changes"), "personnel:filing", OFFICE),
    ]),
    (_("Classification"), [
        MenuEntry(_("Secret items"), "secrets:item_list", BUSINESS_ROLES),
        MenuEntry(_("Classification authority"), "secrets:authority",
                  frozenset({Role.SECRECY_OFFICE, Role.CLASSIFICATION_OFFICER, Role.LEADER})),
    ]),
    (_("Classified carriers"), [
        MenuEntry(_("Carrier ledger"), "carriers:carrier_list", BUSINESS_ROLES),
        MenuEntry(_("Carrier loans"), "carriers:loan_list", BUSINESS_ROLES),
        MenuEntry(_("Print log"), "carriers:print_list", BUSINESS_ROLES),
        MenuEntry(_("Carriers out of the unit"), "carriers:movement_list", BUSINESS_ROLES),
        MenuEntry(_("Secrecy containers"), "carriers:container_list", OFFICE),
        MenuEntry(_("Secure rooms"), "compliance:room_list", OFFICE),
        MenuEntry(_("Stocktakes"), "carriers:stocktake_list", OFFICE),
        MenuEntry(_("Carriers missing"), "carriers:missing_list", OFFICE),
        MenuEntry(_("Destruction of carriers"), "carriers:destruction_list", HANDLERS),
    ]),
    (_("Classified devices"), [
        MenuEntry(_("Device ledger"), "devices:device_list", BUSINESS_ROLES),
        MenuEntry(_("Removable media"), "devices:medium_list", BUSINESS_ROLES),
        MenuEntry(_("Media check-outs"), "devices:medium_loan_list", BUSINESS_ROLES),
        MenuEntry(_("Classified systems"), "devices:system_list",
                  frozenset({Role.SECRECY_OFFICE, Role.LEADER})),
        MenuEntry(_("Usage logs past retention"), "devices:usage_books", OFFICE),
        MenuEntry(_("Maintenance"), "devices:maintenance_list",
                  frozenset({Role.SECRECY_OFFICE, Role.DEPARTMENT_HEAD})),
        MenuEntry(_("Retirements"), "devices:retirement_list",
                  frozenset({Role.SECRECY_OFFICE, Role.DEPARTMENT_HEAD})),
        MenuEntry(_("Rectification items"), "devices:finding_list", BUSINESS_ROLES),
        # rule D11: the reports of the secrecy check tool (baomi scan), its keywords and profiles.
        MenuEntry(_("Check tool"), "scans:report_list", OFFICE),
    ]),
    (_("Secrecy work"), [
        MenuEntry(_("Secrecy work overview"), "compliance:overview", HANDLERS),
        MenuEntry(_("Annual self-inspection reports"), "compliance:annual_report_list", HANDLERS),
        MenuEntry(_("Secrecy organisation"), "compliance:committee", HANDLERS),
        MenuEntry(_("Inspections"), "compliance:inspection_list", HANDLERS),
        MenuEntry(_("Rectification ledger"), "compliance:rectification_list", HANDLERS),
        MenuEntry(_("Scored assessments"), "compliance:assessment_list", HANDLERS),
        MenuEntry(_("Assessment standards"), "compliance:standard_list", HANDLERS),
        MenuEntry(_("Leak incidents"), "compliance:incident_list", HANDLERS),
        MenuEntry(_("Key departments and parts"), "compliance:place_list", HANDLERS),
        MenuEntry(_("Classified meetings"), "compliance:meeting_list", BUSINESS_ROLES),
        # rule Q12: every business user may ask to publish; the register is the office's.
        MenuEntry(_("Publication review"), "compliance:publication_list", BUSINESS_ROLES),
        MenuEntry(_("Publication register"), "compliance:publication_register", HANDLERS),
    ]),
    (_("The unit"), [
        MenuEntry(_("Qualifications and filings"), "compliance:qualification_list", HANDLERS),
        MenuEntry(_("Changes of the unit"), "compliance:unit_change_list", HANDLERS),
        MenuEntry(_("Outside firms and subcontractors"), "compliance:firm_list", HANDLERS),
    ]),
    (_("Myself"), [
        MenuEntry(_("My classified file"), "personnel:my_file", BUSINESS_ROLES),
        MenuEntry(_("My rectifications"), "compliance:my_rectifications", BUSINESS_ROLES),
        MenuEntry(_("My major personal matters reports"), "personnel:my_reports",
                  BUSINESS_ROLES),
        MenuEntry(_("Report a leak"), "compliance:incident_report", BUSINESS_ROLES),
        MenuEntry(_("API tokens"), "accounts:token_list", EVERYONE),
    ]),
    (_("System"), [
        MenuEntry(_("Users"), "accounts:user_list", frozenset({Role.SYSADMIN, Role.SECADMIN})),
        MenuEntry(_("Policy"), "accounts:policy",
                  frozenset({Role.SECADMIN, Role.SECRECY_OFFICE})),
        MenuEntry(_("Audit trail"), "audit:event_list", frozenset({Role.AUDITOR})),
    ]),
]


def menu_for(user: Any) -> list[dict[str, Any]]:
    """The sections of the menu the user's roles open, each with its entries; empty
    sections are left out."""
    roles = user.role_set()
    sections = []
    for title, entries in MENU:
        shown = [
            {"label": entry.label, "url": reverse(entry.url_name), "url_name": entry.url_name,
             "count": entry.count(user) if entry.count else None}
            for entry in entries if entry.roles == EVERYONE or roles & entry.roles
        ]
        if shown:
            sections.append({"title": title, "entries": shown})
    return sections
