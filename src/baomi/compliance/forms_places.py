"""Forms of the key-place and classified-meeting pages (rules M1, M2). They parse input only;
the services check access, clearance and the rules again."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Department, Unit, User
from baomi.core.labels import Level

from . import services_places as sp
from .choices_places import PlaceKind
from .models import KeyPlace, MeetingAttendee, SecureRoom

CLASSIFIED_LEVELS = [(value, label) for value, label in Level.choices if value != Level.NONSECRET]


def unit_users(unit: Unit) -> Any:
    """The people of the unit with a login, to choose from."""
    return User.objects.filter(person__unit=unit, person__active=True,
                               is_active=True).select_related("person").order_by(
        "person__name", "id")


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A person shown by their real name and department."""

    def label_from_instance(self, obj: Any) -> str:
        department = obj.person.department.name if obj.person.department_id else ""
        return f"{obj.person.name}（{department}）" if department else str(obj.person.name)


class KeyPlaceForm(forms.Form):
    """A key department or part with its approval and measures (rule M1)."""

    name = forms.CharField(label=_("Name"), max_length=sp.PLACE_NAME_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlaceKind.choices)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(),
                                        required=False)
    location = forms.CharField(label=_("Location"), max_length=sp.PLACE_LOCATION_MAX)
    level = forms.TypedChoiceField(label=_("Highest level handled"), coerce=int,
                                   choices=CLASSIFIED_LEVELS)
    approved_on = forms.DateField(label=_("Approved on"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    approval_no = forms.CharField(label=_("Approval document number"),
                                  max_length=sp.APPROVAL_NO_MAX)
    people_measures = forms.CharField(
        label=_("Personnel measures"), max_length=sp.MEASURE_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who guards the place, who may enter, how visitors are accompanied."))
    physical_measures = forms.CharField(
        label=_("Physical measures"), max_length=sp.MEASURE_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Doors, locks, windows, safes."))
    technical_measures = forms.CharField(
        label=_("Technical measures"), max_length=sp.MEASURE_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Access control, video, alarm, signal shielding."))
    phone_storage = forms.CharField(
        label=_("Where phones are left"), max_length=sp.PHONE_STORAGE_MAX,
        help_text=_("No phones inside a key place (rule M1)."))
    room = forms.ModelChoiceField(label=_("Secure room"), queryset=SecureRoom.objects.none(),
                                  required=False)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(unit=unit)  # type: ignore[attr-defined]
        self.fields["room"].queryset = SecureRoom.objects.filter(unit=unit)  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(place: KeyPlace) -> dict[str, Any]:
        return {name: getattr(place, name) for name in (
            "name", "kind", "location", "level", "approved_on", "approval_no",
            *sp.PLACE_MEASURES, "phone_storage", "active")} | {
            "department": place.department_id, "room": place.room_id}

    def place_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class GrantForm(forms.Form):
    """Allow a person into a key place (rule M1)."""

    user = UserChoiceField(label=_("Person"), queryset=User.objects.none())
    granted_on = forms.DateField(label=_("Allowed from"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = unit_users(unit)  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    """A classified meeting to plan (rule M2)."""

    title = forms.CharField(label=_("Title"), max_length=sp.MEETING_TITLE_MAX)
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, choices=CLASSIFIED_LEVELS)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    organiser = UserChoiceField(label=_("Organiser"), queryset=User.objects.none(),
                                required=False, help_text=_("Yourself when left empty."))
    key_place = forms.ModelChoiceField(label=_("Key place"), queryset=KeyPlace.objects.none(),
                                       required=False)
    room = forms.ModelChoiceField(label=_("Secure room"), queryset=SecureRoom.objects.none(),
                                  required=False)
    place_text = forms.CharField(label=_("Place"), max_length=sp.MEETING_PLACE_MAX,
                                 required=False,
                                 help_text=_("Where the meeting is held, when not a room above."))
    plan = forms.CharField(label=_("Secrecy plan"), max_length=sp.PLAN_MAX,
                           required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Required for confidential meetings and above (rule M2)."))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = unit_users(unit)  # type: ignore[attr-defined]
        self.fields["key_place"].queryset = KeyPlace.objects.filter(unit=unit, active=True)  # type: ignore[attr-defined]
        self.fields["room"].queryset = SecureRoom.objects.filter(unit=unit)  # type: ignore[attr-defined]


class AttendeeForm(forms.Form):
    """Name an attendee: a person of the unit, or a guest from outside (rule M2)."""

    user = UserChoiceField(label=_("Person of the unit"), queryset=User.objects.none(),
                           required=False)
    name = forms.CharField(label=_("Or a guest: name"), max_length=sp.ATTENDEE_NAME_MAX,
                           required=False)
    organisation = forms.CharField(label=_("Guest's organisation"),
                                   max_length=sp.ORGANISATION_MAX, required=False)
    id_note = forms.CharField(label=_("Identity document"), max_length=sp.ID_NOTE_MAX,
                              required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = unit_users(unit)  # type: ignore[attr-defined]


class SignInForm(forms.Form):
    """An attendee signs in at the door (rule M2)."""

    phone_handed_in = forms.BooleanField(label=_("Phone handed in"), required=False)


class MeasuresForm(forms.Form):
    """The measures taken at the meeting (rule M2)."""

    identity_check = forms.BooleanField(label=_("Identities checked"), required=False)
    phones_collected = forms.BooleanField(label=_("Phones collected"), required=False)
    signal_jammer = forms.BooleanField(label=_("Signal jammer on"), required=False)


class DocumentForm(forms.Form):
    """A document issued at the meeting (rule M2)."""

    title = forms.CharField(label=_("Title"), max_length=sp.DOCUMENT_TITLE_MAX)
    number = forms.CharField(label=_("Serial number of the document"), max_length=sp.DOCUMENT_NUMBER_MAX,
                             required=False)
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=sp.COPIES_MAX,
                                initial=1)
    carrier_number = forms.CharField(
        label=_("Carrier number"), max_length=50, required=False,
        help_text=_("When the document is a registered carrier of the ledger."))
    issued_to = forms.ModelChoiceField(label=_("Issued to"),
                                       queryset=MeetingAttendee.objects.none(), required=False)

    def __init__(self, *args: Any, attendees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_to"].queryset = attendees  # type: ignore[attr-defined]
