"""Login security (rule T3): lockout after repeated failures, unlock after the period."""

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate

from baomi.accounts import services
from baomi.accounts.models import User
from baomi.core.testing.factories import DEFAULT_PASSWORD


def fail(username="u", password="wrong"):
    with pytest.raises(services.LoginRefused) as refused:
        services.login_attempt(username, password, "10.0.0.9")
    return refused.value


@pytest.mark.rule("T3")
def test_fourth_failure_does_not_lock_fifth_does(make_user, clock, events):
    make_user("u")
    for n in range(1, 5):
        assert fail().code == "invalid_credentials"
        stored = User.objects.get(username="u")
        assert (stored.failed_logins, stored.locked_until) == (n, None)
    refusal = fail()
    assert refusal.code == "account_locked"
    stored = User.objects.get(username="u")
    assert stored.locked_until == clock.now + timedelta(minutes=15)
    assert refusal.locked_until == stored.locked_until
    assert len(events("LOGIN_FAILED")) == 5
    (locked,) = events("ACCOUNT_LOCKED")
    assert locked.actor_id == stored.pk and '"failures":5' in locked.after


@pytest.mark.rule("T3")
def test_locked_at_14_59_unlocked_at_15_00(make_user, clock):
    make_user("u")
    for _ in range(5):
        fail()
    clock.advance(minutes=14, seconds=59)
    assert fail(password=DEFAULT_PASSWORD).code == "account_locked"  # even the right password
    clock.advance(seconds=1)
    user = services.login_attempt("u", DEFAULT_PASSWORD)
    assert (user.failed_logins, user.locked_until) == (0, None)
    assert User.objects.get(pk=user.pk).failed_logins == 0


@pytest.mark.rule("T3")
def test_after_the_lock_expires_counting_starts_again(make_user, clock):
    make_user("u")
    for _ in range(5):
        fail()
    clock.advance(minutes=15)
    assert fail().code == "invalid_credentials"
    stored = User.objects.get(username="u")
    assert (stored.failed_logins, stored.locked_until) == (1, None)


@pytest.mark.rule("T3")
def test_success_resets_the_counter(make_user, events):
    make_user("u")
    for _ in range(4):
        fail()
    services.login_attempt("u", DEFAULT_PASSWORD)
    assert User.objects.get(username="u").failed_logins == 0
    fail()
    assert User.objects.get(username="u").locked_until is None
    assert len(events("LOGIN_SUCCEEDED")) == 1


@pytest.mark.rule("T3")
def test_policy_sets_failures_and_lockout(make_user, unit, clock):
    unit.policy_overrides = {"login.max_failures": 3, "login.lockout_minutes": 60}
    unit.save()
    make_user("u")
    fail(), fail()
    assert fail().code == "account_locked"
    assert User.objects.get(username="u").locked_until == clock.now + timedelta(minutes=60)


@pytest.mark.rule("T3")
def test_unknown_username_is_audited_without_actor(db, events):
    assert fail(username="nobody").code == "invalid_credentials"
    (event,) = events("LOGIN_FAILED")
    assert event.actor_id is None
    assert '"username":"nobody"' in event.after


@pytest.mark.rule("T3")
def test_inactive_user_cannot_log_in(make_user):
    make_user("u", is_active=False)
    assert fail(password=DEFAULT_PASSWORD).code == "account_inactive"
    assert fail().code == "invalid_credentials"


@pytest.mark.rule("T3")
@pytest.mark.django_db(transaction=True)
def test_failure_counter_is_committed(make_user):
    """The refusal is raised after the transaction commits, so the count survives."""
    make_user("u")
    fail()
    from django.db import connection

    connection.close()  # a fresh connection sees only committed rows
    assert User.objects.get(username="u").failed_logins == 1


@pytest.mark.rule("T3")
def test_backend_goes_through_the_service(make_user, events):
    make_user("u")
    assert authenticate(None, username="u", password="wrong") is None
    assert authenticate(None, username="u", password=DEFAULT_PASSWORD).username == "u"
    assert len(events("LOGIN_FAILED")) == len(events("LOGIN_SUCCEEDED")) == 1
