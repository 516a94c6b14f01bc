"""rule Q7, container side: carriers of 机密 and above are kept only in containers standing in
a secure room with door access control, video kept at least 30 days from a camera outside the
room, and an intrusion alarm. Placing refuses (registration, storing, moving the container);
the rule `carriers.secure_room` finds what changed afterwards."""

import pytest

from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.carriers.choices import ContainerKind
from baomi.carriers.models import Carrier, Container
from baomi.carriers.rules_room import container_outside_secure_room
from baomi.compliance.services import update_room
from baomi.core.errors import RuleViolation
from baomi.core.labels import Level, Scheme
from baomi.core.testing.factories import SecureRoomFactory
from baomi.obligations.registry import Severity
from baomi.secrets.choices import PeriodKind

from . import service_support as support
from .service_support import today

people, yf1, keeper, safe, register = (
    support.people, support.yf1, support.keeper, support.safe, support.register)

pytestmark = [pytest.mark.django_db, pytest.mark.rule("Q7")]
PERIOD = {Level.TOP_SECRET: {"period_kind": PeriodKind.YEARS, "period_value": 30}}


def container_in(unit, room, number="MX-Q7"):
    return Container.objects.create(unit=unit, number=number, kind=ContainerKind.SAFE,
                                    rating=Level.TOP_SECRET, location="库房", room=room)


def refused(call):
    with pytest.raises(RuleViolation) as exc:
        call()
    assert (exc.value.code, exc.value.rule) == ("secure_room", "Q7")
    return exc.value


@pytest.mark.parametrize("level", [Level.SECRET, Level.CONFIDENTIAL, Level.TOP_SECRET])
def test_from_confidential_up_a_carrier_needs_a_secure_room(people, unit, register, level):
    bare = container_in(unit, None)
    if level >= Level.CONFIDENTIAL:
        error = refused(lambda: register(container=bare, level=level, **PERIOD.get(level, {})))
        assert "container" in error.fields and not Carrier.objects.exists()
    else:  # 秘密: any container rated for it
        assert register(container=bare, level=level).container == bare


def test_other_schemes_need_no_secure_room(people, unit, register):
    """rule L4: a 商业秘密 of grade 机密 carries no state level."""
    bare = container_in(unit, None)
    assert register(container=bare, scheme=Scheme.COMMERCIAL, level=Level.CONFIDENTIAL)


@pytest.mark.parametrize(("days", "meets"), [(29, False), (30, True)])
def test_video_is_kept_thirty_days_not_twenty_nine(people, unit, register, days, meets):
    container = container_in(unit, SecureRoomFactory(unit=unit, video_retention_days=days))
    if meets:
        assert register(container=container).container == container
    else:
        refused(lambda: register(container=container))


@pytest.mark.parametrize("lacking", [{"access_control": False}, {"video": False},
                                     {"camera_inside": True}, {"alarm": False}])
def test_each_measure_is_needed(people, unit, register, lacking):
    container = container_in(unit, SecureRoomFactory(unit=unit, **lacking))
    refused(lambda: register(container=container))


def test_storing_into_a_container_outside_a_secure_room_is_refused(people, unit, register):
    carrier = register()
    bare = container_in(unit, None)
    refused(lambda: services.store_carrier(people["office"], carrier, container=bare))
    assert Carrier.objects.get(pk=carrier.pk).container_id != bare.pk
    assert not AuditEvent.objects.filter(action="CARRIER_STORED").exists()


def test_a_container_holding_confidential_carriers_moves_only_to_a_secure_room(
        people, unit, register, safe):
    register()  # 机密, in the safe
    poor = SecureRoomFactory(unit=unit, alarm=False)
    error = refused(lambda: services.update_container(
        people["office"], safe, location="库房", custodian=None, active=True, room=poor))
    assert "room" in error.fields
    assert Container.objects.get(pk=safe.pk).room_id != poor.pk
    good = SecureRoomFactory(unit=unit)
    moved = services.update_container(people["office"], safe, location="新保密室",
                                      custodian=None, active=True, room=good)
    assert Container.objects.get(pk=moved.pk).room_id == good.pk


def test_a_container_holding_only_secret_carriers_may_stand_anywhere(people, unit, register,
                                                                     safe):
    register(level=Level.SECRET, period_value=5)
    services.update_container(people["office"], safe, location="库房", custodian=None,
                              active=True, room=None)
    assert Container.objects.get(pk=safe.pk).room is None


def test_the_rule_lists_containers_whose_room_no_longer_meets_q7(people, unit, register, safe):
    register(level=Level.TOP_SECRET, **PERIOD[Level.TOP_SECRET])
    secret_only = container_in(unit, SecureRoomFactory(unit=unit, alarm=False), number="MX-2")
    register(container=secret_only, level=Level.SECRET, period_value=5)
    assert [row["subject_id"] for row in container_outside_secure_room(today())] == []
    room = safe.room
    update_room(people["office"], room, name=room.name, location=room.location,
                access_control=True, video=True, video_retention_days=7, camera_inside=False,
                alarm=True)  # reality changed: the recorder keeps a week
    rows = list(container_outside_secure_room(today()))
    assert [row["subject_id"] for row in rows] == [safe.pk]
    assert rows[0]["level"] == Level.TOP_SECRET  # rule L5: seen by those cleared for it
    assert (rows[0]["severity"], rows[0]["due_date"]) == (Severity.CRITICAL, today())
