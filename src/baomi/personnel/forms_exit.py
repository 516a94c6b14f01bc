"""Forms of the exit pages (rule P10) and of the 脱密期 (rules P11–P14).

They parse input only; the services check the rules and their refusals are shown on these
forms.
"""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ExitKind, VisitMethod
from .docx_exit import EXIT_COMMITMENT_TEXT_VERSION
from .services.exit import MAX_NAMES, MAX_PERIOD_MONTHS, NAME_MAX, TEXT_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NAMES_MAX = MAX_NAMES * (NAME_MAX + 1)
SEPARATORS = re.compile(r"[,，、;；\n]")


def split_names(raw: str) -> list[str]:
    """Names typed in one field, separated by commas (， or ,), 、, semicolons or lines."""
    return [name.strip() for name in SEPARATORS.split(raw) if name.strip()]


class NamesField(forms.CharField):
    """Several names in one text field; cleans to a list (the service checks their count)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=NAMES_MAX, **kwargs)

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        return split_names(super().clean(value))


class ExitForm(forms.Form):
    """离岗 or 离职 filed by the 保密办 (rule P10)."""

    kind = forms.ChoiceField(label=_("Kind of exit"), choices=ExitKind.choices)
    leave_on = forms.DateField(label=_("Planned leaving date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=TEXT_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))
    destination = forms.CharField(label=_("Destination (new post or employer)"),
                                  max_length=200, required=False)


class CommitmentForm(forms.Form):
    signed_on = forms.DateField(label=_("Exit commitment signed on"), widget=DATE)
    text_version = forms.CharField(label=_("Commitment text version"), max_length=50,
                                   initial=EXIT_COMMITMENT_TEXT_VERSION)


class TalkForm(forms.Form):
    held_on = forms.DateField(label=_("Reminder talk held on"), widget=DATE)
    talkers = NamesField(label=_("Held by (at least two; separate names with commas or 、)"))
    notes = forms.CharField(label=_("Notes"), max_length=TEXT_MAX, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))


class DoorAccessForm(forms.Form):
    revoked_on = forms.DateField(label=_("Door access revoked on"), widget=DATE)


class VisitForm(forms.Form):
    """脱密期回访记录 (rule P13)."""

    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    method = forms.ChoiceField(label=_("Method"), choices=VisitMethod.choices)
    visitors = NamesField(label=_("Visited by (separate names with commas or 、)"))
    current_employer = forms.CharField(label=_("Current employer and post"), max_length=200,
                                       required=False)
    restrictions_kept = forms.TypedChoiceField(
        label=_("Restrictions of the declassification period kept"),
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes",
        initial="yes")
    findings = forms.CharField(label=_("Findings"), max_length=TEXT_MAX, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(forms.Form):
    """rule P11: a longer 脱密期 for someone who knows much."""

    months = forms.IntegerField(label=_("New length of the period (months)"), min_value=1,
                                max_value=MAX_PERIOD_MONTHS)
    reason = forms.CharField(label=_("Reason"), max_length=TEXT_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ReleaseForm(forms.Form):
    """rule P14: the 撤销备案 once the period is over."""

    withdrawn_on = forms.DateField(label=_("Filing withdrawn on"), widget=DATE)
    reference = forms.CharField(label=_("Reference of the withdrawal"), max_length=100,
                                required=False)
