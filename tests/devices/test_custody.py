"""rule C9: a person leaving a classified post hands over every device and medium they are
responsible for first. The devices app tells `baomi.personnel.custody` what a person holds;
the last approval of their exit is refused until the responsibility has passed on."""

from datetime import date

import pytest

from baomi.approvals.services import decide
from baomi.core.errors import RuleViolation
from baomi.core.labels import Category, Level
from baomi.devices import services
from baomi.devices.choices import DeviceState
from baomi.personnel.choices import ExitKind, ExitState, FileState
from baomi.personnel.custody import outstanding_custody
from baomi.personnel.models import ExitCase, PersonnelFile, Post, PostHolding
from baomi.personnel.services.exit import file_exit

from . import support

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)

IN_POST_SINCE = date(2020, 1, 1)


@pytest.fixture
def leaver_file(people, unit, yf1):
    """`confidential` (机密, 重要涉密人员) in post in 研发一部 since 2020."""
    person = people["confidential"].person
    post = Post.objects.create(unit=unit, department=yf1, name="设计员", level=Level.CONFIDENTIAL)
    PostHolding.objects.create(post=post, person=person, started_on=IN_POST_SINCE)
    return PersonnelFile.objects.create(person=person, unit=unit, category=Category.IMPORTANT,
                                        state=FileState.IN_POST, in_post_since=IN_POST_SINCE)


@pytest.fixture
def held(people, register_device, register_medium):
    """A computer and a medium `confidential` is responsible for, and a computer they only
    use (a user hands nothing back)."""
    person = people["confidential"].person
    device = register_device(number="SB-HELD", responsible=person)
    medium = register_medium(number="JZ-HELD", responsible=person, level=Level.SECRET)
    used = register_device(number="SB-USED")
    services.add_device_user(people["office"], used, person)
    return device, medium


@pytest.mark.rule("C9")
def test_the_custody_lists_devices_and_media_held(people, held):
    items = outstanding_custody(people["confidential"].person)
    mine = [(i.reference, i.level) for i in items if i.reference.endswith("-HELD")]
    assert mine == [("SB-HELD", Level.CONFIDENTIAL), ("JZ-HELD", Level.SECRET)]
    kinds = {i.reference: i.kind for i in items}
    assert kinds["SB-HELD"] != kinds["JZ-HELD"]
    assert "SB-USED" not in kinds
    assert [i.reference for i in outstanding_custody(people["secret"].person)] == []


@pytest.mark.rule("C9")
def test_the_exit_waits_for_every_device_and_medium(people, leaver_file, held):
    device, medium = held
    case = file_exit(people["office"], leaver_file, kind=ExitKind.LEAVE_UNIT,
                     leave_on=date(2026, 1, 31), reason="辞职")
    request = decide(people["head"], case.request, "approve")
    request = decide(people["office_important"], request, "approve")
    with pytest.raises(RuleViolation) as exc:
        decide(people["leader"], request, "approve")
    assert (exc.value.code, exc.value.rule) == ("custody_outstanding", "C9")
    assert "SB-HELD" in exc.value.message and "JZ-HELD" in exc.value.message
    services.update_device(people["office"], device, location=device.location,
                           responsible=people["top"].person, state=DeviceState.IN_USE)
    with pytest.raises(RuleViolation):  # the medium is still theirs
        decide(people["leader"], request, "approve")
    services.update_medium(people["office"], medium, location=medium.location,
                           responsible=people["top"].person)
    decide(people["leader"], request, "approve")
    case = ExitCase.objects.select_related("file").get(pk=case.pk)
    assert case.state == ExitState.APPROVED
