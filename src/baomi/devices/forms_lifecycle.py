"""Forms of maintenance (rule D7) and retirement (rule D8). They parse input only; the
services check the rules (D7 the supervisor named and cleared, the disk removed before the
device leaves; D8 the clearing before the destruction, the designated body …) and their
refusals are shown here, on the field they name."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Person

from .choices import ClearingMethod, MaintenanceMode
from .forms import DATE, PersonChoice, colleagues
from .services.maintenance import FAULT_MAX, KEPT_AT_MAX, REPAIRER_MAX, RESULT_MAX
from .services.retirement import BODY_MAX, CERTIFICATE_MAX, CLEARED_BY_MAX, REASON_MAX


class MaintenanceForm(forms.Form):
    """rule D7: how the device is repaired, what is wrong, who repairs it and who watches."""

    mode = forms.ChoiceField(label=_("How it is repaired"), choices=MaintenanceMode.choices,
                             help_text=_("Sending a device out needs its disk removed first."))
    fault = forms.CharField(label=_("Fault"), max_length=FAULT_MAX,
                            widget=forms.Textarea(attrs={"rows": 2}))
    repairer = forms.CharField(label=_("Repaired by (company or person)"),
                               max_length=REPAIRER_MAX)
    supervisor = PersonChoice(label=_("Supervisor"), required=False,
                              queryset=Person.objects.none(),
                              help_text=_("Required for a repair in the unit or on site: a "
                                          "person of the unit cleared for the device's level."))

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["supervisor"]
        field.queryset = colleagues(unit_id)


class DiskRemovedForm(forms.Form):
    """rule D7: the disk taken out before the device leaves, and where it is kept."""

    removed_on = forms.DateField(label=_("Disk removed on"), widget=DATE)
    kept_at = forms.CharField(label=_("Removed disk kept at"), max_length=KEPT_AT_MAX)


class SendOutForm(forms.Form):
    """rule D7: the device leaves the unit for repair."""

    left_on = forms.DateField(label=_("Left the unit on"), widget=DATE)


class RepairedForm(forms.Form):
    """The repair done; a device sent out says when it came back."""

    done_on = forms.DateField(label=_("Repaired on"), widget=DATE)
    result = forms.CharField(label=_("What was done"), max_length=RESULT_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))
    back_on = forms.DateField(label=_("Back on"), widget=DATE, required=False,
                              help_text=_("A device sent out only: the day it came back."))


class RetirementForm(forms.Form):
    """rule D8: why the device or medium is retired."""

    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ClearingForm(forms.Form):
    """rule D8: the technical processing (信息清除) — when, how, by whom."""

    cleared_on = forms.DateField(label=_("Information cleared on"), widget=DATE)
    method = forms.ChoiceField(label=_("Clearing method"), choices=ClearingMethod.choices)
    cleared_by = forms.CharField(label=_("Cleared by"), max_length=CLEARED_BY_MAX,
                                 help_text=_("The person or body who did it."))


class DestructionForm(forms.Form):
    """rule D8: the hand-over to the designated destruction body, against its certificate."""

    destruction_body = forms.CharField(label=_("Destruction body"), max_length=BODY_MAX)
    handed_over_on = forms.DateField(label=_("Handed over on"), widget=DATE)
    certificate_no = forms.CharField(label=_("Certificate number"), max_length=CERTIFICATE_MAX)
