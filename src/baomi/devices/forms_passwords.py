"""The form recording a password change of a classified device (rule D6). It parses input
only — never the password, just the day, its length and how many character classes it
mixes; the service checks them against the policy of the device's level."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services.passwords import CLASSES_REQUIRED, LENGTH_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CLASS_CHOICES = [(count, str(count)) for count in range(CLASSES_REQUIRED, 0, -1)]


class PasswordChangeForm(forms.Form):
    """When the password was changed, how long the new one is and how many of upper case,
    lower case, digits and symbols it mixes."""

    changed_on = forms.DateField(label=_("Changed on"), widget=DATE)
    length = forms.IntegerField(label=_("Length of the new password"), min_value=1,
                                max_value=LENGTH_MAX,
                                help_text=_("Number of characters. Never enter the password."))
    classes = forms.TypedChoiceField(
        label=_("Character classes mixed"), choices=CLASS_CHOICES, coerce=int,
        help_text=_("Of upper case, lower case, digits and symbols."))
