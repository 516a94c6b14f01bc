"""Copying of carriers (rule C4): only someone who may borrow a carrier asks, the approvals
chain decides, a 绝密 original needs its originating unit's consent, and the 保密办 makes the
copies — each a new carrier with a 复制戳记, numbered after the original, at its level,
period and item (rule L5: never below the source). Making copies of a 机密 carrier of an item
records the requester's contact with it (rule S8)."""

import datetime
import json

import pytest

from baomi.accounts.roles import Role
from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.approvals.services import decide
from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.carriers.choices import CarrierKind, CarrierOrigin, CarrierState, ContainerKind
from baomi.carriers.models import Carrier, Container, CopyOrder, CopyStamp
from baomi.carriers.models.copying import CopyKind, CopyState
from baomi.carriers.selectors import carriers_visible_to
from baomi.carriers.selectors_copying import copy_orders_visible_to, copy_stamp_of
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level, Scheme
from baomi.core.testing.factories import PersonFactory
from baomi.secrets.choices import KnowledgeKind
from baomi.secrets.models import KnowledgeRecord, ScopeEntry

from . import service_support as support
from .service_support import approved_loan, make_item, today

people, yf1, keeper, safe, item, register = (
    support.people, support.yf1, support.keeper, support.safe, support.item, support.register)

PURPOSE = "分发评审组成员"
CONSENT = {"consent_unit": "上级主管部门", "consent_reference": "装发密函〔2026〕3号",
           "consent_on": None}


def ask(people, carrier, who="reader", *, kind=CopyKind.COPY, copies=2, **extra):
    return services.request_copy(people[who], carrier, kind=kind, copies=copies,
                                 purpose=PURPOSE, **extra)


def approve(people, order, names=("head", "office2")):
    request = order.request
    for name in names:
        request = decide(people[name], request, "approve")
    return CopyOrder.objects.select_related("carrier", "request").get(pk=order.pk)


def approved(people, carrier, who="reader", **kwargs):
    return approve(people, ask(people, carrier, who, **kwargs))


def make(people, order, **kwargs):
    return services.make_copies(people["office"], order, made_on=today(), **kwargs)


def events(action):
    return AuditEvent.objects.filter(action=action).count()


# --- asking (rule C4) ------------------------------------------------------------------------


@pytest.mark.rule("C4")
def test_a_copy_needs_approval(people, item, register):
    carrier = register(secret_item=item)
    order = ask(people, carrier)
    assert (order.state, order.requested_by, order.copies, order.kind) == (
        CopyState.REQUESTED, people["reader"], 2, CopyKind.COPY)
    request = Request.objects.get(pk=order.request_id)
    assert (request.request_type, request.level, request.state) == (
        "carrier_copy", Level.CONFIDENTIAL, RequestState.PENDING)
    assert request.department_id == people["reader"].person.department_id
    assert request.subject_person_id == people["reader"].person_id
    assert [s.role for s in request.steps.order_by("order")] == [Role.DEPARTMENT_HEAD,
                                                                 Role.SECRECY_OFFICE]
    event = AuditEvent.objects.get(action="CARRIER_COPY_REQUESTED")
    assert json.loads(event.after)["request"] == request.pk
    assert event.unit_id == carrier.unit_id
    with pytest.raises(Conflict) as exc:  # not approved: nothing can be made
        make(people, order)
    assert exc.value.code == "illegal_transition"
    assert Carrier.objects.count() == 1
    order = approve(people, order)
    assert order.state == CopyState.APPROVED and order.request.state == RequestState.APPROVED
    assert events("CARRIER_COPY_APPROVED") == 1


@pytest.mark.rule("C4")
def test_a_rejected_order_makes_no_copies(people, item, register):
    order = ask(people, register(secret_item=item))
    decide(people["head"], order.request, "reject", comment="无必要")
    order = CopyOrder.objects.get(pk=order.pk)
    assert order.state == CopyState.REJECTED and events("CARRIER_COPY_REJECTED") == 1
    with pytest.raises(Conflict):
        make(people, order)
    assert Carrier.objects.count() == 1


@pytest.mark.rule("C4")
def test_someone_who_sees_but_may_not_borrow_cannot_ask(people, item, register):
    carrier = register(secret_item=item)
    # the head sees every carrier of the department, but is outside the item's 知悉范围
    with pytest.raises(RuleViolation) as exc:
        ask(people, carrier, "head")
    assert (exc.value.code, exc.value.rule) == ("not_in_scope", "C4")
    with pytest.raises(NotFound):  # outside the scope the carrier is out of sight
        ask(people, carrier, "outsider")
    assert not CopyOrder.objects.exists() and not Request.objects.exists()


@pytest.mark.rule("C4")
@pytest.mark.rule("L5")
def test_a_requester_below_the_level_cannot_ask(people, item, register):
    ScopeEntry.objects.create(item=item, person=people["clerk"].person, added_on=today(),
                              added_by=people["office"])
    carrier = register(secret_item=item, level=Level.CONFIDENTIAL)
    with pytest.raises(NotFound):  # in scope, but cleared only 秘密: not even seen
        ask(people, carrier, "clerk")
    low = register(level=Level.SECRET, custodian=people["clerk"].person)
    assert ask(people, low, "clerk", copies=1).state == CopyState.REQUESTED
    assert CopyOrder.objects.count() == 1


@pytest.mark.rule("C4")
def test_top_secret_needs_the_originating_units_consent(people, unit, register):
    top = make_item(unit, people, level=Level.TOP_SECRET, scope=("senior",))
    carrier = register(secret_item=top, level=Level.TOP_SECRET)
    with pytest.raises(RuleViolation) as exc:
        ask(people, carrier, "senior")
    assert (exc.value.code, exc.value.rule) == ("consent_missing", "C4")
    assert set(exc.value.fields) == {"consent_unit", "consent_reference", "consent_on"}
    with pytest.raises(RuleViolation) as exc:  # a date alone is no consent
        ask(people, carrier, "senior", consent_on=today())
    assert set(exc.value.fields) == {"consent_unit", "consent_reference"}
    assert not CopyOrder.objects.exists()
    order = ask(people, carrier, "senior", **{**CONSENT, "consent_on": today()})
    assert (order.consent_unit, order.consent_on) == ("上级主管部门", today())
    request = Request.objects.get(pk=order.request_id)
    assert request.level == Level.TOP_SECRET
    assert [s.role for s in request.steps.order_by("order")] == [
        Role.DEPARTMENT_HEAD, Role.SECRECY_OFFICE, Role.LEADER]


@pytest.mark.rule("C4")
def test_a_confidential_carrier_needs_no_consent(people, item, register):
    assert not services.needs_consent(register(secret_item=item))
    top = register(level=Level.TOP_SECRET)
    assert services.needs_consent(top)
    work = register(scheme=Scheme.WORK, level=Level.SECRET)
    assert not services.needs_consent(work)  # rule L4: no state level


@pytest.mark.rule("C4")
def test_the_original_is_in_store_or_on_loan_to_the_requester(people, unit, item, register):
    carrier = register(secret_item=item)
    ScopeEntry.objects.create(item=item, person=people["senior"].person, added_on=today(),
                              added_by=people["office"])
    services.hand_out(people["office"], approved_loan(people, carrier, "senior"))
    with pytest.raises(Conflict) as exc:  # on loan to someone else
        ask(people, carrier)
    assert exc.value.code == "not_in_store"
    order = ask(people, carrier, "senior")  # the borrower copies what they hold
    assert order.state == CopyState.REQUESTED


# --- making the copies (rules C4, L5) --------------------------------------------------------


@pytest.mark.rule("C4")
@pytest.mark.rule("L5")
def test_each_copy_is_a_new_carrier_at_the_level_of_the_original(people, item, register):
    original = register(secret_item=item, period_value=20, pages=30)
    order = approved(people, original)
    copies = make(people, order)
    assert [c.number for c in copies] == [f"{original.number}-F1", f"{original.number}-F2"]
    assert [c.copy_no for c in copies] == ["第1份", "第2份"]
    for copy in Carrier.objects.filter(pk__in=[c.pk for c in copies]):
        assert (copy.scheme, copy.level, copy.period_kind, copy.period_value) == (
            original.scheme, original.level, original.period_kind, 20)
        assert (copy.secret_item_id, copy.original_id, copy.origin) == (
            item.pk, original.pk, CarrierOrigin.COPIED)
        assert (copy.custodian, copy.container, copy.pages, copy.copies) == (
            people["reader"].person, original.container, 30, 1)
        assert copy.state == CarrierState.IN_STORE and copy.received_on == today()
    stamp = CopyStamp.objects.get(carrier=copies[0])
    assert stamp.text == (f"复制件 第1份 · 复制审批第{order.pk}号 · "
                          f"{today().year}年{today().month}月{today().day}日")
    assert copy_stamp_of(copies[1]).startswith("复制件 第2份")
    assert copy_stamp_of(original) == ""
    order.refresh_from_db()
    assert (order.state, order.made_on, order.made_by) == (CopyState.MADE, today(),
                                                           people["office"])
    assert events("CARRIER_COPIES_MADE") == 1 and events("CARRIER_REGISTERED") == 3
    fresh = Carrier.objects.get(pk=original.pk)  # the original itself is unchanged
    assert (fresh.state, fresh.copies, fresh.custodian_id) == (
        CarrierState.IN_STORE, original.copies, original.custodian_id)
    # the copy numbers go on from the copies already made of this original
    second = make(people, approved(people, original, kind=CopyKind.REPRINT, copies=1))
    assert [(c.number, c.copy_no) for c in second] == [(f"{original.number}-F3", "第3份")]
    assert copy_stamp_of(second[0]).startswith("加印件 第3份")


@pytest.mark.rule("L5")
def test_a_copy_of_a_copy_is_never_below_the_source(people, item, register):
    original = register(secret_item=item, level=Level.CONFIDENTIAL)
    (copy,) = make(people, approved(people, original, copies=1))
    (again,) = make(people, approved(people, copy, copies=1))
    assert again.number == f"{original.number}-F1-F1" and again.original_id == copy.pk
    assert again.level == original.level == Level.CONFIDENTIAL
    assert again.secret_item_id == original.secret_item_id


@pytest.mark.rule("L5")
def test_a_copy_of_a_confidential_carrier_is_invisible_to_a_secret_user(people, item,
                                                                        register):
    ScopeEntry.objects.create(item=item, person=people["clerk"].person, added_on=today(),
                              added_by=people["office"])
    copies = make(people, approved(people, register(secret_item=item)))
    assert carriers_visible_to(people["reader"]).filter(
        pk__in=[c.pk for c in copies]).count() == 2
    assert not carriers_visible_to(people["clerk"]).filter(
        pk__in=[c.pk for c in copies]).exists()  # in scope, but cleared only 秘密
    assert not copy_orders_visible_to(people["clerk"]).exists()


@pytest.mark.rule("L5")
def test_the_custodian_of_the_copies_is_cleared_for_them(people, item, register):
    order = approved(people, register(secret_item=item))
    with pytest.raises(RuleViolation) as exc:
        make(people, order, custodian=people["clerk"].person)
    assert (exc.value.code, exc.value.rule) == ("clearance", "L5")
    assert "custodian" in exc.value.fields
    copies = make(people, order, custodian=people["senior"].person)
    assert {c.custodian for c in copies} == {people["senior"].person}


@pytest.mark.rule("C3")
def test_the_copies_go_only_into_a_container_rated_for_them(people, unit, register):
    top = make_item(unit, people, level=Level.TOP_SECRET, scope=("senior",))
    original = register(secret_item=top, level=Level.TOP_SECRET)
    order = approve(people, ask(people, original, "senior", copies=1,
                                **{**CONSENT, "consent_on": today()}),
                    ("head", "office2", "leader"))
    cabinet = Container.objects.create(unit=unit, number="WJG-09",
                                       kind=ContainerKind.CODED_CABINET,
                                       rating=Level.CONFIDENTIAL, location="资料室")
    with pytest.raises(RuleViolation) as exc:
        make(people, order, container=cabinet)
    assert (exc.value.code, exc.value.rule) == ("container_rating", "C3")
    assert Carrier.objects.count() == 1 and CopyOrder.objects.get().state == CopyState.APPROVED
    (copy,) = make(people, order)
    assert copy.container == original.container and copy.level == Level.TOP_SECRET


@pytest.mark.rule("S8")
def test_making_copies_of_a_confidential_item_records_the_requesters_contact(people, item,
                                                                            register):
    original = register(secret_item=item)
    make(people, approved(people, original))
    record = KnowledgeRecord.objects.get()
    assert (record.item, record.person, record.kind, record.known_on) == (
        item, people["reader"].person, KnowledgeKind.CONTACT, today())
    assert record.source == f"复制载体 {original.number}"
    assert record.approved_by == people["office2"]


@pytest.mark.rule("S8")
def test_copies_of_a_secret_carrier_leave_no_knowledge_record(people, unit, register):
    low = make_item(unit, people, level=Level.SECRET, scope=("clerk",))
    make(people, approved(people, register(secret_item=low, level=Level.SECRET), "clerk"))
    assert not KnowledgeRecord.objects.exists()


def test_only_the_secrecy_office_makes_copies(people, item, register):
    order = approved(people, register(secret_item=item))
    for who in ("head", "reader"):  # they see the carrier but keep no ledger
        with pytest.raises(AccessDenied) as exc:
            services.make_copies(people[who], order, made_on=today())
        assert exc.value.code == "not_secrecy_office"
    with pytest.raises(NotFound):
        services.make_copies(people["outsider"], order, made_on=today())
    assert Carrier.objects.count() == 1


def test_an_extract_is_a_paper_carrier(people, unit, item, register):
    disc = register(secret_item=item, kind=CarrierKind.OPTICAL, pages=None, capacity="4.7GB")
    (extract,) = make(people, approved(people, disc, kind=CopyKind.EXTRACT, copies=1))
    assert (extract.kind, extract.pages) == (CarrierKind.PAPER, None)
    assert copy_stamp_of(extract).startswith("摘抄件 第1份")


# --- withdrawing ------------------------------------------------------------------------------


def test_the_requester_withdraws_through_the_request(people, item, register):
    order = ask(people, register(secret_item=item))
    order = services.withdraw_copy(people["reader"], order, reason="不再需要")
    assert order.state == CopyState.WITHDRAWN
    assert Request.objects.get(pk=order.request_id).state == RequestState.WITHDRAWN
    assert events("CARRIER_COPY_WITHDRAWN") == 1


def test_the_office_cancels_an_approved_order_not_made(people, item, register):
    order = approved(people, register(secret_item=item))
    with pytest.raises(AccessDenied):
        services.withdraw_copy(people["head"], order)
    order = services.withdraw_copy(people["office"], order, reason="原件已收回")
    assert order.state == CopyState.WITHDRAWN
    with pytest.raises(Conflict):
        make(people, order)
    made = approved(people, register(secret_item=item))
    make(people, made)
    with pytest.raises(Conflict):  # made copies stay made
        services.withdraw_copy(people["reader"], made)


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(("overrides", "code", "field"), [
    ({"kind": "scan"}, "invalid", "kind"),
    ({"copies": 0}, "out_of_range", "copies"),
    ({"copies": 100}, "out_of_range", "copies"),
    ({"copies": "2"}, "invalid", "copies"),
    ({"purpose": "  "}, "required", "purpose"),
    ({"purpose": "x" * 501}, "too_long", "purpose"),
    ({"consent_on": today() + datetime.timedelta(days=1)}, "future_date", "consent_on"),
    ({"consent_on": "2026-01-01"}, "invalid", "consent_on"),
])
def test_bad_requests_are_refused(people, item, register, overrides, code, field):
    carrier = register(secret_item=item)
    arguments = {"kind": CopyKind.COPY, "copies": 1, "purpose": PURPOSE, **overrides}
    with pytest.raises(InvalidInput) as exc:
        services.request_copy(people["reader"], carrier, **arguments)
    assert exc.value.code == code and field in exc.value.fields
    assert not CopyOrder.objects.exists()


def test_bad_making_is_refused(people, unit, item, register):
    order = approved(people, register(secret_item=item))
    for kwargs, code in (({"made_on": today() + datetime.timedelta(days=1)}, "future_date"),
                         ({"made_on": today() - datetime.timedelta(days=1)}, "before_request"),
                         ({"made_on": None}, "invalid"),
                         ({"made_on": today(), "custodian": PersonFactory()},
                          "unknown_person")):
        with pytest.raises(InvalidInput) as exc:
            services.make_copies(people["office"], order, **kwargs)
        assert exc.value.code == code
    assert CopyOrder.objects.get().state == CopyState.APPROVED
    assert Carrier.objects.count() == 1


def test_copy_numbers_must_fit_the_ledger(people, item, register):
    carrier = register(secret_item=item, number="N" * 48)
    with pytest.raises(InvalidInput) as exc:
        ask(people, carrier, copies=1)
    assert exc.value.code == "number_too_long"


def test_a_taken_number_stops_the_whole_order(people, item, register):
    original = register(secret_item=item)
    register(number=f"{original.number}-F2")  # registered by hand earlier
    order = approved(people, original)
    with pytest.raises(Conflict) as exc:
        make(people, order)
    assert exc.value.code == "number_exists"
    assert not Carrier.objects.filter(original=original).exists()  # not even F1
    assert CopyOrder.objects.get().state == CopyState.APPROVED


def test_the_requester_still_may_copy_when_the_copies_are_made(people, item, register):
    order = approved(people, register(secret_item=item))
    ScopeEntry.objects.filter(item=item, person=people["reader"].person).update(
        removed_on=today())
    with pytest.raises(RuleViolation) as exc:
        make(people, order)
    assert (exc.value.code, exc.value.rule) == ("not_in_scope", "C4")
    assert Carrier.objects.count() == 1

