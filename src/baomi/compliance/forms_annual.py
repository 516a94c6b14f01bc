"""Forms of the annual self-inspection report (rule Q5)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services_annual import FILED_TO_MAX, FIRST_YEAR


class GenerateReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=9999)


class FileReportForm(forms.Form):
    filed_on = forms.DateField(label=_("Filed on"),
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    filed_to = forms.CharField(label=_("Filed with"), max_length=FILED_TO_MAX,
                               help_text=_("The secrecy bureau or the superior unit."))
