"""Accounts in a real browser: first login with a forced change, a wrong password, and the
secadmin meeting rule T1 on the role form."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.testing.factories import DEFAULT_PASSWORD


@pytest.mark.rule("T3")
def test_first_login_forces_a_password_change(page, login, make_user):
    user = make_user("newcomer", must_change_password=True)
    login(user)
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:password_change"))))
    expect(page.get_by_test_id("forced")).to_be_visible()
    page.fill("input[name=old_password]", DEFAULT_PASSWORD)
    page.fill("input[name=new_password]", "Neues#Passwort1")
    page.fill("input[name=confirm_password]", "Neues#Passwort1")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(re.escape(reverse("obligations:dashboard")) + "$"))
    user.refresh_from_db()
    assert not user.must_change_password


@pytest.mark.rule("T3")
def test_wrong_password_shows_an_error(page, login, make_user):
    user = make_user("someone")
    login(user, password="not-the-password")
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:login"))))
    expect(page.locator(".login-box .error[role=alert]")).to_be_visible()
    user.refresh_from_db()
    assert user.failed_logins == 1


@pytest.mark.rule("T1")
def test_secadmin_assigns_a_role_and_meets_t1(page, login, secadmin, make_user):
    target = make_user("target", roles=[Role.SYSADMIN])
    login(secadmin)
    page.goto(reverse("accounts:user_detail", args=[target.pk]))
    form = page.locator("#assign-role form")
    form.locator("select[name=assign-role]").select_option("staff")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("roles")).to_contain_text(str(Role.STAFF.label))
    form = page.locator("#assign-role form")
    form.locator("select[name=assign-role]").select_option("auditor")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#assign-role .error[role=alert]")).to_contain_text("T1")
    assert set(target.role_assignments.values_list("role", flat=True)) == {"sysadmin", "staff"}
