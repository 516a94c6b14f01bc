"""Forms of the post and ledger pages. They only parse input; the services decide."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.labels import Category, Level

from .choices import FileState

POST_LEVEL_CHOICES = [(int(v), label) for v, label in Level.choices if v >= Level.SECRET]
MAX_IMPORT_BYTES = 10 * 1024 * 1024
# ISO dates: the browser's date picker ignores a localized value.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DepartmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.unit.name} / {obj.name}"


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        department = obj.department.name if obj.department else "—"
        return f"{obj.name}（{obj.employee_no}，{department}）"


class PostField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.department.name}·{obj.name}（{obj.get_level_display()}）"


def _set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class LedgerFilterForm(forms.Form):
    department = DepartmentField(label=_("Department"), queryset=None, required=False)
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", "—"), *FileState.choices])
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int,
                                      empty_value=None,
                                      choices=[("", "—"), *Category.choices])
    q = forms.CharField(label=_("Name or employee number"), required=False, max_length=50)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "department", departments)


class OpenFileForm(forms.Form):
    person = PersonField(label=_("Person"), queryset=None)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "person", people)


class PostForm(forms.Form):
    department = DepartmentField(label=_("Department"), queryset=None)
    name = forms.CharField(label=_("Post name"), max_length=100)
    level = forms.TypedChoiceField(label=_("Level"), choices=POST_LEVEL_CHOICES, coerce=int)
    duties = forms.CharField(label=_("Classified duties"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "department", departments)


class PostEditForm(forms.Form):
    name = forms.CharField(label=_("Post name"), max_length=100)
    level = forms.TypedChoiceField(
        label=_("Level"), choices=POST_LEVEL_CHOICES, coerce=int,
        help_text=_("Changing the level re-derives the category of every current holder; "
                    "holders in post become due for a re-review at once."))
    duties = forms.CharField(label=_("Classified duties"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class AssignPostForm(forms.Form):
    post = PostField(label=_("Post"), queryset=None)
    started_on = forms.DateField(label=_("Started on"), initial=timezone.localdate,
                                 widget=DATE_INPUT)

    def __init__(self, *args: Any, posts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "post", posts)


class EndPostForm(forms.Form):
    holding = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    ended_on = forms.DateField(label=_("Ended on"), initial=timezone.localdate,
                               widget=DATE_INPUT)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Ledger spreadsheet (.xlsx)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
