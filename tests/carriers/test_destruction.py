"""Destruction of carriers (rule C7): the list (清点/核对/登记/造册), its approval, the record of
the destruction by at least two people; a rejected list returns its carriers; a carrier on loan
or on another open list is not listed; a destroyed carrier is locked for every service and
leaves the custody check of its custodian (rule C9); bad input leaves nothing behind."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request, Step
from baomi.approvals.services import decide, submit_request, withdraw_request
from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.carriers.choices import CarrierKind, CarrierState, LoanKind
from baomi.carriers.custody import carriers_held
from baomi.carriers.models import Carrier, Container, DestructionBatch, DestructionItem, Loan
from baomi.carriers.models.destruction import BatchState, DestructionMethod
from baomi.carriers.selectors_destruction import batches_visible_to
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Category, Level, Scheme
from baomi.core.testing.factories import DepartmentFactory
from baomi.secrets.choices import PeriodKind

from . import service_support as support
from .destruction_support import approved, fresh, listed, new_batch, record_fields, submitted
from .service_support import approved_loan

people, yf1, keeper, safe, item, register = (
    support.people, support.yf1, support.keeper, support.safe, support.item, support.register)


def events(action):
    return AuditEvent.objects.filter(action=action).count()


def states(*carriers):
    return [Carrier.objects.get(pk=c.pk).state for c in carriers]


# --- drawing up the list (清点/登记/造册) ------------------------------------------------------


@pytest.mark.rule("C7")
def test_a_list_is_drawn_up_and_its_carriers_leave_the_store(people, unit, register):
    first, second = register(), register()
    batch = new_batch(people, unit)
    assert batch.state == BatchState.DRAFT
    assert batch.number == f"XH-{timezone.localdate().year}-001"
    assert new_batch(people, unit).number == f"XH-{timezone.localdate().year}-002"
    item = services.add_to_batch(people["office"], batch, first)
    services.add_to_batch(people["office"], batch, second)
    assert item.is_open and item.carrier_id == first.pk
    assert states(first, second) == [CarrierState.TO_DESTROY] * 2
    services.remove_from_batch(people["office"], batch, second)
    assert states(first, second) == [CarrierState.TO_DESTROY, CarrierState.IN_STORE]
    assert list(batch.items.values_list("carrier_id", flat=True)) == [first.pk]
    assert (events("DESTRUCTION_BATCH_CREATED"), events("DESTRUCTION_CARRIER_LISTED"),
            events("DESTRUCTION_CARRIER_UNLISTED")) == (2, 2, 1)


def test_only_the_secrecy_office_draws_up_a_list(people, unit, register):
    carrier = register()
    for who in ("head", "leader", "reader"):
        with pytest.raises(AccessDenied):
            services.create_batch(people[who], unit=unit, reason="过期", planned_place="销毁中心",
                                  planned_method=DestructionMethod.SHRED)
    batch = new_batch(people, unit)
    # The leader reads the list (to approve it) but does not change it.
    assert batches_visible_to(people["leader"]).filter(pk=batch.pk).exists()
    with pytest.raises(AccessDenied) as refused:
        services.add_to_batch(people["leader"], batch, carrier)
    assert refused.value.code == "not_secrecy_office"
    with pytest.raises(NotFound):
        services.add_to_batch(people["head"], batch, carrier)
    assert states(carrier) == [CarrierState.IN_STORE]


@pytest.mark.rule("C7")
@pytest.mark.parametrize("field, value, code", [
    ("reason", "", "required"),
    ("reason", "x" * 501, "too_long"),
    ("planned_method", "sold_as_waste", "invalid"),
    ("planned_method", None, "invalid"),
    ("planned_place", "  ", "required"),
    ("unit", "1", "unknown"),
])
def test_bad_input_of_a_new_list_is_refused_naming_the_field(people, unit, field, value, code):
    fields = {"unit": unit, "reason": "过期", "planned_method": DestructionMethod.SHRED,
              "planned_place": "保密室", field: value}
    with pytest.raises(InvalidInput) as refused:
        services.create_batch(people["office"], **fields)
    assert refused.value.code == code and field in refused.value.fields
    assert not DestructionBatch.objects.exists() and events("DESTRUCTION_BATCH_CREATED") == 0


@pytest.mark.rule("C7")
def test_never_sold_as_waste_not_even_in_the_database(people, unit):
    assert not {"sell", "waste", "sold_as_waste"} & set(DestructionMethod.values)
    with pytest.raises(IntegrityError), transaction.atomic():
        DestructionBatch.objects.create(unit=unit, number="X-1", reason="r", planned_place="p",
                                        planned_method="waste",
                                        created_by=people["office"])


@pytest.mark.rule("C7")
def test_a_carrier_on_loan_cannot_be_listed(people, unit, item, register):
    carrier = register(secret_item=item)
    batch = new_batch(people, unit)
    loan = approved_loan(people, carrier)
    # approved, not yet handed out: promised to the borrower
    with pytest.raises(Conflict) as refused:
        services.add_to_batch(people["office"], batch, carrier)
    assert refused.value.code == "on_loan"
    services.hand_out(people["office"], loan)
    with pytest.raises(Conflict) as refused:
        services.add_to_batch(people["office"], batch, carrier)
    assert refused.value.code == "on_loan"
    assert states(carrier) == [CarrierState.ON_LOAN] and not batch.items.exists()
    services.return_loan(people["office"], loan)
    services.add_to_batch(people["office"], batch, carrier)
    assert states(carrier) == [CarrierState.TO_DESTROY]


@pytest.mark.rule("C7")
def test_a_carrier_on_another_open_list_cannot_be_listed(people, unit, register):
    carrier = register()
    first = listed(people, unit, [carrier])
    second = new_batch(people, unit)
    with pytest.raises(Conflict) as refused:
        services.add_to_batch(people["office"], second, carrier)
    assert refused.value.code == "already_listed"
    with pytest.raises(Conflict) as refused:
        services.add_to_batch(people["office"], first, carrier)
    assert refused.value.code == "already_listed"
    assert DestructionItem.objects.filter(carrier=carrier).count() == 1
    # Off the first list, it may go on the second.
    services.remove_from_batch(people["office"], first, carrier)
    services.add_to_batch(people["office"], second, carrier)
    assert DestructionItem.objects.get(carrier=carrier).batch_id == second.pk


def test_a_carrier_of_another_unit_or_not_on_the_list_is_refused(people, unit, register,
                                                                   make_user):
    batch = new_batch(people, unit)
    carrier = register()
    with pytest.raises(InvalidInput) as refused:
        services.remove_from_batch(people["office"], batch, carrier)
    assert refused.value.code == "not_listed"
    other = DepartmentFactory()
    stranger_office = make_user("office-b", roles=[Role.SECRECY_OFFICE],
                                category=Category.CORE, department_=other)
    foreign = services.create_batch(stranger_office, unit=other.unit, reason="过期",
                                    planned_method=DestructionMethod.SHRED,
                                    planned_place="保密室")
    with pytest.raises(NotFound):
        services.add_to_batch(people["office"], foreign, carrier)
    with pytest.raises(NotFound):
        services.add_to_batch(stranger_office, foreign, carrier)
    assert states(carrier) == [CarrierState.IN_STORE]


@pytest.mark.rule("L5")
def test_a_list_with_a_carrier_above_the_viewers_clearance_is_invisible(people, unit,
                                                                         register, make_user):
    top = register(level=Level.TOP_SECRET, period_kind=PeriodKind.YEARS, period_value=30)
    batch = listed(people, unit, [top])
    junior = make_user("office3", roles=[Role.SECRECY_OFFICE], category=Category.IMPORTANT)
    assert not batches_visible_to(junior).filter(pk=batch.pk).exists()
    assert batches_visible_to(people["office"]).filter(pk=batch.pk).exists()
    with pytest.raises(NotFound):
        services.submit_batch(junior, batch)


# --- approval -------------------------------------------------------------------------------


@pytest.mark.rule("C7")
def test_an_empty_list_is_not_submitted(people, unit):
    batch = new_batch(people, unit)
    with pytest.raises(RuleViolation) as refused:
        services.submit_batch(people["office"], batch)
    assert (refused.value.code, refused.value.rule) == ("empty_list", "C7")
    assert fresh(batch).state == BatchState.DRAFT and not Request.objects.exists()


@pytest.mark.rule("L5")
def test_the_request_is_at_the_highest_state_level_on_the_list(people, unit, register):
    secret = register(level=Level.SECRET, period_value=5)
    confidential = register()
    work = register(scheme=Scheme.WORK, level=Level.SECRET, period_kind=PeriodKind.MONTHS,
                    period_value=6)
    batch = submitted(people, unit, [secret, confidential, work])
    request = batch.request
    assert batch.state == BatchState.SUBMITTED
    assert (request.request_type, request.level) == ("carrier_destruction", Level.CONFIDENTIAL)
    assert request.subject_id == batch.pk
    assert list(Step.objects.filter(request=request).order_by("order")
                .values_list("role", flat=True)) == [Role.SECRECY_OFFICE, Role.LEADER]
    assert events("DESTRUCTION_BATCH_SUBMITTED") == 1
    # Submitted, the list is fixed.
    with pytest.raises(Conflict) as refused:
        services.add_to_batch(people["office"], batch, register())
    assert refused.value.code == "not_draft"
    with pytest.raises(Conflict):
        services.remove_from_batch(people["office"], batch, secret)


@pytest.mark.rule("C7")
def test_a_list_is_filed_only_from_its_page(people, unit, register):
    batch = listed(people, unit, [register()])
    with pytest.raises(Conflict) as refused:
        submit_request(people["office"], "carrier_destruction", title="销毁",
                       payload={"batch_id": batch.pk})
    assert refused.value.code == "not_from_list"
    with pytest.raises(InvalidInput):
        submit_request(people["office"], "carrier_destruction", title="销毁",
                       payload={"batch_id": 10**9})
    assert not Request.objects.exists()


@pytest.mark.rule("C7")
def test_the_submitter_does_not_check_their_own_list(people, unit, register):
    batch = submitted(people, unit, [register()])
    with pytest.raises(RuleViolation) as refused:
        decide(people["office"], batch.request, "approve")
    assert refused.value.code == "own_request"
    request = decide(people["office2"], batch.request, "approve")
    assert fresh(batch).state == BatchState.SUBMITTED  # the leader has not decided yet
    decide(people["leader"], request, "approve")
    assert fresh(batch).state == BatchState.APPROVED
    assert events("DESTRUCTION_BATCH_APPROVED") == 1


@pytest.mark.rule("C7")
def test_a_rejected_list_returns_its_carriers_to_the_store(people, unit, register):
    carriers = [register(), register()]
    batch = submitted(people, unit, carriers)
    request = decide(people["office2"], batch.request, "approve")
    decide(people["leader"], request, "reject", comment="仍需保存")
    batch = fresh(batch)
    assert batch.state == BatchState.REJECTED
    assert states(*carriers) == [CarrierState.IN_STORE] * 2
    assert not DestructionItem.objects.filter(is_open=True).exists()
    assert batch.items.count() == 2  # the rejected list is kept as it was
    assert events("DESTRUCTION_BATCH_REJECTED") == 1
    with pytest.raises(RuleViolation) as refused:
        services.record_destruction(people["office"], batch, **record_fields())
    assert refused.value.code == "not_approved"
    # Back in store, they may go on a new list.
    again = listed(people, unit, carriers)
    assert states(*carriers) == [CarrierState.TO_DESTROY] * 2 and again.items.count() == 2


@pytest.mark.rule("C7")
def test_a_withdrawn_list_is_a_draft_again(people, unit, register):
    carrier, extra = register(), register()
    batch = submitted(people, unit, [carrier])
    withdraw_request(people["office"], batch.request, reason="补充载体")
    batch = fresh(batch)
    assert batch.state == BatchState.DRAFT
    assert states(carrier) == [CarrierState.TO_DESTROY]
    assert events("DESTRUCTION_BATCH_WITHDRAWN") == 1
    services.add_to_batch(people["office"], batch, extra)
    request = services.submit_batch(people["office"], batch)
    assert fresh(batch).request_id == request.pk and request.state == RequestState.PENDING


@pytest.mark.rule("C7")
def test_a_returned_request_is_resubmitted_unchanged(people, unit, register):
    from baomi.approvals.services import resubmit_request

    batch = submitted(people, unit, [register()])
    returned = decide(people["office2"], batch.request, "return", comment="写明销毁机构")
    assert returned.state == RequestState.RETURNED
    again = resubmit_request(people["office"], returned, payload=returned.payload,
                             title=returned.title)
    assert again.state == RequestState.PENDING and fresh(batch).request_id == again.pk


# --- the destruction (rule C7) --------------------------------------------------------------


@pytest.mark.rule("C7")
def test_nothing_is_destroyed_before_approval(people, unit, register):
    carrier = register()
    batch = listed(people, unit, [carrier])
    for _state in ("draft", "submitted"):
        with pytest.raises(RuleViolation) as refused:
            services.record_destruction(people["office"], fresh(batch), **record_fields())
        assert (refused.value.code, refused.value.rule) == ("not_approved", "C7")
        if fresh(batch).state == BatchState.DRAFT:
            services.submit_batch(people["office"], batch)
    assert states(carrier) == [CarrierState.TO_DESTROY]
    assert events("DESTRUCTION_RECORDED") == 0


@pytest.mark.rule("C7")
@pytest.mark.parametrize("executors", [
    ["刘保密"],
    ["刘保密", " 刘保密 "],
    ["刘保密", ""],
    [],
    "刘保密",
])
def test_one_person_alone_does_not_destroy(people, unit, register, executors):
    carrier = register()
    batch = approved(people, unit, [carrier])
    with pytest.raises(RuleViolation) as refused:
        services.record_destruction(people["office"], batch,
                                    **record_fields(executors=executors))
    assert (refused.value.code, refused.value.rule) == ("two_executors", "C7")
    assert "executors" in refused.value.fields
    assert fresh(batch).state == BatchState.APPROVED
    assert states(carrier) == [CarrierState.TO_DESTROY] and events("CARRIER_DESTROYED") == 0


@pytest.mark.rule("C7")
def test_two_people_destroy_and_every_carrier_is_destroyed(people, unit, register):
    carriers = [register(), register()]
    batch = approved(people, unit, carriers)
    done = services.record_destruction(people["office"], batch,
                                       **record_fields(executors=["刘保密", "王保管"]))
    batch = fresh(batch)
    assert done.state == batch.state == BatchState.DESTROYED
    assert batch.executors == ["刘保密", "王保管"]
    assert (batch.method, batch.body, batch.certificate_no) == (
        DestructionMethod.BODY, "市保密局指定销毁中心", "XH-2026-0001")
    assert batch.recorded_by_id == people["office"].pk and batch.destroyed_at is not None
    assert states(*carriers) == [CarrierState.DESTROYED] * 2
    assert not DestructionItem.objects.filter(is_open=True).exists()
    assert events("CARRIER_DESTROYED") == 2 and events("DESTRUCTION_RECORDED") == 1
    with pytest.raises(Conflict) as refused:
        services.record_destruction(people["office"], batch, **record_fields())
    assert refused.value.code == "already_destroyed"


@pytest.mark.rule("C7")
def test_the_names_may_come_as_one_text(people, unit, register):
    batch = approved(people, unit, [register()])
    services.record_destruction(people["office"], batch,
                                **record_fields(executors="刘保密、王保管\n张监销"))
    assert fresh(batch).executors == ["刘保密", "王保管", "张监销"]


@pytest.mark.rule("C7")
def test_the_destruction_comes_after_its_approval(people, unit, register):
    batch = approved(people, unit, [register()])
    decided = batch.request.decided_at
    with pytest.raises(RuleViolation) as refused:
        services.record_destruction(
            people["office"], batch,
            **record_fields(destroyed_at=decided - timedelta(minutes=1)))
    assert refused.value.code == "before_approval"
    with pytest.raises(InvalidInput) as refused:
        services.record_destruction(
            people["office"], batch,
            **record_fields(destroyed_at=timezone.now() + timedelta(hours=1)))
    assert refused.value.code == "future_date"
    assert fresh(batch).state == BatchState.APPROVED


@pytest.mark.rule("C7")
def test_the_method_destroys_every_kind_on_the_list(people, unit, register):
    paper = register()
    disk = register(kind=CarrierKind.ELECTRONIC, pages=None, capacity="1TB")
    batch = approved(people, unit, [paper, disk])
    for method in (DestructionMethod.DEGAUSS, DestructionMethod.SHRED):
        with pytest.raises(RuleViolation) as refused:
            services.record_destruction(people["office"], batch,
                                        **record_fields(method=method))
        assert refused.value.code == "method_unsuited" and "method" in refused.value.fields
    services.record_destruction(people["office"], batch,
                                **record_fields(method=DestructionMethod.BODY))
    assert states(paper, disk) == [CarrierState.DESTROYED] * 2


@pytest.mark.parametrize("field, value, code", [
    ("destroyed_at", "2026-01-01", "invalid"),
    ("place", "", "required"),
    ("method", "sold_as_waste", "invalid"),
    ("body", "", "required"),
    ("certificate_no", "", "required"),
    ("certificate_no", "x" * 101, "too_long"),
    ("executors", ["刘保密", "王" * 51], "too_long"),
    ("executors", [f"人{n}" for n in range(21)], "invalid"),
    ("executors", {"a": 1}, "invalid"),
])
def test_bad_input_of_the_record_is_refused(people, unit, register, field, value, code):
    carrier = register()
    batch = approved(people, unit, [carrier])
    with pytest.raises(InvalidInput) as refused:
        services.record_destruction(people["office"], batch, **record_fields(**{field: value}))
    assert refused.value.code == code and field in refused.value.fields
    assert fresh(batch).state == BatchState.APPROVED and states(carrier) == [
        CarrierState.TO_DESTROY]


def test_a_naive_time_is_read_in_the_local_zone(people, unit, register):
    batch = approved(people, unit, [register()])
    naive = timezone.localtime().replace(tzinfo=None)
    services.record_destruction(people["office"], batch, **record_fields(destroyed_at=naive))
    assert timezone.localtime(fresh(batch).destroyed_at).replace(tzinfo=None) == naive


# --- a destroyed carrier is locked --------------------------------------------------------------


@pytest.fixture
def destroyed(people, unit, item, register):
    carrier = register(secret_item=item)  # `reader` is in the item's scope
    batch = approved(people, unit, [carrier])
    services.record_destruction(people["office"], batch, **record_fields())
    return Carrier.objects.get(pk=carrier.pk)


@pytest.mark.rule("C7")
def test_a_destroyed_carrier_is_not_stored(people, unit, destroyed):
    spare = Container.objects.create(unit=unit, number="BXG-09", kind="safe",
                                     rating=Level.TOP_SECRET, location="档案室")
    with pytest.raises(Conflict):
        services.store_carrier(people["office"], destroyed, container=spare)
    assert Carrier.objects.get(pk=destroyed.pk).container_id != spare.pk


@pytest.mark.rule("C7")
def test_a_destroyed_carrier_changes_no_custodian(people, destroyed):
    with pytest.raises(Conflict) as refused:
        services.change_custodian(people["office"], destroyed,
                                  custodian=people["senior"].person, reason="交接")
    assert refused.value.code == "destroyed"
    assert Carrier.objects.get(pk=destroyed.pk).custodian_id == destroyed.custodian_id


@pytest.mark.rule("C7")
def test_a_destroyed_carrier_is_not_lent(people, destroyed):
    with pytest.raises(Conflict) as refused:
        services.request_loan(people["reader"], destroyed, kind=LoanKind.BORROW,
                              purpose="查阅")
    assert refused.value.code == "not_in_store"
    assert not Loan.objects.exists()


@pytest.mark.rule("C7")
def test_a_destroyed_carrier_is_not_handed_out(people, item, register):
    carrier = register(secret_item=item)
    loan = approved_loan(people, carrier)
    # However the carrier came to be destroyed meanwhile, the hand-out refuses it.
    Carrier.objects.filter(pk=carrier.pk).update(state=CarrierState.DESTROYED)
    with pytest.raises(Conflict):
        services.hand_out(people["office"], Loan.objects.get(pk=loan.pk))
    assert states(carrier) == [CarrierState.DESTROYED]
    assert Loan.objects.get(pk=loan.pk).handed_out_at is None


@pytest.mark.rule("C7")
def test_a_destroyed_carrier_goes_on_no_list(people, unit, destroyed):
    batch = new_batch(people, unit)
    with pytest.raises(Conflict) as refused:
        services.add_to_batch(people["office"], batch, destroyed)
    assert refused.value.code == "destroyed"


@pytest.mark.rule("C9")
def test_the_custody_check_no_longer_lists_a_destroyed_carrier(people, unit, keeper,
                                                                register):
    carrier = register()
    batch = approved(people, unit, [carrier])
    # On the list, not yet destroyed: the custodian still answers for it.
    assert [held.reference for held in carriers_held(keeper)] == [carrier.number]
    services.record_destruction(people["office"], batch, **record_fields())
    assert list(carriers_held(keeper)) == []
