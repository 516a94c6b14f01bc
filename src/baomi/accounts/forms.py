"""Forms of the accounts pages. They only parse input; the services decide and validate."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.core.labels import Category
from baomi.core.policy.loader import catalogue, profiles

from .models import Department, Unit
from .passwords import MAX_PASSWORD_LENGTH
from .roles import Role


def password_field(label: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=MAX_PASSWORD_LENGTH, strip=False,
                           widget=forms.PasswordInput(render_value=False))


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=50)
    password = password_field(_("Password"))


class PasswordChangeForm(forms.Form):
    old_password = password_field(_("Current password"))
    new_password = password_field(_("New password"))
    confirm_password = password_field(_("New password again"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        new, confirm = cleaned.get("new_password"), cleaned.get("confirm_password")
        if new and confirm and new != confirm:
            self.add_error("confirm_password", _("The two new passwords differ."))
        return cleaned


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.unit.name} / {obj.name}"


class UserCreateForm(forms.Form):
    department = DepartmentChoiceField(label=_("Department"), queryset=Department.objects.none())
    name = forms.CharField(label=_("Real name"), max_length=100)
    employee_no = forms.CharField(label=_("Employee number"), max_length=50)
    username = forms.CharField(label=_("Username"), max_length=50)
    password = password_field(_("Initial password"))

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class PasswordResetForm(forms.Form):
    new_password = password_field(_("New password"))


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)


class RoleRevokeForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, widget=forms.HiddenInput)


class CategoryForm(forms.Form):
    category = forms.TypedChoiceField(label=_("Classified category"), coerce=int,
                                      choices=Category.choices)
    reason = forms.CharField(label=_("Reason"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class DepartmentCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=50)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


class PolicyProfileForm(forms.Form):
    profile = forms.ChoiceField(label=_("Policy profile"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["profile"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(p.name, f"{p.title} (v{p.version})") for p in profiles().values()]


def editable_settings() -> list[tuple[str, str]]:
    """Settings a form can override: numbers, yes/no and text (chains go through the API)."""
    return [(key, f"{s.label} ({key})") for key, s in catalogue().items()
            if s.type in ("int", "bool", "str")]


class PolicyOverrideForm(forms.Form):
    key = forms.ChoiceField(label=_("Setting"))
    value = forms.CharField(label=_("Value"), max_length=200, required=False,
                            help_text=_("A whole number, yes / no, or a text."))
    reason = forms.CharField(label=_("Reason"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["key"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = editable_settings()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        key, raw = cleaned.get("key"), cleaned.get("value")
        if key and raw is not None:
            cleaned["value"] = self._parse(catalogue()[key].type, raw.strip())
        return cleaned

    def _parse(self, kind: str, raw: str) -> Any:
        if kind == "str":
            return raw
        if kind == "bool":
            raw = raw.lower()
            if raw in ("yes", "true", "1", "是"):
                return True
            if raw in ("no", "false", "0", "否"):
                return False
            self.add_error("value", _("Enter yes or no."))
            return None
        try:
            return int(raw)
        except ValueError:
            self.add_error("value", _("Enter a whole number."))
            return None


class PolicyClearForm(forms.Form):
    key = forms.ChoiceField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["key"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, key) for key in catalogue()]


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100,
                           help_text=_("What the token is for, e.g. the scanner upload."))


ACTIVE_CHOICES = [("", _("All")), ("1", _("Enabled")), ("0", _("Disabled"))]


class UserFilterForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), required=False,
                                        queryset=Department.objects.none())
    active = forms.ChoiceField(label=_("Login"), required=False, choices=ACTIVE_CHOICES)
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("All")), *Role.choices])

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments
