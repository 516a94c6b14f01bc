"""Web forms of the approvals pages. They only collect input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import TEXT_MAX, TITLE_MAX


class TitleForm(forms.Form):
    """The part of a new or revised request that every type shares."""

    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX, required=False,
        help_text=_("Leave empty to use the description of the request."),
    )


class DecisionForm(forms.Form):
    """The approver's comment; the decision is the button pressed (approve, reject, return)."""

    comment = forms.CharField(
        label=_("Comment"), max_length=TEXT_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject or return the request."),
    )
    # The step the approver saw: a decision on a page gone stale must not decide the next step.
    step_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=TEXT_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))
