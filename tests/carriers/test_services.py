"""Writes of the carrier ledger: containers and their ratings (rule C3), registration with
登记/签收 (rule C2), the level of a carrier of a secret item and who may keep it (rules L4,
L5), storing, custody, audited reads and exports; bad input is refused naming the field and
leaves nothing behind."""

import datetime
import json

import pytest

from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.carriers.choices import MAX_RATING, CarrierOrigin, CarrierState, ContainerKind
from baomi.carriers.models import Carrier, Container
from baomi.core.errors import AccessDenied, Conflict, DomainError, InvalidInput, RuleViolation
from baomi.core.labels import Category, Level, Scheme
from baomi.core.testing.factories import (
    DepartmentFactory,
    PersonFactory,
    SecureRoomFactory,
    UnitFactory,
)
from baomi.secrets.choices import ItemState, PeriodKind

from . import service_support as support
from .service_support import make_item, today

people, yf1, keeper, safe, item, register = (
    support.people, support.yf1, support.keeper, support.safe, support.item, support.register)


def events(action):
    return AuditEvent.objects.filter(action=action).count()


# --- containers (rule C3) ------------------------------------------------------------------


@pytest.mark.rule("C3")
@pytest.mark.parametrize("kind", list(ContainerKind))
@pytest.mark.parametrize("rating", list(Level))
def test_a_container_is_rated_at_most_what_its_kind_holds(people, unit, kind, rating):
    def registered():
        return services.register_container(people["office"], unit=unit, number="G-1",
                                           kind=kind, rating=rating, location="保密室",
                                           room=SecureRoomFactory(unit=unit))

    if rating <= MAX_RATING[kind]:
        container = registered()
        assert (container.kind, container.rating) == (kind, rating)
        assert events("CONTAINER_REGISTERED") == 1
    else:
        with pytest.raises(RuleViolation) as exc:
            registered()
        assert (exc.value.code, exc.value.rule) == ("rating_above_kind", "C3")
        assert "rating" in exc.value.fields
        assert not Container.objects.exists() and events("CONTAINER_REGISTERED") == 0


@pytest.mark.rule("C3")
def test_the_kinds_follow_the_regulation():
    # seed 000 细则§9: a plain 保密柜 holds no state secret, 密码文件柜 up to 机密, 密码保险柜 绝密.
    assert MAX_RATING == {ContainerKind.CABINET: Level.NONSECRET,
                          ContainerKind.CODED_CABINET: Level.CONFIDENTIAL,
                          ContainerKind.SAFE: Level.TOP_SECRET}


def test_container_numbers_are_unique_per_unit(people, unit):
    services.register_container(people["office"], unit=unit, number="G-1",
                                kind=ContainerKind.SAFE, rating=Level.TOP_SECRET, location="A")
    with pytest.raises(Conflict) as exc:
        services.register_container(people["office"], unit=unit, number="G-1",
                                    kind=ContainerKind.CABINET, rating=0, location="B")
    assert exc.value.code == "number_exists" and "number" in exc.value.fields
    assert Container.objects.filter(number="G-1").count() == 1


@pytest.mark.rule("L5")
def test_a_container_custodian_is_cleared_for_its_rating(people, unit):
    with pytest.raises(RuleViolation) as exc:
        services.register_container(people["office"], unit=unit, number="G-1",
                                    kind=ContainerKind.SAFE, rating=Level.TOP_SECRET,
                                    location="A", custodian=people["reader"].person)
    assert (exc.value.code, exc.value.rule) == ("clearance", "L5")
    container = services.register_container(
        people["office"], unit=unit, number="G-1", kind=ContainerKind.SAFE,
        rating=Level.TOP_SECRET, location="A", custodian=people["senior"].person)
    assert container.custodian == people["senior"].person


def test_only_the_secrecy_office_registers_containers(people, unit):
    with pytest.raises(AccessDenied) as exc:
        services.register_container(people["head"], unit=unit, number="G-1",
                                    kind=ContainerKind.CABINET, rating=0, location="A")
    assert exc.value.code == "not_secrecy_office" and not Container.objects.exists()


def test_a_container_holding_carriers_is_not_retired(people, unit, safe, register):
    carrier = register()
    with pytest.raises(Conflict) as exc:
        services.update_container(people["office"], safe, location="保密室", custodian=None,
                                  active=False, room=safe.room)
    assert exc.value.code == "container_not_empty"
    assert Container.objects.get(pk=safe.pk).active and events("CONTAINER_UPDATED") == 0
    other = Container.objects.create(unit=unit, number="BXG-02", kind=ContainerKind.SAFE,
                                     rating=Level.TOP_SECRET, location="档案室",
                                     room=SecureRoomFactory(unit=unit))
    services.store_carrier(people["office"], carrier, container=other)
    updated = services.update_container(people["office"], safe, location="库房",
                                        custodian=people["senior"].person, active=False,
                                        room=safe.room)
    assert (updated.active, updated.location) == (False, "库房")
    event = AuditEvent.objects.get(action="CONTAINER_UPDATED")
    assert json.loads(event.before)["active"] is True and json.loads(event.after)["active"] is False
    with pytest.raises(InvalidInput) as exc:  # a retired container takes nothing in
        services.store_carrier(people["office"], carrier, container=updated)
    assert exc.value.code == "container_retired"


def test_containers_of_other_offices_are_not_found(people, unit, make_user, safe):
    other = UnitFactory(code="OTHER")
    stranger = make_user("stranger", roles=["secrecy_office"], category=Category.CORE,
                         unit=other)
    from baomi.core.errors import NotFound

    with pytest.raises(NotFound):
        services.update_container(stranger, safe, location="X", custodian=None, active=True, room=None)


# --- registration: 登记/签收 (rule C2) ------------------------------------------------------


@pytest.mark.rule("C2")
def test_a_received_carrier_names_its_source_and_who_signed_for_it(people, register):
    with pytest.raises(RuleViolation) as exc:
        register(origin=CarrierOrigin.RECEIVED)
    assert (exc.value.code, exc.value.rule) == ("receipt_incomplete", "C2")
    assert set(exc.value.fields) == {"source_unit", "source_document_no", "signed_by"}
    with pytest.raises(RuleViolation) as exc:  # each one missing is refused on its own
        register(origin=CarrierOrigin.RECEIVED, source_unit="上级机关",
                 source_document_no="机要〔2026〕12号")
    assert set(exc.value.fields) == {"signed_by"}
    assert not Carrier.objects.exists() and events("CARRIER_REGISTERED") == 0
    carrier = register(origin=CarrierOrigin.RECEIVED, source_unit="上级机关",
                       source_document_no="机要〔2026〕12号", signed_by=people["reader"].person)
    assert (carrier.source_unit, carrier.signed_by) == ("上级机关", people["reader"].person)
    event = AuditEvent.objects.get(action="CARRIER_REGISTERED")
    assert event.object_id == str(carrier.pk) and event.unit_id == carrier.unit_id
    assert json.loads(event.after)["source_document_no"] == "机要〔2026〕12号"


@pytest.mark.rule("C2")
def test_a_produced_carrier_needs_no_source(register):
    carrier = register(origin=CarrierOrigin.PRODUCED)
    assert carrier.state == CarrierState.IN_STORE
    assert (carrier.source_unit, carrier.source_document_no, carrier.signed_by) == ("", "", None)


@pytest.mark.rule("L5")
def test_who_signs_for_a_carrier_is_cleared_for_it(people, register):
    with pytest.raises(RuleViolation) as exc:
        register(origin=CarrierOrigin.RECEIVED, source_unit="上级机关",
                 source_document_no="机要〔2026〕12号", signed_by=people["clerk"].person)
    assert (exc.value.code, exc.value.rule) == ("clearance", "L5")
    assert "signed_by" in exc.value.fields


# --- storage: container ratings (rule C3) ----------------------------------------------------

LABELS = [(Scheme.WORK, Level.SECRET), (Scheme.STATE, Level.SECRET),
          (Scheme.STATE, Level.CONFIDENTIAL), (Scheme.STATE, Level.TOP_SECRET)]


@pytest.mark.rule("C3")
@pytest.mark.parametrize("kind", list(ContainerKind))
@pytest.mark.parametrize(("scheme", "level"), LABELS)
def test_each_kind_holds_up_to_its_rating(people, unit, register, kind, scheme, level):
    container = Container.objects.create(unit=unit, number=f"G-{kind}", kind=kind,
                                         rating=MAX_RATING[kind], location="保密室",
                                         room=SecureRoomFactory(unit=unit))
    holds = scheme != Scheme.STATE or level <= MAX_RATING[kind]
    if holds:
        carrier = register(container=container, scheme=scheme, level=level)
        assert carrier.container == container
    else:
        with pytest.raises(RuleViolation) as exc:
            register(container=container, scheme=scheme, level=level)
        assert (exc.value.code, exc.value.rule) == ("container_rating", "C3")
        assert "container" in exc.value.fields
        assert not Carrier.objects.exists()


@pytest.mark.rule("C3")
def test_the_boundaries_named_by_the_rule(people, unit, register):
    cabinet = Container.objects.create(unit=unit, number="BMG", kind=ContainerKind.CABINET,
                                       rating=Level.NONSECRET, location="办公室")
    coded = Container.objects.create(unit=unit, number="MMG", kind=ContainerKind.CODED_CABINET,
                                     rating=Level.CONFIDENTIAL, location="保密室",
                                     room=SecureRoomFactory(unit=unit))
    rated_secret = Container.objects.create(unit=unit, number="MMG-2",
                                            kind=ContainerKind.CODED_CABINET,
                                            rating=Level.SECRET, location="保密室",
                                            room=SecureRoomFactory(unit=unit))
    assert register(container=cabinet, scheme=Scheme.WORK, level=Level.SECRET)  # 工作秘密
    with pytest.raises(RuleViolation):  # a plain 保密柜 holds no 秘密
        register(container=cabinet, level=Level.SECRET)
    assert register(container=coded, level=Level.CONFIDENTIAL)  # 密码文件柜: 机密
    with pytest.raises(RuleViolation):  # but not 绝密
        register(container=coded, level=Level.TOP_SECRET)
    assert register(container=rated_secret, level=Level.SECRET)
    with pytest.raises(RuleViolation) as exc:  # a container rated 秘密 refuses 机密
        register(container=rated_secret, level=Level.CONFIDENTIAL)
    assert exc.value.code == "container_rating"


@pytest.mark.rule("C3")
def test_storing_moves_a_carrier_only_into_a_container_rated_for_it(people, unit, register):
    coded = Container.objects.create(unit=unit, number="MMG", kind=ContainerKind.CODED_CABINET,
                                     rating=Level.CONFIDENTIAL, location="保密室",
                                     room=SecureRoomFactory(unit=unit))
    top = register(level=Level.TOP_SECRET)
    with pytest.raises(RuleViolation) as exc:
        services.store_carrier(people["office"], top, container=coded)
    assert exc.value.code == "container_rating"
    assert Carrier.objects.get(pk=top.pk).container.number == "BXG-01"
    assert events("CARRIER_STORED") == 0
    carrier = register(level=Level.CONFIDENTIAL)
    moved = services.store_carrier(people["office"], carrier, container=coded, location="二层")
    assert (moved.container, moved.location) == (coded, "二层")
    event = AuditEvent.objects.get(action="CARRIER_STORED")
    assert json.loads(event.after) == {"container": coded.pk, "location": "二层"}


# --- level of a carrier of a secret item, and who keeps it (rules L4, L5) -----------------


@pytest.mark.rule("L5")
def test_a_carrier_is_never_below_its_item(people, item, register):
    with pytest.raises(RuleViolation) as exc:
        register(secret_item=item, level=Level.SECRET)
    assert (exc.value.code, exc.value.rule) == ("below_source", "L5")
    assert "level" in exc.value.fields and not Carrier.objects.exists()
    assert register(secret_item=item, level=Level.CONFIDENTIAL).secret_item == item
    assert register(secret_item=item, level=Level.TOP_SECRET).level == Level.TOP_SECRET


@pytest.mark.rule("L4")
def test_a_carrier_keeps_the_scheme_of_its_item(people, item, register):
    with pytest.raises(RuleViolation) as exc:
        register(secret_item=item, scheme=Scheme.COMMERCIAL, level=Level.CONFIDENTIAL)
    assert (exc.value.code, exc.value.rule) == ("scheme_mismatch", "L4")


@pytest.mark.rule("L4")
@pytest.mark.parametrize(("scheme", "level", "ok"), [
    (Scheme.WORK, Level.SECRET, True), (Scheme.WORK, Level.CONFIDENTIAL, False),
    (Scheme.COMMERCIAL, Level.CONFIDENTIAL, True), (Scheme.COMMERCIAL, Level.TOP_SECRET, False),
])
def test_other_schemes_have_their_own_grades(register, scheme, level, ok):
    if ok:
        assert register(scheme=scheme, level=level).scheme == scheme
    else:
        with pytest.raises(RuleViolation) as exc:
            register(scheme=scheme, level=level)
        assert (exc.value.code, exc.value.rule) == ("level_not_in_scheme", "L4")


def test_a_carrier_of_an_item_no_longer_secret_is_refused(unit, people, register):
    declassified = make_item(unit, people, state=ItemState.DECLASSIFIED)
    with pytest.raises(InvalidInput) as exc:
        register(secret_item=declassified)
    assert exc.value.code == "item_not_in_force" and "secret_item" in exc.value.fields


@pytest.mark.rule("L5")
def test_the_custodian_is_cleared_for_the_level(people, register):
    with pytest.raises(RuleViolation) as exc:
        register(level=Level.CONFIDENTIAL, custodian=people["clerk"].person)
    assert (exc.value.code, exc.value.rule) == ("clearance", "L5")
    assert "custodian" in exc.value.fields and not Carrier.objects.exists()
    assert register(level=Level.SECRET, custodian=people["clerk"].person)
    # 工作秘密 carries no state level (rule L4): anyone of the unit may keep it.
    nonsecret = PersonFactory(unit=people["clerk"].person.unit, category=Category.NONE)
    assert register(scheme=Scheme.WORK, level=Level.SECRET, custodian=nonsecret)


@pytest.mark.rule("L5")
def test_nobody_registers_above_their_clearance(people, make_user, register):
    junior_office = make_user("office3", roles=["secrecy_office"], category=Category.IMPORTANT)
    with pytest.raises(RuleViolation) as exc:
        register(actor=junior_office, level=Level.TOP_SECRET)
    assert (exc.value.code, exc.value.rule) == ("above_clearance", "L5")
    assert register(actor=junior_office, level=Level.CONFIDENTIAL)


@pytest.mark.rule("S2")
@pytest.mark.parametrize(("period_kind", "period_value", "level", "code"), [
    (PeriodKind.YEARS, 21, Level.CONFIDENTIAL, "period_too_long"),
    (PeriodKind.MONTHS, 12, Level.SECRET, "months_over_a_year"),
    (PeriodKind.YEARS, None, Level.SECRET, "period_required"),
    (PeriodKind.LONG_TERM, None, Level.CONFIDENTIAL, "long_term_top_secret_only"),
])
def test_the_period_follows_the_secrets_rules(register, period_kind, period_value, level, code):
    with pytest.raises(RuleViolation) as exc:
        register(period_kind=period_kind, period_value=period_value, level=level)
    assert exc.value.code == code


def test_periods_without_a_value_drop_it(register):
    carrier = register(level=Level.TOP_SECRET, period_kind=PeriodKind.LONG_TERM, period_value=30)
    assert (carrier.period_kind, carrier.period_value) == (PeriodKind.LONG_TERM, None)
    assert register(period_kind=PeriodKind.CONDITION, period_value=None).period_value is None
    assert register(period_kind=PeriodKind.MONTHS, period_value=6).period_value == 6


def test_numbers_are_unique_per_unit(register):
    register(number="ZT-1")
    with pytest.raises(Conflict) as exc:
        register(number="ZT-1", title="另一份")
    assert exc.value.code == "number_exists" and "number" in exc.value.fields
    assert Carrier.objects.count() == 1


def test_only_the_secrecy_office_of_the_unit_registers(people, make_user, register):
    with pytest.raises(AccessDenied) as exc:
        register(actor=people["head"])
    assert exc.value.code == "not_secrecy_office"
    elsewhere = make_user("elsewhere", roles=["secrecy_office"], category=Category.CORE,
                          unit=UnitFactory(code="OTHER"))
    with pytest.raises(AccessDenied):
        register(actor=elsewhere)
    assert not Carrier.objects.exists()


# --- bad input: refused with the field, nothing written ------------------------------------


def _elsewhere():
    other = UnitFactory(code="ELSEWHERE")
    return other, DepartmentFactory(unit=other)


BAD = [
    ("number", {"number": ""}), ("number", {"number": "N" * 51}), ("number", {"number": 12}),
    ("title", {"title": " "}), ("title", {"title": "x" * 301}), ("title", {"title": "a\x00b"}),
    ("kind", {"kind": "scroll"}), ("kind", {"kind": None}), ("scheme", {"scheme": "secret"}),
    ("level", {"level": 0}), ("level", {"level": 9}), ("level", {"level": "2"}),
    ("level", {"level": True}), ("period_kind", {"period_kind": "decades"}),
    ("period_value", {"period_value": 0}), ("period_value", {"period_value": "10"}),
    ("origin", {"origin": "found"}), ("received_on", {"received_on": "2026-01-01"}),
    ("received_on", {"received_on": datetime.datetime(2026, 1, 1)}),
    ("received_on", {"received_on": today() + datetime.timedelta(days=1)}),
    ("custodian", {"custodian": None}), ("custodian", {"custodian": "保管员"}),
    ("department", {"department": None}), ("container", {"container": "BXG-01"}),
    ("pages", {"pages": 0}), ("pages", {"pages": "12"}), ("copies", {"copies": 0}),
    ("copies", {"copies": 10**6}), ("location", {"location": "x" * 201}),
    ("capacity", {"capacity": "x" * 51}), ("copy_no", {"copy_no": "x" * 21}),
    ("source_unit", {"source_unit": "x" * 201}), ("secret_item", {"secret_item": 5}),
    ("signed_by", {"signed_by": "张三"}), ("unit", {"unit": None}),
]


@pytest.mark.parametrize(("field", "overrides"), BAD, ids=[f"{f}-{i}" for i, (f, _) in
                                                          enumerate(BAD)])
def test_bad_input_is_refused_naming_the_field(register, field, overrides):
    with pytest.raises(DomainError) as exc:
        register(**overrides)
    assert isinstance(exc.value, InvalidInput | RuleViolation)
    assert field in exc.value.fields
    assert not Carrier.objects.exists() and events("CARRIER_REGISTERED") == 0


@pytest.mark.parametrize("field", ["department", "custodian", "container", "signed_by",
                                   "secret_item"])
def test_objects_of_another_unit_are_refused(people, register, field):
    other, department = _elsewhere()
    stranger = PersonFactory(unit=other, department=department, category=Category.CORE)
    values = {
        "department": department, "custodian": stranger, "signed_by": stranger,
        "container": Container.objects.create(unit=other, number="X", kind=ContainerKind.SAFE,
                                              rating=Level.TOP_SECRET, location="X"),
        "secret_item": make_item(other, people, scope=()),
    }
    with pytest.raises(InvalidInput) as exc:
        register(**{field: values[field]})
    assert field in exc.value.fields and not Carrier.objects.exists()


def test_an_inactive_custodian_is_refused(register, keeper):
    keeper.active = False
    keeper.save()
    with pytest.raises(InvalidInput) as exc:
        register(custodian=keeper)
    assert exc.value.code == "unknown_person"


@pytest.mark.parametrize(("args", "field"), [
    ({"number": ""}, "number"), ({"kind": "box"}, "kind"), ({"rating": 4}, "rating"),
    ({"rating": "3"}, "rating"), ({"location": ""}, "location"), ({"unit": "DEMO"}, "unit"),
])
def test_bad_container_input_names_the_field(people, unit, args, field):
    values = {"unit": unit, "number": "G-1", "kind": ContainerKind.SAFE,
              "rating": Level.TOP_SECRET, "location": "保密室", **args}
    with pytest.raises(InvalidInput) as exc:
        services.register_container(people["office"], **values)
    assert field in exc.value.fields and not Container.objects.exists()


# --- custody ------------------------------------------------------------------------------


@pytest.mark.rule("L5")
def test_custody_passes_only_to_someone_cleared(people, register):
    carrier = register(level=Level.CONFIDENTIAL)
    with pytest.raises(RuleViolation) as exc:
        services.change_custodian(people["office"], carrier, custodian=people["clerk"].person,
                                  reason="岗位调整")
    assert (exc.value.code, exc.value.rule) == ("clearance", "L5")
    with pytest.raises(InvalidInput) as exc:
        services.change_custodian(people["office"], carrier, custodian=people["reader"].person,
                                  reason="")
    assert "reason" in exc.value.fields
    changed = services.change_custodian(people["office"], carrier,
                                        custodian=people["reader"].person, reason="岗位调整")
    assert changed.custodian == people["reader"].person
    event = AuditEvent.objects.get(action="CARRIER_CUSTODIAN_CHANGED")
    assert json.loads(event.after) == {"custodian": people["reader"].person_id} and event.reason == "岗位调整"


def test_carriers_out_of_sight_are_not_found(people, register):
    from baomi.core.errors import NotFound

    top = register(level=Level.TOP_SECRET)
    with pytest.raises(NotFound):  # rule L5: the clerk does not learn it exists
        services.change_custodian(people["clerk"], top, custodian=people["senior"].person,
                                  reason="x")
    with pytest.raises(AccessDenied):  # the department head sees it, but keeps no ledger
        services.change_custodian(people["head"], top, custodian=people["senior"].person,
                                  reason="x")


# --- audited reads and exports --------------------------------------------------------------


@pytest.mark.parametrize(("scheme", "level", "audited"), [
    (Scheme.STATE, Level.SECRET, False), (Scheme.STATE, Level.CONFIDENTIAL, True),
    (Scheme.STATE, Level.TOP_SECRET, True), (Scheme.COMMERCIAL, Level.CONFIDENTIAL, False),
])
def test_reads_of_confidential_and_top_secret_carriers_are_audited(people, register, scheme,
                                                                    level, audited):
    carrier = register(scheme=scheme, level=level)
    services.record_carrier_read(people["office"], carrier)
    assert events("CARRIER_READ") == int(audited)


def test_exports_are_audited(people, unit):
    services.record_carrier_export(people["office"], unit.pk, {"level": "2"}, 17)
    event = AuditEvent.objects.get(action="CARRIERS_EXPORTED")
    assert (event.unit_id, json.loads(event.after)) == (
        unit.pk, {"filters": {"level": "2"}, "rows": 17})

