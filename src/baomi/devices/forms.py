"""Forms of the device and media ledger pages (rules D1, D2, D4, D9).

They parse input only; the services check the rules (D2 clearance of the responsible person
and the users, D4 media bound above a lowered level, D9 phone line …) and their refusals are
shown here.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Department, Person
from baomi.compliance.models import SecureRoom
from baomi.compliance.services import q7_shortfalls
from baomi.core.labels import Level

from .choices import DeviceKind, DeviceState, MediumKind
from .services.common import LOCATION_MAX, NUMBER_MAX
from .services.ledger import (
    ASSET_MAX,
    CAPACITY_MAX,
    DISK_SERIAL_MAX,
    MAC_MAX,
    MODEL_MAX,
    OS_MAX,
    SERIAL_MAX,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LEVELS = list(Level.choices)
ROOM_HELP = _("A 机密 or 绝密 server stands in a secure room meeting Q7.")


class RoomChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A secure room of the unit, shown with whether it meets rule Q7."""

    def label_from_instance(self, obj: Any) -> str:
        if not q7_shortfalls(obj):
            return str(obj)
        return _("%(room)s — does not meet Q7") % {"room": obj}


def unit_rooms(unit_id: int) -> Any:
    return SecureRoom.objects.filter(unit_id=unit_id).order_by("name", "id")


def room_field() -> RoomChoice:
    """The secure room a device stands in (rule Q7): the unit's rooms, "—" for none."""
    return RoomChoice(label=_("Secure room"), required=False, empty_label="—",
                      queryset=SecureRoom.objects.none(), help_text=ROOM_HELP)


def colleagues(unit_id: int) -> Any:
    """The active people of the unit (names inside the unit are no secret)."""
    return (Person.objects.filter(unit_id=unit_id, active=True)
            .select_related("department").order_by("department__code", "name", "id"))


def departments(unit_id: int) -> Any:
    return Department.objects.filter(unit_id=unit_id).order_by("code", "id")


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        department = f"（{obj.department.name}）" if obj.department_id else ""
        return f"{obj.name}{department}"


class DeviceForm(forms.Form):
    """逐台备案 (rule D1): every field of `services.register_device`."""

    number = forms.CharField(label=_("Secrecy number"), max_length=NUMBER_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=DeviceKind.choices)
    level = forms.TypedChoiceField(label=_("Level"), choices=LEVELS, coerce=int,
                                   help_text=_("The highest level it processes."))
    model = forms.CharField(label=_("Brand and model"), max_length=MODEL_MAX, required=False)
    serial_no = forms.CharField(label=_("Serial number"), max_length=SERIAL_MAX,
                                required=False)
    asset_no = forms.CharField(label=_("Asset number"), max_length=ASSET_MAX, required=False)
    disk_serial = forms.CharField(label=_("Hard-disk serial number"), max_length=DISK_SERIAL_MAX,
                                  required=False)
    mac = forms.CharField(label=_("MAC address"), max_length=MAC_MAX, required=False)
    os = forms.CharField(label=_("Operating system"), max_length=OS_MAX, required=False)
    os_installed_on = forms.DateField(label=_("Operating system installed on"), required=False,
                                      widget=DATE)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    responsible = PersonChoice(label=_("Responsible person"), queryset=Person.objects.none())
    location = forms.CharField(label=_("Location"), max_length=LOCATION_MAX)
    room = room_field()
    in_use_on = forms.DateField(label=_("In use since"), widget=DATE)
    phone_line = forms.BooleanField(label=_("Connected to a phone line"), required=False,
                                    help_text=_("Fax and multifunction devices only."))

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["department"].queryset = departments(unit_id)
        fields["responsible"].queryset = colleagues(unit_id)
        fields["room"].queryset = unit_rooms(unit_id)


class DeviceUpdateForm(forms.Form):
    """Where the device is, who answers for it, whether it is in use."""

    location = forms.CharField(label=_("Location"), max_length=LOCATION_MAX)
    room = room_field()
    responsible = PersonChoice(label=_("Responsible person"), queryset=Person.objects.none())
    # Away and retired come only from maintenance and retirement (rules D7, D8).
    state = forms.ChoiceField(label=_("State"), choices=[
        (value, label) for value, label in DeviceState.choices
        if value in (DeviceState.IN_USE, DeviceState.IDLE)])

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["responsible"].queryset = colleagues(unit_id)
        fields["room"].queryset = unit_rooms(unit_id)


class DeviceUserForm(forms.Form):
    """A person who may use the device, cleared for its level (rule D2)."""

    person = PersonChoice(label=_("User"), queryset=Person.objects.none())

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["person"]
        field.queryset = colleagues(unit_id)


class RemoveUserForm(forms.Form):
    person = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)


class DeviceLevelForm(forms.Form):
    """rule D2: the highest level the device is approved to process."""

    level = forms.TypedChoiceField(label=_("New level"), choices=LEVELS, coerce=int)


class MediumForm(forms.Form):
    """A removable medium with its level label (rule D4): every field of
    `services.register_medium`."""

    number = forms.CharField(label=_("Secrecy number"), max_length=NUMBER_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=MediumKind.choices)
    level = forms.TypedChoiceField(label=_("Level"), choices=LEVELS, coerce=int)
    model = forms.CharField(label=_("Brand and model"), max_length=MODEL_MAX, required=False)
    serial_no = forms.CharField(label=_("Serial number"), max_length=SERIAL_MAX,
                                required=False)
    capacity = forms.CharField(label=_("Capacity"), max_length=CAPACITY_MAX, required=False,
                               help_text=_("For example 64GB."))
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    responsible = PersonChoice(label=_("Responsible person"), queryset=Person.objects.none())
    location = forms.CharField(label=_("Location"), max_length=LOCATION_MAX, required=False)

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["department"].queryset = departments(unit_id)
        fields["responsible"].queryset = colleagues(unit_id)


class MediumUpdateForm(forms.Form):
    """Where the medium is kept and who answers for it (cleared for its level, rule D2)."""

    location = forms.CharField(label=_("Location"), max_length=LOCATION_MAX, required=False)
    responsible = PersonChoice(label=_("Responsible person"), queryset=Person.objects.none())

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["responsible"]
        field.queryset = colleagues(unit_id)
