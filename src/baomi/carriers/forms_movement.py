"""Forms of carriers leaving the unit: sent out (rule C2), taken out or abroad (rule C6).

They parse input only; the services check the rules (C2 机要 channel and two named people for
delivery in person, C6 绝密 never abroad and carried by two, C5/L5 clearance and 知悉范围 of
whoever carries it …) and their refusals are shown here, on the field they name.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Person

from .forms import DATE, PersonChoice, colleagues
from .forms_copying import DATETIME
from .models.movement import MovementChannel, MovementKind
from .services import DESTINATION_MAX, PURPOSE_MAX
from .services.movement import ESCORT_NAME_MAX, ESCORTS_MAX, SIGNER_MAX

NO_CHANNEL = [("", "—")]
# One name per line, at most ESCORTS_MAX lines of ESCORT_NAME_MAX characters (and line ends).
ESCORTS_TEXT_MAX = ESCORTS_MAX * (ESCORT_NAME_MAX + 2)


def escort_lines(text: str) -> list[str]:
    """The names typed one per line, blank lines left out (the service checks them)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class MovementForm(forms.Form):
    """外发 / 携带外出 / 出境 of one carrier; the 保密办 may ask for someone else to carry
    it."""

    kind = forms.ChoiceField(label=_("Sending out, taking out or taking abroad"),
                             choices=MovementKind.choices)
    destination = forms.CharField(label=_("Destination or recipient unit"),
                                  max_length=DESTINATION_MAX)
    purpose = forms.CharField(label=_("Purpose"), max_length=PURPOSE_MAX,
                              widget=forms.Textarea(attrs={"rows": 2}))
    channel = forms.ChoiceField(
        label=_("Confidential channel"), required=False,
        choices=NO_CHANNEL + list(MovementChannel.choices),
        help_text=_("Sending out only: never by ordinary post or courier."))
    escorts = forms.CharField(
        label=_("People carrying it"), required=False, max_length=ESCORTS_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name per line. A top secret carrier, or one delivered in person, "
                    "needs at least two."))
    carried_by = PersonChoice(label=_("Carried by"), required=False,
                              queryset=Person.objects.none(),
                              help_text=_("Leave empty to carry it yourself."))
    due_back_on = forms.DateField(label=_("Due back on"), required=False, widget=DATE,
                                  help_text=_("Taking out or abroad only."))

    def __init__(self, *args: Any, unit_id: int, office: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if office:
            fields["carried_by"].queryset = colleagues(unit_id)
        else:
            del fields["carried_by"]  # whoever asks carries it

    def clean_escorts(self) -> list[str]:
        return escort_lines(self.cleaned_data.get("escorts") or "")


class HandOverForm(forms.Form):
    """The 保密办 hands the carrier over: it leaves now, or at the time given."""

    out_at = forms.DateTimeField(label=_("Left at"), required=False, widget=DATETIME,
                                 help_text=_("Leave empty for now."))


class ReturnForm(forms.Form):
    """The 保密办 takes a carrier taken out or abroad back into store."""

    returned_at = forms.DateTimeField(label=_("Returned at"), required=False, widget=DATETIME,
                                      help_text=_("Leave empty for now."))


class ReceiptForm(forms.Form):
    """rule C2 (签收): who signed for the carrier sent out, and when."""

    signed_by_name = forms.CharField(label=_("Receipt signed by"), max_length=SIGNER_MAX)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
