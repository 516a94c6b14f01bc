"""Fixtures of the maintenance (D7) and retirement (D8) tests (no tests here), on top of
`support`: the people and devices there, and helpers walking a maintenance or retirement
through its approval chain.

    from . import lifecycle_support as lc
    people, yf1, register_device, register_medium = (lc.people, lc.yf1, lc.register_device,
                                                     lc.register_medium)
"""

import pytest

from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.approvals.models import Step
from baomi.approvals.services import decide
from baomi.core.labels import Category
from baomi.devices import services
from baomi.devices.choices import MaintenanceMode
from baomi.devices.models import Maintenance, Retirement
from baomi.devices.services.retirement import DESTRUCTION_BODY_KEY

from . import support

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)
today = support.today


@pytest.fixture
def office_b(make_user):
    """A second officer of the 保密办 (核心): decides the 保密办 step of the office's own
    requests and races the first one."""
    return make_user("office_b", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                     person__name="钱保密")


@pytest.fixture
def designated():
    """designate(unit, body): the unit's policy names its destruction body."""

    def designate(unit, body):
        Unit.objects.filter(pk=unit.pk).update(policy_overrides={DESTRUCTION_BODY_KEY: body})

    return designate


def approve(request, *deciders):
    """Approve each step in turn; the request as it ends."""
    for decider in deciders:
        request = decide(decider, request, "approve", comment="同意")
    return request


def chain_roles(request):
    return list(Step.objects.filter(request=request, round=request.round)
                .order_by("order").values_list("role", flat=True))


def deciders_for(people, request):
    """The people of `support` who decide each step of `request` (head, office, leader)."""
    by_role = {Role.DEPARTMENT_HEAD: people["head"], Role.SECRECY_OFFICE: people["office"],
               Role.LEADER: people["leader"]}
    return [by_role[role] for role in chain_roles(request)]


def ask_repair(people, device, mode=MaintenanceMode.IN_HOUSE, actor=None, **overrides):
    """A maintenance asked for by the device's responsible person (`top` in `support`)."""
    fields = {"mode": mode, "fault": "无法开机", "repairer": "信息中心 韩工",
              "supervisor": people["confidential"].person if mode != MaintenanceMode.SENT_OUT
              else None, **overrides}
    return services.request_maintenance(actor or people["top"], device, **fields)


def approved_repair(people, device, mode=MaintenanceMode.IN_HOUSE, **overrides):
    maintenance = ask_repair(people, device, mode, **overrides)
    approve(maintenance.request, *deciders_for(people, maintenance.request))
    return Maintenance.objects.get(pk=maintenance.pk)


def approved_retirement(people, actor=None, **subject):
    retirement = services.request_retirement(actor or people["top"], reason="老化", **subject)
    approve(retirement.request, *deciders_for(people, retirement.request))
    return Retirement.objects.get(pk=retirement.pk)
