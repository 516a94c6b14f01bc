"""Policy profiles (see loader.py)."""

from typing import Any

from .loader import Policy, policy_for


def policy_of(unit: Any) -> Policy:
    """The effective policy of a unit (its profile plus its overrides)."""
    return policy_for(unit.policy_profile, unit.policy_overrides)


def units_by_policy(*keys: str) -> dict[tuple[Any, ...], list[int]]:
    """Unit ids grouped by the effective values of the policy `keys`, so that an obligation
    rule runs one query per distinct policy value instead of one per unit."""
    from collections import defaultdict

    from baomi.accounts.models import Unit

    grouped: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for unit in Unit.objects.values("id", "policy_profile", "policy_overrides"):
        policy = policy_for(unit["policy_profile"], unit["policy_overrides"])
        grouped[tuple(policy[key] for key in keys)].append(unit["id"])
    return grouped
