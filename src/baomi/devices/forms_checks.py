"""Forms of the device check pages (rules D3, D11). They parse input only; the services check
the rules (L5 clearance of the checker and the signers, D11 who signs in which role, the
dates) and their refusals are shown here.

A check is two forms on one page: `CheckForm` (day, tool, checker, note, other findings) and
`CheckItemsForm` (each item of the checklist met or not, with a note) — the three attestation
items (rule D3) give the attestation flags.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .checklist import ATTESTATION_KEYS, CHECK_ITEMS
from .choices import CheckRole, FindingState
from .forms import DATE, PersonChoice, colleagues
from .services.checks import (
    FINDING_MAX,
    FINDINGS_MAX,
    ITEM_NOTE_MAX,
    NOTE_MAX,
    RECTIFICATION_MAX,
    TOOL_MAX,
    TOOL_VERSION_MAX,
)
from .services.common import today

MET = [("yes", _("Met")), ("no", _("Not met"))]
PASSED = [("yes", _("Passed")), ("no", _("Failed, rectify again"))]


def _yes(value: str) -> bool:
    return value == "yes"


class CheckForm(forms.Form):
    """rule D11: the day, the approved tool and its version, the checker."""

    checked_on = forms.DateField(label=_("Checked on"), widget=DATE)
    tool = forms.CharField(label=_("Check tool"), max_length=TOOL_MAX,
                           help_text=_("A check tool approved by the secrecy office."))
    tool_version = forms.CharField(label=_("Tool version"), max_length=TOOL_VERSION_MAX)
    checker = PersonChoice(label=_("Checker"), queryset=None,
                           help_text=_("Cleared for the level of the device."))
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    other_findings = forms.CharField(
        label=_("Other findings"), required=False,
        max_length=FINDINGS_MAX * (FINDING_MAX + 1), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line; each becomes a rectification item of the responsible "
                    "person."))

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["checker"]
        field.queryset = colleagues(unit_id)

    def clean_other_findings(self) -> list[dict[str, Any]]:
        lines = [line.strip() for line in self.cleaned_data["other_findings"].splitlines()]
        return [{"description": line} for line in lines if line]


class CheckItemsForm(forms.Form):
    """Each item of the checklist met or not, with a note (`item-<key>`, `note-<key>`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in CHECK_ITEMS:
            self.fields[f"item-{item.key}"] = forms.TypedChoiceField(
                label=item.label, choices=MET, coerce=_yes, initial="yes")
            self.fields[f"note-{item.key}"] = forms.CharField(
                label=_("Note"), max_length=ITEM_NOTE_MAX, required=False)

    def rows(self) -> list[dict[str, Any]]:
        """Per item: its label, rule and the two bound fields, for the table of the page."""
        return [{"item": item, "ok": self[f"item-{item.key}"], "note": self[f"note-{item.key}"]}
                for item in CHECK_ITEMS]

    def results(self) -> dict[str, Any]:
        """`items` and the attestation flags, as `services.record_check` takes them."""
        data = self.cleaned_data
        items = [{"item": item.key, "ok": data[f"item-{item.key}"],
                  "note": data[f"note-{item.key}"]} for item in CHECK_ITEMS]
        flags = {key: data[f"item-{key}"] for key in ATTESTATION_KEYS}
        return {"items": items, **flags}


class SignForm(forms.Form):
    """rule D11: who signed the check record in which role, and when."""

    role = forms.ChoiceField(label=_("Signs as"), choices=CheckRole.choices)
    person = PersonChoice(label=_("Signatory"), queryset=None)
    signed_on = forms.DateField(label=_("Date signed"), widget=DATE, initial=today)

    def __init__(self, *args: Any, unit_id: int, roles: list[tuple[str, Any]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["role"].choices = roles
        fields["person"].queryset = colleagues(unit_id)


class RectifyForm(forms.Form):
    rectified_on = forms.DateField(label=_("Rectified on"), widget=DATE, initial=today)
    rectification = forms.CharField(label=_("What was done"), max_length=RECTIFICATION_MAX,
                                    widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    """The 保密办's re-check: passed, or open again (due by default `devices.finding_days`
    days later)."""

    verified_on = forms.DateField(label=_("Re-checked on"), widget=DATE, initial=today)
    passed = forms.TypedChoiceField(label=_("Re-check result"), choices=PASSED, coerce=_yes)
    due_on = forms.DateField(label=_("To be rectified by"), widget=DATE, required=False,
                             help_text=_("When it failed; empty for the policy's default."))


class FindingFilterForm(forms.Form):
    """The filters of the list of rectification items."""

    state = forms.ChoiceField(label=_("State"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["state"]
        field.choices = [("", _("All")), *FindingState.choices]
