"""`baomi policy show [--unit CODE | --profile NAME]` and `baomi policy profiles`."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baomi.accounts import selectors
from baomi.core.policy import policy_of
from baomi.core.policy.loader import DEFAULT_PROFILE, Policy, policy_for, profiles


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _range(minimum: int | None, maximum: int | None) -> str:
    if minimum is None and maximum is None:
        return "-"
    return f"{'' if minimum is None else minimum}..{'' if maximum is None else maximum}"


class Command(BaseCommand):
    help = "Show the effective policy of a unit or a profile, or list the policy profiles."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        show = actions.add_parser("show", help="Every effective setting with its origin.")
        target = show.add_mutually_exclusive_group()
        target.add_argument("--unit", help="Unit code (default: the default profile alone).")
        target.add_argument("--profile", help=f"Profile name (default: {DEFAULT_PROFILE}).")
        actions.add_parser("profiles", help="The profiles shipped with baomi.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "profiles":
            self._profiles()
        else:
            self._show(options.get("unit"), options.get("profile"))

    def _profiles(self) -> None:
        for profile in profiles().values():
            marker = " (default)" if profile.name == DEFAULT_PROFILE else ""
            self.stdout.write(f"{profile.name}{marker}  v{profile.version}  {profile.title}")
            if profile.description:
                self.stdout.write(f"    {profile.description}")

    def _show(self, unit_code: str | None, profile_name: str | None) -> None:
        policy: Policy
        if unit_code:
            unit = selectors.unit_by_code(unit_code)
            if unit is None:
                raise CommandError(f"No unit with code {unit_code!r}.")
            policy = policy_of(unit)
            self.stdout.write(f"unit {unit.code} {unit.name}")
        else:
            name = profile_name or DEFAULT_PROFILE
            if name not in profiles():
                raise CommandError(f"No profile {name!r}; see `baomi policy profiles`.")
            policy = policy_for(name)
        profile = policy.profile
        self.stdout.write(f"profile {profile.name} v{profile.version} ({profile.title})\n")
        for effective in policy.all():
            setting = effective.setting
            self.stdout.write(
                f"{setting.key} = {_value(effective.value)} {setting.unit}".rstrip()
                + f"  [{effective.origin}]  rule {setting.rule or '-'}"
                + f"  range {_range(setting.minimum, setting.maximum)}"
            )
            self.stdout.write(f"    {setting.label}")
            if effective.source:
                self.stdout.write(f"    source: {effective.source}")
