"""Policy profiles: versioned YAML shipped in the package, overridable per unit within range.

Effective value of a setting = unit override, else the unit's profile value, else the
catalogue default (settings.yaml). Every value is validated against the catalogue.
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from baomi.core.errors import InvalidInput
from baomi.core.validation import clean_text

POLICY_DIR = Path(__file__).resolve().parent
DEFAULT_PROFILE = "law-commentary"


@dataclass(frozen=True)
class Setting:
    """One entry of the catalogue: what a policy value means and which values are allowed."""

    key: str
    type: str
    default: Any
    rule: str
    label: str
    source: str
    minimum: int | None = None
    maximum: int | None = None
    unit: str = ""

    def validate(self, value: Any) -> Any:
        """Return the value in its canonical type or raise InvalidInput (Chinese message)."""
        if self.type == "bool":
            if not isinstance(value, bool):
                raise InvalidInput(_("%(label)s must be yes or no.") % {"label": self.label})
            return value
        if self.type == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidInput(_("%(label)s must be a whole number.") % {"label": self.label})
            if (self.minimum is not None and value < self.minimum) or (
                self.maximum is not None and value > self.maximum
            ):
                raise InvalidInput(
                    _("%(label)s must be between %(min)s and %(max)s.")
                    % {"label": self.label, "min": self.minimum, "max": self.maximum}
                )
            return value
        if self.type == "chain":
            return _validate_chains(self.label, value)
        if self.type == "str":
            # A name (e.g. the designated destruction body); empty means "not set".
            return clean_text(value, "value", self.maximum or 200, required=False)
        raise InvalidInput(f"unknown setting type {self.type}")


@dataclass(frozen=True)
class Profile:
    """A named, versioned set of values with the source of each."""

    name: str
    version: int
    title: str
    description: str
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EffectiveSetting:
    setting: Setting
    value: Any
    origin: str  # "default", "profile" or "unit"
    source: str


class Policy:
    """The effective policy of one unit; read values with `policy["password.min_length"]`."""

    def __init__(self, profile: Profile, overrides: dict[str, Any]):
        self.profile = profile
        self.overrides = dict(overrides)

    def __getitem__(self, key: str) -> Any:
        return self.effective(key).value

    def effective(self, key: str) -> EffectiveSetting:
        setting = catalogue()[key]
        if key in self.overrides:
            return EffectiveSetting(setting, self.overrides[key], "unit", _("unit override"))
        if key in self.profile.values:
            value = self.profile.values[key]
            return EffectiveSetting(setting, value, "profile", self.profile.sources.get(key, ""))
        return EffectiveSetting(setting, setting.default, "default", setting.source)

    def all(self) -> list[EffectiveSetting]:
        return [self.effective(key) for key in catalogue()]

    def chain(self, request_type: str, level: int) -> list[str]:
        """The roles that decide a request of this type and level, in order."""
        chains = self["approvals.chains"]
        by_level = chains.get(request_type) or chains["default"]
        return list(by_level.get(str(int(level))) or by_level["default"])


@cache
def catalogue() -> dict[str, Setting]:
    raw = yaml.safe_load((POLICY_DIR / "settings.yaml").read_text(encoding="utf-8"))
    result = {}
    for key, spec in raw["settings"].items():
        result[key] = Setting(
            key=key,
            type=spec["type"],
            default=spec["default"],
            rule=spec["rule"],
            label=spec["label"],
            source=spec["source"],
            minimum=spec.get("min"),
            maximum=spec.get("max"),
            unit=spec.get("unit", ""),
        )
    for setting in result.values():
        setting.validate(setting.default)
    return result


@cache
def profiles() -> dict[str, Profile]:
    found = {}
    for path in sorted((POLICY_DIR / "profiles").glob("*.yaml")):
        profile = load_profile(yaml.safe_load(path.read_text(encoding="utf-8")))
        found[profile.name] = profile
    return found


def load_profile(raw: dict[str, Any]) -> Profile:
    """Build a profile from parsed YAML, validating every value against the catalogue."""
    settings = catalogue()
    values, sources = {}, {}
    for key, entry in (raw.get("values") or {}).items():
        if key not in settings:
            raise InvalidInput(_("Unknown policy setting: %(key)s") % {"key": key})
        values[key] = settings[key].validate(entry["value"])
        sources[key] = str(entry.get("source", ""))
    return Profile(
        name=raw["name"],
        version=int(raw["version"]),
        title=raw["title"],
        description=raw.get("description", ""),
        values=values,
        sources=sources,
    )


def policy_for(profile_name: str, overrides: dict[str, Any] | None = None) -> Policy:
    profile = profiles().get(profile_name) or profiles()[DEFAULT_PROFILE]
    return Policy(profile, overrides or {})


def _validate_chains(label: str, value: Any) -> dict[str, dict[str, list[str]]]:
    from baomi.accounts.roles import BUSINESS_ROLES

    missing_default = InvalidInput(_("%(label)s needs a default chain.") % {"label": label})
    if not isinstance(value, dict) or "default" not in value:
        raise missing_default
    chains: dict[str, dict[str, list[str]]] = {}
    for request_type, by_level in value.items():
        if not isinstance(by_level, dict) or "default" not in by_level:
            raise missing_default
        chains[str(request_type)] = {}
        for level, roles in by_level.items():
            if not isinstance(roles, list) or not roles or any(r not in BUSINESS_ROLES for r in roles):
                raise InvalidInput(_("%(label)s may only name business roles.") % {"label": label})
            chains[str(request_type)][str(level)] = list(roles)
    return chains
