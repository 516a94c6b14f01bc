"""Checklist libraries are data (rules Q9, Q10): the shipped YAML files load, and a broken
file is refused with an error naming the path of the bad value."""

import pytest
from django.utils import translation

from baomi.compliance.checklists import (
    DIRECTORY,
    ChecklistError,
    checklist,
    parse_checklist,
    shipped_checklists,
)
from baomi.core.errors import InvalidInput


@pytest.fixture(autouse=True)
def english():
    """The error paths and problems are checked in the catalog's source language."""
    with translation.override("en"):
        yield


GOOD = """
id: test_lib
version: 2
title: 测试检查表
kind: department_check
areas:
  - code: X1
    title: 区域一
    items:
      - {code: X1-01, text: 问题一, rules: [C1], guidance: 看台帐}
      - {code: X1-02, text: 问题二, rules: []}
  - code: X2
    title: 区域二
    items:
      - {code: X2-01, text: 问题三}
"""


@pytest.mark.rule("Q9")
def test_the_shipped_libraries_load():
    libraries = shipped_checklists()
    assert set(libraries) == {"self_assessment_58", "department_self_check"}
    assessment = libraries["self_assessment_58"]
    assert assessment.kind == "self_assessment" and len(assessment.areas) == 13
    assert all(3 <= len(area.items) <= 8 for area in assessment.areas)
    assert all(item.rules for area in assessment.areas for item in area.items)
    assert libraries["department_self_check"].kind == "department_check"
    assert len(list(DIRECTORY.glob("*.yaml"))) == 2


def test_every_rule_cited_exists_in_the_rule_families():
    families = set("LSCDPQTIM")
    for library in shipped_checklists().values():
        for area in library.areas:
            for item in area.items:
                assert all(rule[0] in families and rule[1:].isdigit() for rule in item.rules)


def test_a_good_file_parses():
    library = parse_checklist(GOOD)
    assert (library.id, library.version, library.item_count) == ("test_lib", 2, 3)
    assert library.areas[0].items[0].rules == ("C1",)
    assert library.areas[1].items[0].guidance == ""


@pytest.mark.parametrize("broken, path, problem", [
    (GOOD.replace("version: 2\n", ""), "version", "required"),
    (GOOD.replace("version: 2", "version: zwei"), "version", "must be a whole number from 1"),
    (GOOD.replace("version: 2", "version: true"), "version", "must be a whole number from 1"),
    (GOOD.replace("title: 测试检查表\n", ""), "title", "required"),
    (GOOD.replace("kind: department_check", "kind: audit"), "kind", None),
    (GOOD.replace("code: X2-01", "code: X1-02"), "areas[1].items[0].code", "duplicate"),
    (GOOD.replace("code: X2\n", "code: X1\n"), "areas[1].code", "duplicate"),
    (GOOD.replace(", text: 问题二", ""), "areas[0].items[1].text", "required"),
    (GOOD.replace("text: 问题三", "text: [a, b]"), "areas[1].items[0].text", "must be text"),
    (GOOD.replace("rules: [C1]", "rules: C1"), "areas[0].items[0].rules",
     "must be a list of rule IDs"),
    (GOOD.split("areas:")[0] + "areas: []\n", "areas", "must not be empty"),
    (GOOD.split("areas:")[0], "areas", "required"),
    ("id: x\n  version: [1\n", "line", "not valid YAML"),
    ("- just\n- a list\n", "", "must be a mapping"),
])
def test_a_broken_file_names_its_path(broken, path, problem):
    with pytest.raises(ChecklistError) as error:
        parse_checklist(broken)
    assert error.value.code == "bad_checklist"
    assert error.value.path.startswith(path), error.value.path
    if problem:
        assert error.value.problem == problem
    assert str(error.value.message).startswith(error.value.path)


def test_an_unknown_library_is_refused():
    with pytest.raises(InvalidInput) as error:
        checklist("nope")
    assert error.value.code == "unknown_library"
