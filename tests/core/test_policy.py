"""Policy profiles: catalogue, the three 脱密期 profiles of rule P11, ranges, overrides."""

import re
from pathlib import Path

import pytest

from baomi.core.errors import InvalidInput
from baomi.core.policy import policy_of
from baomi.core.policy.loader import catalogue, load_profile, policy_for, profiles

RULES_MD = Path(__file__).resolve().parents[3] / "shared" / "RULES.md"


def test_every_setting_names_its_source_and_a_real_rule():
    rule_ids = set(re.findall(r"^\| ([A-Z]\d+) \|", RULES_MD.read_text(encoding="utf-8"), re.M))
    for setting in catalogue().values():
        assert setting.source and setting.label
        assert setting.rule == "" or setting.rule in rule_ids, setting.key
        assert setting.validate(setting.default) == setting.default


@pytest.mark.rule("P11")
@pytest.mark.parametrize("profile, core, important, general", [
    ("law-commentary", 36, 24, 12),
    ("consulting-unit", 36, 24, 12),
    ("company-template", 36, 12, 6),
])
def test_declassification_periods_by_profile(profile, core, important, general):
    policy = policy_for(profile)
    assert policy["declassification.period_months.core"] == core
    assert policy["declassification.period_months.important"] == important
    assert policy["declassification.period_months.general"] == general


@pytest.mark.rule("S6")
def test_consulting_unit_declassifies_only_after_review():
    assert policy_for("consulting-unit")["secrets.declassify_requires_review"] is True
    assert policy_for("law-commentary")["secrets.declassify_requires_review"] is False


@pytest.mark.rule("T3")
@pytest.mark.parametrize("value, ok", [(7, False), (8, True), (64, True), (65, False)])
def test_password_length_range(value, ok):
    setting = catalogue()["password.min_length"]
    if ok:
        assert setting.validate(value) == value
    else:
        with pytest.raises(InvalidInput):
            setting.validate(value)


@pytest.mark.parametrize("value", ["8", 8.5, True, None])
def test_int_setting_refuses_other_types(value):
    with pytest.raises(InvalidInput):
        catalogue()["password.min_length"].validate(value)


def test_unit_override_wins_over_profile_and_default(unit):
    unit.policy_profile = "company-template"
    unit.policy_overrides = {"declassification.period_months.general": 9}
    policy = policy_of(unit)
    effective = policy.effective("declassification.period_months.general")
    assert (effective.value, effective.origin) == (9, "unit")
    assert policy.effective("declassification.period_months.important").origin == "profile"
    assert policy.effective("password.min_length").origin == "default"


def test_unknown_profile_falls_back_to_default():
    assert policy_for("no-such-profile").profile.name == "law-commentary"


def test_profile_with_unknown_or_out_of_range_value_is_refused():
    with pytest.raises(InvalidInput):
        load_profile({"name": "x", "version": 1, "title": "x",
                      "values": {"no.such.key": {"value": 1}}})
    with pytest.raises(InvalidInput):
        load_profile({"name": "x", "version": 1, "title": "x",
                      "values": {"password.min_length": {"value": 4}}})


def test_approval_chains_fall_back_by_type_and_level():
    policy = policy_for("law-commentary")
    assert policy.chain("role_grant", 0) == ["secrecy_office", "leader"]
    assert policy.chain("unknown_type", 3) == ["department_head", "secrecy_office"]


def test_chain_may_only_name_business_roles():
    with pytest.raises(InvalidInput):
        catalogue()["approvals.chains"].validate({"default": {"default": ["auditor"]}})
    chains = catalogue()["approvals.chains"].validate(
        {"default": {"default": ["leader"], 3: ["secrecy_office", "leader"]}}
    )
    assert chains["default"]["3"] == ["secrecy_office", "leader"]


def test_shipped_profiles_are_versioned():
    assert set(profiles()) == {"law-commentary", "consulting-unit", "company-template"}
    assert all(p.version >= 1 and p.title for p in profiles().values())
