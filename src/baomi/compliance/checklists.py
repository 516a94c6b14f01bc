"""Checklist libraries (rules Q9, Q10): versioned YAML files shipped in `checklists/`.

A library is data, not code: `id`, `version` (an integer), `title`, `kind` (self_assessment |
department_check) and `areas: [{code, title, items: [{code, text, rules: [..], guidance}]}]`.
Every file is validated when loaded; an error names the path of the bad value
(`areas[3].items[2].code: duplicate`) so that whoever edits a library finds it at once. An
inspection snapshots the items of the version it started with, so a later version never
changes a past inspection.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from baomi.core.errors import InvalidInput

from .choices_inspections import LibraryKind

DIRECTORY = Path(__file__).parent / "checklists"
# The library of rule Q9 (the 13 areas of 条例§58): one completed per year.
SELF_ASSESSMENT_LIBRARY = "self_assessment_58"
CODE_MAX = 20
TITLE_MAX = 200
TEXT_MAX = 500
GUIDANCE_MAX = 500
RULE_MAX = 10


class ChecklistError(InvalidInput):
    """A library file that does not follow the schema; `path` names the bad value."""

    code = "bad_checklist"

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem, fields={"file": problem})
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    text: str
    rules: tuple[str, ...]
    guidance: str


@dataclass(frozen=True)
class ChecklistArea:
    code: str
    title: str
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class Checklist:
    id: str
    version: int
    title: str
    kind: str
    areas: tuple[ChecklistArea, ...]

    @property
    def item_count(self) -> int:
        return sum(len(area.items) for area in self.areas)


def _text(raw: dict[str, Any], key: str, path: str, max_length: int,
          required: bool = True) -> str:
    where = f"{path}.{key}" if path else key
    if key not in raw or raw[key] is None:
        if required:
            raise ChecklistError(where, _("required"))
        return ""
    value = raw[key]
    if not isinstance(value, str):
        raise ChecklistError(where, _("must be text"))
    value = value.strip()
    if required and not value:
        raise ChecklistError(where, _("required"))
    if len(value) > max_length:
        raise ChecklistError(where, _("at most %(n)s characters") % {"n": max_length})
    if any(ord(ch) < 32 for ch in value):
        raise ChecklistError(where, _("invalid characters"))
    return value


def _mapping(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ChecklistError(path, _("must be a mapping"))
    return value


def _list(raw: dict[str, Any], key: str, path: str) -> list[Any]:
    where = f"{path}.{key}" if path else key
    value = raw.get(key)
    if value is None:
        raise ChecklistError(where, _("required"))
    if not isinstance(value, list):
        raise ChecklistError(where, _("must be a list"))
    if not value:
        raise ChecklistError(where, _("must not be empty"))
    return value


def _rules(raw: dict[str, Any], path: str) -> tuple[str, ...]:
    value = raw.get("rules", [])
    if not isinstance(value, list) or not all(
            isinstance(rule, str) and 0 < len(rule) <= RULE_MAX for rule in value):
        raise ChecklistError(f"{path}.rules", _("must be a list of rule IDs"))
    return tuple(value)


def _item(raw: Any, path: str, seen: set[str]) -> ChecklistItem:
    raw = _mapping(raw, path)
    code = _text(raw, "code", path, CODE_MAX)
    if code in seen:
        raise ChecklistError(f"{path}.code", _("duplicate"))
    seen.add(code)
    return ChecklistItem(code=code, text=_text(raw, "text", path, TEXT_MAX),
                         rules=_rules(raw, path),
                         guidance=_text(raw, "guidance", path, GUIDANCE_MAX, required=False))


def _area(raw: Any, path: str, seen: set[str]) -> ChecklistArea:
    raw = _mapping(raw, path)
    code = _text(raw, "code", path, CODE_MAX)
    if code in seen:
        raise ChecklistError(f"{path}.code", _("duplicate"))
    seen.add(code)
    items = tuple(_item(item, f"{path}.items[{number}]", seen)
                  for number, item in enumerate(_list(raw, "items", path)))
    return ChecklistArea(code=code, title=_text(raw, "title", path, TITLE_MAX), items=items)


def parse_checklist(text: str) -> Checklist:
    """A validated library from YAML text; ChecklistError naming the first bad value."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("line %(line)s") % {"line": mark.line + 1} if mark else ""
        raise ChecklistError(where, _("not valid YAML")) from None
    raw = _mapping(raw, "")
    library_id = _text(raw, "id", "", CODE_MAX * 2)
    version = raw.get("version")
    if version is None:
        raise ChecklistError("version", _("required"))
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ChecklistError("version", _("must be a whole number from 1"))
    kind = _text(raw, "kind", "", CODE_MAX)
    if kind not in LibraryKind.values:
        raise ChecklistError("kind", _("must be one of %(kinds)s") % {
            "kinds": ", ".join(LibraryKind.values)})
    seen: set[str] = set()
    areas = tuple(_area(area, f"areas[{number}]", seen)
                  for number, area in enumerate(_list(raw, "areas", "")))
    return Checklist(id=library_id, version=version, title=_text(raw, "title", "", TITLE_MAX),
                     kind=kind, areas=areas)


@cache
def shipped_checklists() -> dict[str, Checklist]:
    """Every library shipped in the package, by id (the files are checked by the tests)."""
    libraries = {}
    for path in sorted(DIRECTORY.glob("*.yaml")):
        library = parse_checklist(path.read_text(encoding="utf-8"))
        libraries[library.id] = library
    return libraries


def checklist(library_id: Any) -> Checklist:
    """A shipped library by id; InvalidInput naming `library` otherwise."""
    found = shipped_checklists().get(library_id) if isinstance(library_id, str) else None
    if found is None:
        message = _("Choose a checklist library.")
        raise InvalidInput(message, code="unknown_library", fields={"library": message})
    return found
