"""Forms of the assessment pages (rules Q2, Q3). They parse input only; the services check
access, the points of each item and the standard again."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Unit

from .choices_assessments import AssessmentKind
from .models import Assessment, AssessmentScore, Standard
from .selectors_assessments import standards_of
from .services_assessments import ASSESSORS_MAX, NOTE_MAX, SCORE_NOTE_MAX, YEAR_MAX, YEAR_MIN
from .standards import MAX_BYTES

MET_CHOICES = [("", _("Not scored")), ("yes", _("Met")), ("no", _("Not met"))]


class StandardImportForm(forms.Form):
    """A standard as a YAML file or pasted YAML text (docs/standards.md)."""

    file = forms.FileField(label=_("YAML file"), required=False,
                           help_text=_("At most 1 MB, UTF-8."))
    definition = forms.CharField(label=_("Or paste the YAML text"), required=False,
                                 max_length=MAX_BYTES,
                                 widget=forms.Textarea(attrs={"rows": 8}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than 1 MB."))
            try:
                data["definition"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        elif not data.get("definition", "").strip():
            raise forms.ValidationError(_("Choose a file or paste the YAML text."))
        return data


class AssessmentForm(forms.Form):
    """A new assessment of the unit: the standard, the year and who assessed."""

    standard = forms.ModelChoiceField(label=_("Standard"), queryset=Standard.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    assessed_on = forms.DateField(label=_("Assessed on"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=AssessmentKind.choices,
                             initial=AssessmentKind.SELF)
    assessor_names = forms.CharField(label=_("Assessors"), max_length=ASSESSORS_MAX,
                                     required=False,
                                     help_text=_("The people who assessed, as they sign."))
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        today: dt.date = timezone.localdate()
        kwargs.setdefault("initial", {"year": today.year, "assessed_on": today,
                                      "kind": AssessmentKind.SELF})
        super().__init__(*args, **kwargs)
        field: Any = self.fields["standard"]
        field.queryset = standards_of(unit).order_by("code", "-version")

    def assessment_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def _row_name(kind: str, row: AssessmentScore) -> str:
    return f"{kind}_{row.position}"


class ScoreSheetForm(forms.Form):
    """The scoring sheet: per item the points awarded (or, for a veto item, met or not) and
    a note on where points were lost. An empty value leaves the item unscored."""

    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any) -> None:
        self.rows = list(assessment.scores.all())
        initial: dict[str, Any] = {}
        for row in self.rows:
            if row.veto:
                initial[_row_name("met", row)] = {True: "yes", False: "no", None: ""}[row.met]
            else:
                initial[_row_name("awarded", row)] = row.awarded
            initial[_row_name("note", row)] = row.note
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for row in self.rows:
            if row.veto:
                self.fields[_row_name("met", row)] = forms.ChoiceField(
                    label=row.item_code, choices=MET_CHOICES, required=False)
            else:
                self.fields[_row_name("awarded", row)] = forms.DecimalField(
                    label=row.item_code, required=False, max_digits=7, decimal_places=1,
                    widget=forms.NumberInput(attrs={"step": "0.5", "min": "0",
                                                    "max": str(row.max_points)}))
            self.fields[_row_name("note", row)] = forms.CharField(
                label=_("Note"), required=False, max_length=SCORE_NOTE_MAX)

    def sheet_rows(self) -> list[dict[str, Any]]:
        """Each item with its bound fields, for the table of the sheet."""
        return [{"row": row,
                 "value": self[_row_name("met" if row.veto else "awarded", row)],
                 "note": self[_row_name("note", row)]} for row in self.rows]

    def entries(self) -> list[dict[str, Any]]:
        """The cleaned sheet as `score_items` takes it."""
        data = self.cleaned_data
        entries = []
        for row in self.rows:
            entry: dict[str, Any] = {"item": row.item_code,
                                     "note": data[_row_name("note", row)]}
            if row.veto:
                entry["met"] = {"yes": True, "no": False}.get(data[_row_name("met", row)])
            else:
                entry["awarded"] = data[_row_name("awarded", row)]
            entries.append(entry)
        return entries

    def field_of(self, name: str) -> str:
        """The field of an error a service names `awarded.<item>` or `note.<item>`."""
        kind, _dot, code = name.partition(".")
        for row in self.rows:
            if row.item_code == code:
                return _row_name(kind, row)
        return name
