"""The exit of classified personnel (rule P10) through the approvals chain: who files, the
chain, rejection, withdrawal, resubmission, custody (C9), access withdrawn (T3) and the
formalities after the approval."""

import json
from datetime import date, timedelta

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils import timezone

from baomi.accounts.models import Person, RoleAssignment
from baomi.accounts.roles import Role
from baomi.accounts.services import (
    LoginRefused,
    authenticate_token,
    create_api_token,
    login_attempt,
)
from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.approvals.services import decide, resubmit_request, withdraw_request
from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Category
from baomi.core.testing.factories import DEFAULT_PASSWORD, DepartmentFactory, UnitFactory
from baomi.personnel.choices import ExitKind, ExitState, FileState
from baomi.personnel.custody import (
    CustodyItem,
    register_custody_provider,
    unregister_custody_provider,
)
from baomi.personnel.models import ExitCase, PostHolding
from baomi.personnel.request_types import exit_payload
from baomi.personnel.selectors.exit import current_exit, custody_of, may_file_exit
from baomi.personnel.services.exit import (
    file_exit,
    missing_formalities,
    record_door_access_revoked,
    record_exit_commitment,
    record_exit_talk,
)

from . import onboarding_support
from . import test_exit_support as support
from .test_exit_support import TALKERS, approved, decide_all, file_of, filed

pytestmark = pytest.mark.django_db

# The shared fixtures of test_exit_support.
people, yf1, post, leaver, make_leaver, token = (
    support.people, support.yf1, support.post, support.leaver, support.make_leaver,
    support.token)
make_file = onboarding_support.make_file


def reload(case):
    return ExitCase.objects.select_related("file", "request").get(pk=case.pk)


# --- filing ------------------------------------------------------------------------------------


@pytest.mark.rule("P10")
def test_filing_puts_the_file_in_leaving_and_submits_the_exit_request(people, leaver):
    case = filed(people, leaver)
    assert case.state == ExitState.PENDING and case.category == Category.GENERAL
    assert file_of(leaver).state == FileState.LEAVING
    request = Request.objects.get(pk=case.request_id)
    assert (request.request_type, request.state, request.current_role) == (
        "exit", RequestState.PENDING, Role.DEPARTMENT_HEAD)
    assert request.payload["exit_id"] == case.pk
    assert AuditEvent.objects.filter(action="EXIT_FILED", object_id=str(case.pk)).exists()
    assert current_exit(file_of(leaver)) == case


@pytest.mark.rule("P10")
def test_only_the_secrecy_office_of_the_unit_files(people, leaver, make_user):
    file = file_of(leaver)
    elsewhere = UnitFactory(code="OTHER")
    stranger = make_user("stranger", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                         unit=elsewhere)
    args = {"kind": ExitKind.LEAVE_UNIT, "leave_on": date(2026, 1, 31), "reason": "辞职"}
    for actor in (people["head"], people["leader"], leaver):  # they see the file
        with pytest.raises(AccessDenied) as exc:
            filed_by(actor, file, args)
        assert exc.value.code == "not_secrecy_office"
    with pytest.raises(NotFound):  # another unit's office learns nothing
        filed_by(stranger, file, args)
    assert file_of(leaver).state == FileState.IN_POST and not ExitCase.objects.exists()
    assert may_file_exit(people["office"], file) and not may_file_exit(people["head"], file)


def filed_by(actor, file, args):
    return file_exit(actor, file, **args)


@pytest.mark.rule("P10")
@pytest.mark.parametrize("state", [FileState.TRAINING, FileState.REVIEWING, FileState.LEAVING,
                                   FileState.DECLASSIFYING, FileState.RELEASED])
def test_only_a_file_in_post_is_filed(people, make_file, state):
    file = make_file(state=state)
    with pytest.raises(Conflict) as exc:
        filed_by(people["office"], file, {"kind": ExitKind.LEAVE_POST,
                                          "leave_on": date(2026, 1, 31), "reason": "调岗"})
    assert exc.value.code == "illegal_transition"
    assert not ExitCase.objects.exists()


@pytest.mark.rule("P10")
@pytest.mark.parametrize(("field", "values"), [
    ("kind", {"kind": "retire"}),
    ("leave_on", {"leave_on": "2026-01-31"}),
    ("leave_on", {"leave_on": date(2019, 12, 31)}),  # before the person was in post
    ("reason", {"reason": ""}),
])
def test_bad_input_is_refused_without_a_write(people, leaver, field, values):
    args = {"kind": ExitKind.LEAVE_UNIT, "leave_on": date(2026, 1, 31), "reason": "辞职",
            **values}
    with pytest.raises(InvalidInput) as exc:
        filed_by(people["office"], file_of(leaver), args)
    assert field in exc.value.fields
    assert file_of(leaver).state == FileState.IN_POST
    assert not ExitCase.objects.exists() and not Request.objects.exists()


@pytest.mark.rule("P10")
def test_no_write_when_nobody_can_decide_a_step(people, make_leaver, unit):
    """A department without a 部门负责人: the request would wait forever, so the filing is
    refused whole — no exit, the file still in post."""
    user = make_leaver("lonely")
    Person.objects.filter(pk=user.person_id).update(
        department=DepartmentFactory(unit=unit, name="研发三部", code="YF3"))
    with pytest.raises(InvalidInput) as exc:
        filed(people, user)
    assert exc.value.code == "no_approver"
    assert file_of(user).state == FileState.IN_POST
    assert not ExitCase.objects.exists() and not Request.objects.exists()
    assert not AuditEvent.objects.filter(action="EXIT_FILED").exists()


# --- the chain ---------------------------------------------------------------------------------


@pytest.mark.rule("P10")
def test_every_step_of_the_chain_approves(people, leaver):
    case = filed(people, leaver)
    request = case.request
    for name, role_after in (("head", Role.SECRECY_OFFICE), ("office2", Role.LEADER)):
        if name == "office2":
            with pytest.raises(RuleViolation) as exc:  # not the filer (rule T1)
                decide(people["office"], request, "approve")
            assert exc.value.code == "own_request"
        request = decide(people[name], request, "approve")
        assert (request.state, request.current_role) == (RequestState.PENDING, role_after)
        assert reload(case).state == ExitState.PENDING
        assert file_of(leaver).state == FileState.LEAVING
    request = decide(people["leader"], request, "approve")
    case = reload(case)
    assert request.state == RequestState.APPROVED and case.state == ExitState.APPROVED
    assert case.approved_on == timezone.localdate()
    assert case.file.state == FileState.DECLASSIFYING
    assert case.file.left_on == case.approved_on
    assert case.file.declassification_ends_on == case.ends_on
    after = json.loads(AuditEvent.objects.get(action="EXIT_APPROVED",
                                              object_id=str(case.pk)).after)
    assert (after["period_months"], after["ends_on"]) == (12, str(case.ends_on))


@pytest.mark.rule("P10")
@pytest.mark.parametrize("at", ["head", "office2", "leader"])
def test_rejection_at_any_step_puts_the_file_back_in_post(people, leaver, at):
    case = filed(people, leaver)
    request = case.request
    for name in ("head", "office2", "leader"):
        if name == at:
            decide(people[name], request, "reject", comment="工作需要，暂缓离岗")
            break
        request = decide(people[name], request, "approve")
    case = reload(case)
    assert case.state == ExitState.REJECTED and case.file.state == FileState.IN_POST
    assert case.approved_on is None and file_of(leaver).left_on is None
    assert AuditEvent.objects.filter(action="EXIT_REJECTED").count() == 1
    assert current_exit(file_of(leaver)) is None
    assert filed(people, leaver).state == ExitState.PENDING  # a new exit may be filed


@pytest.mark.rule("P10")
@pytest.mark.parametrize("returned", [False, True])
def test_withdrawal_puts_the_file_back_in_post(people, leaver, returned):
    case = filed(people, leaver)
    request = decide(people["head"], case.request, "approve")
    if returned:
        request = decide(people["office2"], request, "return", comment="请补充去向")
        assert reload(case).state == ExitState.PENDING
        assert file_of(leaver).state == FileState.LEAVING
    with pytest.raises(AccessDenied):  # only the requester withdraws
        withdraw_request(people["office2"], request, reason="撤回")
    withdraw_request(people["office"], request, reason="本人决定留任")
    case = reload(case)
    assert case.state == ExitState.WITHDRAWN and case.file.state == FileState.IN_POST
    assert case.request.state == RequestState.WITHDRAWN
    assert AuditEvent.objects.filter(action="EXIT_WITHDRAWN").count() == 1
    with pytest.raises(Conflict):  # nothing left to decide
        decide(people["office2"], Request.objects.get(pk=request.pk), "approve")


@pytest.mark.rule("P10")
def test_a_returned_exit_is_resubmitted_and_approved(people, leaver):
    case = filed(people, leaver)
    request = decide(people["head"], case.request, "approve")
    request = decide(people["office2"], request, "return", comment="请写明去向单位")
    request = resubmit_request(people["office"], request, payload=exit_payload(case),
                               title=request.title)
    assert (request.state, request.round, request.current_role) == (
        RequestState.PENDING, 2, Role.DEPARTMENT_HEAD)
    with pytest.raises(Conflict) as exc:  # resubmitted once, not twice
        resubmit_request(people["office"], request, payload=exit_payload(case),
                         title=request.title)
    assert reload(case).state == ExitState.PENDING
    case = decide_all(people, reload(case))
    assert case.state == ExitState.APPROVED and case.file.state == FileState.DECLASSIFYING
    assert exc.value.code == "already_decided"


# --- custody (rule C9) -------------------------------------------------------------------------


@pytest.fixture
def custody():
    """A provider holding one carrier for every person, until the test empties it."""
    held = [CustodyItem(kind="涉密载体", reference="HX-2026-0001", title="型号总体方案",
                        level=2)]
    register_custody_provider("test_carriers", lambda person: list(held))
    yield held
    unregister_custody_provider("test_carriers")


@pytest.mark.rule("C9")
def test_final_approval_refused_while_the_person_holds_something(people, leaver, custody):
    case = filed(people, leaver)
    assert [item.reference for item in custody_of(file_of(leaver))] == ["HX-2026-0001"]
    request = decide(people["head"], case.request, "approve")
    request = decide(people["office2"], request, "approve")  # only the last step concludes
    events = AuditEvent.objects.count()
    with pytest.raises(RuleViolation) as exc:
        decide(people["leader"], request, "approve")
    assert (exc.value.code, exc.value.rule) == ("custody_outstanding", "C9")
    # nothing changed: the request waits at the leader's step, the file is being decided
    request = Request.objects.get(pk=request.pk)
    assert (request.state, request.current_step, request.current_role) == (
        RequestState.PENDING, 2, Role.LEADER)
    case = reload(case)
    assert case.state == ExitState.PENDING and case.file.state == FileState.LEAVING
    assert case.approved_on is None and Person.objects.get(
        pk=leaver.person_id).category == Category.GENERAL
    assert RoleAssignment.objects.filter(user=leaver).count() == 2
    assert PostHolding.objects.get(person=leaver.person).ended_on is None
    assert AuditEvent.objects.count() == events
    custody.clear()  # the carrier was handed back
    decide(people["leader"], request, "approve")
    assert reload(case).state == ExitState.APPROVED


# --- access withdrawn on approval (rules P10, T3) ----------------------------------------------


@pytest.mark.rule("T3")
def test_leaving_the_unit_disables_the_login_roles_and_tokens(people, leaver, token):
    assert authenticate(username="leaver", password=DEFAULT_PASSWORD) is not None
    assert authenticate_token(token) == leaver
    case = approved(people, leaver, kind=ExitKind.LEAVE_UNIT)
    assert authenticate(username="leaver", password=DEFAULT_PASSWORD) is None
    with pytest.raises(LoginRefused) as exc:
        login_attempt("leaver", DEFAULT_PASSWORD)
    assert exc.value.code == "account_inactive"
    assert authenticate_token(token) is None
    assert not RoleAssignment.objects.filter(user=leaver).exists()
    assert case.access_withdrawn == {
        "login_disabled": True, "tokens_revoked": 1,
        "roles_removed": sorted([Role.CLASSIFICATION_OFFICER, Role.STAFF])}
    event = AuditEvent.objects.get(action="ACCESS_WITHDRAWN_ON_EXIT")
    assert event.object_id == str(leaver.pk)
    assert json.loads(event.after) == case.access_withdrawn


@pytest.mark.rule("T3")
def test_an_open_session_ends_with_the_login(people, leaver, client):
    client.force_login(leaver)
    dashboard = reverse("obligations:dashboard")
    assert client.get(dashboard).status_code == 200
    approved(people, leaver, kind=ExitKind.LEAVE_UNIT)
    response = client.get(dashboard)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.rule("T3")
@pytest.mark.parametrize("kept", [Role.STAFF, Role.LEADER, Role.DEPARTMENT_HEAD])
def test_leaving_the_post_removes_only_classified_roles(people, make_leaver, kept):
    user = make_leaver("moving", category=Category.GENERAL,
                       roles=[kept, Role.CLASSIFICATION_OFFICER, Role.SECRECY_OFFICE])
    plaintext = create_api_token(user, "脚本")[1]
    case = approved(people, user, kind=ExitKind.LEAVE_POST, reason="调往非涉密岗位")
    assert set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True)) == {
        kept}
    assert authenticate(username="moving", password=DEFAULT_PASSWORD) == user
    assert authenticate_token(plaintext) == user
    assert case.access_withdrawn == {
        "login_disabled": False, "tokens_revoked": 0,
        "roles_removed": sorted([Role.CLASSIFICATION_OFFICER, Role.SECRECY_OFFICE])}
    assert AuditEvent.objects.filter(action="ACCESS_WITHDRAWN_ON_EXIT").count() == 1


@pytest.mark.rule("P10")
@pytest.mark.parametrize("kind", [ExitKind.LEAVE_POST, ExitKind.LEAVE_UNIT])
def test_approval_ends_clearance_and_posts(people, leaver, kind):
    case = approved(people, leaver, kind=kind)
    leaver.person.refresh_from_db()
    assert leaver.person.category == Category.NONE  # rule L2: no clearance from today
    assert case.file.category == Category.GENERAL  # the period follows the category held
    assert PostHolding.objects.get(person=leaver.person).ended_on == case.approved_on
    assert AuditEvent.objects.filter(action="ACCESS_WITHDRAWN_ON_EXIT").exists()


@pytest.mark.rule("P10")
def test_a_person_without_login_leaves_too(people, make_file):
    file = make_file(state=FileState.IN_POST, in_post_since=date(2020, 1, 1))
    case = filed_by(people["office"], file, {"kind": ExitKind.LEAVE_UNIT,
                                             "leave_on": date(2026, 1, 31), "reason": "退休"})
    case = decide_all(people, case)
    assert case.state == ExitState.APPROVED
    assert case.access_withdrawn == {"login_disabled": False, "roles_removed": [],
                                     "tokens_revoked": 0}


# --- formalities after the approval (rule P10) -------------------------------------------------


@pytest.mark.rule("P10")
def test_formalities_only_after_approval(people, leaver):
    case = filed(people, leaver)
    today = timezone.localdate()
    for record in (
            lambda: record_exit_commitment(people["office"], case, signed_on=today,
                                           text_version="2026-1"),
            lambda: record_exit_talk(people["office"], case, held_on=today, talkers=TALKERS),
            lambda: record_door_access_revoked(people["office"], case, revoked_on=today)):
        with pytest.raises(Conflict) as exc:
            record()
        assert exc.value.code == "illegal_transition"
    case = reload(case)
    assert (case.committed_on, case.talk_on, case.door_access_revoked_on) == (None, None, None)


@pytest.mark.rule("P10")
def test_talk_needs_two_distinct_talkers(people, leaver):
    case = approved(people, leaver)
    today = timezone.localdate()
    for talkers in (["保密办主任"], ["保密办主任", " 保密办主任 "], []):
        with pytest.raises(RuleViolation) as exc:
            record_exit_talk(people["office"], case, held_on=today, talkers=talkers)
        assert (exc.value.code, exc.value.rule) == ("two_talkers", "P10")
    assert reload(case).talk_on is None
    case = record_exit_talk(people["office"], case, held_on=today, talkers=TALKERS,
                            notes="提醒脱密期义务")
    assert (case.talk_on, case.talkers) == (today, TALKERS)
    assert reload(case).talkers == TALKERS


@pytest.mark.rule("P10")
def test_each_formality_is_recorded_once(people, leaver):
    case = approved(people, leaver)
    today = timezone.localdate()
    records = [
        lambda actor: record_exit_commitment(actor, case, signed_on=today,
                                             text_version="2026-1"),
        lambda actor: record_exit_talk(actor, case, held_on=today, talkers=TALKERS),
        lambda actor: record_door_access_revoked(actor, case, revoked_on=today),
    ]
    assert len(missing_formalities(reload(case))) == 3
    for index, record in enumerate(records):
        record(people["office"])
        assert len(missing_formalities(reload(case))) == 2 - index
        with pytest.raises(Conflict) as exc:
            record(people["office2"])
        assert exc.value.code == "already_recorded"
    actions = list(AuditEvent.objects.filter(object_id=str(case.pk), action__in=(
        "EXIT_COMMITMENT_RECORDED", "EXIT_TALK_RECORDED", "EXIT_DOOR_ACCESS_REVOKED"))
        .values_list("action", flat=True))
    assert len(actions) == 3


@pytest.mark.rule("P10")
def test_formality_dates_are_checked(people, leaver):
    case = approved(people, leaver)
    today = timezone.localdate()
    for day, code in ((today + timedelta(days=1), "future_date"),
                      (date(2020, 1, 1), "date_too_early")):
        with pytest.raises(InvalidInput) as exc:
            record_door_access_revoked(people["office"], case, revoked_on=day)
        assert exc.value.code == code


@pytest.mark.rule("P10")
def test_formalities_by_the_secrecy_office_only(people, leaver):
    case = approved(people, leaver)
    with pytest.raises(AccessDenied):
        record_door_access_revoked(people["head"], case, revoked_on=timezone.localdate())
    assert reload(case).door_access_revoked_on is None
