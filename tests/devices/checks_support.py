"""Fixtures of the tests of device checks (rules D3, D11; no tests here).

`device`: a 机密 desktop of 研发一部 in use since 2020, responsible `top` (郭绝密), with
`confidential` (何机密) as its user. `record(**overrides)` records a passed check of it by the
保密办 with `office`'s person as the checker; `ITEMS_OK` are the results of every item but the
attestation ones (they follow the flags).
"""

from datetime import date

import pytest

from baomi.devices import services
from baomi.devices.checklist import CHECK_ITEMS

from . import support

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)

IN_USE_ON = date(2020, 1, 6)
CHECKED_ON = date(2025, 3, 3)
ITEMS_OK = [{"item": item.key, "ok": True, "note": ""} for item in CHECK_ITEMS
            if not item.attestation]


def items_with(**results):
    """ITEMS_OK with some items not met: items_with(password="弱口令")."""
    return [{**item, "ok": False, "note": results[item["item"]]}
            if item["item"] in results else item for item in ITEMS_OK]


@pytest.fixture
def device(people, register_device):
    made = register_device(in_use_on=IN_USE_ON, os_installed_on=IN_USE_ON)
    services.add_device_user(people["office"], made, people["confidential"].person)
    return made


@pytest.fixture
def record(people, device):
    """record(actor=None, device=None, **overrides): a check, passed unless overridden."""

    def make(actor=None, device=device, **overrides):
        fields = {"checked_on": CHECKED_ON, "tool": "涉密计算机检查工具", "tool_version": "3.2.1",
                  "checker": people["office"].person, "no_internet": True,
                  "no_wireless": True, "ports_sealed": True, "items": ITEMS_OK,
                  **overrides}
        return services.record_check(actor or people["office"], device, **fields)

    return make


def sign_all(check, people, signed_on=CHECKED_ON):
    """The checker (`office`), the user (`confidential`) and the head (`head`) sign."""
    for role, who in (("checker", "office"), ("user", "confidential"), ("head", "head")):
        services.sign_check(people["office"], check, role=role, person=people[who].person,
                            signed_on=signed_on)
