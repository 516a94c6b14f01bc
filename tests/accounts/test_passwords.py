"""Password rules T3/D6 at their boundaries."""

import pytest

from baomi.accounts import services
from baomi.accounts.models import User
from baomi.core.errors import InvalidInput
from baomi.core.testing.factories import DEFAULT_PASSWORD


def change(user, new, old=None):
    return services.change_password(user, old or DEFAULT_PASSWORD, new)


def refusal(user, new, old=None):
    with pytest.raises(InvalidInput) as refused:
        change(user, new, old)
    return refused.value.code


@pytest.mark.rule("D6")
def test_length_7_refused_8_accepted(make_user):
    user = make_user("u")
    assert refusal(user, "Aa1!aaa") == "password_too_short"
    change(user, "Aa1!aaaa")
    assert User.objects.get(pk=user.pk).check_password("Aa1!aaaa")


@pytest.mark.rule("D6")
@pytest.mark.parametrize(("password", "accepted"), [
    ("abcdefgh12", False),  # lower + digit
    ("ABCDEFGH!!", False),  # upper + symbol
    ("abcdefgh1!", True),   # lower + digit + symbol
    ("Abcdefgh12", True),   # upper + lower + digit
    ("密码密码abcd12", True),  # CJK counts as a symbol
])
def test_two_classes_refused_three_accepted(make_user, password, accepted):
    user = make_user("u")
    if accepted:
        change(user, password)
    else:
        assert refusal(user, password) == "password_too_simple"


@pytest.mark.rule("T3")
def test_policy_raises_the_minimum(make_user, unit):
    unit.policy_overrides = {"password.min_length": 12, "password.min_classes": 4}
    unit.save()
    user = make_user("u")
    assert refusal(user, "Abcdefgh12!") == "password_too_short"  # 11 characters
    assert refusal(user, "Abcdefghij12") == "password_too_simple"  # 3 classes
    change(user, "Abcdefghi12!")


def test_wrong_current_password(make_user):
    user = make_user("u")
    code = refusal(user, "Another#2026", old="wrong")
    assert code == "wrong_password"


def test_overlong_password_refused(make_user):
    assert refusal(make_user("u"), "Aa1!" * 40) == "password_too_long"


@pytest.mark.rule("T3")
def test_fifth_most_recent_refused_sixth_accepted(make_user):
    """password.history = 5: the current password and the four before it are refused."""
    user = make_user("u")
    passwords = [DEFAULT_PASSWORD] + [f"Secret#{n}abc" for n in range(1, 6)]
    for old, new in zip(passwords, passwords[1:], strict=False):
        change(user, new, old)
    current = passwords[-1]  # most recent; passwords[1] is the 5th most recent
    assert refusal(user, current, old=current) == "password_reused"
    assert refusal(user, passwords[1], old=current) == "password_reused"
    change(user, passwords[0], old=current)  # the 6th most recent is allowed again


@pytest.mark.rule("T3")
def test_history_follows_the_policy(make_user, unit):
    unit.policy_overrides = {"password.history": 1}
    unit.save()
    user = make_user("u")
    change(user, "Second#pass1")
    assert refusal(user, "Second#pass1", old="Second#pass1") == "password_reused"
    change(user, DEFAULT_PASSWORD, old="Second#pass1")


@pytest.mark.rule("T3")
def test_change_clears_forced_change_and_is_audited(make_user, clock, events):
    user = make_user("u", must_change_password=True)
    change(user, "Another#2026")
    stored = User.objects.get(pk=user.pk)
    assert not stored.must_change_password
    assert stored.password_changed_at == clock.now
    (event,) = events("PASSWORD_CHANGED")
    assert event.actor_id == user.pk
    assert "Another#2026" not in event.after and stored.password not in event.after


@pytest.mark.rule("T3")
def test_reset_forces_a_change_and_lifts_a_lockout(sysadmin, make_user, clock, events):
    from datetime import timedelta

    target = make_user("target", failed_logins=5, locked_until=clock.now + timedelta(minutes=9))
    services.reset_password(sysadmin, target, "Reset#2026a")
    stored = User.objects.get(pk=target.pk)
    assert stored.must_change_password and stored.check_password("Reset#2026a")
    assert (stored.failed_logins, stored.locked_until) == (0, None)
    assert events("PASSWORD_RESET")[0].actor_id == sysadmin.pk
    assert services.login_attempt("target", "Reset#2026a") == stored


def test_history_is_bounded(make_user):
    user = make_user("u")
    previous = DEFAULT_PASSWORD
    for n in range(30):
        new = f"Rotate#{n}abc"
        change(user, new, previous)
        previous = new
    assert user.password_history.count() == services.HISTORY_KEPT
