"""Policy profile and overrides: the secadmin changes them, inside the catalogue's range."""

import pytest

from baomi.accounts import services
from baomi.accounts.models import Unit
from baomi.core.errors import AccessDenied, Conflict, InvalidInput
from baomi.core.policy import policy_of


@pytest.mark.rule("T3")
@pytest.mark.parametrize(("value", "accepted"), [(7, False), (8, True), (64, True), (65, False)])
def test_override_inside_range_only(secadmin, unit, value, accepted):
    if accepted:
        services.set_policy_override(secadmin, unit, "password.min_length", value, reason="加强")
        effective = policy_of(Unit.objects.get(pk=unit.pk)).effective("password.min_length")
        assert (effective.value, effective.origin) == (value, "unit")
    else:
        with pytest.raises(InvalidInput) as refused:
            services.set_policy_override(secadmin, unit, "password.min_length", value,
                                         reason="x")
        assert refused.value.code == "policy_value_invalid"
        assert "value" in refused.value.fields
        assert Unit.objects.get(pk=unit.pk).policy_overrides == {}


@pytest.mark.parametrize(("key", "value", "code"), [
    ("password.min_length", "12", "policy_value_invalid"),
    ("password.min_length", True, "policy_value_invalid"),
    ("approvals.distinct_approvers", 1, "policy_value_invalid"),
    ("no.such.key", 1, "unknown_setting"),
])
def test_override_type_and_key_are_checked(secadmin, unit, key, value, code):
    with pytest.raises(InvalidInput) as refused:
        services.set_policy_override(secadmin, unit, key, value, reason="x")
    assert refused.value.code == code


def test_override_is_audited_with_before_and_after(secadmin, unit, events):
    services.set_policy_override(secadmin, unit, "session.idle_minutes", 10, reason="涉密网")
    (event,) = events("POLICY_OVERRIDE_SET")
    assert '"origin":"default"' in event.before and '"value":30' in event.before
    assert '"origin":"unit"' in event.after and '"value":10' in event.after
    assert event.reason == "涉密网"


def test_override_needs_a_reason(secadmin, unit):
    with pytest.raises(InvalidInput) as refused:
        services.set_policy_override(secadmin, unit, "session.idle_minutes", 10, reason="")
    assert refused.value.code == "required"


@pytest.mark.rule("T2")
@pytest.mark.parametrize("fixture", ["sysadmin", "auditor"])
def test_only_secadmin_changes_policy(request, unit, fixture):
    actor = request.getfixturevalue(fixture)
    with pytest.raises(AccessDenied):
        services.set_policy_override(actor, unit, "session.idle_minutes", 10, reason="x")
    with pytest.raises(AccessDenied):
        services.set_policy_profile(actor, unit, "consulting-unit")


def test_clear_override_returns_to_the_profile(secadmin, unit, events):
    services.set_policy_override(secadmin, unit, "session.idle_minutes", 10, reason="x")
    services.clear_policy_override(secadmin, unit, "session.idle_minutes", reason="恢复")
    effective = policy_of(Unit.objects.get(pk=unit.pk)).effective("session.idle_minutes")
    assert (effective.value, effective.origin) == (30, "default")
    assert '"origin":"default"' in events("POLICY_OVERRIDE_CLEARED")[0].after
    with pytest.raises(Conflict) as refused:
        services.clear_policy_override(secadmin, unit, "session.idle_minutes", reason="x")
    assert refused.value.code == "override_not_set"


def test_profile_choice(secadmin, unit, events):
    services.set_policy_profile(secadmin, unit, "consulting-unit")
    policy = policy_of(Unit.objects.get(pk=unit.pk))
    assert policy.effective("secrets.declassify_requires_review").origin == "profile"
    assert policy["secrets.declassify_requires_review"] is True
    services.set_policy_profile(secadmin, unit, "consulting-unit")  # unchanged: no event
    assert len(events("POLICY_PROFILE_CHANGED")) == 1
    with pytest.raises(InvalidInput) as refused:
        services.set_policy_profile(secadmin, unit, "nope")
    assert refused.value.code == "unknown_profile"
