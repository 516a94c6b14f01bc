"""Standards as YAML libraries: the shipped consulting-unit standard (rule Q2) and the
validation of a standard with every problem named by its path."""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.utils import translation

from baomi.compliance.standards import (
    SHIPPED_DIR,
    StandardInvalid,
    items_of,
    parse_standard,
    shipped_standards,
)


@pytest.fixture(autouse=True)
def english():
    """The error paths and problems are checked in the catalog's source language."""
    with translation.override("en"):
        yield


SMALL = """\
id: small
version: 1
title: 小标准
total: 10
pass_mark: 6
groups:
  - code: a
    title: 甲
    items:
      - {code: a.1, text: 第一项, criteria: 查阅, points: 0, veto: true}
      - {code: a.2, text: 第二项, criteria: 查阅, points: 4.5, veto: false}
  - code: b
    title: 乙
    items:
      - {code: b.1, text: 第三项, points: 5.5}
"""


def consulting():
    return next(s for s in shipped_standards() if s["id"] == "consulting_unit")


def broken(**changes):
    data = yaml.safe_load(SMALL)
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        key = int(last) if last.isdigit() else last
        if value is DELETE:
            del target[key]
        else:
            target[key] = value
    return yaml.safe_dump(data, allow_unicode=True)


DELETE = object()


def errors_of(text):
    with pytest.raises(StandardInvalid) as caught:
        parse_standard(text)
    assert caught.value.code == "invalid_standard"
    return caught.value.errors


@pytest.mark.rule("Q2")
def test_the_shipped_standard_has_the_seven_groups_and_four_veto_items():
    standard = consulting()
    assert [g["title"][:2] for g in standard["groups"]] == [
        "基本", "组织", "机构", "制度", "人员", "场所", "设备"]
    vetoes = [i for i in items_of(standard) if i.veto]
    assert [i.code for i in vetoes] == ["basic.1", "basic.2", "basic.3", "basic.4"]
    assert all(i.points == 0 and i.group == "basic" for i in vetoes)
    assert not [i for i in items_of(standard) if not i.veto and i.group == "basic"]


@pytest.mark.rule("Q3")
def test_the_shipped_standard_counts_100_points_and_passes_at_90():
    standard = consulting()
    assert (standard["total"], standard["pass_mark"]) == (100, 90)
    assert sum(i.points for i in items_of(standard)) == Decimal(100)


def test_the_shipped_files_are_in_the_package():
    assert (SHIPPED_DIR / "consulting_unit.yaml").is_file()
    assert Path(SHIPPED_DIR).parent.name == "compliance"


def test_a_valid_standard_is_normalised():
    standard = parse_standard(SMALL)
    assert standard["groups"][1]["items"][0] == {
        "code": "b.1", "text": "第三项", "criteria": "", "points": 5.5, "veto": False}
    assert standard["total"] == 10


@pytest.mark.parametrize(("changes", "expected"), [
    ({"groups__0__items__1__points": -1}, "groups[0].items[1].points: "),
    ({"groups__0__items__1__points": "四"}, "groups[0].items[1].points: "),
    ({"groups__0__items__1__points": True}, "groups[0].items[1].points: "),
    ({"groups__0__items__1__points": 4.25}, "groups[0].items[1].points: "),
    ({"groups__0__items__0__points": 1}, "groups[0].items[0].points: "),
    ({"groups__1__items__0__code": "a.2"}, "groups[1].items[0].code: "),
    ({"groups__1__code": "a"}, "groups[1].code: "),
    ({"total": 11}, "total: "),
    ({"pass_mark": 11}, "pass_mark: "),
    ({"version": "1.2"}, "version: "),
    ({"version": 0}, "version: "),
    ({"groups": []}, "groups: "),
    ({"groups__1__items": []}, "groups[1].items: "),
    ({"groups__0__title": DELETE}, "groups[0].title: "),
    ({"groups__0__items__1__text": "x" * 1001}, "groups[0].items[1].text: "),
    ({"groups__0__items__1__veto": "yes"}, "groups[0].items[1].veto: "),
    ({"id": "有 空格"}, "id: "),
    ({"groups__0__items__1": "第二项"}, "groups[0].items[1]: "),
])
def test_each_problem_is_named_by_its_path(changes, expected):
    errors = errors_of(broken(**changes))
    assert any(error.startswith(expected) for error in errors), errors


def test_every_problem_is_listed_at_once():
    errors = errors_of(broken(version="x", groups__0__items__1__points=-1, pass_mark="y"))
    assert {e.split(":")[0] for e in errors} >= {
        "version", "pass_mark", "groups[0].items[1].points"}


def test_bad_yaml_names_its_line():
    errors = errors_of("id: x\nversion: 1\ngroups: [\n  {code: a\n")
    assert len(errors) == 1 and errors[0].startswith("line ")
    assert "line 1" not in errors[0]


@pytest.mark.parametrize("text", ["", "   ", "- a\n- b\n", "just text", "a: \x00",
                                  "[" * 5000, 42, None])
def test_nonsense_is_refused_cleanly(text):
    assert errors_of(text)


def test_a_file_over_the_limit_is_refused():
    errors = errors_of(SMALL + "#" * 1_000_001)
    assert len(errors) == 1


def test_the_documented_example_is_a_valid_standard():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "standards.md").read_text("utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    standard = parse_standard(example)
    assert (standard["id"], standard["total"], len(standard["groups"])) == (
        "hxdz_trade_secrets", 30, 2)
