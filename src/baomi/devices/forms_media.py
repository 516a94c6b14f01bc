"""Forms of removable media in use (rule D4): bind to a computer, check out, take back.

They parse input only; the services check rule D4 (levels, computers only, clearance of the
person) and their refusals are shown on these forms. The choices offered are those the rule
allows, so a refusal mostly comes from a change made meanwhile."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Person

from .choices import ContentCheck
from .models import Device, Medium
from .services.media import NOTE_MAX, PURPOSE_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        department = f"（{obj.department.name}）" if obj.department_id else ""
        return f"{obj.name}{department}"


class MediumChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} {obj.get_kind_display()} · {obj.get_level_display()}"


class DeviceChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} {obj.get_kind_display()} · {obj.get_level_display()}"


class BindMediumForm(forms.Form):
    """On the computer's page: a medium to bind to it."""

    medium = MediumChoice(label=_("Medium"), queryset=Medium.objects.none())
    bound_on = forms.DateField(label=_("Bound on"), required=False, widget=DATE,
                               help_text=_("Default: today."))

    def __init__(self, *args: Any, media: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["medium"].queryset = media  # type: ignore[attr-defined]


class BindDeviceForm(forms.Form):
    """On the medium's page: a computer to bind it to."""

    device = DeviceChoice(label=_("Computer"), queryset=Device.objects.none())
    bound_on = forms.DateField(label=_("Bound on"), required=False, widget=DATE,
                               help_text=_("Default: today."))

    def __init__(self, *args: Any, devices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = devices  # type: ignore[attr-defined]


class CheckOutForm(forms.Form):
    """Check a medium out to a person of the unit (cleared for its level, rule D4)."""

    person = PersonChoice(label=_("Checked out to"), queryset=Person.objects.none())
    purpose = forms.CharField(label=_("Purpose"), max_length=PURPOSE_MAX)
    due_on = forms.DateField(label=_("Due back on"), required=False, widget=DATE,
                             help_text=_("Default: the policy's days from today."))

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(unit_id=unit_id, active=True)
            .select_related("department").order_by("department__code", "name", "id"))


class ReturnForm(forms.Form):
    """返回信息清除情况: what was written on the medium while out and what became of it."""

    content_check = forms.ChoiceField(label=_("What was written"), choices=ContentCheck.choices,
                                      widget=forms.RadioSelect)
    content_note = forms.CharField(
        label=_("Information written and its clearing"), max_length=NOTE_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when something was written: how it was cleared, or where the "
                    "information kept is registered."))
