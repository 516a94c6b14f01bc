import pytest

from baomi.accounts.roles import Role
from baomi.approvals.choices import RequestState, StepState
from baomi.approvals.models import Request, Step
from baomi.approvals.services import (
    decide,
    record_request_read,
    resubmit_request,
    submit_request,
    withdraw_request,
)
from baomi.audit.models import AuditEvent
from baomi.core.context import RequestContext, current_request
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, RuleViolation
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import UnitFactory

from .conftest import callbacks, set_policy


def submit(actor, note="need it", level=0, **kwargs):
    payload = {"note": note, "level": level, **kwargs.pop("payload_extra", {})}
    return submit_request(actor, "test_note", title=kwargs.pop("title", "A note"),
                          payload=payload, **kwargs)


def chain_of(request):
    return list(Step.objects.filter(request=request, round=request.round)
                .order_by("order").values_list("role", "state"))


def actions():
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


# --- submit ---------------------------------------------------------------------------------
def test_submit_creates_the_default_chain(requester, approvers):
    request = submit(requester)
    assert request.state == RequestState.PENDING
    assert (request.round, request.current_step, request.current_role) == (1, 0, "department_head")
    assert chain_of(request) == [("department_head", "pending"), ("secrecy_office", "waiting")]
    assert request.unit_id == requester.person.unit_id
    assert request.department_id == requester.person.department_id
    assert request.payload == {"note": "need it", "level": 0, "refuse_on_approval": False}
    assert actions() == ["REQUEST_SUBMITTED"]
    event = AuditEvent.objects.get()
    assert (event.object_type, event.object_id, event.unit_id) == (
        "approvals.request", str(request.pk), request.unit_id)


def test_submit_records_its_subject(requester, approvers, department):
    request = submit(requester, subject=department)
    assert (request.subject_type, request.subject_id) == ("accounts.department", department.pk)


@pytest.mark.rule("T1")
def test_chains_follow_the_policy_by_level(unit, requester, approvers):
    set_policy(unit, chains={
        "default": {"default": ["secrecy_office"]},
        "test_note": {"default": ["secrecy_office"],
                      "2": ["department_head", "secrecy_office", "leader"]},
    })
    assert [r for r, _ in chain_of(submit(requester, level=0))] == ["secrecy_office"]
    assert [r for r, _ in chain_of(submit(requester, level=1))] == ["secrecy_office"]
    assert [r for r, _ in chain_of(submit(requester, level=2))] == [
        "department_head", "secrecy_office", "leader"]


def test_the_level_comes_from_the_content(requester, approvers):
    assert submit(requester, level=2).level == Level.CONFIDENTIAL
    assert submit(requester, level=0).level == Level.NONSECRET


@pytest.mark.rule("L5")
def test_a_level_below_the_content_is_refused(requester, approvers):
    with pytest.raises(RuleViolation) as err:
        submit_request(requester, "test_note", title="t", payload={"note": "x", "level": 2},
                       level=1)
    assert err.value.code == "level_too_low"
    # the boundary: the content's own level, or above, is accepted
    request = submit_request(requester, "test_note", title="t",
                             payload={"note": "x", "level": 1}, level=2)
    assert request.level == Level.CONFIDENTIAL
    assert Request.objects.count() == 1


@pytest.mark.rule("L5")
def test_nobody_files_above_their_clearance(requester, approvers):
    assert requester.person.category == Category.IMPORTANT
    with pytest.raises(RuleViolation) as err:
        submit(requester, level=3)
    assert err.value.code == "above_clearance"
    assert submit(requester, level=2).level == Level.CONFIDENTIAL


def test_invalid_payload_names_the_fields_and_writes_nothing(requester, approvers):
    with pytest.raises(InvalidInput) as err:
        submit_request(requester, "test_note", title="t",
                       payload={"level": 9, "colour": "red"})
    assert set(err.value.fields) == {"note", "level", "colour"}
    assert Request.objects.count() == 0 and Step.objects.count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("payload", [None, [], "text", {"note": "nul\x00byte"},
                                     {"note": "lone \ud800 surrogate"}])
def test_unstorable_payloads_are_invalid(requester, approvers, payload):
    with pytest.raises(InvalidInput) as err:
        submit_request(requester, "test_note", title="t", payload=payload)
    assert err.value.fields
    assert Request.objects.count() == 0


@pytest.mark.parametrize("title", ["", "   ", "x" * 201, "bell\x07", None])
def test_title_is_required_and_clean(requester, approvers, title):
    with pytest.raises(InvalidInput) as err:
        submit(requester, title=title)
    assert "title" in err.value.fields
    assert submit(requester, title="x" * 200).title == "x" * 200


def test_unknown_type_is_invalid(requester):
    with pytest.raises(InvalidInput) as err:
        submit_request(requester, "no_such_type", title="t", payload={})
    assert err.value.code == "unknown_type"
    assert "request_type" in err.value.fields


@pytest.mark.rule("T2")
def test_admin_roles_alone_file_nothing(secadmin, approvers):
    with pytest.raises(AccessDenied) as err:
        submit(secadmin)
    assert err.value.code == "no_business_role"


def test_a_chain_nobody_can_decide_is_refused(unit, requester, office):
    # no department head in the requester's department: the first step would wait forever
    with pytest.raises(InvalidInput) as err:
        submit(requester)
    assert err.value.code == "no_approver"
    assert Request.objects.count() == 0


def test_the_requester_does_not_count_as_a_possible_approver(unit, make_user, office):
    lone_head = make_user("lonehead", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE)
    with pytest.raises(InvalidInput) as err:
        submit(lone_head)
    assert err.value.code == "no_approver"


@pytest.mark.rule("L5")
def test_approvers_must_be_cleared_for_the_level(unit, requester, make_user):
    make_user("lowhead", roles=[Role.DEPARTMENT_HEAD], category=Category.GENERAL)
    make_user("lowoffice", roles=[Role.SECRECY_OFFICE], category=Category.GENERAL)
    assert submit(requester, level=1)
    with pytest.raises(InvalidInput) as err:
        submit(requester, level=2)
    assert err.value.code == "no_approver"


# --- decide ---------------------------------------------------------------------------------
def test_approval_walks_the_chain_and_calls_the_type(requester, head, office):
    request = submit(requester)
    request = decide(head, request, "approve", comment="ok")
    assert (request.state, request.current_step, request.current_role) == (
        "pending", 1, "secrecy_office")
    assert chain_of(request) == [("department_head", "approved"), ("secrecy_office", "pending")]
    assert callbacks == []
    request = decide(office, request, "approve")
    assert request.state == RequestState.APPROVED and request.current_role == ""
    assert request.decided_at is not None
    assert callbacks == [("approved", request.pk, "approved", office.pk)]
    assert actions() == ["REQUEST_SUBMITTED", "REQUEST_STEP_APPROVED", "REQUEST_APPROVED"]
    first = Step.objects.get(request=request, order=0)
    assert (first.decided_by, first.decision, first.comment) == (head, "approve", "ok")
    assert first.decided_at is not None


def test_the_decision_records_the_ip(requester, head, approvers):
    request = submit(requester)
    token = current_request.set(RequestContext(request_id="r-1", ip="10.1.2.3"))
    try:
        decide(head, request, "approve")
    finally:
        current_request.reset(token)
    assert Step.objects.get(request=request, order=0).ip == "10.1.2.3"
    assert AuditEvent.objects.get(action="REQUEST_STEP_APPROVED").ip == "10.1.2.3"


@pytest.mark.parametrize("decision", ["reject", "return"])
def test_reject_and_return_need_a_comment(requester, head, approvers, decision):
    request = submit(requester)
    with pytest.raises(InvalidInput) as err:
        decide(head, request, decision, comment="  ")
    assert err.value.code == "comment_required" and "comment" in err.value.fields
    assert Request.objects.get().state == RequestState.PENDING


def test_reject_closes_the_request(requester, head, approvers):
    request = submit(requester)
    request = decide(head, request, "reject", comment="not needed")
    assert request.state == RequestState.REJECTED and request.decided_at is not None
    assert chain_of(request) == [("department_head", "rejected"), ("secrecy_office", "cancelled")]
    assert callbacks == [("rejected", request.pk, "rejected", head.pk)]
    assert actions()[-1] == "REQUEST_REJECTED"
    assert AuditEvent.objects.get(action="REQUEST_REJECTED").reason == "not needed"


def test_an_unknown_decision_is_invalid(requester, head, approvers):
    request = submit(requester)
    with pytest.raises(InvalidInput) as err:
        decide(head, request, "maybe")
    assert err.value.code == "invalid_decision"


def test_a_failing_callback_undoes_the_whole_decision(requester, head, office):
    request = submit(requester, payload_extra={"refuse_on_approval": True})
    request = decide(head, request, "approve")
    with pytest.raises(RuleViolation) as err:
        decide(office, request, "approve")
    assert err.value.code == "type_refused"
    request.refresh_from_db()
    assert request.state == RequestState.PENDING and request.current_step == 1
    assert chain_of(request)[1] == ("secrecy_office", "pending")
    assert "REQUEST_APPROVED" not in actions()


@pytest.mark.rule("T1")
def test_nobody_decides_their_own_request(unit, make_user, office2):
    own = make_user("own", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    set_policy(unit, chains={"default": {"default": ["secrecy_office"]}})
    request = submit(own)
    with pytest.raises(RuleViolation) as err:
        decide(own, request, "approve")
    assert (err.value.code, err.value.rule) == ("own_request", "T1")
    # the boundary: a colleague of the same role decides it
    assert decide(office2, request, "approve").state == RequestState.APPROVED


@pytest.mark.rule("T1")
def test_one_person_decides_one_step_per_round(unit, requester, make_user, leader):
    both = make_user("both", roles=[Role.SECRECY_OFFICE, Role.LEADER], category=Category.CORE)
    set_policy(unit, chains={"default": {"default": ["secrecy_office", "leader"]}})
    request = decide(both, submit(requester), "approve")
    with pytest.raises(RuleViolation) as err:
        decide(both, request, "approve")
    assert (err.value.code, err.value.rule) == ("same_approver", "T1")
    assert decide(leader, request, "approve").state == RequestState.APPROVED


@pytest.mark.rule("T1")
def test_distinct_approvers_can_be_switched_off(unit, requester, make_user, leader):
    both = make_user("both", roles=[Role.SECRECY_OFFICE, Role.LEADER], category=Category.CORE)
    set_policy(unit, chains={"default": {"default": ["secrecy_office", "leader"]}},
               distinct_approvers=False)
    request = decide(both, submit(requester), "approve")
    assert decide(both, request, "approve").state == RequestState.APPROVED


def test_only_holders_of_the_step_role_decide(requester, head, office, leader):
    request = submit(requester)
    for outsider in (office, leader, requester):
        with pytest.raises((AccessDenied, RuleViolation)):
            decide(outsider, request, "approve")
    with pytest.raises(AccessDenied) as err:
        decide(office, request, "approve")
    assert err.value.code == "not_approver"


def test_a_department_step_belongs_to_the_requesters_head(unit, requester, head, office,
                                                          make_user):
    other_head = make_user("otherhead", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE,
                           unit=unit)
    assert other_head.person.department_id != requester.person.department_id
    request = submit(requester)
    with pytest.raises(AccessDenied) as err:
        decide(other_head, request, "approve")
    assert err.value.code == "not_approver"
    assert decide(head, request, "approve").current_step == 1


def test_a_role_held_in_another_unit_does_not_count(unit, requester, head, office, make_user):
    elsewhere = make_user("elsewhere", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                          unit=UnitFactory(code="OTHER"))
    request = decide(head, submit(requester), "approve")
    with pytest.raises(AccessDenied):
        decide(elsewhere, request, "approve")


def test_a_role_held_at_the_group_covers_its_units(unit, requester, head, make_user):
    group = UnitFactory(code="GROUP", kind="group")
    unit.parent = group
    unit.save()
    group_office = make_user("groupoffice", roles=[Role.SECRECY_OFFICE],
                             category=Category.CORE, unit=group)
    request = decide(head, submit(requester), "approve")
    assert decide(group_office, request, "approve").state == RequestState.APPROVED


@pytest.mark.rule("L5")
def test_an_approver_below_the_level_cannot_decide(unit, requester, head, office, make_user):
    low = make_user("lowoffice", roles=[Role.SECRECY_OFFICE], category=Category.GENERAL)
    request = decide(head, submit(requester, level=2), "approve")
    with pytest.raises(AccessDenied) as err:
        decide(low, request, "approve")
    assert (err.value.code, err.value.rule) == ("clearance", "L5")
    # the boundary: a level equal to the clearance is decided
    request2 = decide(head, submit(requester, level=1), "approve")
    assert decide(low, request2, "approve").state == RequestState.APPROVED


def test_deciding_a_decided_step_is_a_conflict(requester, head, office, make_user):
    request = submit(requester)
    stale = Request.objects.get(pk=request.pk)
    decide(head, request, "approve")
    # the stale copy still shows step 0: the late click must not decide step 1
    with pytest.raises(Conflict) as err:
        decide(office, stale, "approve")
    assert err.value.code == "already_decided"
    assert chain_of(request)[1] == ("secrecy_office", "pending")


def test_a_step_id_of_another_step_is_a_conflict(requester, head, office):
    request = decide(head, submit(requester), "approve")
    first_step = Step.objects.get(request=request, order=0)
    with pytest.raises(Conflict) as err:
        decide(office, request, "approve", step_id=first_step.pk)
    assert err.value.code == "already_decided"


def test_a_closed_request_is_not_decided_again(requester, head, office):
    request = decide(head, submit(requester), "reject", comment="no")
    with pytest.raises(Conflict) as err:
        decide(office, request, "approve")
    assert err.value.code == "already_decided"


# --- return, resubmit, withdraw -------------------------------------------------------------
def test_return_then_resubmit_starts_a_new_round(requester, head, office):
    request = decide(head, submit(requester), "approve")
    request = decide(office, request, "return", comment="say why")
    assert request.state == RequestState.RETURNED and request.current_role == ""
    assert chain_of(request) == [("department_head", "approved"), ("secrecy_office", "returned")]
    assert request.decided_at is None

    with pytest.raises(AccessDenied):
        resubmit_request(head, request, payload={"note": "x"}, title="t")
    with pytest.raises(InvalidInput):
        resubmit_request(requester, request, payload={"note": ""}, title="t")

    request = resubmit_request(requester, request, payload={"note": "because"}, title="Again")
    assert (request.state, request.round, request.current_step) == ("pending", 2, 0)
    assert request.title == "Again" and request.payload["note"] == "because"
    assert chain_of(request) == [("department_head", "pending"), ("secrecy_office", "waiting")]
    assert Step.objects.filter(request=request, round=1).count() == 2
    assert actions()[-2:] == ["REQUEST_RETURNED", "REQUEST_RESUBMITTED"]
    # the round-1 decisions do not count against the same people in round 2 (rule T1)
    request = decide(head, request, "approve")
    assert decide(office, request, "approve").state == RequestState.APPROVED


def test_only_a_returned_request_is_resubmitted(requester, head, approvers):
    request = submit(requester)
    with pytest.raises(Conflict):
        resubmit_request(requester, request, payload={"note": "x"}, title="t")
    assert Request.objects.get().round == 1


@pytest.mark.rule("L5")
def test_a_resubmitted_request_keeps_its_level(requester, head, approvers):
    request = submit_request(requester, "test_note", title="t",
                             payload={"note": "x", "level": 0}, level=2)
    request = decide(head, request, "return", comment="more")
    request = resubmit_request(requester, request, payload={"note": "y"}, title="t")
    assert request.level == Level.CONFIDENTIAL


def test_withdraw_a_pending_request(requester, head, approvers):
    request = submit(requester)
    with pytest.raises(AccessDenied):
        withdraw_request(head, request, reason="no")
    with pytest.raises(InvalidInput):
        withdraw_request(requester, request, reason=" ")
    request = withdraw_request(requester, request, reason="not needed any more")
    assert request.state == RequestState.WITHDRAWN and request.decided_at is not None
    assert {state for _, state in chain_of(request)} == {StepState.CANCELLED}
    assert AuditEvent.objects.get(action="REQUEST_WITHDRAWN").reason == "not needed any more"
    with pytest.raises(Conflict):
        decide(head, request, "approve")


def test_withdraw_a_returned_request(requester, head, approvers):
    request = decide(head, submit(requester), "return", comment="fix")
    assert withdraw_request(requester, request, reason="fine").state == RequestState.WITHDRAWN


def test_a_closed_request_is_not_withdrawn(requester, head, office):
    request = decide(office, decide(head, submit(requester), "approve"), "approve")
    with pytest.raises(Conflict) as err:
        withdraw_request(requester, request, reason="late")
    assert err.value.code == "illegal_transition"


def test_reading_a_confidential_request_is_audited(requester, head, approvers):
    low = submit(requester, level=1)
    high = submit(requester, level=2)
    record_request_read(head, low)
    assert "REQUEST_READ" not in actions()
    record_request_read(head, high)
    assert AuditEvent.objects.get(action="REQUEST_READ").object_id == str(high.pk)
