"""Forms of the auditor's pages: the event filter and the (empty) checkpoint form."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.core.errors import DomainError
from baomi.core.forms import add_domain_error

from .selectors import FILTER_LENGTHS, MAX_DATE, MIN_DATE, EventFilters


class EventFilterForm(forms.Form):
    """GET filters of the event list and the export (all optional)."""

    actor = forms.CharField(label=_("Actor (username or name)"), required=False,
                            max_length=FILTER_LENGTHS["actor"])
    action = forms.CharField(label=_("Action"), required=False,
                             max_length=FILTER_LENGTHS["action"],
                             widget=forms.TextInput(attrs={"placeholder": "LOGIN_FAILED",
                                                            "list": "audit-actions"}))
    object_type = forms.CharField(label=_("Object type"), required=False,
                                  max_length=FILTER_LENGTHS["object_type"],
                                  widget=forms.TextInput(attrs={"placeholder": "accounts.user"}))
    object_id = forms.CharField(label=_("Object id"), required=False,
                                max_length=FILTER_LENGTHS["object_id"])
    date_from = forms.DateField(label=_("From (date)"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To (date)"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("date_from", "date_to"):
            value = cleaned.get(name)
            if value is not None and not MIN_DATE <= value <= MAX_DATE:
                self.add_error(name, _("Enter a date between %(a)s and %(b)s.")
                               % {"a": MIN_DATE, "b": MAX_DATE})
        return cleaned

    def filters(self) -> EventFilters:
        """The filters of a valid form; a DomainError is put on the form and re-raised."""
        data = self.cleaned_data
        try:
            return EventFilters(
                actor=data.get("actor") or "", action=data.get("action") or "",
                object_type=data.get("object_type") or "", object_id=data.get("object_id") or "",
                date_from=data.get("date_from"), date_to=data.get("date_to"),
            )
        except DomainError as error:
            add_domain_error(self, error)
            raise




class CheckpointForm(forms.Form):
    """Signing a checkpoint takes no input: the head is what it is."""
