"""Forms of the classified information system pages (rules D2, D10). They parse input
only; the services check the rules (D2 devices below the system, L5 clearance of the
responsible person, D10 the assessment's day) and their refusals are shown here."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.core.labels import Level

from .forms import DATE, PersonChoice, colleagues
from .models import Device
from .services.systems import ASSESSOR_MAX, FINDINGS_MAX, NAME_MAX, REPORT_MAX, SYSTEM_LEVELS

LEVELS = [(int(level), Level(level).label) for level in SYSTEM_LEVELS]


class DeviceChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} · {obj.get_kind_display()} · {obj.get_level_display()}"


class SystemForm(forms.Form):
    """Every field of `services.register_system` but the devices (added on its page)."""

    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    level = forms.TypedChoiceField(label=_("Level"), choices=LEVELS, coerce=int,
                                   help_text=_("The highest level it processes."))
    responsible = PersonChoice(label=_("Responsible person"), queryset=None)
    in_use_on = forms.DateField(label=_("In use since"), widget=DATE)

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = colleagues(unit_id)  # type: ignore[attr-defined]


class SystemDeviceForm(forms.Form):
    """A device of the unit the user sees, to add to the system (rule D2 checked by the
    service)."""

    device = DeviceChoice(label=_("Device"), queryset=None)

    def __init__(self, *args: Any, devices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["device"]
        field.queryset = devices if devices is not None else Device.objects.none()


class AssessmentForm(forms.Form):
    """rule D10: one risk assessment of the system."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE)
    assessor = forms.CharField(label=_("Assessed by"), max_length=ASSESSOR_MAX,
                               help_text=_("The assessing body."))
    report_no = forms.CharField(label=_("Report number"), max_length=REPORT_MAX)
    passed = forms.TypedChoiceField(label=_("Conclusion"), coerce=lambda v: v == "yes",
                                    choices=[("yes", _("Passed")), ("no", _("Failed"))])
    findings = forms.CharField(label=_("Findings"), max_length=FINDINGS_MAX, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Required when the assessment failed."))
