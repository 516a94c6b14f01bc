"""The filter form of the unit obligation view (GET parameters)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Unit

from .registry import all_rules
from .selectors import UnitFilters, unit_choices

STATE_CHOICES = [("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))]


class UnitFilterForm(forms.Form):
    """Filters of the unit view; an invalid value is shown on the form and ignored."""

    rule = forms.ChoiceField(label=_("Rule"), required=False)
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES, required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    responsible = forms.CharField(label=_("Responsible (username)"), max_length=50,
                                  required=False)
    unassigned = forms.BooleanField(label=_("Secrecy office only"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("All my units"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rule_field = self.fields["rule"]
        assert isinstance(rule_field, forms.ChoiceField)
        rule_field.choices = [("", _("All rules"))] + [
            (rule.code, f"{rule.rule_id} {rule.title}") for rule in all_rules()
        ]
        units = unit_choices(user)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        if len(units) < 2:  # one unit: nothing to choose
            unit_field.widget = forms.HiddenInput()

    def clean_responsible(self) -> str:
        value: str = self.cleaned_data.get("responsible") or ""
        if any(ord(char) < 32 for char in value):
            raise forms.ValidationError(_("Enter a username."), code="invalid")
        return value.strip()

    def filters(self) -> UnitFilters:
        """The filters to apply: the valid fields only (defaults for invalid ones)."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()  # cleaned_data keeps the fields that passed
            data = self.cleaned_data
        unit = data.get("unit")
        return UnitFilters(
            rule_code=data.get("rule") or "",
            state=data.get("state") or "open",
            overdue=bool(data.get("overdue")),
            responsible=data.get("responsible") or "",
            unassigned=bool(data.get("unassigned")),
            unit_id=unit.pk if unit else None,
        )
