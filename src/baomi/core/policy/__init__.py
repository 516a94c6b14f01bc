"""Policy profiles (see loader.py)."""

from typing import Any

from .loader import Policy, policy_for


def policy_of(unit: Any) -> Policy:
    """The effective policy of a unit (its profile plus its overrides)."""
    return policy_for(unit.policy_profile, unit.policy_overrides)
