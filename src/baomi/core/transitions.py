"""Declarative state machines: `(from, to) -> guard`, applied with a compare-and-set.

A service names the transition it performs; the table says whether it is legal and the
compare-and-set UPDATE guarantees that of two concurrent actions on the same object exactly
one succeeds (the other sees the state already changed and gets a Conflict).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from .errors import Conflict

Guard = Callable[[Any], None]


@dataclass(frozen=True)
class TransitionTable:
    """Legal transitions of one model's state field, each with an optional guard."""

    field_name: str
    transitions: dict[tuple[str, str], Guard | None] = field(default_factory=dict)

    def targets_from(self, state: str) -> list[str]:
        return [to for (frm, to) in self.transitions if frm == state]

    def check(self, obj: models.Model, to: str) -> None:
        """Raise Conflict when `to` is not reachable from the object's state; run the guard."""
        current = getattr(obj, self.field_name)
        if (current, to) not in self.transitions:
            raise Conflict(
                _("This action is not possible in the current state (%(state)s).")
                % {"state": _display(obj, self.field_name)},
                code="illegal_transition",
            )
        guard = self.transitions[(current, to)]
        if guard is not None:
            guard(obj)

    def apply(self, obj: models.Model, to: str, **changes: Any) -> None:
        """Check, then move `obj` to `to` with a compare-and-set on the current state."""
        self.check(obj, to)
        current = getattr(obj, self.field_name)
        updated = (
            type(obj)
            ._default_manager.filter(pk=obj.pk, **{self.field_name: current})
            .update(**{self.field_name: to}, **changes)
        )
        if updated != 1:
            raise Conflict(
                _("Someone else changed this object at the same time; reload and try again."),
                code="concurrent_change",
            )
        setattr(obj, self.field_name, to)
        for name, value in changes.items():
            setattr(obj, name, value)


def table(field_name: str, rows: Iterable[tuple[str, str, Guard | None]]) -> TransitionTable:
    return TransitionTable(field_name, {(frm, to): guard for frm, to, guard in rows})


def _display(obj: models.Model, field_name: str) -> str:
    getter = getattr(obj, f"get_{field_name}_display", None)
    return str(getter()) if getter else str(getattr(obj, field_name))
