"""Forms of the 定密 pages (rules S1–S11).

They parse input only; the services check the rules (S1 period or condition, S2 maxima, S3
authority, S7 scope, S8 clearance …) and their refusals are shown on these forms.
"""

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baomi.accounts.models import Department, Person, Unit, User
from baomi.core.labels import Level, Scheme

from .choices import ChangeKind, KnowledgeKind, PeriodKind
from .models import ScopeEntry, SecretItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A date outside these bounds is a typing error; the period arithmetic would overflow.
EARLIEST = date(1950, 1, 1)
LATEST = date(2099, 12, 31)
MAX_PERIOD = 99  # more than any maximum of rule S2 (30 years), so the service names the rule
CLASSIFIED_LEVELS = [(value, label) for value, label in Level.choices if value >= Level.SECRET]
CHANGE_KINDS = [(kind.value, kind.label) for kind in (
    ChangeKind.LEVEL, ChangeKind.PERIOD, ChangeKind.SCOPE_REMOVE, ChangeKind.DECLASSIFY)]
MULTI = forms.SelectMultiple(attrs={"size": 8})


def day_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, required=required,
                           validators=[MinValueValidator(EARLIEST), MaxValueValidator(LATEST)])


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


class PeopleChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        department = f"（{obj.department.name}）" if obj.department_id else ""
        return f"{obj.name}{department}"


class UserChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return obj.person.name


class PeriodFields(forms.Form):
    """Level and 保密期限 or 解密条件 (rules S1, S2, S9)."""

    level = forms.TypedChoiceField(label=_("Level"), choices=CLASSIFIED_LEVELS, coerce=int)
    period_kind = forms.ChoiceField(label=_("Kind of period"), choices=PeriodKind.choices)
    period_value = forms.IntegerField(
        label=_("Period (years or months)"), required=False, min_value=1, max_value=MAX_PERIOD,
        help_text=_("A year or more is stated in years, less than a year in months."))
    declassify_condition = forms.CharField(
        label=_("Declassification condition"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a long-term period or when no period can be set."))


class ProposeForm(PeriodFields):
    """The 承办人's proposal (rules S1, S4); the 知悉范围 is people and departments of the
    unit (rule S7: the minimum, named individuals where possible)."""

    field_order = ["scheme", "number", "title", "description", "level", "period_kind",
                   "period_value", "declassify_condition", "basis", "issued_on", "department",
                   "scope_people", "scope_departments"]

    scheme = forms.ChoiceField(label=_("Scheme"), choices=Scheme.choices,
                               initial=Scheme.STATE)
    number = forms.CharField(label=_("Item number"), max_length=50)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    basis = forms.CharField(label=_("Basis of classification"), max_length=1000,
                            widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("The item of the classification catalogue applied."))
    issued_on = day_field(pgettext_lazy("secret item", "Issued on"), required=False)
    department = forms.ModelChoiceField(label=_("Proposing department"), required=False,
                                        queryset=Department.objects.none())
    scope_people = PeopleChoice(label=_("Need-to-know: people"), required=False,
                                queryset=Person.objects.none(), widget=MULTI)
    scope_departments = forms.ModelMultipleChoiceField(
        label=_("Need-to-know: departments"), required=False,
        queryset=Department.objects.none(), widget=MULTI)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["department"].queryset = departments(unit.pk)
        fields["scope_people"].queryset = colleagues(unit.pk)
        fields["scope_departments"].queryset = departments(unit.pk)


class KnowledgeForm(forms.Form):
    """Who came to know the item (rule S8)."""

    person = PersonChoice(label=_("Person"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("How"), choices=KnowledgeKind.choices)
    known_on = day_field(_("Date"))
    approved_by = UserChoice(label=_("Approved by"), required=False,
                             queryset=User.objects.none())
    source = forms.CharField(label=_("Occasion"), max_length=200, required=False)

    def __init__(self, *args: Any, item: SecretItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["person"].queryset = colleagues(item.unit_id)
        fields["approved_by"].queryset = (
            User.objects.filter(person__unit_id=item.unit_id, is_active=True)
            .select_related("person").order_by("person__name", "id"))


class ChangeForm(PeriodFields):
    """A 定密 change request (rule S10): the new level, period or condition, the people or
    departments to take out of the 知悉范围, or the declassification, with the reason."""

    field_order = ["kind", "level", "period_kind", "period_value", "declassify_condition",
                   "remove_people", "remove_departments", "reason"]

    kind = forms.ChoiceField(label=_("Change"), choices=CHANGE_KINDS)
    remove_people = PeopleChoice(label=_("People to remove from the need-to-know scope"),
                                 required=False, queryset=Person.objects.none(), widget=MULTI)
    remove_departments = forms.ModelMultipleChoiceField(
        label=_("Departments to remove from the need-to-know scope"), required=False,
        queryset=Department.objects.none(), widget=MULTI)
    reason = forms.CharField(label=_("Reason"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, item: SecretItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        for name in ("level", "period_kind"):
            fields[name].required = False
        fields["level"].choices = [("", "—"), *CLASSIFIED_LEVELS]
        fields["period_kind"].choices = [("", "—"), *PeriodKind.choices]
        # Only who is in the 知悉范围 now can be taken out of it.
        current = ScopeEntry.objects.filter(item_id=item.pk, removed_on__isnull=True)
        fields["remove_people"].queryset = colleagues(item.unit_id).filter(
            pk__in=current.values("person_id"))
        fields["remove_departments"].queryset = departments(item.unit_id).filter(
            pk__in=current.values("department_id"))


class ScopeAdditionForm(forms.Form):
    """Adding people or departments to the 知悉范围 (rule S7, approved by the leader)."""

    people = PeopleChoice(label=_("People to add"), required=False,
                          queryset=Person.objects.none(), widget=MULTI)
    departments = forms.ModelMultipleChoiceField(label=_("Departments to add"), required=False,
                                                 queryset=Department.objects.none(),
                                                 widget=MULTI)
    reason = forms.CharField(label=_("Reason"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, item: SecretItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["people"].queryset = colleagues(item.unit_id)
        fields["departments"].queryset = departments(item.unit_id)


class ReviewForm(forms.Form):
    """The annual review (rule S5)."""

    note = forms.CharField(label=_("Review note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class SuperiorDecisionForm(PeriodFields):
    """The competent authority's decision on a provisionally classified item (rule S3)."""

    field_order = ["classified", "level", "period_kind", "period_value",
                   "declassify_condition", "document", "decided_on"]

    classified = forms.TypedChoiceField(
        label=_("Decision"), coerce=lambda value: value == "yes",
        choices=[("yes", _("Classified as decided below")), ("no", _("Not a secret"))])
    document = forms.CharField(label=_("Decision document"), max_length=200)
    decided_on = day_field(_("Decided on"))

    def __init__(self, *args: Any, item: SecretItem, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {
            "level": item.level, "period_kind": item.period_kind,
            "period_value": item.period_value,
            "declassify_condition": item.declassify_condition})
        super().__init__(*args, **kwargs)


class AuthorityForm(forms.Form):
    """The unit's 定密权限 by its authorising document (rule S3)."""

    max_level = forms.TypedChoiceField(label=_("Highest level it may classify"),
                                       choices=CLASSIFIED_LEVELS, coerce=int)
    document = forms.CharField(label=_("Authorising document"), max_length=200)
    granted_on = day_field(_("Granted on"))
