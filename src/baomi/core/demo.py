"""What demo steps share: the users they created and the logins printed at the end."""

from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "Baomi@2026"


@dataclass
class DemoContext:
    out: Any
    users: dict[str, Any] = field(default_factory=dict)  # username -> User
    logins: list[tuple[str, str]] = field(default_factory=list)  # (username, description)

    def say(self, text: str) -> None:
        self.out.write(text)

    def logins_table(self) -> str:
        width = max((len(u) for u, _ in self.logins), default=8)
        lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
        lines += [f"  {username:<{width}}  {text}" for username, text in self.logins]
        return "\n".join(lines)
