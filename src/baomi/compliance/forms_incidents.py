"""Forms of the leak-incident pages (rules I1, I2). They parse input only; the services check
access, clearance (rule L5) and the values again."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.core.labels import Level

from .choices import IncidentKind
from .services import DESCRIPTION_MAX, TITLE_MAX
from .services_incidents import ITEM_MAX, MEASURE_MAX, REPORTED_TO_MAX

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def moment_field(label: Any) -> forms.DateTimeField:
    """A date and time as the browser's datetime-local input sends it (local time)."""
    return forms.DateTimeField(
        label=label, input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                   format="%Y-%m-%dT%H:%M"))


class ReportIncidentForm(forms.Form):
    """rule I1: a leak or suspected leak, by whoever discovered it; the level offered goes up
    to the reporter's clearance (rule L5)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    level = forms.TypedChoiceField(label=_("Level of what leaked"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX,
                            help_text=_("What leaked or may have leaked, in a few words."))
    discovered_at = moment_field(_("Discovered at"))
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How it was discovered and what was done at once."))

    def __init__(self, *args: Any, clearance: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        level = self.fields["level"]
        assert isinstance(level, forms.TypedChoiceField)
        level.choices = [(value, label) for value, label in Level.choices
                         if value <= clearance]


class BureauReportForm(forms.Form):
    """rule I1: when and to whom the 保密办 reported the incident."""

    reported_at = moment_field(_("Reported at"))
    reported_to = forms.CharField(label=_("Reported to"), max_length=REPORTED_TO_MAX,
                                  help_text=_("The secrecy bureau or the superior unit."))


class MeasureForm(forms.Form):
    """rule I1: a remedial measure taken."""

    taken_at = moment_field(_("Taken at"))
    measure = forms.CharField(label=_("Measure"), max_length=MEASURE_MAX,
                              widget=forms.Textarea(attrs={"rows": 2}))


class InvestigationItemForm(forms.Form):
    """rule I2: one item of 四不放过, with the day it was recorded."""

    text = forms.CharField(label=_("Finding"), max_length=ITEM_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("Recorded on"), required=False,
                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                         help_text=_("Empty: today."))

    def __init__(self, *args: Any, label: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label


class CloseForm(forms.Form):
    """rule I2: closing takes no input; the form carries the refusal when there is one."""
