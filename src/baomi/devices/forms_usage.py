"""Forms of the usage-log pages (rule D5). They parse input only; the services check the
rules (D2 the level of the work and who uses the computer, D5 the book of the year open) and
their refusals are shown here."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Person
from baomi.core.labels import Level

from .forms import PersonChoice
from .models import Device, DeviceUser
from .services.common import today
from .services.usage import WORK_MAX, YEAR_MIN

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OpenBookForm(forms.Form):
    """rule D5: the book of a year (this year unless an earlier one is still missing)."""

    year = forms.IntegerField(label=_("Year"), min_value=YEAR_MIN)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["max"] = today().year
        self.initial.setdefault("year", today().year)


def device_users(device: Device) -> Any:
    """The people who may use the device: its registered users and its responsible person."""
    users = DeviceUser.objects.filter(device_id=device.pk).values("person_id")
    return (Person.objects.filter(pk__in=users) | Person.objects.filter(pk=device.responsible_id)
            ).select_related("department").distinct().order_by("name", "id")


class UsageForm(forms.Form):
    """rule D5: one use — who, from when to when, what work at what level (at most the
    device's, rule D2). Without an end the entry stays open until it is ended."""

    user = PersonChoice(label=_("User"), queryset=Person.objects.none())
    started_at = forms.DateTimeField(label=_("Started at"), widget=MOMENT)
    ended_at = forms.DateTimeField(label=_("Ended at"), widget=MOMENT, required=False,
                                   help_text=_("Leave empty while the use goes on."))
    work = forms.CharField(label=_("Work content"), max_length=WORK_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))
    level = forms.TypedChoiceField(label=_("Level of the work"), coerce=int, choices=[])

    def __init__(self, *args: Any, device: Device, own_person: Person | None = None,
                 **kwargs: Any) -> None:
        """`own_person`: the recorder may record only their own use."""
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        people = device_users(device)
        if own_person is not None:
            people = people.filter(pk=own_person.pk)
            self.initial.setdefault("user", own_person.pk)
        fields["user"].queryset = people
        fields["level"].choices = [(int(level), label) for level, label in Level.choices
                                   if level <= device.level]
        self.initial.setdefault("level", int(device.level))


class EndUsageForm(forms.Form):
    """The end of a use recorded while it went on."""

    ended_at = forms.DateTimeField(label=_("Ended at"), widget=MOMENT)


class DiscardForm(forms.Form):
    """rule D5: the 保密办 confirms the discarding of the books past their retention."""

    confirm = forms.BooleanField(
        label=_("I confirm that these books are past their retention and may be destroyed."))
