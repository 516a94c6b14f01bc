"""Roles: who assigns them (T2), the 三员 separation (T1), requests as authority."""

from itertools import permutations

import pytest

from baomi.accounts import services
from baomi.accounts.models import RoleAssignment
from baomi.accounts.roles import FORBIDDEN_COMBINATIONS, THREE_ADMINS, Role
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, RuleViolation

from .conftest import approved_grant

ADMIN_PAIRS = list(permutations(sorted(THREE_ADMINS), 2))


def forbidden(first, second):
    return frozenset({first, second}) in FORBIDDEN_COMBINATIONS


def held(user):
    return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))


@pytest.mark.rule("T1")
@pytest.mark.parametrize(("first", "second"), ADMIN_PAIRS)
def test_t1_matrix_direct(secadmin, make_user, first, second):
    target = make_user("target")
    services.assign_role(secadmin, target, first)
    if forbidden(first, second):
        with pytest.raises(RuleViolation) as refused:
            services.assign_role(secadmin, target, second)
        assert refused.value.code == "t1_forbidden_combination"
        assert refused.value.rule == "T1"
        assert held(target) == {first}
    else:
        services.assign_role(secadmin, target, second)
        assert held(target) == {first, second}


@pytest.mark.rule("T1")
@pytest.mark.parametrize(("first", "second"), ADMIN_PAIRS)
def test_t1_matrix_via_approved_request(make_user, first, second):
    """An approval is the authority for the grant, never an exception to T1."""
    target = make_user("target")
    approver = make_user("leader", roles=[Role.LEADER])
    services.assign_role(approver, target, first, via_request=approved_grant(target, first))
    grant = approved_grant(target, second)
    if forbidden(first, second):
        with pytest.raises(RuleViolation) as refused:
            services.assign_role(approver, target, second, via_request=grant)
        assert refused.value.code == "t1_forbidden_combination"
        assert held(target) == {first}
    else:
        services.assign_role(approver, target, second, via_request=grant)
        assert held(target) == {first, second}


@pytest.mark.rule("T1")
def test_t1_business_roles_combine_with_admin_roles(secadmin, make_user):
    target = make_user("target", roles=[Role.AUDITOR])
    services.assign_role(secadmin, target, Role.STAFF)
    assert held(target) == {Role.AUDITOR, Role.STAFF}


@pytest.mark.rule("T1")
def test_t1_system_setup_is_bound_too(make_user):
    target = make_user("target", roles=[Role.SYSADMIN])
    with pytest.raises(RuleViolation):
        services.assign_role(None, target, Role.AUDITOR)


@pytest.mark.rule("T2")
@pytest.mark.parametrize("actor_roles", [[Role.SYSADMIN], [Role.AUDITOR], [Role.SECRECY_OFFICE],
                                         [Role.LEADER]])
def test_only_secadmin_assigns_roles(make_user, actor_roles):
    actor = make_user("actor", roles=actor_roles)
    target = make_user("target")
    with pytest.raises(AccessDenied):
        services.assign_role(actor, target, Role.STAFF)
    assert held(target) == set()


@pytest.mark.rule("T2")
def test_secadmin_of_another_unit_is_refused(make_user, secadmin):
    from baomi.core.testing.factories import UnitFactory

    other = make_user("other", unit=UnitFactory(code="OTHER"))
    with pytest.raises(AccessDenied):
        services.assign_role(secadmin, other, Role.STAFF)


def test_nobody_grants_roles_to_themselves(secadmin):
    with pytest.raises(AccessDenied) as refused:
        services.assign_role(secadmin, secadmin, Role.SYSADMIN)
    assert refused.value.code == "own_roles"


@pytest.mark.parametrize(("state", "request_type", "code"), [
    ("pending", "role_grant", "request_not_approved"),
    ("rejected", "role_grant", "request_not_approved"),
    ("approved", "carrier_copy", "request_not_approved"),
])
def test_request_must_be_an_approved_role_grant(make_user, state, request_type, code):
    target = make_user("target")
    grant = approved_grant(target, Role.STAFF, state=state, request_type=request_type)
    with pytest.raises(AccessDenied) as refused:
        services.assign_role(None, target, Role.STAFF, via_request=grant)
    assert refused.value.code == code


def test_request_must_name_this_user_and_role(make_user):
    target, other = make_user("target"), make_user("other")
    with pytest.raises(InvalidInput) as refused:
        services.assign_role(None, target, Role.STAFF,
                             via_request=approved_grant(other, Role.STAFF))
    assert refused.value.code == "request_mismatch"
    with pytest.raises(InvalidInput):
        services.assign_role(None, target, Role.STAFF,
                             via_request=approved_grant(target, Role.LEADER))


def test_inactive_user_gets_no_role(secadmin, make_user):
    target = make_user("target", is_active=False)
    with pytest.raises(InvalidInput) as refused:
        services.assign_role(secadmin, target, Role.STAFF)
    assert refused.value.code == "user_inactive"


def test_role_held_twice_is_a_conflict(secadmin, make_user):
    target = make_user("target", roles=[Role.STAFF])
    with pytest.raises(Conflict) as refused:
        services.assign_role(secadmin, target, Role.STAFF)
    assert refused.value.code == "role_already_held"


def test_unknown_role_is_invalid(secadmin, make_user):
    with pytest.raises(InvalidInput) as refused:
        services.assign_role(secadmin, make_user("target"), "king")
    assert refused.value.code == "unknown_role"


def test_assignment_is_audited(secadmin, make_user, events):
    target = make_user("target", roles=[Role.STAFF])
    assignment = services.assign_role(secadmin, target, Role.LEADER, reason="任命")
    assert assignment.granted_by == secadmin and assignment.unit == target.unit
    (event,) = events("ROLE_ASSIGNED")
    assert event.actor_id == secadmin.pk
    assert event.reason == "任命"
    assert '"roles":["staff"]' in event.before
    assert '"roles":["leader","staff"]' in event.after
    assert event.unit_id == target.person.unit_id


def test_revoke_role(secadmin, make_user, events):
    target = make_user("target", roles=[Role.STAFF, Role.LEADER])
    assert target.has_role(Role.LEADER)
    services.revoke_role(secadmin, target, Role.LEADER, reason="离任")
    assert held(target) == {Role.STAFF}
    assert not target.has_role(Role.LEADER)  # the instance's role cache was dropped
    assert len(events("ROLE_REVOKED")) == 1
    with pytest.raises(Conflict) as refused:
        services.revoke_role(secadmin, target, Role.LEADER)
    assert refused.value.code == "role_not_held"


@pytest.mark.rule("T2")
def test_sysadmin_cannot_revoke_roles(sysadmin, make_user):
    target = make_user("target", roles=[Role.STAFF])
    with pytest.raises(AccessDenied):
        services.revoke_role(sysadmin, target, Role.STAFF)
    assert held(target) == {Role.STAFF}
