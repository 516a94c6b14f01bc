"""Assessment standards as YAML libraries (rules Q2, Q3): parsing and validation.

A standard is a versioned list of groups, each a list of items with their points, criteria
and whether the item is a veto item (终止项). The schema (documented in docs/standards.md):

    id: consulting_unit          # letters, digits, ".", "_", "-"
    version: 1                   # an integer ≥ 1
    title: …
    total: 100                   # the points of all items together
    pass_mark: 90                # at most `total`
    groups:
      - code: basic
        title: 基本条件
        items:
          - {code: basic.1, text: …, criteria: …, points: 0, veto: true}

`parse_standard(text)` returns the checked definition or raises `StandardInvalid` listing
every problem with its path (`groups[2].items[0].points: must be a number ≥ 0`).
"""

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from baomi.core.errors import InvalidInput

SHIPPED_DIR = Path(__file__).resolve().parent / "assessments"
# An uploaded standard is a text file of a few hundred items at most.
MAX_BYTES = 1_000_000
MAX_GROUPS = 100
MAX_ITEMS = 400  # a sheet posts two fields per item; Django accepts 1,000 fields
MAX_POINTS = 10_000
CODE_MAX = 60
TITLE_MAX = 200
TEXT_MAX = 1000
CRITERIA_MAX = 2000
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Points are whole or half points, as the review forms award them.
POINT_STEP = Decimal("0.5")


class StandardInvalid(InvalidInput):
    """A standard that cannot be used: `errors` lists every problem found, with its path."""

    code = "invalid_standard"

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        summary = _("The standard is not valid: %(errors)s") % {"errors": "; ".join(errors[:5])}
        super().__init__(summary, fields={"definition": "\n".join(errors)})


@dataclass(frozen=True)
class Item:
    """One item of a standard as the scoring uses it."""

    group: str
    code: str
    text: str
    criteria: str
    points: Decimal
    veto: bool


def as_points(value: Any) -> Decimal:
    """Points from the stored definition (an int or a float of whole or half points)."""
    return Decimal(str(value))


def points_text(points: Decimal) -> str:
    """`10`, `4.5`: points as a form prints them."""
    return format(points.normalize(), "f") if points else "0"


def items_of(definition: dict[str, Any]) -> list[Item]:
    """Every item of a checked definition, in order."""
    return [Item(group["code"], item["code"], item["text"], item["criteria"],
                 as_points(item["points"]), item["veto"])
            for group in definition["groups"] for item in group["items"]]


class _Checker:
    """Collects the problems of one definition, each with its path."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def text(self, data: dict[str, Any], key: str, path: str, max_length: int, *,
             required: bool = True, pattern: re.Pattern[str] | None = None) -> str:
        value = data.get(key)
        where = f"{path}.{key}" if path else key
        if value is None and not required:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)  # a code such as 1.2 written without quotes
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(where, _("must be a non-empty text"))
            return ""
        value = value.strip()
        if len(value) > max_length:
            self.add(where, _("at most %(n)s characters") % {"n": max_length})
        elif any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
            self.add(where, _("contains invalid characters"))
        elif pattern is not None and not pattern.match(value):
            self.add(where, _("only letters, digits, '.', '_' and '-'"))
        return value

    def number(self, data: dict[str, Any], key: str, path: str) -> Decimal | None:
        value = data.get(key)
        where = f"{path}.{key}" if path else key
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value) or not 0 <= value <= MAX_POINTS:
            self.add(where, _("must be a number ≥ 0"))
            return None
        points = Decimal(str(value))
        if points % POINT_STEP:
            self.add(where, _("must be a whole or half number"))
            return None
        return points


def _point_value(points: Decimal) -> int | float:
    return int(points) if points == points.to_integral_value() else float(points)


def _check_item(check: _Checker, raw: Any, path: str, group: str) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        check.add(path, _("must be a mapping with code, text, criteria, points and veto"))
        return None
    code = check.text(raw, "code", path, CODE_MAX, pattern=CODE_PATTERN)
    text = check.text(raw, "text", path, TEXT_MAX)
    criteria = check.text(raw, "criteria", path, CRITERIA_MAX, required=False)
    points = check.number(raw, "points", path)
    veto = raw.get("veto", False)
    if not isinstance(veto, bool):
        check.add(f"{path}.veto", _("must be true or false"))
        veto = False
    if veto and points is not None and points != 0:
        check.add(f"{path}.points", _("a veto item carries 0 points"))
    if points is None:
        return None
    return {"code": code, "text": text, "criteria": criteria,
            "points": _point_value(points), "veto": veto}


def _check_group(check: _Checker, raw: Any, path: str) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        check.add(path, _("must be a mapping with code, title and items"))
        return None
    code = check.text(raw, "code", path, CODE_MAX, pattern=CODE_PATTERN)
    title = check.text(raw, "title", path, TITLE_MAX)
    items = raw.get("items")
    if not isinstance(items, list) or not items:
        check.add(f"{path}.items", _("must be a list of at least one item"))
        return None
    checked = [_check_item(check, item, f"{path}.items[{i}]", code)
               for i, item in enumerate(items)]
    return {"code": code, "title": title, "items": [i for i in checked if i is not None]}


def _check_codes(check: _Checker, groups: list[dict[str, Any]]) -> None:
    seen_groups: set[str] = set()
    seen_items: set[str] = set()
    for g, group in enumerate(groups):
        if group["code"] and group["code"] in seen_groups:
            check.add(f"groups[{g}].code", _("the code %(code)s is used twice") % {
                "code": group["code"]})
        seen_groups.add(group["code"])
        for i, item in enumerate(group["items"]):
            if item["code"] and item["code"] in seen_items:
                check.add(f"groups[{g}].items[{i}].code",
                          _("the code %(code)s is used twice") % {"code": item["code"]})
            seen_items.add(item["code"])


def check_definition(raw: Any) -> dict[str, Any]:
    """The checked, normalised definition; StandardInvalid listing every problem."""
    check = _Checker()
    if not isinstance(raw, dict):
        raise StandardInvalid([_("the file must be a mapping with id, version, title, total, "
                                 "pass_mark and groups")])
    ident = check.text(raw, "id", "", CODE_MAX, pattern=CODE_PATTERN)
    version = raw.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 10_000:
        check.add("version", _("must be a whole number ≥ 1"))
    title = check.text(raw, "title", "", TITLE_MAX)
    total = check.number(raw, "total", "")
    pass_mark = check.number(raw, "pass_mark", "")
    if total is not None and pass_mark is not None and pass_mark > total:
        check.add("pass_mark", _("must not exceed the total (%(total)s)") % {"total": total})
    raw_groups = raw.get("groups")
    groups: list[dict[str, Any]] = []
    if not isinstance(raw_groups, list) or not raw_groups:
        check.add("groups", _("must be a list of at least one group"))
    elif len(raw_groups) > MAX_GROUPS:
        check.add("groups", _("at most %(n)s groups") % {"n": MAX_GROUPS})
    else:
        checked = [_check_group(check, group, f"groups[{g}]")
                   for g, group in enumerate(raw_groups)]
        groups = [g for g in checked if g is not None]
    item_count = sum(len(g["items"]) for g in groups)
    if item_count > MAX_ITEMS:
        check.add("groups", _("at most %(n)s items") % {"n": MAX_ITEMS})
    _check_codes(check, groups)
    if not check.errors and total is not None:
        points = sum((as_points(i["points"]) for g in groups for i in g["items"]), Decimal(0))
        if points != total:
            check.add("total", _("the items' points add up to %(sum)s, not %(total)s") % {
                "sum": _point_value(points), "total": _point_value(total)})
    if check.errors or total is None or pass_mark is None:
        raise StandardInvalid(check.errors)
    return {"id": ident, "version": version, "title": title, "total": _point_value(total),
            "pass_mark": _point_value(pass_mark), "groups": groups}


def parse_standard(text: Any) -> dict[str, Any]:
    """A standard from YAML text: its checked definition, or StandardInvalid."""
    if not isinstance(text, str) or not text.strip():
        raise StandardInvalid([_("the file is empty")])
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise StandardInvalid([_("the file is larger than %(n)s bytes") % {"n": MAX_BYTES}])
    if "\x00" in text:
        raise StandardInvalid([_("the file contains invalid characters")])
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if mark is not None:
            raise StandardInvalid([_("line %(line)s: not valid YAML (%(problem)s)") % {
                "line": mark.line + 1, "problem": problem}]) from None
        raise StandardInvalid([_("not valid YAML (%(problem)s)") % {"problem": problem}]) \
            from None
    except RecursionError:  # nested thousands deep: no standard looks like this
        raise StandardInvalid([_("not valid YAML (nested too deeply)")]) from None
    return check_definition(raw)


@cache
def shipped_standards() -> tuple[dict[str, Any], ...]:
    """The standards shipped with baomi (rule Q2: the consulting-unit standard of seed 000)."""
    return tuple(parse_standard(path.read_text(encoding="utf-8"))
                 for path in sorted(SHIPPED_DIR.glob("*.yaml")))
