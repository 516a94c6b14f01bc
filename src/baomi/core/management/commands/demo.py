"""`baomi demo`: load a realistic demo group a visitor can click through. Idempotent.

Each app contributes a `demo.py` with `load(context)`; they run in DEMO_STEPS order and each
checks what exists before it creates anything, so a second run neither fails nor duplicates.
"""

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand

from baomi.core.demo import DemoContext

DEMO_STEPS = [
    "baomi.accounts.demo",
    "baomi.personnel.demo",
    "baomi.secrets.demo",
    "baomi.carriers.demo",
    "baomi.carriers.demo_copying",
    "baomi.carriers.demo_destruction",
    "baomi.carriers.demo_stocktake",
    "baomi.carriers.demo_movement",
    "baomi.devices.demo",
    "baomi.devices.demo_media",
    "baomi.devices.demo_passwords",
    "baomi.devices.demo_systems",
    "baomi.devices.demo_lifecycle",
    "baomi.devices.demo_checks",
    "baomi.devices.demo_usage",
    "baomi.compliance.demo_incidents",
    "baomi.compliance.demo_assessments",
    "baomi.compliance.demo_qualification",
    "baomi.compliance.demo_firms",
    "baomi.compliance.demo_publications",
    "baomi.compliance.demo_org",
    "baomi.compliance.demo_places",
    "baomi.compliance.demo_inspections",
    "baomi.scans.demo",
    "baomi.approvals.demo",
    "baomi.compliance.demo_annual",
    "baomi.obligations.demo",
    "baomi.audit.demo",
]


class Command(BaseCommand):
    help = "Load the demo group, units, people, requests and tasks (safe to run twice)."

    def handle(self, *args: Any, **options: Any) -> None:
        context = DemoContext(out=self.stdout)
        for step in DEMO_STEPS:
            import_module(step).load(context)
        self.stdout.write(context.logins_table())
