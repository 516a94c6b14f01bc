"""Level matrices of issue 5 (rules D2, D4) over every pair of levels, 非密 included, asserting
the exact outcome of each pair.

Matrices other modules already run pair by pair are not repeated here:
`test_ledger_services` runs D2 for the responsible person and the users of a device and of a
medium (every clearance × every level) and for raising a device's level over its users;
`test_media_services.test_binding_levels` runs D4 for binding a medium of level M to a
computer of level C (every M × C: allowed iff both 非密, or both classified and M ≤ C;
`cross_use` across 非密 and classified; `medium_above_device` otherwise).

Here: D2 for the level of the work recorded in a computer's usage log and for the devices of
a classified system; D4 for the check-out of a medium, for the choices the bind forms offer
(they must agree with the service pair by pair) and for a level change of a computer with a
medium bound to it.
"""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from baomi.core.errors import InvalidInput, RuleViolation
from baomi.core.labels import Level
from baomi.devices import services
from baomi.devices.models import ClassifiedSystem, Device, MediumLoan, UsageEntry
from baomi.devices.selectors_media import bindable_devices, bindable_media
from baomi.devices.services.usage import local_year

from . import support
from .support import CLEARANCE_OF

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)

LEVELS = [Level.NONSECRET, Level.SECRET, Level.CONFIDENTIAL, Level.TOP_SECRET]
PAIRS = list(itertools.product(LEVELS, LEVELS))


def binding_outcome(medium_level, device_level):
    """rule D4 as written: never across 非密 and classified, never a higher-level medium on
    a lower-level computer."""
    if (medium_level == Level.NONSECRET) != (device_level == Level.NONSECRET):
        return "cross_use"
    return "medium_above_device" if medium_level > device_level else "ok"


def refused_code(call, *args, **kwargs):
    """The code of the rule the call is refused by, or "ok" when it is not."""
    try:
        call(*args, **kwargs)
    except (RuleViolation, InvalidInput) as refused:
        return refused.code
    return "ok"


def test_the_matrices_cover_every_pair():
    assert len(PAIRS) == 16 and len(set(PAIRS)) == 16
    assert sum(binding_outcome(m, d) == "ok" for m, d in PAIRS) == 7


# --- D2: the level of the work in the usage log ---------------------------------------------------


@pytest.mark.rule("D2")
@pytest.mark.parametrize(("work_level", "device_level"), PAIRS)
def test_the_work_recorded_is_never_above_the_computer(people, register_device, work_level,
                                                       device_level):
    """A classified computer takes work at or below its level; a 非密 computer keeps no
    usage log at all (it processes no secrets, rule D5)."""
    device = register_device(level=device_level, responsible=people["top"].person)
    started = timezone.now() - dt.timedelta(hours=2)
    opened = refused_code(services.open_usage_book, people["office"], device,
                          year=local_year(started))
    if device_level == Level.NONSECRET:
        assert opened == "not_classified"
        return
    assert opened == "ok"
    outcome = refused_code(services.record_usage, people["office"], device,
                           user=people["top"].person, started_at=started,
                           ended_at=started + dt.timedelta(hours=1), work="编制技术报告",
                           level=work_level)
    assert outcome == ("ok" if work_level <= device_level else "level_above_device")
    assert UsageEntry.objects.count() == (outcome == "ok")


# --- D2: the devices of a classified system -------------------------------------------------------


@pytest.mark.rule("D2")
@pytest.mark.parametrize(("system_level", "device_level"), PAIRS)
def test_a_system_takes_no_device_below_its_level(people, unit, register_device, system_level,
                                                  device_level):
    """A system is 秘密 at least (a 非密 system is no classified system); each of its devices
    is at the system's level or above."""
    device = register_device(level=device_level)
    registered = refused_code(services.register_system, people["office"], unit=unit,
                              name="研发涉密网", level=system_level,
                              responsible=people["top"].person,
                              in_use_on=dt.date(2024, 1, 1))
    if system_level == Level.NONSECRET:
        assert registered == "invalid" and not ClassifiedSystem.objects.exists()
        return
    system = ClassifiedSystem.objects.get()
    outcome = refused_code(services.add_system_device, people["office"], system, device)
    assert outcome == ("ok" if device_level >= system_level else "device_below_system")
    assert list(system.devices.all()) == ([device] if outcome == "ok" else [])


# --- D4: who may take a medium out ----------------------------------------------------------------


@pytest.mark.rule("D4")
@pytest.mark.parametrize(("person_key", "medium_level"),
                         list(itertools.product(CLEARANCE_OF, LEVELS)))
def test_a_medium_is_checked_out_only_to_someone_cleared_for_it(people, register_medium,
                                                                person_key, medium_level):
    medium = register_medium(level=medium_level)
    outcome = refused_code(services.check_out_medium, people["office"], medium,
                           person=people[person_key].person, purpose="拷贝设计图纸")
    cleared = int(CLEARANCE_OF[person_key]) >= int(medium_level)
    assert outcome == ("ok" if cleared else "clearance")
    assert MediumLoan.objects.count() == cleared


# --- D4: the bind forms offer what the service allows ------------------------------------------


@pytest.mark.rule("D4")
@pytest.mark.parametrize(("medium_level", "device_level"), PAIRS)
def test_the_bind_choices_agree_with_the_service(people, register_device, register_medium,
                                                 medium_level, device_level):
    medium = register_medium(level=medium_level)
    device = register_device(level=device_level)
    allowed = binding_outcome(medium_level, device_level) == "ok"
    office = people["office"]
    assert (medium in bindable_media(office, device)) is allowed
    assert (device in bindable_devices(office, medium)) is allowed
    assert (services.binding_refusal(medium, device) is None) is allowed


# --- D4: changing the level of a computer with a medium bound to it --------------------------


ALLOWED_BINDINGS = [(m, d) for m, d in PAIRS if binding_outcome(m, d) == "ok"]
LEVEL_CHANGES = [(m, d, new) for m, d in ALLOWED_BINDINGS for new in LEVELS if new != d]


def level_change_outcome(medium_level, new_level):
    """What a bound medium makes of a new level of its computer (rule D4)."""
    outcome = binding_outcome(medium_level, new_level)
    return "media_above" if outcome == "medium_above_device" else outcome


@pytest.mark.rule("D4")
@pytest.mark.parametrize(("medium_level", "device_level", "new_level"), LEVEL_CHANGES)
def test_a_level_change_keeps_every_bound_medium_allowed(people, register_device,
                                                        register_medium, medium_level,
                                                        device_level, new_level):
    device = register_device(level=device_level, responsible=people["top"].person)
    services.bind_medium(people["office"], register_medium(level=medium_level), device)
    outcome = refused_code(services.change_device_level, people["office"], device, new_level)
    assert outcome == level_change_outcome(medium_level, new_level)
    expected = new_level if outcome == "ok" else device_level
    assert Device.objects.get(pk=device.pk).level == expected


def test_every_level_change_is_in_the_matrix():
    assert len(ALLOWED_BINDINGS) == 7 and len(LEVEL_CHANGES) == 21
    outcomes = {level_change_outcome(m, new) for m, _d, new in LEVEL_CHANGES}
    assert outcomes == {"ok", "cross_use", "media_above"}
