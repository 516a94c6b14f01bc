"""`baomi createuser` and `baomi policy`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from baomi.accounts.models import Person, Unit, User
from baomi.core.policy.loader import catalogue
from baomi.core.testing.factories import DEFAULT_PASSWORD


def createuser(*args):
    out = StringIO()
    call_command("createuser", *args, stdout=out)
    return out.getvalue()


ADMIN = ["--unit", "NEW", "--unit-name", "新单位", "--username", "admin", "--name", "张三",
         "--employee-no", "001", "--password", DEFAULT_PASSWORD]


@pytest.mark.rule("T1")
def test_createuser_sets_up_the_first_admins(db, events):
    output = createuser(*ADMIN, "--role", "sysadmin", "--role", "secadmin")
    user = User.objects.get(username="admin")
    assert user.unit.code == "NEW" and user.must_change_password
    assert user.role_set() == {"sysadmin", "secadmin"}
    assert "admin" in output
    assert events("UNIT_CREATED")[0].actor_id is None
    createuser("--unit", "NEW", "--username", "audit", "--name", "李四", "--employee-no", "002",
               "--password", DEFAULT_PASSWORD, "--role", "auditor")
    assert User.objects.get(username="audit").role_set() == {"auditor"}


@pytest.mark.rule("T1")
def test_createuser_refuses_t1_and_creates_nothing(db):
    with pytest.raises(CommandError, match="t1_forbidden_combination"):
        createuser(*ADMIN, "--role", "sysadmin", "--role", "auditor")
    assert not Unit.objects.filter(code="NEW").exists()
    assert not Person.objects.exists()


@pytest.mark.parametrize(("args", "match"), [
    (["--password", "weak"], "password_too_short"),
    (["--unit-name", ""], "does not exist"),
    (["--department", "NOPE"], "No department"),
])
def test_createuser_errors_are_clear(db, args, match):
    with pytest.raises(CommandError, match=match):
        createuser(*ADMIN, *args)
    assert not User.objects.exists()


def test_createuser_exits_non_zero_from_the_cli(db, capsys):
    from baomi.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["createuser", *ADMIN, "--role", "sysadmin", "--role", "auditor"])
    assert exited.value.code != 0
    assert "t1_forbidden_combination" in capsys.readouterr().err


def test_policy_show_lists_every_setting(unit):
    unit.policy_overrides = {"session.idle_minutes": 10}
    unit.save()
    out = StringIO()
    call_command("policy", "show", "--unit", unit.code, stdout=out)
    text = out.getvalue()
    for key in catalogue():
        assert f"{key} = " in text
    assert "session.idle_minutes = 10 minutes  [unit]  rule T3  range 5..120" in text
    assert "password.min_length = 8 characters  [default]" in text
    with pytest.raises(CommandError):
        call_command("policy", "show", "--unit", "NOPE")


def test_policy_show_of_a_profile_and_profiles(db):
    out = StringIO()
    call_command("policy", "show", "--profile", "consulting-unit", stdout=out)
    assert "secrets.declassify_requires_review = yes  [profile]" in out.getvalue()
    out = StringIO()
    call_command("policy", "profiles", stdout=out)
    assert {"law-commentary (default)", "consulting-unit", "company-template"} <= {
        line.split("  ")[0] for line in out.getvalue().splitlines()
    }
