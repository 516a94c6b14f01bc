"""Loans of carriers (rule C5): only people cleared for the level and inside the 知悉范围
borrow; the approvals chain decides; the 保密办 hands out and receives; 传阅 and (by default)
借阅 come back the same day. Handing out a 机密 or 绝密 carrier of a secret item records the
borrower's contact with the item (rule S8)."""

import datetime
import json
from unittest.mock import patch

import pytest

from baomi.accounts.roles import Role
from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.approvals.services import decide, withdraw_request
from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.carriers.choices import CarrierState, LoanKind, LoanState
from baomi.carriers.models import Carrier, Loan
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Category, Level, Scheme
from baomi.core.testing.factories import PersonFactory, UnitFactory
from baomi.secrets.choices import KnowledgeKind
from baomi.secrets.models import KnowledgeRecord, ScopeEntry

from . import service_support as support
from .service_support import approved_loan, decide_chain, make_item, today

people, yf1, keeper, safe, item, register = (
    support.people, support.yf1, support.keeper, support.safe, support.item, support.register)

PURPOSE = "编写设计报告"


def ask(people, carrier, who="reader", *, kind=LoanKind.BORROW, borrower=None):
    return services.request_loan(people[who], carrier, kind=kind, purpose=PURPOSE,
                                 room="保密阅览室", borrower=borrower)


def reload(loan):
    return Loan.objects.select_related("carrier", "request").get(pk=loan.pk)


def events(action):
    return AuditEvent.objects.filter(action=action).count()


# --- who may borrow (rule C5) --------------------------------------------------------------


@pytest.mark.rule("C5")
def test_a_borrower_cleared_below_the_level_cannot_borrow(people, item, register):
    ScopeEntry.objects.create(item=item, person=people["clerk"].person, added_on=today(),
                              added_by=people["office"])  # even if named in the scope
    carrier = register(secret_item=item, level=Level.CONFIDENTIAL)
    with pytest.raises(NotFound):  # rule L5: the clerk does not even see a 机密 carrier
        ask(people, carrier, "clerk")
    with pytest.raises(RuleViolation) as exc:  # nor may the 保密办 ask for them
        ask(people, carrier, "office", borrower=people["clerk"].person)
    assert (exc.value.code, exc.value.rule) == ("clearance", "C5")
    assert "borrower" in exc.value.fields
    assert not Loan.objects.exists() and not Request.objects.exists()


@pytest.mark.rule("C5")
def test_a_cleared_borrower_outside_the_scope_cannot_borrow(people, item, register):
    carrier = register(secret_item=item, level=Level.CONFIDENTIAL)
    with pytest.raises(NotFound):  # outside the 知悉范围 the carrier is out of sight
        ask(people, carrier, "outsider")
    with pytest.raises(RuleViolation) as exc:
        ask(people, carrier, "office", borrower=people["outsider"].person)
    assert (exc.value.code, exc.value.rule) == ("not_in_scope", "C5")
    assert not Loan.objects.exists() and not Request.objects.exists()


@pytest.mark.rule("C5")
def test_a_cleared_borrower_in_scope_asks_and_the_chain_decides(people, item, register):
    carrier = register(secret_item=item, level=Level.CONFIDENTIAL)
    loan = ask(people, carrier)
    assert (loan.state, loan.borrower, loan.created_by) == (
        LoanState.REQUESTED, people["reader"].person, people["reader"])
    request = Request.objects.get(pk=loan.request_id)
    assert (request.request_type, request.level, request.state) == (
        "carrier_loan", Level.CONFIDENTIAL, RequestState.PENDING)
    assert request.department_id == people["reader"].person.department_id
    assert request.subject_person_id == people["reader"].person_id
    assert [s.role for s in request.steps.order_by("order")] == [Role.DEPARTMENT_HEAD,
                                                                 Role.SECRECY_OFFICE]
    event = AuditEvent.objects.get(action="CARRIER_LOAN_REQUESTED")
    assert json.loads(event.after)["request"] == request.pk
    assert event.unit_id == carrier.unit_id
    loan = decide_chain(people, loan)
    assert loan.state == LoanState.APPROVED and loan.request.state == RequestState.APPROVED
    assert events("CARRIER_LOAN_APPROVED") == 1


@pytest.mark.rule("C5")
def test_a_cleared_borrower_may_borrow_a_carrier_of_no_item(people, register):
    carrier = register(level=Level.CONFIDENTIAL)  # no 知悉范围 to be inside
    loan = ask(people, carrier, "office", borrower=people["outsider"].person)
    assert loan.borrower == people["outsider"].person
    with pytest.raises(RuleViolation) as exc:
        ask(people, carrier, "office", borrower=people["clerk"].person)
    assert exc.value.code == "clearance"


@pytest.mark.rule("L4")
def test_work_secrets_need_no_state_clearance(people, unit, register):
    work_item = make_item(unit, people, scheme=Scheme.WORK, level=Level.SECRET,
                          scope=("clerk",))
    carrier = register(secret_item=work_item, scheme=Scheme.WORK, level=Level.SECRET)
    nonsecret = PersonFactory(unit=unit, department=people["clerk"].person.department)
    ScopeEntry.objects.create(item=work_item, person=nonsecret, added_on=today(),
                              added_by=people["office"])
    loan = ask(people, carrier, "office", borrower=nonsecret)
    assert Request.objects.get(pk=loan.request_id).level == Level.NONSECRET


def test_only_the_secrecy_office_asks_for_someone_else(people, item, register):
    carrier = register(secret_item=item)
    with pytest.raises(AccessDenied) as exc:
        ask(people, carrier, "reader", borrower=people["senior"].person)
    assert exc.value.code == "not_secrecy_office"


@pytest.mark.rule("C5")
def test_the_top_secret_chain_adds_the_leader(people, unit, register):
    top = make_item(unit, people, level=Level.TOP_SECRET, scope=("senior",))
    carrier = register(secret_item=top, level=Level.TOP_SECRET)
    loan = ask(people, carrier, "senior")
    request = Request.objects.get(pk=loan.request_id)
    assert [s.role for s in request.steps.order_by("order")] == [
        Role.DEPARTMENT_HEAD, Role.SECRECY_OFFICE, Role.LEADER]
    loan = decide_chain(people, loan, ("head", "office2"))
    assert loan.state == LoanState.REQUESTED  # the leader has not decided yet
    loan = decide_chain(people, loan, ("leader",))
    assert loan.state == LoanState.APPROVED


# --- due dates (rule C5) ---------------------------------------------------------------------


@pytest.mark.rule("C5")
@pytest.mark.parametrize(("kind", "borrow_days", "days"), [
    (LoanKind.CIRCULATE, None, 0), (LoanKind.BORROW, None, 0), (LoanKind.CIRCULATE, 3, 0),
    (LoanKind.BORROW, 3, 3),
])
def test_due_dates(people, unit, item, register, kind, borrow_days, days):
    if borrow_days is not None:
        unit.policy_overrides = {"carriers.borrow_days": borrow_days}
        unit.save(update_fields=["policy_overrides"])
    carrier = register(secret_item=item)
    loan = ask(people, carrier, kind=kind)
    assert loan.due_on == today() + datetime.timedelta(days=days)
    loan = services.hand_out(people["office"], decide_chain(people, loan))
    assert reload(loan).due_on == today() + datetime.timedelta(days=days)


@pytest.mark.rule("C5")
def test_the_due_date_counts_from_the_day_it_is_handed_out(people, unit, item, register):
    """A loan approved today and collected tomorrow is due tomorrow + the policy's days."""
    unit.policy_overrides = {"carriers.borrow_days": 3}
    unit.save(update_fields=["policy_overrides"])
    loan = approved_loan(people, register(secret_item=item))
    tomorrow = today() + datetime.timedelta(days=1)
    # the contact (rule S8) is dated by the secrets clock: the same day
    with patch("baomi.carriers.services.ledger._today", return_value=tomorrow), \
            patch("baomi.secrets.services.common.today", return_value=tomorrow):
        loan = services.hand_out(people["office"], loan)
    assert loan.due_on == tomorrow + datetime.timedelta(days=3)


# --- handing out and receiving ---------------------------------------------------------------


@pytest.mark.rule("S8")
def test_handing_out_a_confidential_carrier_records_the_contact(people, item, register):
    carrier = register(secret_item=item, level=Level.CONFIDENTIAL)
    loan = services.hand_out(people["office"], approved_loan(people, carrier))
    assert loan.state == LoanState.OUT and loan.handed_out_by == people["office"]
    assert Carrier.objects.get(pk=carrier.pk).state == CarrierState.ON_LOAN
    record = KnowledgeRecord.objects.get()
    assert (record.item, record.person, record.kind, record.known_on) == (
        item, people["reader"].person, KnowledgeKind.CONTACT, today())
    assert record.source == f"借阅载体 {carrier.number}"
    assert record.approved_by == people["office2"]  # the last approval of the loan
    assert events("SECRET_KNOWLEDGE_RECORDED") == 1 and events("CARRIER_HANDED_OUT") == 1


@pytest.mark.rule("S8")
def test_a_secret_carrier_leaves_no_knowledge_record(people, unit, register):
    secret_item = make_item(unit, people, level=Level.SECRET, scope=("clerk",))
    carrier = register(secret_item=secret_item, level=Level.SECRET)
    services.hand_out(people["office"], approved_loan(people, carrier, "clerk"))
    assert Carrier.objects.get(pk=carrier.pk).state == CarrierState.ON_LOAN
    assert not KnowledgeRecord.objects.exists()


@pytest.mark.rule("S8")
def test_a_confidential_carrier_of_a_secret_item_records_the_contact(people, unit, register):
    # The carrier's level decides (rule L5: at least the item's level).
    secret_item = make_item(unit, people, level=Level.SECRET, scope=("reader",))
    carrier = register(secret_item=secret_item, level=Level.CONFIDENTIAL)
    services.hand_out(people["office"], approved_loan(people, carrier))
    assert KnowledgeRecord.objects.get().item == secret_item


def test_returning_puts_the_carrier_back_in_store(people, item, register):
    carrier = register(secret_item=item)
    loan = services.hand_out(people["office"], approved_loan(people, carrier))
    returned = services.return_loan(people["office2"], loan)
    assert (returned.state, returned.received_by) == (LoanState.RETURNED, people["office2"])
    assert returned.returned_at is not None
    assert Carrier.objects.get(pk=carrier.pk).state == CarrierState.IN_STORE
    event = AuditEvent.objects.get(action="CARRIER_RETURNED")
    assert json.loads(event.after)["overdue"] is False
    with pytest.raises(Conflict) as exc:
        services.return_loan(people["office"], returned)
    assert exc.value.code == "illegal_transition"
    # back in store, it can be lent again
    assert decide_chain(people, ask(people, carrier)).state == LoanState.APPROVED


def test_only_the_secrecy_office_hands_out_and_receives(people, item, register):
    carrier = register(secret_item=item)
    loan = approved_loan(people, carrier)
    with pytest.raises(AccessDenied):
        services.hand_out(people["head"], loan)  # sees the carrier, keeps no ledger
    with pytest.raises(NotFound):
        services.hand_out(people["clerk"], loan)  # does not see it
    with pytest.raises(AccessDenied):
        services.hand_out(people["reader"], loan)  # the borrower serves nobody
    assert reload(loan).state == LoanState.APPROVED
    out = services.hand_out(people["office"], loan)
    with pytest.raises(AccessDenied):
        services.return_loan(people["reader"], out)


def test_a_loan_not_approved_is_not_handed_out(people, item, register):
    loan = ask(people, register(secret_item=item))
    with pytest.raises(Conflict) as exc:
        services.hand_out(people["office"], loan)
    assert exc.value.code == "illegal_transition"
    assert reload(loan).carrier.state == CarrierState.IN_STORE and events(
        "CARRIER_HANDED_OUT") == 0


@pytest.mark.rule("C5")
def test_a_borrower_taken_out_of_the_scope_gets_nothing(people, item, register):
    loan = approved_loan(people, register(secret_item=item))
    ScopeEntry.objects.filter(item=item, person=people["reader"].person).update(
        removed_on=today())
    with pytest.raises(RuleViolation) as exc:
        services.hand_out(people["office"], loan)
    assert exc.value.code == "not_in_scope"
    assert reload(loan).state == LoanState.APPROVED and not KnowledgeRecord.objects.exists()
    assert reload(loan).carrier.state == CarrierState.IN_STORE


@pytest.mark.rule("C5")
def test_the_approval_checks_the_borrower_again(people, item, register):
    loan = ask(people, register(secret_item=item))
    request = decide(people["head"], loan.request, "approve")
    people["reader"].person.category = Category.GENERAL  # a failed 复审 withdrew clearance
    people["reader"].person.save()
    with pytest.raises(RuleViolation) as exc:
        decide(people["office2"], request, "approve")
    assert exc.value.code == "clearance"
    assert reload(loan).state == LoanState.REQUESTED
    assert Request.objects.get(pk=request.pk).state == RequestState.PENDING


def test_a_carrier_on_loan_is_neither_lent_nor_moved(people, unit, item, register):
    ScopeEntry.objects.create(item=item, person=people["senior"].person, added_on=today(),
                              added_by=people["office"])
    carrier = register(secret_item=item)
    services.hand_out(people["office"], approved_loan(people, carrier))
    with pytest.raises(Conflict) as exc:
        ask(people, carrier, "senior")
    assert exc.value.code == "not_in_store"
    from baomi.carriers.choices import ContainerKind
    from baomi.carriers.models import Container

    other = Container.objects.create(unit=unit, number="BXG-9", kind=ContainerKind.SAFE,
                                     rating=Level.TOP_SECRET, location="档案室")
    with pytest.raises(Conflict) as exc:
        services.store_carrier(people["office"], Carrier.objects.get(pk=carrier.pk),
                               container=other)
    assert exc.value.code == "not_in_store"


@pytest.mark.rule("C5")
def test_a_second_approval_of_a_taken_carrier_is_refused(people, item, register):
    ScopeEntry.objects.create(item=item, person=people["senior"].person, added_on=today(),
                              added_by=people["office"])
    carrier = register(secret_item=item)
    first, second = ask(people, carrier), ask(people, carrier, "senior")
    decide_chain(people, first)
    request = decide(people["head"], second.request, "approve")
    with pytest.raises(Conflict) as exc:
        decide(people["office2"], request, "approve")
    assert exc.value.code == "carrier_taken"
    assert reload(second).state == LoanState.REQUESTED
    assert Request.objects.get(pk=request.pk).current_role == Role.SECRECY_OFFICE
    # the approvers reject it instead
    decide(people["office2"], request, "reject", comment="载体已借出")
    assert reload(second).state == LoanState.REJECTED and events("CARRIER_LOAN_REJECTED") == 1


def test_one_person_one_loan_of_a_carrier_at_a_time(people, item, register):
    carrier = register(secret_item=item)
    ask(people, carrier)
    with pytest.raises(Conflict) as exc:
        ask(people, carrier, kind=LoanKind.CIRCULATE)
    assert exc.value.code == "loan_in_progress" and Loan.objects.count() == 1


# --- rejection and withdrawal ------------------------------------------------------------


def test_a_rejected_loan_is_closed(people, item, register):
    loan = ask(people, register(secret_item=item))
    decide(people["head"], loan.request, "reject", comment="无借阅必要")
    assert reload(loan).state == LoanState.REJECTED


def test_the_requester_withdraws_through_the_request(people, item, register):
    loan = ask(people, register(secret_item=item))
    with pytest.raises(AccessDenied):
        services.withdraw_loan(people["office"], loan)  # not theirs, not approved yet
    withdrawn = services.withdraw_loan(people["reader"], loan, reason="不再需要")
    assert withdrawn.state == LoanState.WITHDRAWN
    assert Request.objects.get(pk=loan.request_id).state == RequestState.WITHDRAWN
    assert events("CARRIER_LOAN_WITHDRAWN") == 1 and events("REQUEST_WITHDRAWN") == 1


def test_withdrawing_the_request_withdraws_the_loan(people, item, register):
    loan = ask(people, register(secret_item=item))
    withdraw_request(people["reader"], loan.request, reason="不再需要")
    assert reload(loan).state == LoanState.WITHDRAWN


def test_the_office_cancels_an_approved_loan_not_collected(people, item, register):
    ScopeEntry.objects.create(item=item, person=people["senior"].person, added_on=today(),
                              added_by=people["office"])
    carrier = register(secret_item=item)
    loan = approved_loan(people, carrier)
    with pytest.raises(AccessDenied):
        services.withdraw_loan(people["head"], loan, reason="x")
    cancelled = services.withdraw_loan(people["office"], loan, reason="逾期未领取")
    assert cancelled.state == LoanState.WITHDRAWN
    event = AuditEvent.objects.get(action="CARRIER_LOAN_WITHDRAWN")
    assert event.reason == "逾期未领取"
    # the carrier is free for the next borrower
    assert approved_loan(people, carrier, "senior").state == LoanState.APPROVED
    out = services.hand_out(people["office"], Loan.objects.get(state=LoanState.APPROVED))
    with pytest.raises(Conflict):  # handed out: no longer withdrawn
        services.withdraw_loan(people["office"], out, reason="x")


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "field"), [
    ({"kind": "lend"}, "kind"), ({"kind": None}, "kind"), ({"purpose": ""}, "purpose"),
    ({"purpose": "x" * 501}, "purpose"), ({"room": "x" * 101}, "room"),
    ({"room": 7}, "room"), ({"borrower": "reader"}, "borrower"),
])
def test_bad_loan_input_names_the_field(people, item, register, args, field):
    carrier = register(secret_item=item)
    values = {"kind": LoanKind.BORROW, "purpose": PURPOSE, **args}
    with pytest.raises(InvalidInput) as exc:
        services.request_loan(people["office"], carrier, **values)
    assert field in exc.value.fields
    assert not Loan.objects.exists() and not Request.objects.exists()


def test_a_borrower_of_another_unit_is_refused(people, item, register):
    stranger = PersonFactory(unit=UnitFactory(code="OTHER"), category=Category.CORE)
    with pytest.raises(InvalidInput) as exc:
        ask(people, register(secret_item=item), "office", borrower=stranger)
    assert exc.value.code == "unknown_person" and "borrower" in exc.value.fields


def test_not_a_carrier_is_not_found(people):
    with pytest.raises(NotFound):
        services.request_loan(people["reader"], "ZT-1", kind=LoanKind.BORROW, purpose=PURPOSE)
    with pytest.raises(NotFound):
        services.hand_out(people["office"], None)
