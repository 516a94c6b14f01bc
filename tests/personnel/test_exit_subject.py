"""Exit boundaries: the person a request is about (leaving, reviewed, travelling) decides no
step of it, even when someone else filed it; nobody who has left takes a new post."""

from datetime import date

import pytest

from baomi.accounts.roles import Role
from baomi.approvals.selectors import inbox_for
from baomi.approvals.services import decide
from baomi.core.errors import InvalidInput, RuleViolation
from baomi.core.labels import Category

from .test_exit_support import filed, leaver, make_leaver, people, post, yf1  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.rule("T1")
def test_a_leaving_head_cannot_decide_their_own_exit(make_leaver, people, make_user, yf1):
    head = make_leaver("head2", category=Category.IMPORTANT, roles=(Role.DEPARTMENT_HEAD,))
    case = filed(people, head)
    assert case.request.subject_person_id == head.person_id
    assert not inbox_for(head).filter(pk=case.request.pk).exists()
    assert inbox_for(people["head"]).filter(pk=case.request.pk).exists()
    with pytest.raises(RuleViolation) as refused:
        decide(head, case.request, "approve")
    assert refused.value.code == "own_subject"
    decide(people["head"], case.request, "approve")  # the other head of the department may


@pytest.mark.rule("T1")
def test_no_exit_when_the_only_possible_approver_is_the_person_leaving(make_leaver, people):
    people["head"].person.department = None
    people["head"].person.save()
    head = make_leaver("head2", category=Category.IMPORTANT, roles=(Role.DEPARTMENT_HEAD,))
    with pytest.raises(InvalidInput) as refused:
        filed(people, head)
    assert refused.value.code == "no_approver"


@pytest.mark.rule("P10")
def test_no_post_is_assigned_once_the_exit_is_filed(leaver, people, post):
    from baomi.core.errors import Conflict
    from baomi.personnel.services.people import assign_post

    from .test_exit_support import approved

    approved(people, leaver)
    with pytest.raises(Conflict) as refused:
        assign_post(people["office"], leaver.person, post, started_on=date(2026, 2, 1))
    assert refused.value.code == "file_left"
