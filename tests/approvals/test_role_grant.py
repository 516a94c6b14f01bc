"""The first real request type: role_grant (accounts/request_types.py)."""

import pytest

from baomi.accounts.models import RoleAssignment
from baomi.accounts.request_types import RoleGrantForm
from baomi.accounts.roles import Role
from baomi.approvals.choices import RequestState
from baomi.approvals.models import Step
from baomi.approvals.services import decide, submit_request
from baomi.audit.models import AuditEvent
from baomi.core.errors import InvalidInput
from baomi.core.labels import Category
from baomi.core.testing.factories import UnitFactory

from .conftest import set_policy


@pytest.fixture
def candidate(make_user):
    return make_user("candidate", roles=[Role.STAFF], category=Category.IMPORTANT)


def grant(actor, user, role=Role.CLASSIFICATION_OFFICER, reason="designated for 定密"):
    return submit_request(actor, "role_grant", title="grant",
                          payload={"user_id": user.pk, "role": str(role), "reason": reason})


@pytest.mark.rule("S4")
def test_role_grant_end_to_end(requester, candidate, office, leader):
    request = grant(requester, candidate)
    steps = list(Step.objects.filter(request=request).values_list("role", flat=True))
    assert steps == ["secrecy_office", "leader"]
    request = decide(office, request, "approve")
    assert not candidate.role_assignments.filter(role=Role.CLASSIFICATION_OFFICER).exists()
    request = decide(leader, request, "approve", comment="authorised in writing")
    assert request.state == RequestState.APPROVED
    assignment = RoleAssignment.objects.get(user=candidate, role=Role.CLASSIFICATION_OFFICER)
    assert assignment.granted_by == leader
    assert assignment.unit_id == candidate.person.unit_id
    events = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    # The grant is carried out, then the closing of the request recorded.
    assert events[-2:] == ["ROLE_ASSIGNED", "REQUEST_APPROVED"]
    assert str(request.pk) in AuditEvent.objects.get(action="ROLE_ASSIGNED").after


def test_a_rejected_grant_assigns_nothing(requester, candidate, office, leader):
    request = decide(office, grant(requester, candidate), "reject", comment="no need")
    assert request.state == RequestState.REJECTED
    assert not candidate.role_assignments.filter(role=Role.CLASSIFICATION_OFFICER).exists()


@pytest.mark.rule("S4")
def test_a_classification_officer_always_needs_the_leader(unit, requester, candidate, office,
                                                          office2, leader):
    set_policy(unit, chains={"default": {"default": ["department_head"]},
                             "role_grant": {"default": ["secrecy_office"]}})
    officer = grant(requester, candidate)
    assert list(officer.steps.values_list("role", flat=True)) == ["secrecy_office", "leader"]
    # the boundary: other business roles follow the policy chain as it is
    staff_grant = grant(requester, candidate, role=Role.DEPARTMENT_HEAD)
    assert list(staff_grant.steps.values_list("role", flat=True)) == ["secrecy_office"]


@pytest.mark.rule("T1")
@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor", "emperor", ""])
def test_only_business_roles_are_requested(requester, candidate, approvers, role):
    with pytest.raises(InvalidInput) as err:
        grant(requester, candidate, role=role)
    assert "role" in err.value.fields


def test_the_user_must_be_of_the_unit_and_not_hold_the_role(requester, candidate, approvers,
                                                            make_user):
    outsider = make_user("outsider", roles=[Role.STAFF], unit=UnitFactory(code="ELSE"))
    with pytest.raises(InvalidInput) as err:
        grant(requester, outsider)
    assert err.value.code == "unknown_user" and "user_id" in err.value.fields
    with pytest.raises(InvalidInput) as err:
        grant(requester, candidate, role=Role.STAFF)
    assert err.value.code == "role_already_held" and "role" in err.value.fields
    with pytest.raises(InvalidInput) as err:
        submit_request(requester, "role_grant", title="t",
                       payload={"user_id": 2**70, "role": "leader", "reason": "r"})
    assert "user_id" in err.value.fields


def test_reason_is_required(requester, candidate, approvers):
    with pytest.raises(InvalidInput) as err:
        grant(requester, candidate, reason="   ")
    assert "reason" in err.value.fields


def test_the_form_offers_the_people_of_the_unit(requester, candidate, make_user):
    outsider = make_user("outsider2", roles=[Role.STAFF], unit=UnitFactory(code="ELSE2"))
    form = RoleGrantForm(actor=requester, prefix="payload")
    offered = set(form.fields["user_id"].queryset)
    assert candidate in offered and outsider not in offered
    roles = {value for value, _ in form.fields["role"].choices}
    assert "classification_officer" in roles and "sysadmin" not in roles


def test_description_names_the_user_and_role(requester, candidate, approvers):
    request = grant(requester, candidate)
    assert candidate.username in request.description
