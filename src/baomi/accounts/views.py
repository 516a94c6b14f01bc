"""Pages of the accounts app: login, password, users, units, policy, API tokens.

Views parse input with forms, call one service or selector, and show a service's refusal
(DomainError) on the form; they never write models themselves.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from baomi.core.access import unit_perimeter
from baomi.core.errors import AccessDenied, DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.labels import Category, Level
from baomi.core.middleware import client_ip
from baomi.core.paging import keyset_page
from baomi.core.policy import policy_of
from baomi.core.policy.loader import EffectiveSetting

from . import selectors, services
from .forms import (
    CategoryForm,
    DepartmentCreateForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    PolicyClearForm,
    PolicyOverrideForm,
    PolicyProfileForm,
    ReasonForm,
    RoleAssignForm,
    RoleRevokeForm,
    TokenCreateForm,
    UserCreateForm,
    UserFilterForm,
)
from .middleware import LAST_ACTIVITY_KEY
from .passwords import password_expires_at
from .roles import Role

BACKEND = "baomi.accounts.backends.PolicyAwareBackend"


def safe_next(request: HttpRequest, default: str = settings.LOGIN_REDIRECT_URL) -> str:
    """The `next` parameter when it points inside this site, else the default page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse(default)


class AccountsView(LoginRequiredMixin, View):
    """A logged-in page; a service's NotFound becomes 404 and AccessDenied 403."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().dispatch(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except AccessDenied as exc:
            raise PermissionDenied(exc.message) from exc


# --- login, logout, password ----------------------------------------------------------------


class LoginView(View):
    """The login form (rule T3: lockout with its unlock time, audited attempts)."""

    template_name = "accounts/login.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect(safe_next(request))
        return self._render(request, LoginForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LoginForm(request.POST)
        if not form.is_valid():
            return self._render(request, form)
        try:
            user = services.login_attempt(form.cleaned_data["username"],
                                          form.cleaned_data["password"], client_ip(request))
        except services.AccountLocked as exc:
            form.add_error(None, exc.message)
            return self._render(request, form, locked_until=exc.locked_until)
        except services.LoginRefused as exc:
            form.add_error(None, exc.message)
            return self._render(request, form)
        auth_login(request, user, backend=BACKEND)
        request.session[LAST_ACTIVITY_KEY] = timezone.now().timestamp()  # rule T3: idle clock
        return redirect(safe_next(request))

    def _render(self, request: HttpRequest, form: LoginForm, **extra: Any) -> HttpResponse:
        context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", ""),
                   "expired": request.GET.get("expired") == "1", **extra}
        return render(request, self.template_name, context)


class LogoutView(View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if user.is_authenticated:
            services.note_logout(user)
        auth_logout(request)
        return redirect(settings.LOGOUT_REDIRECT_URL)


class PasswordChangeView(AccountsView):
    """Change one's own password (rules T3, D6); where a forced change ends up."""

    template_name = "accounts/password_change.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, PasswordChangeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PasswordChangeForm(request.POST)
        if form.is_valid():
            try:
                user = services.change_password(request.user,  # type: ignore[arg-type]
                                                form.cleaned_data["old_password"],
                                                form.cleaned_data["new_password"])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, _("Your password has been changed."))
                return redirect(safe_next(request))
        return self._render(request, form)

    def _render(self, request: HttpRequest, form: PasswordChangeForm) -> HttpResponse:
        user: Any = request.user
        policy = policy_of(user.unit)
        return render(request, self.template_name, {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "forced": user.must_change_password,
            "expires_at": password_expires_at(policy, user.password_changed_at),
            "min_length": policy["password.min_length"],
            "min_classes": policy["password.min_classes"],
            "history": policy["password.history"],
        })


# --- users ---------------------------------------------------------------------------------


class UserListView(AccountsView):
    """Accounts the viewer manages (rule T2), filtered, paged by key."""

    def get(self, request: HttpRequest) -> HttpResponse:
        departments = selectors.departments_visible_to(request.user)
        form = UserFilterForm(request.GET or None, departments=departments)
        filters: dict[str, Any] = {}
        if form.is_valid():
            department = form.cleaned_data.get("department")
            active = form.cleaned_data.get("active")
            filters = {
                "department_id": department.pk if department else None,
                "active": {"1": True, "0": False}.get(active or ""),
                "role": form.cleaned_data.get("role") or None,
            }
        page = keyset_page(selectors.users_matching(request.user, **filters), request)
        can_create = bool(unit_perimeter(request.user, {Role.SYSADMIN}))
        return render(request, "accounts/user_list.html",
                      {"form": form, "page": page, "can_create": can_create,
                       "now": timezone.now()})


class UserCreateView(AccountsView):
    """A person with a login, created by a 系统管理员 (rule T2)."""

    template_name = "accounts/user_create.html"

    def _departments(self, request: HttpRequest) -> Any:
        units = unit_perimeter(request.user, {Role.SYSADMIN})
        if not units:
            raise PermissionDenied
        return selectors.departments_visible_to(request.user).filter(unit_id__in=units)

    def get(self, request: HttpRequest) -> HttpResponse:
        form = UserCreateForm(departments=self._departments(request))
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UserCreateForm(request.POST, departments=self._departments(request))
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.create_person_and_user(
                    request.user,  # type: ignore[arg-type]
                    unit=data["department"].unit, department=data["department"],
                    name=data["name"], employee_no=data["employee_no"],
                    username=data["username"], initial_password=data["password"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The user has been created; the initial password "
                                            "must be changed at the first login."))
                return redirect("accounts:user_detail", pk=user.pk)
        return render(request, self.template_name, {"form": form})


class UserDetailView(AccountsView):
    """One account. The sysadmin enables, disables and resets it; the secadmin manages its
    roles and category (rule T2), and sees the T1 refusal on the role form."""

    template_name = "accounts/user_detail.html"
    ACTIONS = ("activate", "deactivate", "reset_password", "assign_role", "revoke_role",
               "set_category")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = selectors.user_detail_for(request.user, pk)
        return self._render(request, target)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = selectors.user_detail_for(request.user, pk)
        action = request.POST.get("action", "")
        if action not in self.ACTIONS:
            raise Http404
        forms = self._forms(target, request.POST, action)
        form = forms[action]
        if form.is_valid():
            try:
                message = getattr(self, f"_{action}")(request.user, target, form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, message)
                return redirect("accounts:user_detail", pk=target.pk)
        return self._render(request, target, forms)

    def _forms(self, target: Any, data: Any = None, action: str = "") -> dict[str, Any]:
        def bound(name: str) -> Any:
            return data if name == action else None

        return {
            "activate": ReasonForm(bound("activate"), prefix="activate"),
            "deactivate": ReasonForm(bound("deactivate"), prefix="deactivate"),
            "reset_password": PasswordResetForm(bound("reset_password"), prefix="reset"),
            "assign_role": RoleAssignForm(bound("assign_role"), prefix="assign"),
            "revoke_role": RoleRevokeForm(bound("revoke_role"), prefix="revoke"),
            "set_category": CategoryForm(bound("set_category"), prefix="category",
                                         initial={"category": target.person.category}),
        }

    def _render(self, request: HttpRequest, target: Any,
                forms: dict[str, Any] | None = None) -> HttpResponse:
        viewer = request.user
        forms = forms or self._forms(target)
        return render(request, self.template_name, {
            "target": target,
            "roles": selectors.roles_of(target),
            "forms": forms,
            "category_label": Category(target.person.category).label,
            "manages_account": target.person.unit_id in unit_perimeter(viewer, {Role.SYSADMIN}),
            "manages_roles": (target.person.unit_id in unit_perimeter(viewer, {Role.SECADMIN})
                              and target.pk != viewer.pk),
        })

    def _activate(self, actor: Any, target: Any, data: dict[str, Any]) -> str:
        services.set_user_active(actor, target, True, data["reason"])
        return _("The login has been enabled.")

    def _deactivate(self, actor: Any, target: Any, data: dict[str, Any]) -> str:
        services.set_user_active(actor, target, False, data["reason"])
        return _("The login has been disabled.")

    def _reset_password(self, actor: Any, target: Any, data: dict[str, Any]) -> str:
        services.reset_password(actor, target, data["new_password"])
        return _("The password has been reset; the user must change it at the next login.")

    def _assign_role(self, actor: Any, target: Any, data: dict[str, Any]) -> str:
        services.assign_role(actor, target, data["role"], reason=data["reason"])
        return _("The role has been assigned.")

    def _revoke_role(self, actor: Any, target: Any, data: dict[str, Any]) -> str:
        services.revoke_role(actor, target, data["role"])
        return _("The role has been withdrawn.")

    def _set_category(self, actor: Any, target: Any, data: dict[str, Any]) -> str:
        services.set_person_category(actor, target.person, data["category"],
                                     reason=data["reason"])
        return _("The classified category has been changed.")


# --- units ---------------------------------------------------------------------------------


class UnitListView(AccountsView):
    """The units a sysadmin manages, their departments, and a form for a new department."""

    template_name = "accounts/unit_list.html"

    def _units(self, request: HttpRequest) -> Any:
        units = selectors.units_managed_by(request.user, Role.SYSADMIN)
        if not units.exists():
            raise PermissionDenied
        return units

    def get(self, request: HttpRequest) -> HttpResponse:
        units = self._units(request)
        return self._render(request, units, DepartmentCreateForm(units=units))

    def post(self, request: HttpRequest) -> HttpResponse:
        units = self._units(request)
        form = DepartmentCreateForm(request.POST, units=units)
        if form.is_valid():
            try:
                services.create_department(request.user,  # type: ignore[arg-type]
                                           unit=form.cleaned_data["unit"],
                                           name=form.cleaned_data["name"],
                                           code=form.cleaned_data["code"])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The department has been created."))
                return redirect("accounts:unit_list")
        return self._render(request, units, form)

    def _render(self, request: HttpRequest, units: Any, form: Any) -> HttpResponse:
        return render(request, self.template_name,
                      {"units": units.prefetch_related("departments"), "form": form})


# --- policy --------------------------------------------------------------------------------


ORIGINS = {
    "default": gettext_lazy("Catalogue default"),
    "profile": gettext_lazy("Profile"),
    "unit": gettext_lazy("Unit override"),
}


# The `unit` words of the catalogue (settings.yaml), for the Chinese UI.
SETTING_UNITS = {
    "characters": gettext_lazy("characters"),
    "classes": gettext_lazy("classes"),
    "passwords": gettext_lazy("passwords"),
    "days": gettext_lazy("days"),
    "attempts": gettext_lazy("attempts"),
    "minutes": gettext_lazy("minutes"),
    "months": gettext_lazy("months"),
    "years": gettext_lazy("years"),
}


def display_value(value: Any) -> str:
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dict):
        return display_chains(value)
    return str(value)


def display_chains(chains: dict[str, dict[str, list[str]]]) -> str:
    """Approval chains as a person reads them: one line per request type and level,
    e.g. "角色授权申请（任何密级）：保密办 → 单位领导"."""
    from baomi.approvals.registry import all_request_types

    type_labels = {t.code: t.label for t in all_request_types()}
    lines = []
    for code, by_level in chains.items():
        kind = _("Any other request") if code == "default" else type_labels.get(code, code)
        for level, roles in by_level.items():
            scope = _("any level") if level == "default" else Level(int(level)).label
            steps = " → ".join(str(Role(role).label) for role in roles)
            lines.append(f"{kind}（{scope}）：{steps}")
    return "\n".join(lines)


def policy_row(effective: EffectiveSetting) -> dict[str, Any]:
    """One line of the policy table: value, origin, rule, range and source."""
    setting = effective.setting
    limits = "" if setting.minimum is None and setting.maximum is None else (
        f"{setting.minimum if setting.minimum is not None else ''}"
        f"–{setting.maximum if setting.maximum is not None else ''}"
    )
    return {
        "key": setting.key, "label": setting.label, "value": display_value(effective.value),
        "unit": SETTING_UNITS.get(setting.unit, setting.unit),
        "origin": ORIGINS.get(effective.origin, effective.origin),
        "overridden": effective.origin == "unit", "rule": setting.rule, "range": limits,
        "source": effective.source,
    }


class PolicyView(AccountsView):
    """The unit's effective policy with the origin of every value; the secadmin edits it."""

    template_name = "accounts/policy.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = selectors.unit_visible_to(request.user, request.GET.get("unit"))
        return self._render(request, unit, {})

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = selectors.unit_visible_to(request.user, request.GET.get("unit"))
        action = request.POST.get("action", "")
        forms: dict[str, Any] = {
            "profile": PolicyProfileForm(request.POST if action == "profile" else None),
            "override": PolicyOverrideForm(request.POST if action == "override" else None),
            "clear": PolicyClearForm(request.POST if action == "clear" else None),
        }
        form = forms.get(action)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                self._apply(request.user, unit, action, form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The policy has been changed."))
                return redirect(f"{reverse('accounts:policy')}?unit={unit.pk}")
        return self._render(request, unit, forms)

    @staticmethod
    def _apply(actor: Any, unit: Any, action: str, data: dict[str, Any]) -> None:
        if action == "profile":
            services.set_policy_profile(actor, unit, data["profile"])
        elif action == "override":
            services.set_policy_override(actor, unit, data["key"], data["value"],
                                         reason=data["reason"])
        else:
            services.clear_policy_override(actor, unit, data["key"], reason=data["reason"])

    def _render(self, request: HttpRequest, unit: Any, forms: dict[str, Any]) -> HttpResponse:
        policy = policy_of(unit)
        forms.setdefault("profile", PolicyProfileForm(initial={"profile": unit.policy_profile}))
        forms.setdefault("override", PolicyOverrideForm())
        forms.setdefault("clear", PolicyClearForm())
        return render(request, self.template_name, {
            "unit": unit,
            "units": selectors.units_visible_to(request.user),
            "profile": policy.profile,
            "rows": [policy_row(e) for e in selectors.effective_policy(unit)],
            "can_edit": unit.pk in unit_perimeter(request.user, {Role.SECADMIN}),
            "forms": forms,
        })


# --- API tokens ----------------------------------------------------------------------------


class TokenListView(AccountsView):
    """The user's API tokens; a new token's plaintext is shown on this response only."""

    template_name = "accounts/token_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, TokenCreateForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TokenCreateForm(request.POST)
        plaintext = None
        if form.is_valid():
            try:
                _token, plaintext = services.create_api_token(
                    request.user, form.cleaned_data["name"]  # type: ignore[arg-type]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                form = TokenCreateForm()
        response = self._render(request, form, plaintext=plaintext)
        response["Cache-Control"] = "no-store"
        return response

    def _render(self, request: HttpRequest, form: TokenCreateForm,
                plaintext: str | None = None) -> HttpResponse:
        return render(request, self.template_name, {
            "form": form, "plaintext": plaintext, "tokens": selectors.tokens_of(request.user),
        })


class TokenRevokeView(AccountsView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = selectors.token_of(request.user, pk)
        try:
            services.revoke_api_token(request.user, token)  # type: ignore[arg-type]
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The token has been revoked."))
        return redirect("accounts:token_list")
