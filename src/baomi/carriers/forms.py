"""Forms of the carrier pages (rules C1–C5).

They parse input only; the services check the rules (C2 source and signature, C3 container
rating, C5 clearance and 知悉范围, L5 the item's level …) and their refusals are shown here.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Department, Person
from baomi.compliance.models import SecureRoom
from baomi.compliance.services import q7_shortfalls
from baomi.core.labels import Level, Scheme
from baomi.secrets.choices import IN_FORCE, PeriodKind
from baomi.secrets.models import SecretItem
from baomi.secrets.selectors import items_visible_to

from .choices import CarrierKind, CarrierOrigin, ContainerKind, LoanKind
from .models import Container
from .services import COPIES_MAX, PAGES_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CLASSIFIED_LEVELS = [(value, label) for value, label in Level.choices if value >= Level.SECRET]
RATINGS = list(Level.choices)
MAX_PERIOD = 99  # more than any maximum of rule S2, so the service names the rule
IMPORT_MAX_BYTES = 20 * 1024 * 1024


def colleagues(unit_id: int) -> Any:
    """The active people of the unit (names inside the unit are no secret)."""
    return (Person.objects.filter(unit_id=unit_id, active=True)
            .select_related("department").order_by("department__code", "name", "id"))


def departments(unit_id: int) -> Any:
    return Department.objects.filter(unit_id=unit_id).order_by("code", "id")


def unit_containers(unit_id: int) -> Any:
    return Container.objects.filter(unit_id=unit_id, active=True).order_by("number", "id")


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        department = f"（{obj.department.name}）" if obj.department_id else ""
        return f"{obj.name}{department}"


class ContainerChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} {obj.get_kind_display()} · {obj.location}"


class ItemChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} {obj.title}"


class CarrierForm(forms.Form):
    """登记 / 收文 (rule C2): every field of `services.register_carrier`."""

    number = forms.CharField(label=_("Carrier number"), max_length=50)
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=CarrierKind.choices)
    scheme = forms.ChoiceField(label=_("Scheme"), choices=Scheme.choices, initial=Scheme.STATE)
    level = forms.TypedChoiceField(label=_("Level"), choices=CLASSIFIED_LEVELS, coerce=int)
    period_kind = forms.ChoiceField(label=_("Kind of period"), choices=PeriodKind.choices)
    period_value = forms.IntegerField(
        label=_("Period (years or months)"), required=False, min_value=1, max_value=MAX_PERIOD,
        help_text=_("A year or more is stated in years, less than a year in months."))
    secret_item = ItemChoice(label=_("Secret item carried"), required=False,
                             queryset=SecretItem.objects.none(),
                             help_text=_("The carrier is at least the item's level."))
    origin = forms.ChoiceField(label=_("Origin"), choices=CarrierOrigin.choices)
    source_unit = forms.CharField(label=_("Source unit"), max_length=200, required=False,
                                  help_text=_("Required for a received carrier."))
    source_document_no = forms.CharField(label=_("Source document number"), max_length=100,
                                         required=False)
    received_on = forms.DateField(label=_("Received or produced on"), widget=DATE)
    signed_by = PersonChoice(label=_("Signed for by"), required=False,
                             queryset=Person.objects.none(),
                             help_text=_("Who signed for a received carrier."))
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    custodian = PersonChoice(label=_("Custodian"), queryset=Person.objects.none())
    container = ContainerChoice(label=_("Container"), required=False,
                                queryset=Container.objects.none())
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    pages = forms.IntegerField(label=_("Pages"), required=False, min_value=1,
                               max_value=PAGES_MAX)
    capacity = forms.CharField(label=_("Capacity"), max_length=50, required=False,
                               help_text=_("For discs and media, e.g. 4.7GB."))
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=COPIES_MAX,
                                initial=1)
    copy_no = forms.CharField(label=_("Copy number"), max_length=20, required=False)

    def __init__(self, *args: Any, user: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["department"].queryset = departments(unit_id)
        fields["custodian"].queryset = colleagues(unit_id)
        fields["signed_by"].queryset = colleagues(unit_id)
        fields["container"].queryset = unit_containers(unit_id)
        fields["secret_item"].queryset = (
            items_visible_to(user).filter(unit_id=unit_id, state__in=IN_FORCE)
            .order_by("number", "id"))


class LoanForm(forms.Form):
    """借阅 or 传阅 (rule C5); the 保密办 may file it for someone else."""

    kind = forms.ChoiceField(label=_("Borrowing or circulation"), choices=LoanKind.choices)
    purpose = forms.CharField(label=_("Purpose"), max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))
    room = forms.CharField(label=_("Reading room"), max_length=100, required=False,
                           help_text=_("Where the carrier is read (保密室, 档案室 …)."))
    borrower = PersonChoice(label=_("Borrower"), required=False, queryset=Person.objects.none(),
                            help_text=_("Leave empty to borrow it yourself."))

    def __init__(self, *args: Any, unit_id: int, office: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if office:
            fields["borrower"].queryset = colleagues(unit_id)
        else:
            del self.fields["borrower"]


class StoreForm(forms.Form):
    """Put the carrier into a container (rule C3)."""

    container = ContainerChoice(label=_("Container"), queryset=Container.objects.none())
    location = forms.CharField(label=_("Location"), max_length=200, required=False)

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["container"]
        field.queryset = unit_containers(unit_id)


class CustodianForm(forms.Form):
    """A new custodian, cleared for the carrier's level."""

    custodian = PersonChoice(label=_("New custodian"), queryset=Person.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["custodian"]
        field.queryset = colleagues(unit_id)


class LoanActionForm(forms.Form):
    """Hand out or take back one loan (the 保密办)."""

    loan = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)


ROOM_HELP = _("Carriers classified confidential and above are kept only in a room that meets "
               "rule Q7 (door access control, video kept 30 days, intrusion alarm).")


class RoomChoice(forms.ModelChoiceField):
    """A secure room, shown with whether it meets rule Q7."""

    def label_from_instance(self, obj: Any) -> str:
        shortfalls = q7_shortfalls(obj)
        if not shortfalls:
            return str(obj)
        return _("%(room)s — does not meet Q7") % {"room": obj}


def unit_rooms(unit_id: int) -> Any:
    return SecureRoom.objects.filter(unit_id=unit_id)


class ContainerForm(forms.Form):
    """A 保密柜, 密码文件柜 or 密码保险柜 and its rating (rule C3)."""

    number = forms.CharField(label=_("Container number"), max_length=50)
    kind = forms.ChoiceField(label=_("Kind"), choices=ContainerKind.choices)
    rating = forms.TypedChoiceField(
        label=_("Rating"), choices=RATINGS, coerce=int,
        help_text=_("The highest level it may hold: a coded file cabinet up to confidential, "
                    "a coded safe up to top secret, a plain cabinet no state secret."))
    location = forms.CharField(label=_("Location"), max_length=200)
    department = forms.ModelChoiceField(label=_("Department"), required=False,
                                        queryset=Department.objects.none())
    custodian = PersonChoice(label=_("Custodian"), required=False,
                             queryset=Person.objects.none())
    room = RoomChoice(label=_("Secure room"), required=False, queryset=SecureRoom.objects.none(),
                      help_text=ROOM_HELP)

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["department"].queryset = departments(unit_id)
        fields["custodian"].queryset = colleagues(unit_id)
        fields["room"].queryset = unit_rooms(unit_id)


class ContainerEditForm(forms.Form):
    location = forms.CharField(label=_("Location"), max_length=200)
    custodian = PersonChoice(label=_("Custodian"), required=False,
                             queryset=Person.objects.none())
    room = RoomChoice(label=_("Secure room"), required=False, queryset=SecureRoom.objects.none(),
                      help_text=ROOM_HELP)
    active = forms.BooleanField(label=_("In use"), required=False)

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["custodian"].queryset = colleagues(unit_id)
        fields["room"].queryset = unit_rooms(unit_id)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Ledger workbook (.xlsx)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload

