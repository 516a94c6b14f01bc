"""The print log (打印输出登记, rule C10): whoever printed a classified document logs it, or
the 保密办 does for them; never above the printer's clearance; a printout kept becomes a
carrier on the ledger. The 保密办 sees the unit's log, others their own lines (rule L5)."""

import datetime
import json

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.accounts.services import assign_role
from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.carriers.choices import CarrierKind, CarrierOrigin
from baomi.carriers.models import Carrier, PrintRecord
from baomi.carriers.selectors_copying import print_list, prints_visible_to
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, RuleViolation
from baomi.core.labels import Level, Scheme
from baomi.core.testing.factories import PersonFactory
from baomi.secrets.choices import PeriodKind

from . import service_support as support
from .service_support import today

people, yf1, keeper, safe, item, register = (
    support.people, support.yf1, support.keeper, support.safe, support.item, support.register)


def log(actor, **overrides):
    fields = {"title": "型号总体方案（评审稿）", "scheme": Scheme.STATE, "level": Level.SECRET,
              "pages": 12, "copies": 2, "device": "研发一部涉密打印机 YF1-PR-01"}
    return services.record_print(actor, **{**fields, **overrides})


@pytest.mark.rule("C10")
def test_the_printer_logs_their_own_printout(people):
    record = log(people["clerk"], approved_by=people["head"].person)
    assert (record.printed_by, record.recorded_by, record.unit_id) == (
        people["clerk"].person, people["clerk"], people["clerk"].person.unit_id)
    assert record.department == people["clerk"].person.department
    assert record.carrier is None and record.printed_at <= timezone.now()
    event = AuditEvent.objects.get(action="CARRIER_PRINT_RECORDED")
    assert json.loads(event.after)["printed_by"] == people["clerk"].person_id
    assert event.unit_id == record.unit_id


@pytest.mark.rule("C10")
def test_a_print_above_the_printers_clearance_is_refused(people):
    with pytest.raises(RuleViolation) as exc:  # the 保密办 logging for a 秘密 clerk
        log(people["office"], printed_by=people["clerk"].person, level=Level.CONFIDENTIAL)
    assert (exc.value.code, exc.value.rule) == ("above_clearance", "C10")
    with pytest.raises(RuleViolation) as exc:  # nor the clerk themselves (rule L5 first)
        log(people["clerk"], level=Level.CONFIDENTIAL)
    assert exc.value.code == "above_clearance"
    log(people["office"], printed_by=people["clerk"].person, level=Level.SECRET)  # boundary
    assert PrintRecord.objects.count() == 1
    assert AuditEvent.objects.filter(action="CARRIER_PRINT_RECORDED").count() == 1


@pytest.mark.rule("L4")
def test_a_work_secret_print_needs_no_state_clearance(people, unit):
    nonsecret = PersonFactory(unit=unit, department=people["clerk"].person.department)
    record = log(people["office"], printed_by=nonsecret, scheme=Scheme.WORK, level=Level.SECRET)
    assert record.printed_by == nonsecret


@pytest.mark.rule("L5")
def test_approver_and_recipient_are_cleared_for_the_printout(people):
    for field in ("approved_by", "recipient"):
        with pytest.raises(RuleViolation) as exc:
            log(people["reader"], level=Level.CONFIDENTIAL, **{field: people["clerk"].person})
        assert (exc.value.code, exc.value.rule) == ("clearance", "L5")
        assert field in exc.value.fields
    assert not PrintRecord.objects.exists()


@pytest.mark.rule("C10")
def test_only_the_office_logs_someone_elses_printout(people):
    with pytest.raises(AccessDenied) as exc:
        log(people["reader"], printed_by=people["clerk"].person)
    assert exc.value.code == "not_secrecy_office"
    record = log(people["office"], printed_by=people["clerk"].person)
    assert (record.printed_by, record.recorded_by) == (people["clerk"].person, people["office"])


@pytest.mark.rule("C10")
@pytest.mark.rule("C1")
def test_a_printout_kept_is_registered_as_a_carrier(people, item, safe):
    record = log(people["office"], printed_by=people["reader"].person,
                 level=Level.CONFIDENTIAL, recipient=people["senior"].person,
                 register_carrier=True, number="DY-2026-001", period_kind=PeriodKind.YEARS,
                 period_value=10, secret_item=item, container=safe)
    carrier = Carrier.objects.get(number="DY-2026-001")
    assert record.carrier == carrier
    assert (carrier.kind, carrier.origin, carrier.level, carrier.secret_item) == (
        CarrierKind.PAPER, CarrierOrigin.PRODUCED, Level.CONFIDENTIAL, item)
    assert (carrier.pages, carrier.copies, carrier.custodian, carrier.container) == (
        12, 2, people["senior"].person, safe)
    assert carrier.department == people["reader"].person.department
    assert carrier.received_on == today() and carrier.title == record.title
    assert AuditEvent.objects.filter(action="CARRIER_REGISTERED").count() == 1


@pytest.mark.rule("C10")
def test_only_the_office_registers_a_printout_as_a_carrier(people):
    with pytest.raises(AccessDenied) as exc:
        log(people["reader"], register_carrier=True, number="DY-1",
            period_kind=PeriodKind.YEARS, period_value=5)
    assert exc.value.code == "not_secrecy_office"
    assert not PrintRecord.objects.exists() and not Carrier.objects.exists()


def test_a_refused_registration_leaves_no_print_record(people, register):
    taken = register(level=Level.SECRET)
    with pytest.raises(Conflict) as exc:
        log(people["office"], register_carrier=True, number=taken.number,
            period_kind=PeriodKind.YEARS, period_value=5)
    assert exc.value.code == "number_exists"
    with pytest.raises(RuleViolation) as exc:  # the period is checked as for any carrier
        log(people["office"], register_carrier=True, number="DY-2",
            period_kind=PeriodKind.YEARS, period_value=None)
    assert exc.value.code == "period_required"
    assert not PrintRecord.objects.exists() and Carrier.objects.count() == 1


@pytest.mark.rule("C10")
@pytest.mark.rule("L5")
def test_the_office_sees_the_units_log_others_their_own(people):
    mine = log(people["clerk"])
    theirs = log(people["reader"], level=Level.CONFIDENTIAL)
    assert set(print_list(people["office"], office=True)) == {mine, theirs}
    assert list(print_list(people["clerk"], office=False)) == [mine]
    assert list(print_list(people["reader"], office=False)) == [theirs]
    assert not prints_visible_to(people["head"]).exists()
    # a 秘密 officer of the 保密办 never sees a 机密 line
    assign_role(None, people["clerk"], Role.SECRECY_OFFICE)
    people["clerk"].__dict__.pop("_perimeters", None)
    assert list(print_list(people["clerk"], office=True)) == [mine]


@pytest.mark.parametrize(("overrides", "exc_type", "code", "field"), [
    ({"title": ""}, InvalidInput, "required", "title"),
    ({"scheme": "top"}, InvalidInput, "invalid", "scheme"),
    ({"level": 0}, InvalidInput, "invalid", "level"),
    ({"level": 3, "scheme": Scheme.WORK}, RuleViolation, "level_not_in_scheme", "level"),
    ({"pages": 0}, InvalidInput, "out_of_range", "pages"),
    ({"copies": 10_000}, InvalidInput, "out_of_range", "copies"),
    ({"device": "x" * 101}, InvalidInput, "too_long", "device"),
    ({"printed_at": "today"}, InvalidInput, "invalid", "printed_at"),
    ({"printed_at": datetime.datetime(1, 1, 1)}, InvalidInput, "out_of_range", "printed_at"),
    ({"register_carrier": "yes"}, InvalidInput, "invalid", "register_carrier"),
])
def test_bad_input_is_refused(people, overrides, exc_type, code, field):
    with pytest.raises(exc_type) as exc:
        log(people["reader"], **overrides)
    assert exc.value.code == code and field in exc.value.fields
    assert not PrintRecord.objects.exists()


def test_a_printout_cannot_be_logged_in_the_future(people):
    later = timezone.now() + datetime.timedelta(hours=1)
    with pytest.raises(InvalidInput) as exc:
        log(people["reader"], printed_at=later)
    assert exc.value.code == "future_date"
    naive = datetime.datetime.now() - datetime.timedelta(hours=2)  # local time
    record = log(people["reader"], printed_at=naive)
    assert timezone.is_aware(record.printed_at)
