"""Session rules (T3): idle timeout and forced password change, for pages and the API."""

from datetime import timedelta

import pytest
from django.urls import reverse

from baomi.accounts.middleware import LAST_ACTIVITY_KEY

from .conftest import bearer, token_for

PAGE = "accounts:token_list"
API_ME = "/api/v1/accounts/me"


@pytest.fixture
def logged_in(client, make_user, clock):
    user = make_user("u")
    client.force_login(user)
    assert client.get(reverse(PAGE)).status_code == 200  # starts the idle clock
    return user


@pytest.mark.rule("T3")
def test_idle_29_minutes_keeps_the_session(client, logged_in, clock):
    clock.advance(minutes=29)
    assert client.get(reverse(PAGE)).status_code == 200
    clock.advance(minutes=29)  # the request above counted as activity
    assert client.get(reverse(PAGE)).status_code == 200


@pytest.mark.rule("T3")
def test_idle_31_minutes_ends_the_session(client, logged_in, clock, events):
    clock.advance(minutes=31)
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "expired=1" in response.url
    (event,) = events("SESSION_EXPIRED")
    assert event.actor_id == logged_in.pk
    assert event.request_id  # the middleware gives early events a request id
    assert client.get(reverse(PAGE)).status_code == 302  # logged out for good
    assert "_auth_user_id" not in client.session
    assert client.get(response.url).status_code == 200  # the login page says why


@pytest.mark.rule("T3")
def test_idle_limit_follows_the_policy(client, logged_in, unit, clock):
    unit.policy_overrides = {"session.idle_minutes": 10}
    unit.save()
    clock.advance(minutes=11)
    assert client.get(reverse(PAGE)).status_code == 302


@pytest.mark.rule("T3")
def test_idle_session_api_request_gets_401(client, logged_in, clock):
    clock.advance(minutes=31)
    response = client.get(API_ME)
    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"


@pytest.mark.rule("T3")
def test_token_requests_are_not_subject_to_idle_timeout(client, make_user, clock):
    plaintext = token_for(make_user("api"))
    assert client.get(API_ME, **bearer(plaintext)).status_code == 200
    clock.advance(hours=5)
    assert client.get(API_ME, **bearer(plaintext)).status_code == 200


def test_bearer_header_ignores_the_session_cookie(client, logged_in):
    """A bad token never falls back to the session (no way around the session rules)."""
    response = client.get(API_ME, **bearer("bm_wrong"))
    assert response.status_code == 401
    assert client.get(API_ME).status_code == 200


def test_activity_is_written_sparingly(client, logged_in, clock):
    stamp = client.session[LAST_ACTIVITY_KEY]
    clock.advance(seconds=10)
    client.get(reverse(PAGE))
    assert client.session[LAST_ACTIVITY_KEY] == stamp
    clock.advance(seconds=30)
    client.get(reverse(PAGE))
    assert client.session[LAST_ACTIVITY_KEY] > stamp


@pytest.mark.rule("T3")
def test_forced_change_redirects_every_page(client, make_user):
    user = make_user("u", must_change_password=True)
    client.force_login(user)
    for name in ("accounts:user_list", "accounts:token_list", "accounts:policy"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:password_change"))
        assert "next=" in response.url
    assert client.get(reverse("accounts:password_change")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


@pytest.mark.rule("T3")
def test_forced_change_api_answers_403(client, make_user):
    user = make_user("u", must_change_password=True)
    client.force_login(user)
    response = client.get(API_ME)
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"


@pytest.mark.rule("T3")
@pytest.mark.parametrize(("age_days", "forced"), [(29, False), (30, True), (31, True)])
def test_password_older_than_max_age_is_forced(client, make_user, unit, clock, age_days, forced):
    unit.policy_overrides = {"password.max_age_days": 30}
    unit.save()
    user = make_user("u", password_changed_at=clock.now - timedelta(days=age_days))
    client.force_login(user)
    response = client.get(reverse(PAGE))
    assert (response.status_code == 302) is forced


def test_no_max_age_by_default(client, make_user, clock):
    user = make_user("u", password_changed_at=clock.now - timedelta(days=3000))
    client.force_login(user)
    assert client.get(reverse(PAGE)).status_code == 200
