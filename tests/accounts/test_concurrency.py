"""Two administrators acting at the same moment: exactly one wins."""

import pytest

from baomi.accounts import services
from baomi.accounts.models import RoleAssignment
from baomi.accounts.roles import Role
from baomi.core.errors import DomainError
from baomi.core.testing.concurrency import race


@pytest.mark.django_db(transaction=True)
def test_double_assignment_yields_one_row(secadmin, make_user):
    target = make_user("target")
    results = race(lambda: services.assign_role(secadmin, target, Role.STAFF),
                   lambda: services.assign_role(secadmin, target, Role.STAFF))
    errors = [r for r in results if isinstance(r, DomainError)]
    assert [e.code for e in errors] == ["role_already_held"]
    assert RoleAssignment.objects.filter(user=target, role=Role.STAFF).count() == 1


@pytest.mark.rule("T1")
@pytest.mark.django_db(transaction=True)
def test_concurrent_t1_pair_yields_one_role(secadmin, make_user):
    target = make_user("target")
    results = race(lambda: services.assign_role(secadmin, target, Role.SYSADMIN),
                   lambda: services.assign_role(secadmin, target, Role.AUDITOR))
    errors = [r for r in results if isinstance(r, DomainError)]
    assert [e.code for e in errors] == ["t1_forbidden_combination"]
    assert RoleAssignment.objects.filter(user=target).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_failed_logins_are_all_counted(make_user):
    make_user("u")
    results = race(*[lambda: services.login_attempt("u", "wrong")] * 4)
    assert all(isinstance(r, services.LoginRefused) for r in results)
    from baomi.accounts.models import User

    assert User.objects.get(username="u").failed_logins == 4
