"""Changes of a classified item (S10), additions to the 知悉范围 (S7), the scope never emptied
(S1), and the extension of an expired item under review (S6)."""

import json
from datetime import date

import pytest

from baomi.accounts.roles import Role
from baomi.accounts.services import set_policy_profile
from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.approvals.services import decide, resubmit_request
from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Category, Level
from baomi.secrets import services
from baomi.secrets.choices import ChangeKind, ItemState
from baomi.secrets.models import ItemChange, ScopeEntry, SecretItem
from baomi.secrets.selectors import history_of, items_visible_to

from . import services_support as support
from .services_support import approve, determined, on_day

pytestmark = pytest.mark.django_db

people, yf, authority = support.people, support.yf, support.authority


@pytest.fixture
def item(people, authority):
    """机密, 10 years from 15 January 2025; scope: the proposer and zhang."""
    return determined(people)


def change(people, item, who="proposer", **kwargs):
    kwargs.setdefault("reason", "工作需要")
    return services.request_change(people[who], item, **kwargs)


def fresh(item):
    return SecretItem.objects.get(pk=item.pk)


def last_change(item):
    return ItemChange.objects.filter(item=item).order_by("-id").first()


# --- each kind writes the item and the history (rule S10) ---------------------------------------


@pytest.mark.rule("S10")
def test_level_change_writes_the_item_and_the_history(people, item):
    request = change(people, item, kind="level", level=Level.SECRET, reason="部分内容已公开")
    assert request.request_type == "secret_change" and request.level == Level.CONFIDENTIAL
    assert request.current_role == "classification_officer"
    assert fresh(item).level == Level.CONFIDENTIAL  # nothing changes before the decision
    approve(people["officer2"], request)
    changed = fresh(item)
    assert changed.level == Level.SECRET
    assert (changed.period_kind, changed.period_value, changed.expires_on) == (
        item.period_kind, item.period_value, item.expires_on)  # nothing else recomputed
    entry = last_change(item)
    assert entry.kind == ChangeKind.LEVEL and entry.request_id == request.pk
    assert (entry.before["level"], entry.after["level"]) == (2, 1)
    assert entry.reason == "部分内容已公开" and entry.decided_by == people["officer2"]
    event = AuditEvent.objects.get(action="SECRET_ITEM_CHANGED")
    assert json.loads(event.after)["kind"] == "level"
    assert AuditEvent.objects.filter(action="SECRET_CHANGE_REQUESTED").count() == 1


@pytest.mark.rule("S10")
def test_the_history_keeps_every_earlier_value(people, item):
    approve(people["officer"], change(people, item, kind="period", period_kind="years",
                                      period_value=5))
    approve(people["officer"], change(people, item, kind="period", period_kind="years",
                                      period_value=8))
    approve(people["officer"], change(people, item, kind="level", level=Level.SECRET))
    kinds = [(c.kind, c.before.get("period_value"), c.before.get("level"))
             for c in history_of(fresh(item))]
    assert kinds == [("level", 8, 2), ("period", 5, 2), ("period", 10, 2),
                     ("determined", 10, 2)]


@pytest.mark.rule("S10")
def test_period_change_recomputes_the_last_day_from_the_original_start(people, item):
    with on_day(date(2026, 6, 1)):
        approve(people["officer"], change(people, item, kind="period", period_kind="years",
                                          period_value=20))
    changed = fresh(item)
    assert (changed.period_kind, changed.period_value) == ("years", 20)
    assert changed.expires_on == date(2045, 1, 14)  # from 15 January 2025, the issue date
    entry = last_change(item)
    assert entry.before["expires_on"] == "2035-01-14"
    assert entry.after["expires_on"] == "2045-01-14"


@pytest.mark.rule("S10")
def test_period_change_to_a_condition_has_no_last_day(people, item):
    approve(people["officer"], change(people, item, kind="period", period_kind="condition",
                                      declassify_condition="型号定型后解密"))
    changed = fresh(item)
    assert (changed.period_kind, changed.period_value, changed.expires_on) == (
        "condition", None, None)
    assert changed.declassify_condition == "型号定型后解密"


@pytest.mark.rule("S10")
def test_a_period_already_over_is_refused(people, item):
    with on_day(date(2026, 1, 15)), pytest.raises(RuleViolation) as raised:
        change(people, item, kind="period", period_kind="months", period_value=11)
    assert raised.value.code == "period_already_ended"  # it ended on 14 December 2025
    with on_day(date(2025, 12, 14)):
        assert change(people, item, kind="period", period_kind="months", period_value=11)


@pytest.mark.rule("S10")
def test_scope_removal_keeps_the_entries_with_their_end(people, item):
    with on_day(date(2026, 6, 1)):
        approve(people["officer"], change(people, item, kind="scope_remove",
                                          remove_people=[people["zhang"].person],
                                          reason="调离项目组"))
    entry = ScopeEntry.objects.get(item=item, person=people["zhang"].person)
    assert entry.removed_on == date(2026, 6, 1)
    assert item not in items_visible_to(people["zhang"])
    history = last_change(item)
    assert history.kind == ChangeKind.SCOPE_REMOVE
    assert [p["name"] for p in history.before["people"]] == ["王承办", "张知悉"]
    assert [p["name"] for p in history.after["people"]] == ["王承办"]


@pytest.mark.rule("S10")
def test_declassification_by_decision(people, item):
    with on_day(date(2026, 6, 1)):
        approve(people["officer"], change(people, item, kind="declassify", reason="已公开"))
    changed = fresh(item)
    assert changed.state == ItemState.DECLASSIFIED
    assert changed.declassified_on == date(2026, 6, 1) and changed.declassified_how == "decision"
    assert last_change(item).after["state"] == "declassified"
    assert AuditEvent.objects.filter(action="SECRET_ITEM_DECLASSIFIED").count() == 1
    with pytest.raises(Conflict) as raised:
        change(people, item, kind="level", level=1)
    assert raised.value.code == "not_in_force"


@pytest.mark.rule("S10")
def test_a_rejected_change_changes_nothing(people, item):
    request = change(people, item, kind="declassify")
    decide(people["officer"], request, "reject", comment="仍需保密")
    assert fresh(item).state == ItemState.DETERMINED
    assert list(ItemChange.objects.filter(item=item).values_list("kind", flat=True)) == [
        "determined"]


# --- who files, who decides, when (rule S10) -------------------------------------------------------


@pytest.mark.rule("S10")
@pytest.mark.parametrize("who", ["proposer", "office", "officer"])
def test_proposer_office_and_officer_file_changes(people, item, who):
    assert change(people, item, who=who, kind="declassify").state == RequestState.PENDING


@pytest.mark.rule("S10")
def test_others_do_not_file_changes(people, item):
    with pytest.raises(AccessDenied):  # in the scope, but not the 承办人
        change(people, item, who="zhang", kind="declassify")
    with pytest.raises(NotFound):
        change(people, item, who="outsider", kind="declassify")
    assert not Request.objects.filter(request_type="secret_change").exists()


@pytest.mark.rule("S10")
def test_only_the_classification_officer_decides_a_change(people, item, unit):
    second = determined(people, number="JM-002")
    request = change(people, item, kind="declassify")
    for who in ("office", "leader"):
        with pytest.raises(AccessDenied):
            decide(people[who], request, "approve")
    unit.policy_overrides = {"approvals.chains": {
        "default": {"default": ["secrecy_office"]},
        "secret_change": {"default": ["secrecy_office"]}}}
    unit.save()
    other = change(people, second, kind="declassify")
    with pytest.raises(RuleViolation) as raised:
        decide(people["office"], other, "approve")
    assert raised.value.code == "not_classification_officer" and raised.value.rule == "S10"


@pytest.mark.rule("S10")
def test_only_items_in_force_are_changed_and_one_change_at_a_time(people, authority, item):
    proposed = support.propose(people, number="JM-002")
    with pytest.raises(Conflict) as raised:
        change(people, proposed, kind="declassify")
    assert raised.value.code == "not_in_force"
    change(people, item, kind="declassify")
    with pytest.raises(Conflict) as raised:
        change(people, item, who="office", kind="period", period_kind="years", period_value=5)
    assert raised.value.code == "change_pending"


@pytest.mark.rule("S2")
def test_level_change_keeps_the_period_within_the_new_maximum(people, authority):
    long = determined(people, period_value=20)  # 机密 20 years
    with pytest.raises(RuleViolation) as raised:
        change(people, long, kind="level", level=Level.SECRET)
    assert raised.value.code == "period_not_allowed_at_level" and raised.value.rule == "S2"
    with pytest.raises(RuleViolation) as raised:
        change(people, long, kind="period", period_kind="years", period_value=21)
    assert raised.value.code == "period_too_long"


@pytest.mark.rule("L5")
def test_raising_the_level_is_at_the_new_level_and_within_the_filer_clearance(people, item):
    with pytest.raises(RuleViolation) as raised:  # the proposer is cleared for 机密 only
        change(people, item, kind="level", level=Level.TOP_SECRET)
    assert raised.value.code == "above_clearance"
    request = change(people, item, who="office", kind="level", level=Level.TOP_SECRET)
    assert request.level == Level.TOP_SECRET


@pytest.mark.rule("L4")
def test_work_secret_level_cannot_be_raised(people, authority):
    work = determined(people, scheme="work", level=1)
    with pytest.raises(RuleViolation) as raised:
        change(people, work, kind="level", level=2)
    assert raised.value.code == "level_not_in_scheme"


@pytest.mark.parametrize("field,kwargs", [
    ("kind", {"kind": "rename"}), ("kind", {"kind": None}),
    ("level", {"kind": "level", "level": "1"}), ("level", {"kind": "level", "level": True}),
    ("level", {"kind": "level"}), ("level", {"kind": "level", "level": 2}),
    ("period_kind", {"kind": "period", "period_kind": 3}),
    ("period_kind", {"kind": "period", "period_kind": "weeks"}),
    ("period_kind", {"kind": "period", "period_kind": "years", "period_value": 10}),
    ("period_value", {"kind": "period", "period_kind": "years", "period_value": "5"}),
    ("period_value", {"kind": "period", "period_kind": "years", "period_value": 0}),
    ("remove_people", {"kind": "scope_remove", "remove_people": ["zhang"]}),
    ("remove_people", {"kind": "scope_remove"}),
    ("remove_departments", {"kind": "scope_remove", "remove_departments": "研发一部"}),
    ("reason", {"kind": "declassify", "reason": ""}),
    ("reason", {"kind": "declassify", "reason": "x" * 2001}),
    ("declassify_condition", {"kind": "period", "period_kind": "condition",
                              "declassify_condition": "x" * 1001}),
])
def test_change_bad_input(people, item, field, kwargs):
    with pytest.raises(InvalidInput) as raised:
        change(people, item, **kwargs)
    assert field in raised.value.fields, raised.value.fields
    assert not Request.objects.filter(request_type="secret_change").exists()
    assert not AuditEvent.objects.filter(action="SECRET_CHANGE_REQUESTED").exists()


def test_a_returned_change_is_resubmitted_with_the_item_named_truly(people, item):
    request = change(people, item, kind="period", period_kind="years", period_value=5)
    decide(people["officer"], request, "return", comment="期限依据不足")
    request.refresh_from_db()
    payload = {**request.payload, "period_value": 6, "number": "伪造", "title": "伪造"}
    again = resubmit_request(people["proposer"], request, payload=payload, title=request.title)
    assert again.payload["number"] == "JM-001" and again.payload["title"] == "某型号总体方案"
    assert again.payload["period_value"] == 6
    approve(people["officer2"], again)
    assert fresh(item).period_value == 6


# --- the 知悉范围 is never emptied (rule S1) -------------------------------------------------------


@pytest.mark.rule("S1")
def test_removing_everyone_is_refused_removing_all_but_one_is_not(people, item):
    everyone = [people["proposer"].person, people["zhang"].person]
    with pytest.raises(RuleViolation) as raised:
        change(people, item, kind="scope_remove", remove_people=everyone)
    assert raised.value.code == "scope_empty" and raised.value.rule == "S1"
    request = change(people, item, kind="scope_remove", remove_people=everyone[:1])
    approve(people["officer"], request)
    assert ScopeEntry.objects.filter(item=item, removed_on__isnull=True).count() == 1


@pytest.mark.rule("S10")
def test_removing_someone_not_named_is_refused(people, item, yf):
    with pytest.raises(InvalidInput) as raised:
        change(people, item, kind="scope_remove", remove_people=[people["outsider"].person])
    assert raised.value.code == "not_in_scope"
    with pytest.raises(InvalidInput) as raised:
        change(people, item, kind="scope_remove", remove_departments=[yf])
    assert raised.value.code == "not_in_scope" and "remove_departments" in raised.value.fields


# --- additions to the 知悉范围 (rule S7) -----------------------------------------------------------


def add(cast, item, who="proposer", **kwargs):
    kwargs.setdefault("reason", "参加方案评审")
    return services.request_scope_addition(cast[who], item, **kwargs)


@pytest.mark.rule("S7")
def test_the_leader_approves_an_addition_and_the_person_sees_the_item(people, item):
    assert item not in items_visible_to(people["outsider"])
    request = add(people, item, people=[people["outsider"].person])
    assert request.request_type == "secret_scope" and request.current_role == "leader"
    assert request.level == Level.CONFIDENTIAL
    with on_day(date(2026, 6, 1)):
        approve(people["leader"], request)
    entry = ScopeEntry.objects.get(item=item, person=people["outsider"].person)
    assert entry.request_id == request.pk and entry.added_on == date(2026, 6, 1)
    assert item in items_visible_to(people["outsider"])
    history = last_change(item)
    assert history.kind == ChangeKind.SCOPE_ADD and history.request_id == request.pk
    assert "赵无关" in [p["name"] for p in history.after["people"]]
    assert "赵无关" not in [p["name"] for p in history.before["people"]]
    assert AuditEvent.objects.filter(action="SECRET_SCOPE_ADDED").count() == 1


@pytest.mark.rule("S7")
def test_a_classification_officer_decides_an_addition_only_as_leader(people, item, make_user):
    request = add(people, item, people=[people["outsider"].person])
    with pytest.raises(AccessDenied):
        decide(people["officer"], request, "approve")
    assert item not in items_visible_to(people["outsider"])
    boss = make_user("boss", roles=[Role.CLASSIFICATION_OFFICER, Role.LEADER],
                     category=Category.CORE)
    approve(boss, request)
    assert item in items_visible_to(people["outsider"])


@pytest.mark.rule("S7")
def test_departments_are_added_too(people, item, unit):
    other = support.DepartmentFactory(unit=unit, name="试验部", code="SY")
    approve(people["leader"], add(people, item, departments=[other]))
    assert ScopeEntry.objects.filter(item=item, department=other, removed_on=None).exists()


@pytest.mark.rule("S7")
def test_people_already_in_scope_are_refused(people, item, yf):
    with pytest.raises(InvalidInput) as raised:
        add(people, item, people=[people["zhang"].person])
    assert raised.value.code == "already_in_scope" and "people" in raised.value.fields
    approve(people["leader"], add(people, item, departments=[yf]))
    with pytest.raises(InvalidInput) as raised:  # 陈核心 is in scope through 研发一部
        add(people, item, people=[people["core"].person])
    assert raised.value.code == "already_in_scope"
    with pytest.raises(InvalidInput) as raised:
        add(people, item, departments=[yf])
    assert raised.value.code == "already_in_scope" and "departments" in raised.value.fields


@pytest.mark.rule("L5")
def test_an_addition_of_someone_not_cleared_is_refused(people, item):
    with pytest.raises(RuleViolation) as raised:
        add(people, item, people=[people["li"].person])
    assert raised.value.code == "not_cleared"


@pytest.mark.parametrize("field,kwargs", [
    ("people", {}), ("people", {"people": ["赵无关"]}), ("departments", {"departments": [1]}),
    ("reason", {"people": "x", "reason": ""}),
])
def test_addition_bad_input(people, item, field, kwargs):
    if kwargs.get("people") == "x":
        kwargs["people"] = [people["outsider"].person]
    with pytest.raises(InvalidInput) as raised:
        add(people, item, **kwargs)
    assert field in raised.value.fields
    assert not Request.objects.filter(request_type="secret_scope").exists()


def test_addition_of_people_of_another_unit_is_refused(people, item, make_user):
    stranger = make_user("stranger", unit=support.DepartmentFactory().unit,
                         category=Category.CORE)
    with pytest.raises(InvalidInput) as raised:
        add(people, item, people=[stranger.person])
    assert raised.value.code == "unknown_person"


@pytest.mark.rule("S7")
def test_others_do_not_file_additions(people, item):
    with pytest.raises(AccessDenied):
        add(people, item, who="zhang", people=[people["outsider"].person])


# --- an expired item under review is extended (rule S6) --------------------------------------


@pytest.mark.rule("S6")
def test_extension_from_the_expiry_review_classifies_again(people, authority, unit):
    set_policy_profile(None, unit, "consulting-unit")
    item = determined(people, issued_on=date(2020, 3, 1))
    assert item.expires_on == date(2030, 2, 28)
    assert services.expire_items(date(2030, 3, 1)) == 1
    assert fresh(item).state == ItemState.EXPIRY_REVIEW
    with on_day(date(2030, 3, 2)):
        approve(people["officer"], change(people, item, who="office", kind="period",
                                          period_kind="years", period_value=15,
                                          reason="甲方审查决定延长"))
    extended = fresh(item)
    assert extended.state == ItemState.DETERMINED
    assert extended.expires_on == date(2035, 2, 28)
    entry = last_change(item)
    assert entry.before["state"] == "expiry_review" and entry.after["state"] == "determined"


@pytest.mark.rule("S6")
def test_declassification_from_the_expiry_review(people, authority, unit):
    set_policy_profile(None, unit, "consulting-unit")
    item = determined(people, issued_on=date(2020, 3, 1))
    services.expire_items(date(2030, 3, 1))
    with on_day(date(2030, 3, 5)):
        approve(people["officer"], change(people, item, kind="declassify",
                                          reason="甲方同意解密"))
    assert fresh(item).state == ItemState.DECLASSIFIED
    assert fresh(item).declassified_on == date(2030, 3, 5)

