"""Forms of the inspection pages (rules Q9, Q10). They parse input only; the services check
access and the values again."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Department, Unit, User

from . import services_inspections as services
from .checklists import shipped_checklists
from .choices_inspections import InspectionKind, ItemResult

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def library_choices() -> list[tuple[str, str]]:
    return [(library.id, f"{library.title}（v{library.version}）")
            for library in shipped_checklists().values()]


def owners_of(unit: Unit) -> QuerySet[User]:
    """Who can own a rectification: the active logins of the unit."""
    return User.objects.filter(person__unit=unit, is_active=True).select_related(
        "person", "person__department").order_by("person__department__name", "person__name")


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.name}（{obj.person.department.name}）"


class InspectionForm(forms.Form):
    """A new inspection: who inspects, on which library, when."""

    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices)
    library = forms.ChoiceField(label=_("Checklist library"), choices=library_choices)
    title = forms.CharField(label=_("Title"), max_length=services.TITLE_MAX, required=False,
                            help_text=_("Empty: the title of the library."))
    started_on = forms.DateField(label=_("Started on"), widget=DATE, initial=timezone.localdate)
    department = forms.ModelChoiceField(label=_("Department"), required=False,
                                        queryset=Department.objects.none(),
                                        help_text=_("For a department check."))
    inspectors = forms.CharField(label=_("Inspectors"), max_length=services.INSPECTORS_MAX,
                                 required=False,
                                 help_text=_("Names of outside inspectors, if any."))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["department"]
        field.queryset = Department.objects.filter(unit=unit).order_by("name")


class ItemResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=ItemResult.choices)
    finding = forms.CharField(label=_("Finding"), max_length=services.FINDING_MAX,
                              required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RectificationForm(forms.Form):
    """rule Q10: who rectifies a problem, by when."""

    owner = UserChoice(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("To be rectified by"), widget=DATE)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["owner"]
        field.queryset = owners_of(unit)


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=services.EVIDENCE_TITLE_MAX,
                            required=False)
    file = forms.FileField(label=_("Evidence file"))


class CompleteForm(forms.Form):
    finished_on = forms.DateField(label=_("Finished on"), widget=DATE,
                                  initial=timezone.localdate)


class MeasuresForm(forms.Form):
    measures = forms.CharField(label=_("Measures taken"), max_length=services.MEASURES_MAX,
                               widget=forms.Textarea(attrs={"rows": 3}))
    done_on = forms.DateField(label=_("Done on"), widget=DATE, initial=timezone.localdate)


class RecheckForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Re-check result"), coerce=lambda value: value == "yes",
        choices=[("yes", _("Passed: rectified")), ("no", _("Failed: rectify again"))])
    note = forms.CharField(label=_("Note"), max_length=services.NOTE_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    checked_on = forms.DateField(label=_("Re-checked on"), widget=DATE,
                                 initial=timezone.localdate)
    new_due_on = forms.DateField(label=_("New due day"), widget=DATE, required=False,
                                 help_text=_("Required when the re-check fails."))
