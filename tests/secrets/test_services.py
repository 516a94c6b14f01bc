"""The services of the 定密 app: authority (S3), proposing (S1, S4, L4), the decision (S3, S4),
the knowledge record (S8), the annual review (S5), and bad input (never a 500, never a half
write)."""

import inspect
import json
from datetime import date

import pytest

from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.approvals.services import decide, withdraw_request
from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level
from baomi.secrets import services
from baomi.secrets.choices import ChangeKind, ItemState
from baomi.secrets.models import Authority, ItemChange, KnowledgeRecord, ScopeEntry, SecretItem
from baomi.secrets.selectors import items_visible_to

from . import services_support as support
from .services_support import ISSUED, on_day, propose, values

pytestmark = pytest.mark.django_db

people, yf, authority = support.people, support.yf, support.authority


def scope_names(item):
    entries = ScopeEntry.objects.filter(item=item, removed_on__isnull=True)
    return sorted(e.person.name if e.person else e.department.name for e in entries)


# --- 定密权限 (rule S3) ------------------------------------------------------------------------


@pytest.mark.rule("S3")
def test_office_sets_and_replaces_the_authority(people, unit):
    first = services.set_authority(people["office"], unit, max_level=Level.CONFIDENTIAL,
                                   document="文件一", granted_on=date(2024, 1, 1))
    again = services.set_authority(people["office"], unit, max_level=Level.TOP_SECRET,
                                   document="文件二", granted_on=date(2025, 1, 1))
    assert again.pk == first.pk and Authority.objects.get().max_level == Level.TOP_SECRET
    events = AuditEvent.objects.filter(action="SECRET_AUTHORITY_SET").order_by("seq")
    assert [json.loads(e.after)["max_level"] for e in events] == [2, 3]
    assert json.loads(events[1].before)["document"] == "文件一"


@pytest.mark.rule("S3")
@pytest.mark.parametrize("who", ["officer", "leader", "proposer"])
def test_only_the_office_sets_the_authority(people, unit, who):
    with pytest.raises(AccessDenied):
        services.set_authority(people[who], unit, max_level=1, document="x",
                               granted_on=date(2024, 1, 1))
    assert not Authority.objects.exists()


@pytest.mark.parametrize("field,kwargs", [
    ("max_level", {"max_level": 0}), ("max_level", {"max_level": 4}),
    ("max_level", {"max_level": True}), ("max_level", {"max_level": "3"}),
    ("document", {"document": ""}), ("document", {"document": "x" * 201}),
    ("granted_on", {"granted_on": "2024-01-01"}), ("granted_on", {"granted_on": date(2099, 1, 1)}),
])
def test_authority_bad_input(people, unit, field, kwargs):
    args = {"max_level": 2, "document": "文件", "granted_on": date(2024, 1, 1), **kwargs}
    with pytest.raises(InvalidInput) as raised:
        services.set_authority(people["office"], unit, **args)
    assert field in raised.value.fields
    assert not Authority.objects.exists()


# --- proposing: the decision path (rules S3, S4) ---------------------------------------------


@pytest.mark.rule("S3")
def test_within_the_authority_the_item_is_proposed_with_a_request(people, unit):
    services.set_authority(people["office"], unit, max_level=Level.CONFIDENTIAL,
                           document="国保〔2024〕1号", granted_on=date(2024, 1, 1))
    item = propose(people, level=Level.CONFIDENTIAL)
    assert item.state == ItemState.PROPOSED and item.provisional_due_on is None
    request = Request.objects.get(pk=item.request_id)
    assert request.request_type == "secret_determination" and request.level == Level.CONFIDENTIAL
    assert request.current_role == "classification_officer"
    assert (request.subject_type, request.subject_id) == ("secrets.secretitem", item.pk)
    assert request.payload == {"item_id": item.pk, "number": "JM-001", "title": "某型号总体方案"}
    event = AuditEvent.objects.get(action="SECRET_ITEM_PROPOSED")
    assert json.loads(event.after)["request"] == request.pk and event.unit_id == unit.pk


@pytest.mark.rule("S3")
def test_above_the_authority_the_item_is_provisional_due_in_ten_working_days(people, unit):
    services.set_authority(people["office"], unit, max_level=Level.CONFIDENTIAL,
                           document="国保〔2024〕1号", granted_on=date(2024, 1, 1))
    # Monday 28 September 2026: 国庆 (1–7 October) and the make-up Saturday 10 October.
    with on_day(date(2026, 9, 28)):
        item = propose(people, actor="core", scope=(), level=Level.TOP_SECRET,
                       issued_on=None)
    assert item.state == ItemState.PROVISIONAL and item.request_id is None
    assert item.provisional_due_on == date(2026, 10, 16)
    assert item.provisional_due_estimated is False
    assert not Request.objects.exists()


@pytest.mark.rule("S3")
def test_without_any_authority_every_state_secret_is_provisional(people):
    with on_day(date(2026, 9, 21)):
        item = propose(people, level=Level.SECRET, issued_on=None)
    assert item.state == ItemState.PROVISIONAL
    assert item.provisional_due_on == date(2026, 10, 12)


@pytest.mark.rule("S3")
def test_provisional_due_date_outside_the_official_calendar_is_estimated(people):
    with on_day(date(2035, 3, 1)):
        item = propose(people, issued_on=None)
    assert item.provisional_due_estimated is True
    assert item.provisional_due_on == date(2035, 3, 15)  # Monday–Friday guess


@pytest.mark.rule("S3")
def test_unit_policy_sets_the_working_days_of_the_provisional_decision(people, unit):
    unit.policy_overrides = {"secrets.provisional_decision_working_days": 5}
    unit.save()
    with on_day(date(2026, 9, 28)):
        item = propose(people, issued_on=None)
    assert item.provisional_due_on == date(2026, 10, 10)  # the make-up Saturday


@pytest.mark.rule("S3")
def test_superior_decision_classifies_a_provisional_item(people):
    with on_day(date(2026, 9, 28)):
        item = propose(people, issued_on=None)
        decided = services.record_superior_decision(
            people["office"], item, classified=True, level=Level.SECRET, period_kind="years",
            period_value=5, declassify_condition="", document="上级复函〔2026〕7号",
            decided_on=date(2026, 9, 28))
    assert decided.state == ItemState.DETERMINED and decided.level == Level.SECRET
    assert decided.decided_on == date(2026, 9, 28)
    assert decided.expires_on == date(2031, 9, 27)  # from the decision: no issue date (S2)
    assert decided.decision_document == "上级复函〔2026〕7号"
    change = ItemChange.objects.get(item=item)
    assert change.kind == ChangeKind.SUPERIOR_DECISION
    assert change.before["level"] == Level.CONFIDENTIAL and change.after["level"] == Level.SECRET
    assert AuditEvent.objects.filter(action="SECRET_SUPERIOR_DECISION_RECORDED").count() == 1


@pytest.mark.rule("S3")
def test_superior_decision_not_a_secret(people):
    item = propose(people)
    decided = services.record_superior_decision(
        people["office"], item, classified=False, level=None, period_kind=None,
        period_value=None, declassify_condition="", document="复函", decided_on=ISSUED)
    assert decided.state == ItemState.REJECTED and decided.expires_on is None


@pytest.mark.rule("S3")
def test_superior_decision_only_by_the_office_and_only_on_provisional_items(people, authority):
    provisional_less = propose(people)  # within the authority: proposed, not provisional
    args = {"classified": True, "level": 1, "period_kind": "years", "period_value": 5,
            "declassify_condition": "", "document": "复函", "decided_on": ISSUED}
    with pytest.raises(Conflict) as raised:
        services.record_superior_decision(people["office"], provisional_less, **args)
    assert raised.value.code == "illegal_transition"
    Authority.objects.all().delete()
    item = propose(people, number="JM-002")
    with pytest.raises(AccessDenied):
        services.record_superior_decision(people["officer"], item, **args)
    with pytest.raises(NotFound):  # the outsider does not even see it
        services.record_superior_decision(people["outsider"], item, **args)
    with pytest.raises(RuleViolation) as raised:  # rule S2 for the decided period too
        services.record_superior_decision(people["office"], item,
                                          **{**args, "period_value": 11})
    assert raised.value.code == "period_too_long"
    assert SecretItem.objects.get(pk=item.pk).state == ItemState.PROVISIONAL


# --- the determination (rule S4) ---------------------------------------------------------------


@pytest.mark.rule("S4")
def test_the_classification_officer_decides_and_is_recorded(people, authority):
    item = propose(people, issued_on=None)
    with on_day(date(2026, 3, 10)):
        decide(people["officer"], item.request, "approve", comment="同意")
    item.refresh_from_db()
    assert item.state == ItemState.DETERMINED
    assert item.decider == people["officer"] and item.decided_on == date(2026, 3, 10)
    assert item.expires_on == date(2036, 3, 9)  # from the decision date, no issue date (S2)
    change = ItemChange.objects.get(item=item)
    assert change.kind == ChangeKind.DETERMINED and change.request_id == item.request_id
    assert change.decided_by == people["officer"]
    assert change.before["state"] == "proposed" and change.after["state"] == "determined"
    assert AuditEvent.objects.filter(action="SECRET_ITEM_DETERMINED").count() == 1


@pytest.mark.rule("S4")
def test_the_proposer_cannot_decide_their_own_item(people, authority):
    item = services.propose_item(people["officer"], unit=people["officer"].person.unit,
                                 **values())
    with pytest.raises(RuleViolation) as raised:
        decide(people["officer"], item.request, "approve")
    assert raised.value.code == "own_request"
    decide(people["officer2"], item.request, "approve")
    item.refresh_from_db()
    assert item.decider == people["officer2"]


@pytest.mark.rule("S4")
@pytest.mark.parametrize("who", ["office", "leader", "zhang"])
def test_only_the_classification_officer_decides(people, authority, who):
    item = propose(people)
    with pytest.raises(AccessDenied):
        decide(people[who], item.request, "approve")
    assert SecretItem.objects.get(pk=item.pk).state == ItemState.PROPOSED


@pytest.mark.rule("S4")
def test_a_policy_chain_without_the_officer_cannot_classify(people, authority, unit):
    unit.policy_overrides = {"approvals.chains": {
        "default": {"default": ["secrecy_office"]},
        "secret_determination": {"default": ["secrecy_office"]}}}
    unit.save()
    item = propose(people)
    with pytest.raises(RuleViolation) as raised:
        decide(people["office"], item.request, "approve")
    assert raised.value.code == "not_classification_officer" and raised.value.rule == "S4"
    item.refresh_from_db()
    assert item.state == ItemState.PROPOSED and item.request.state == RequestState.PENDING


@pytest.mark.rule("S4")
def test_rejection_and_withdrawal_leave_the_item_unclassified(people, authority):
    rejected = propose(people)
    decide(people["officer"], rejected.request, "reject", comment="不属于国家秘密")
    rejected.refresh_from_db()
    assert rejected.state == ItemState.REJECTED and rejected.expires_on is None
    assert ItemChange.objects.get(item=rejected).after["state"] == "rejected"
    withdrawn = propose(people, number="JM-002")
    withdraw_request(people["proposer"], withdrawn.request, reason="重复登记")
    withdrawn.refresh_from_db()
    assert withdrawn.state == ItemState.REJECTED
    assert AuditEvent.objects.filter(action="SECRET_ITEM_WITHDRAWN").count() == 1


@pytest.mark.rule("S4")
def test_no_other_classification_officer_refuses_the_proposal(people, authority):
    people["officer2"].role_assignments.all().delete()
    with pytest.raises(InvalidInput) as raised:
        services.propose_item(people["officer"], unit=people["officer"].person.unit,
                              **values())
    assert raised.value.code == "no_approver"
    assert not SecretItem.objects.exists() and not ScopeEntry.objects.exists()


# --- the 知悉范围 at the start (rule S1) --------------------------------------------------------


@pytest.mark.rule("S1")
def test_the_proposer_is_always_in_the_scope(people, authority):
    alone = propose(people, scope=())
    assert scope_names(alone) == ["王承办"]
    named = propose(people, number="JM-002", scope=("zhang", "proposer", "zhang"))
    assert scope_names(named) == ["张知悉", "王承办"]


@pytest.mark.rule("S1")
def test_scope_departments_and_people_of_the_unit_only(people, authority, yf, make_user):
    item = propose(people, scope=(), scope_departments=[yf])
    assert scope_names(item) == ["王承办", "研发一部"]
    stranger = make_user("stranger", unit=support.DepartmentFactory().unit, category=3)
    with pytest.raises(InvalidInput) as raised:
        propose(people, number="JM-002", scope=(), scope_people=[stranger.person])
    assert raised.value.code == "unknown_person" and "scope_people" in raised.value.fields
    other = support.DepartmentFactory()
    with pytest.raises(InvalidInput) as raised:
        propose(people, number="JM-003", scope_departments=[other])
    assert raised.value.code == "unknown_department"


@pytest.mark.rule("L5")
def test_people_named_in_a_state_secret_scope_are_cleared_for_it(people, authority):
    with pytest.raises(RuleViolation) as raised:
        propose(people, scope=("li",), level=Level.CONFIDENTIAL)
    assert raised.value.code == "not_cleared" and "scope_people" in raised.value.fields
    assert propose(people, number="JM-002", scope=("li",), level=Level.SECRET)
    # rule L4: the other schemes carry no state clearance
    assert propose(people, number="GM-001", scope=("li",), scheme="work", level=1)


@pytest.mark.rule("L5")
def test_nobody_proposes_above_their_clearance(people, authority):
    with pytest.raises(RuleViolation) as raised:
        propose(people, level=Level.TOP_SECRET, period_kind="years", period_value=30)
    assert raised.value.code == "above_clearance"
    assert not SecretItem.objects.exists()


# --- the schemes (rule L4) -------------------------------------------------------------------------


@pytest.mark.rule("L4")
@pytest.mark.parametrize("scheme,level,accepted", [
    ("work", 1, True), ("work", 2, False), ("work", 3, False),
    ("commercial", 1, True), ("commercial", 2, True), ("commercial", 3, False),
])
def test_levels_of_work_and_commercial_secrets(people, scheme, level, accepted):
    if not accepted:
        with pytest.raises(RuleViolation) as raised:
            propose(people, scheme=scheme, level=level)
        assert raised.value.code == "level_not_in_scheme" and raised.value.rule == "L4"
        assert not SecretItem.objects.exists()
        return
    assert propose(people, scheme=scheme, level=level).scheme == scheme


@pytest.mark.rule("L4")
def test_s2_and_s3_do_not_apply_to_other_schemes(people):
    """No 定密权限 at all: a 核心商密 is still proposed with a request (rule S3 is for state
    secrets), and its period is not bounded by the state-secret maximum (rule S2)."""
    item = propose(people, scheme="commercial", level=Level.CONFIDENTIAL, period_value=25)
    assert item.state == ItemState.PROPOSED
    request = Request.objects.get(pk=item.request_id)
    assert request.level == Level.NONSECRET  # not a state-secret level
    work = propose(people, number="GM-001", scheme="work", level=1, period_kind="long_term")
    assert work.state == ItemState.PROPOSED and work.period_kind == "long_term"


# --- the knowledge record (rule S8) ---------------------------------------------------------------


@pytest.fixture
def item(people, authority):
    return support.determined(people)


@pytest.mark.rule("S8")
def test_knowledge_is_recorded_with_who_when_how_and_approver(people, item):
    record = services.record_knowledge(
        people["office"], item, person=people["zhang"].person, kind="know",
        known_on=date(2026, 5, 6), approved_by=people["leader"], source="方案评审会")
    stored = KnowledgeRecord.objects.get(pk=record.pk)
    assert (stored.person, stored.kind, stored.known_on) == (
        people["zhang"].person, "know", date(2026, 5, 6))
    assert stored.approved_by == people["leader"] and stored.recorded_by == people["office"]
    assert stored.source == "方案评审会"
    event = AuditEvent.objects.get(action="SECRET_KNOWLEDGE_RECORDED")
    assert event.unit_id == item.unit_id
    assert json.loads(event.after)["person"] == people["zhang"].person.pk
    services.record_knowledge(people["officer"], item, person=people["proposer"].person,
                              kind="contact", known_on=date(2026, 5, 7))
    assert KnowledgeRecord.objects.count() == 2


@pytest.mark.rule("S8")
def test_knowledge_only_for_people_in_scope(people, item):
    with pytest.raises(RuleViolation) as raised:
        services.record_knowledge(people["office"], item, person=people["outsider"].person,
                                  kind="know", known_on=date(2026, 5, 6))
    assert raised.value.code == "not_in_scope" and "person" in raised.value.fields
    assert not KnowledgeRecord.objects.exists()


@pytest.mark.rule("S8")
def test_knowledge_only_for_people_cleared_for_the_level(people, item, yf):
    """li (一般) is in the scope through 研发一部, but not cleared for 机密."""
    ScopeEntry.objects.create(item=item, department=yf, added_on=ISSUED,
                              added_by=people["office"])
    with pytest.raises(RuleViolation) as raised:
        services.record_knowledge(people["office"], item, person=people["li"].person,
                                  kind="know", known_on=date(2026, 5, 6))
    assert raised.value.code == "not_cleared"
    services.record_knowledge(people["office"], item, person=people["core"].person,
                              kind="know", known_on=date(2026, 5, 6))


@pytest.mark.rule("S8")
def test_knowledge_recorded_by_office_or_officer_only(people, item):
    with pytest.raises(AccessDenied):
        services.record_knowledge(people["proposer"], item, person=people["zhang"].person,
                                  kind="know", known_on=date(2026, 5, 6))


@pytest.mark.parametrize("field,kwargs", [
    ("kind", {"kind": "read"}), ("known_on", {"known_on": date(2099, 1, 1)}),
    ("known_on", {"known_on": "2026-01-01"}), ("source", {"source": "x" * 201}),
    ("person", {"person": "zhang"}), ("approved_by", {"approved_by": 5}),
])
def test_knowledge_bad_input(people, item, field, kwargs):
    args = {"person": people["zhang"].person, "kind": "know", "known_on": date(2026, 5, 6),
            **kwargs}
    with pytest.raises(InvalidInput) as raised:
        services.record_knowledge(people["office"], item, **args)
    assert field in raised.value.fields
    assert not KnowledgeRecord.objects.exists()


# --- the annual review (rule S5) -------------------------------------------------------------------


@pytest.mark.rule("S5")
def test_the_classification_officer_reviews(people, item):
    with on_day(date(2026, 6, 1)):
        reviewed = services.review_item(people["officer2"], item, note="继续保密")
    assert reviewed.last_reviewed_on == date(2026, 6, 1)
    change = ItemChange.objects.get(item=item, kind=ChangeKind.REVIEW)
    assert change.before == {"last_reviewed_on": None}
    assert change.reason == "继续保密" and change.decided_by == people["officer2"]
    with on_day(date(2026, 6, 1)), pytest.raises(Conflict) as raised:
        services.review_item(people["officer"], item)
    assert raised.value.code == "already_reviewed"
    with on_day(date(2027, 5, 20)):
        assert services.review_item(people["officer"], item).last_reviewed_on == date(2027, 5, 20)


@pytest.mark.rule("S5")
@pytest.mark.parametrize("who", ["office", "leader", "proposer"])
def test_only_the_classification_officer_reviews(people, item, who):
    with pytest.raises(AccessDenied) as raised:
        services.review_item(people[who], item)
    assert raised.value.code == "not_classification_officer"
    assert SecretItem.objects.get(pk=item.pk).last_reviewed_on is None


@pytest.mark.rule("S5")
def test_only_classified_items_are_reviewed(people, authority):
    proposed = propose(people)
    with pytest.raises(Conflict):
        services.review_item(people["officer"], proposed)


# --- rule L5: the level is lowered only by a change request (S10) ----------------------------


LEVEL_WRITERS = {"propose_item", "record_superior_decision", "request_change"}


@pytest.mark.rule("L5")
def test_no_service_but_the_change_request_lowers_a_level(people, item):
    """The services taking a level: a new proposal, the superior
    decision (only on a provisional item, which is not yet classified) and the change
    request — the only path that changes the level of a classified item."""
    writers = {name: inspect.signature(getattr(services, name)).parameters
               for name in services.__all__}
    takes_level = {name for name, params in writers.items()
                   if list(params)[:1] == ["actor"] and "level" in params}
    assert takes_level == LEVEL_WRITERS
    with pytest.raises(Conflict):
        services.record_superior_decision(
            people["office"], item, classified=True, level=Level.SECRET, period_kind="years",
            period_value=5, declassify_condition="", document="复函", decided_on=ISSUED)
    request = services.request_change(people["proposer"], item, kind="level",
                                      level=Level.SECRET, reason="降低密级")
    assert SecretItem.objects.get(pk=item.pk).level == Level.CONFIDENTIAL  # not yet
    support.approve(people["officer2"], request)
    assert SecretItem.objects.get(pk=item.pk).level == Level.SECRET


# --- bad input: a named field, never a 500, nothing written ------------------------------------


@pytest.mark.parametrize("field,overrides", [
    ("scheme", {"scheme": "secret"}), ("scheme", {"scheme": None}),
    ("number", {"number": ""}), ("number", {"number": "x" * 51}),
    ("number", {"number": 12}), ("number", {"number": "A\x00B"}),
    ("title", {"title": "  "}), ("title", {"title": "x" * 201}),
    ("basis", {"basis": ""}), ("basis", {"basis": "x" * 1001}),
    ("description", {"description": "x" * 2001}),
    ("level", {"level": 0}), ("level", {"level": 4}), ("level", {"level": "2"}),
    ("level", {"level": True}), ("level", {"level": None}),
    ("period_kind", {"period_kind": "weeks"}), ("period_kind", {"period_kind": None}),
    ("period_value", {"period_value": "10"}), ("period_value", {"period_value": 0}),
    ("period_value", {"period_value": -3}), ("period_value", {"period_value": 2.5}),
    ("declassify_condition", {"declassify_condition": "x" * 1001}),
    ("issued_on", {"issued_on": "2025-01-15"}), ("issued_on", {"issued_on": date(2099, 1, 1)}),
    ("department", {"department": "综合部"}),
    ("scope_people", {"scope_people": "zhang"}), ("scope_people", {"scope_people": [1]}),
    ("scope_departments", {"scope_departments": [None]}),
])
def test_propose_bad_input(people, authority, field, overrides):
    with pytest.raises(InvalidInput) as raised:
        propose(people, **overrides)
    assert field in raised.value.fields, raised.value.fields
    assert not SecretItem.objects.exists() and not Request.objects.exists()
    assert not AuditEvent.objects.filter(action="SECRET_ITEM_PROPOSED").exists()


def test_duplicate_number_is_a_conflict_and_writes_nothing(people, authority):
    propose(people)
    before = (SecretItem.objects.count(), ScopeEntry.objects.count(), Request.objects.count(),
              AuditEvent.objects.count())
    with pytest.raises(Conflict) as raised:
        propose(people, title="另一事项")
    assert raised.value.code == "number_exists" and "number" in raised.value.fields
    assert (SecretItem.objects.count(), ScopeEntry.objects.count(), Request.objects.count(),
            AuditEvent.objects.count()) == before
    other_unit = support.DepartmentFactory().unit
    assert not SecretItem.objects.filter(unit=other_unit).exists()


@pytest.mark.parametrize("actor", [None, "anonymous"])
def test_propose_needs_a_business_user(people, authority, actor, secadmin):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if actor == "anonymous" else None
    with pytest.raises(AccessDenied):
        services.propose_item(user, unit=people["proposer"].person.unit, **values())
    with pytest.raises(AccessDenied):  # rule T2: an admin role opens no business data
        services.propose_item(secadmin, unit=secadmin.person.unit, **values())


def test_people_propose_only_in_their_own_unit(people, authority, make_user):
    other = support.DepartmentFactory().unit
    with pytest.raises(AccessDenied) as raised:
        services.propose_item(people["proposer"], unit=other, **values())
    assert raised.value.code == "other_unit"
    with pytest.raises(InvalidInput) as raised:
        services.propose_item(people["proposer"], unit="DEMO-T", **values())
    assert "unit" in raised.value.fields


def test_proposed_items_are_visible_to_the_proposer_and_the_scope(people, authority):
    item = propose(people)
    assert item in items_visible_to(people["proposer"])
    assert item in items_visible_to(people["zhang"])
    assert item not in items_visible_to(people["outsider"])


@pytest.mark.parametrize("field,kwargs", [
    ("classified", {"classified": "yes"}), ("document", {"document": ""}),
    ("document", {"document": "x" * 201}), ("decided_on", {"decided_on": date(2099, 1, 1)}),
    ("decided_on", {"decided_on": None}), ("level", {"level": None}),
    ("period_kind", {"period_kind": "weeks"}), ("period_value", {"period_value": "5"}),
])
def test_superior_decision_bad_input(people, field, kwargs):
    item = propose(people)
    args = {"classified": True, "level": 2, "period_kind": "years", "period_value": 5,
            "declassify_condition": "", "document": "复函", "decided_on": ISSUED, **kwargs}
    with pytest.raises(InvalidInput) as raised:
        services.record_superior_decision(people["office"], item, **args)
    assert field in raised.value.fields
    assert SecretItem.objects.get(pk=item.pk).state == ItemState.PROVISIONAL
    assert not ItemChange.objects.exists()


def test_review_bad_input_and_unknown_items(people, item):
    with pytest.raises(InvalidInput) as raised:
        services.review_item(people["officer"], item, note="x" * 2001)
    assert "note" in raised.value.fields
    for bad in (None, "1", SecretItem(pk=10**9)):
        with pytest.raises(NotFound):
            services.review_item(people["officer"], bad)
    assert not ItemChange.objects.filter(kind=ChangeKind.REVIEW).exists()
