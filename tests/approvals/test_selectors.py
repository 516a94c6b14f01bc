import contextlib

import pytest

from baomi.accounts.models import User
from baomi.accounts.roles import Role
from baomi.approvals.choices import RequestState
from baomi.approvals.eligibility import decision_refusal
from baomi.approvals.models import Request
from baomi.approvals.selectors import (
    current_step_of,
    inbox_count,
    inbox_for,
    request_for,
    requests_about,
    requests_of,
    requests_visible_to,
    submittable_types,
)
from baomi.approvals.services import decide, submit_request, withdraw_request
from baomi.core.errors import InvalidInput, NotFound
from baomi.core.labels import Category
from baomi.core.testing.factories import UnitFactory

from .conftest import set_policy


def submit(actor, level=0, note="n"):
    return submit_request(actor, "test_note", title=note, payload={"note": note, "level": level})


def fresh(user):
    """The user as a new HTTP request would load it (no cached roles or perimeters)."""
    return User.objects.select_related("person").get(pk=user.pk)


def test_the_inbox_follows_the_current_step(requester, head, office, leader):
    request = submit(requester)
    assert list(inbox_for(fresh(head))) == [request]
    assert list(inbox_for(fresh(office))) == []
    assert list(inbox_for(fresh(requester))) == []
    decide(head, request, "approve")
    assert list(inbox_for(fresh(head))) == []
    assert list(inbox_for(fresh(office))) == [request]
    assert inbox_count(fresh(office)) == 1
    decide(office, Request.objects.get(pk=request.pk), "approve")
    assert inbox_count(fresh(office)) == 0


def test_closed_requests_leave_the_inbox(requester, head, approvers):
    request = submit(requester)
    withdraw_request(requester, request, reason="r")
    assert inbox_count(fresh(head)) == 0


@pytest.mark.rule("L5")
def test_the_inbox_hides_requests_above_clearance(unit, requester, head, office, make_user):
    low_head = make_user("lowhead", roles=[Role.DEPARTMENT_HEAD], category=Category.GENERAL)
    secret = submit(requester, level=1)
    confidential = submit(requester, level=2)
    assert set(inbox_for(fresh(head))) == {secret, confidential}
    assert set(inbox_for(fresh(low_head))) == {secret}
    assert inbox_count(fresh(low_head)) == 1


@pytest.mark.rule("T1")
def test_the_inbox_respects_distinct_approvers(unit, requester, make_user, leader):
    both = make_user("both", roles=[Role.SECRECY_OFFICE, Role.LEADER], category=Category.CORE)
    set_policy(unit, chains={"default": {"default": ["secrecy_office", "leader"]}})
    request = decide(both, submit(requester), "approve")
    assert list(inbox_for(fresh(both))) == []
    assert list(inbox_for(fresh(leader))) == [request]
    set_policy(unit, chains={"default": {"default": ["secrecy_office", "leader"]}},
               distinct_approvers=False)
    decide(both, submit(requester), "approve")
    assert inbox_count(fresh(both)) == 1  # the new request, submitted under the new policy


def test_admin_roles_have_no_inbox(requester, approvers, secadmin):
    submit(requester)
    assert inbox_count(fresh(secadmin)) == 0
    assert list(inbox_for(fresh(secadmin))) == []


def test_inbox_count_is_one_query(requester, head, approvers, django_assert_num_queries):
    submit(requester)
    submit(requester)
    user = fresh(head)
    user.role_set()  # the navigation has loaded the roles already
    with django_assert_num_queries(1):
        assert inbox_count(user) == 2


@pytest.mark.rule("T1")
def test_the_inbox_agrees_with_who_may_decide(unit, make_user, department):
    """For every user and every pending request: listed in the inbox ⇔ allowed to decide."""
    group = UnitFactory(code="GRP", kind="group")
    unit.parent = group
    unit.save()
    people = [
        make_user("staff", roles=[Role.STAFF], category=Category.CORE),
        make_user("head1", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE),
        make_user("head-low", roles=[Role.DEPARTMENT_HEAD], category=Category.GENERAL),
        make_user("head2", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE, unit=unit),
        make_user("office", roles=[Role.SECRECY_OFFICE, Role.STAFF], category=Category.CORE),
        make_user("lead", roles=[Role.LEADER, Role.SECRECY_OFFICE], category=Category.IMPORTANT),
        make_user("grp", roles=[Role.LEADER], category=Category.CORE, unit=group),
        make_user("far", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                  unit=UnitFactory(code="FAR")),
        make_user("admin", roles=[Role.SECADMIN], category=Category.CORE),
    ]
    set_policy(unit, chains={"default": {
        "default": ["department_head", "secrecy_office", "leader"],
        "1": ["secrecy_office", "leader"],
    }})
    requests = []
    for filer in people[:6]:
        for level in (0, 1, 2):
            # a chain nobody could decide is not filed (no_approver)
            if level <= filer.person.category:
                with contextlib.suppress(InvalidInput):
                    requests.append(submit(filer, level=level))
    decide(people[1], requests[0], "approve")
    decide(people[4], Request.objects.get(pk=requests[0].pk), "approve")
    assert len(requests) > 8
    for person in people:
        user = fresh(person)
        listed = set(inbox_for(user))
        allowed = {
            r for r in Request.objects.filter(state=RequestState.PENDING)
            if decision_refusal(user, r, current_step_of(r)) is None
        }
        assert listed == allowed, person.username
        assert inbox_count(user) == len(allowed)


def test_requests_about_a_subject(requester, head, approvers, department, make_user):
    about = submit_request(requester, "test_note", title="t", payload={"note": "x"},
                           subject=department)
    submit(requester)
    stranger = make_user("stranger", roles=[Role.STAFF], category=Category.CORE)
    assert list(requests_about(fresh(head), department)) == [about]
    assert list(requests_about(fresh(stranger), department)) == []


def test_requests_of_lists_mine(requester, head, approvers):
    mine = submit(requester)
    assert list(requests_of(fresh(requester))) == [mine]
    assert list(requests_of(fresh(head))) == []


# --- visibility -----------------------------------------------------------------------------
def test_who_sees_a_request(unit, requester, head, office, leader, make_user, secadmin):
    request = submit(requester)
    stranger = make_user("stranger", roles=[Role.STAFF], category=Category.CORE)
    far_office = make_user("faroffice", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                           unit=UnitFactory(code="FAR"))
    for user in (requester, head, office):
        assert request_for(fresh(user), request.pk) == request
    for user in (leader, stranger, far_office, secadmin):
        with pytest.raises(NotFound):
            request_for(fresh(user), request.pk)


@pytest.mark.rule("L5")
def test_above_clearance_only_the_requester_sees_it(unit, requester, head, make_user):
    low_office = make_user("lowoffice", roles=[Role.SECRECY_OFFICE], category=Category.GENERAL)
    make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    secret = submit(requester, level=1)
    confidential = submit(requester, level=2)
    assert request_for(fresh(low_office), secret.pk) == secret
    with pytest.raises(NotFound):
        request_for(fresh(low_office), confidential.pk)
    assert request_for(fresh(requester), confidential.pk) == confidential


def test_deciders_keep_seeing_what_they_decided(requester, head, office):
    request = decide(head, submit(requester), "approve")
    head.role_assignments.update(role=Role.STAFF)  # no longer a department head
    assert request_for(fresh(head), request.pk) == request


def test_chain_approvers_of_a_department_step_are_its_head(unit, requester, head, office,
                                                          make_user):
    other_head = make_user("otherhead", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE,
                           unit=unit)
    request = submit(requester)
    with pytest.raises(NotFound):
        request_for(fresh(other_head), request.pk)
    assert request in set(requests_visible_to(fresh(head)))


@pytest.mark.parametrize("pk", [0, -1, 2**63, 10**30, "abc", None])
def test_request_for_odd_keys_is_not_found(requester, pk):
    with pytest.raises(NotFound):
        request_for(fresh(requester), pk)


def test_submittable_types(requester, secadmin):
    codes = {t.code for t in submittable_types(fresh(requester))}
    assert {"test_note", "test_api_only", "role_grant"} <= codes
    with_form = {t.code for t in submittable_types(fresh(requester), with_form=True)}
    assert "test_api_only" not in with_form and "test_note" in with_form
    assert submittable_types(fresh(secadmin)) == []


def test_returned_requests_count_in_the_navigation(client, requester, approvers, head):
    from baomi.approvals.selectors import returned_count

    request = submit(requester)
    assert returned_count(requester) == 0
    decide(head, request, "return", comment="请补充")
    assert returned_count(requester) == 1
    client.force_login(requester)
    page = client.get("/approvals/mine/").content.decode()
    assert 'data-count="approvals:my_requests">1<' in page
