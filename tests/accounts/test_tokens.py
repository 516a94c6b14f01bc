"""API tokens: shown once, stored as a hash, revocable, owner only."""

import hashlib
from datetime import timedelta

import pytest

from baomi.accounts import services
from baomi.accounts.models import ApiToken
from baomi.core.errors import Conflict, InvalidInput, NotFound


def test_token_is_stored_as_its_hash(make_user, events):
    user = make_user("u")
    token, plaintext = services.create_api_token(user, "扫描器")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert stored.prefix == plaintext[: services.TOKEN_PREFIX_LENGTH]
    assert len(plaintext) > 40
    assert all(plaintext not in str(getattr(stored, f.attname)) for f in ApiToken._meta.fields)
    (event,) = events("API_TOKEN_CREATED")
    assert plaintext not in event.after
    assert services.authenticate_token(plaintext) == user


def test_unknown_and_revoked_tokens_authenticate_nobody(make_user, events):
    user = make_user("u")
    token, plaintext = services.create_api_token(user, "t")
    assert services.authenticate_token("bm_nonsense") is None
    assert services.authenticate_token("") is None
    services.revoke_api_token(user, token)
    assert services.authenticate_token(plaintext) is None
    assert len(events("API_TOKEN_REVOKED")) == 1
    with pytest.raises(Conflict):
        services.revoke_api_token(user, token)


def test_only_the_owner_revokes(make_user):
    owner, other = make_user("owner"), make_user("other")
    token, plaintext = services.create_api_token(owner, "t")
    with pytest.raises(NotFound):
        services.revoke_api_token(other, token)
    assert services.authenticate_token(plaintext) == owner


def test_inactive_user_token_is_refused(make_user, sysadmin):
    user = make_user("u")
    _token, plaintext = services.create_api_token(user, "t")
    services.set_user_active(sysadmin, user, False, "离职")
    assert services.authenticate_token(plaintext) is None
    with pytest.raises(InvalidInput):
        services.create_api_token(user, "again")


def test_last_used_is_written_at_most_once_a_minute(make_user, clock):
    user = make_user("u")
    token, plaintext = services.create_api_token(user, "t")
    services.authenticate_token(plaintext)
    first = clock.now
    clock.advance(seconds=59)
    services.authenticate_token(plaintext)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    clock.advance(seconds=2)
    services.authenticate_token(plaintext)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first + timedelta(seconds=61)


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_token_name_is_checked(make_user, name):
    with pytest.raises(InvalidInput):
        services.create_api_token(make_user("u"), name)
