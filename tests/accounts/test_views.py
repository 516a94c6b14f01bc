"""The accounts pages: refusals appear on the form, never as a 500."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from baomi.accounts.models import ApiToken, Department, Unit, User
from baomi.accounts.roles import Role
from baomi.core.labels import Category
from baomi.core.testing.factories import DEFAULT_PASSWORD

LOGIN = reverse("accounts:login")


def login_post(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def form_errors(response):
    form = response.context["form"]
    return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


# --- login ---------------------------------------------------------------------------------


def test_login_lands_on_the_dashboard(client, make_user, events):
    make_user("u")
    response = login_post(client, "u", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("obligations:dashboard")
    assert int(client.session["_auth_user_id"]) == User.objects.get(username="u").pk
    assert len(events("LOGIN_SUCCEEDED")) == 1


def test_login_follows_a_local_next_only(client, make_user):
    make_user("u")
    response = login_post(client, "u", DEFAULT_PASSWORD, next=reverse("accounts:token_list"))
    assert response.url == reverse("accounts:token_list")
    client.logout()
    response = login_post(client, "u", DEFAULT_PASSWORD, next="https://example.com/")
    assert response.url == reverse("obligations:dashboard")


def test_wrong_password_shows_an_error(client, make_user):
    make_user("u")
    response = login_post(client, "u", "wrong")
    assert response.status_code == 200
    assert form_errors(response)["__all__"]
    assert "_auth_user_id" not in client.session
    assert User.objects.get(username="u").failed_logins == 1


@pytest.mark.rule("T3")
def test_lockout_message_shows_the_local_unlock_time(client, make_user, clock):
    make_user("u")
    for _ in range(5):
        response = login_post(client, "u", "wrong")
    unlock = timezone.localtime(clock.now + timedelta(minutes=15))
    assert str(unlock.tzinfo) == "Asia/Shanghai"
    assert response.context["locked_until"] == clock.now + timedelta(minutes=15)
    assert unlock.strftime("%Y-%m-%d %H:%M") in response.content.decode()


def test_login_with_forced_change_reaches_the_password_form(client, make_user):
    make_user("u", must_change_password=True)
    response = login_post(client, "u", DEFAULT_PASSWORD)
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:password_change"))


def test_logout_is_post_only_and_audited(client, make_user, events):
    user = make_user("u")
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.url == LOGIN
    assert events("LOGGED_OUT")[0].actor_id == user.pk
    assert "_auth_user_id" not in client.session


# --- password ------------------------------------------------------------------------------


@pytest.mark.rule("T3")
def test_password_change_page(client, make_user):
    user = make_user("u", must_change_password=True)
    client.force_login(user)
    url = reverse("accounts:password_change")
    response = client.post(url, {"old_password": DEFAULT_PASSWORD, "new_password": "short",
                                 "confirm_password": "short"})
    assert "new_password" in form_errors(response)
    response = client.post(url, {"old_password": DEFAULT_PASSWORD,
                                 "new_password": "Another#2026", "confirm_password": "Other#2026"})
    assert "confirm_password" in form_errors(response)
    response = client.post(url, {"old_password": DEFAULT_PASSWORD,
                                 "new_password": "Another#2026",
                                 "confirm_password": "Another#2026"})
    assert response.status_code == 302
    assert response.url == reverse("obligations:dashboard")
    assert not User.objects.get(pk=user.pk).must_change_password
    # Still logged in: the session follows the new password hash.
    assert client.get(reverse("accounts:token_list")).status_code == 200


# --- users ---------------------------------------------------------------------------------


def test_user_list_for_sysadmin_with_filters(client, sysadmin, make_user):
    staff = make_user("staff", roles=[Role.STAFF])
    disabled = make_user("gone", is_active=False)
    client.force_login(sysadmin)
    url = reverse("accounts:user_list")
    shown = {u.username for u in client.get(url).context["page"].items}
    assert {"sysadmin", "staff", "gone"} <= shown
    shown = {u.username for u in client.get(url, {"active": "0"}).context["page"].items}
    assert shown == {disabled.username}
    shown = {u.username for u in client.get(url, {"role": "staff"}).context["page"].items}
    assert shown == {staff.username}
    department = staff.person.department
    shown = client.get(url, {"department": department.pk}).context["page"].items
    assert {u.person.department_id for u in shown} == {department.pk}


def test_user_list_is_keyset_paged(client, sysadmin, make_user):
    for n in range(55):
        make_user(f"p{n:02d}")
    client.force_login(sysadmin)
    first = client.get(reverse("accounts:user_list")).context["page"]
    assert len(first.items) == 50 and first.next_url
    second = client.get(reverse("accounts:user_list") + first.next_url).context["page"]
    assert len(second.items) == 6
    assert not {u.pk for u in first.items} & {u.pk for u in second.items}


def test_staff_sees_only_themselves(client, make_user):
    staff = make_user("staff", roles=[Role.STAFF])
    make_user("other")
    client.force_login(staff)
    assert list(client.get(reverse("accounts:user_list")).context["page"].items) == [staff]


@pytest.mark.rule("T2")
def test_sysadmin_creates_a_user(client, sysadmin, department):
    client.force_login(sysadmin)
    url = reverse("accounts:user_create")
    data = {"department": department.pk, "name": "王五", "employee_no": "E-77",
            "username": "wangwu", "password": DEFAULT_PASSWORD}
    response = client.post(url, {**data, "password": "weak"})
    assert "password" in form_errors(response)
    response = client.post(url, data)
    user = User.objects.get(username="wangwu")
    assert response.url == reverse("accounts:user_detail", args=[user.pk])
    assert user.must_change_password and user.person.department == department
    response = client.post(url, {**data, "employee_no": "E-78"})
    assert "username" in form_errors(response)


@pytest.mark.rule("T2")
def test_secadmin_cannot_create_users(client, secadmin):
    client.force_login(secadmin)
    assert client.get(reverse("accounts:user_create")).status_code == 403


@pytest.mark.rule("T1")
def test_secadmin_sees_the_t1_refusal_on_the_role_form(client, secadmin, make_user):
    target = make_user("target", roles=[Role.SYSADMIN])
    client.force_login(secadmin)
    url = reverse("accounts:user_detail", args=[target.pk])
    response = client.post(url, {"action": "assign_role", "assign-role": "auditor",
                                 "assign-reason": "x"})
    assert response.status_code == 200
    errors = response.context["forms"]["assign_role"].errors
    assert "role" in errors
    assert "T1" in errors["role"][0]
    assert set(target.role_assignments.values_list("role", flat=True)) == {"sysadmin"}
    response = client.post(url, {"action": "assign_role", "assign-role": "staff"})
    assert response.status_code == 302
    assert target.role_assignments.filter(role="staff").exists()
    response = client.post(url, {"action": "revoke_role", "revoke-role": "staff"})
    assert response.status_code == 302
    assert not target.role_assignments.filter(role="staff").exists()


@pytest.mark.rule("L2")
def test_secadmin_sets_the_category(client, secadmin, make_user):
    target = make_user("target")
    client.force_login(secadmin)
    url = reverse("accounts:user_detail", args=[target.pk])
    response = client.post(url, {"action": "set_category", "category-category": "3",
                                 "category-reason": "核心岗位"})
    assert response.status_code == 302
    target.person.refresh_from_db()
    assert target.person.category == Category.CORE


@pytest.mark.rule("T2")
def test_detail_shows_each_admin_their_own_tools(client, sysadmin, secadmin, make_user):
    target = make_user("target")
    url = reverse("accounts:user_detail", args=[target.pk])
    client.force_login(sysadmin)
    context = client.get(url).context
    assert (context["manages_account"], context["manages_roles"]) == (True, False)
    response = client.post(url, {"action": "assign_role", "assign-role": "staff"})
    assert response.context["forms"]["assign_role"].errors  # the service refuses (T2)
    client.force_login(secadmin)
    context = client.get(url).context
    assert (context["manages_account"], context["manages_roles"]) == (False, True)


def test_sysadmin_disables_and_resets(client, sysadmin, make_user):
    target = make_user("target")
    client.force_login(sysadmin)
    url = reverse("accounts:user_detail", args=[target.pk])
    response = client.post(url, {"action": "deactivate", "deactivate-reason": ""})
    assert "reason" in response.context["forms"]["deactivate"].errors
    assert client.post(url, {"action": "deactivate", "deactivate-reason": "离职"}).status_code == 302
    assert not User.objects.get(pk=target.pk).is_active
    assert client.post(url, {"action": "activate", "activate-reason": "返岗"}).status_code == 302
    response = client.post(url, {"action": "reset_password", "reset-new_password": "Reset#2026"})
    assert response.status_code == 302
    assert User.objects.get(pk=target.pk).must_change_password


def test_detail_of_an_invisible_user_is_404(client, make_user):
    staff = make_user("staff", roles=[Role.STAFF])
    other = make_user("other")
    client.force_login(staff)
    assert client.get(reverse("accounts:user_detail", args=[other.pk])).status_code == 404
    assert client.get(f"/accounts/users/{2**70}/").status_code == 404
    response = client.post(reverse("accounts:user_detail", args=[staff.pk]), {"action": "x"})
    assert response.status_code == 404


# --- units, policy, tokens ----------------------------------------------------------------


def test_sysadmin_creates_a_department(client, sysadmin, unit):
    client.force_login(sysadmin)
    url = reverse("accounts:unit_list")
    assert client.get(url).status_code == 200
    assert client.post(url, {"unit": unit.pk, "name": "研发部", "code": "YF"}).status_code == 302
    assert Department.objects.filter(unit=unit, code="YF").exists()
    response = client.post(url, {"unit": unit.pk, "name": "重复", "code": "YF"})
    assert "code" in form_errors(response)


def test_unit_list_is_for_sysadmins(client, secadmin):
    client.force_login(secadmin)
    assert client.get(reverse("accounts:unit_list")).status_code == 403


@pytest.mark.rule("T3")
def test_policy_page_secadmin_overrides_inside_range(client, secadmin, unit):
    client.force_login(secadmin)
    url = reverse("accounts:policy")
    response = client.get(url)
    assert response.context["can_edit"]
    keys = {row["key"] for row in response.context["rows"]}
    assert "password.min_length" in keys
    response = client.post(url, {"action": "override", "key": "password.min_length",
                                 "value": "7", "reason": "x"})
    assert "value" in response.context["forms"]["override"].errors
    response = client.post(url, {"action": "override", "key": "password.min_length",
                                 "value": "12", "reason": "加强"})
    assert response.status_code == 302
    assert Unit.objects.get(pk=unit.pk).policy_overrides == {"password.min_length": 12}
    row = next(r for r in client.get(url).context["rows"] if r["key"] == "password.min_length")
    assert (row["value"], row["overridden"], row["rule"], row["range"]) == ("12", True, "T3",
                                                                           "8–64")
    response = client.post(url, {"action": "clear", "key": "password.min_length",
                                 "reason": "恢复"})
    assert response.status_code == 302
    assert Unit.objects.get(pk=unit.pk).policy_overrides == {}
    response = client.post(url, {"action": "profile", "profile": "consulting-unit"})
    assert Unit.objects.get(pk=unit.pk).policy_profile == "consulting-unit"


def test_policy_page_is_read_only_for_others(client, make_user, unit):
    office = make_user("office", roles=[Role.SECRECY_OFFICE])
    client.force_login(office)
    url = reverse("accounts:policy")
    assert not client.get(url).context["can_edit"]
    response = client.post(url, {"action": "override", "key": "password.min_length",
                                 "value": "12", "reason": "x"})
    assert response.context["forms"]["override"].errors
    assert Unit.objects.get(pk=unit.pk).policy_overrides == {}


def test_token_page_shows_the_plaintext_once(client, make_user):
    user = make_user("u")
    client.force_login(user)
    url = reverse("accounts:token_list")
    response = client.post(url, {"name": "扫描器"})
    plaintext = response.context["plaintext"]
    assert plaintext and plaintext in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert plaintext not in client.get(url).content.decode()
    token = ApiToken.objects.get(user=user)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.url == url
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_nobody_revokes_anothers_token(client, make_user):
    from baomi.accounts import services

    owner = make_user("owner")
    token, _plaintext = services.create_api_token(owner, "t")
    client.force_login(make_user("other"))
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_pages_need_a_login(client):
    for name in ("accounts:user_list", "accounts:policy", "accounts:token_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(LOGIN)
