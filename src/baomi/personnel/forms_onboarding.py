"""Forms of the onboarding pages. They only parse input; the services validate and write."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.labels import Level

from .choices import CommitmentKind, ExamResult, ReviewKind
from .docx_forms import COMMITMENT_TEXT_VERSION

BLANK_ROWS = 6
CLASSIFIED_LEVELS = [(value, label) for value, label in Level.choices if value >= Level.SECRET]
FAMILY_COLUMNS = ("relation", "name", "work_unit", "political_status", "overseas")
HISTORY_COLUMNS = ("from", "to", "unit", "role")


class DateInput(forms.DateInput):
    """A browser date picker; its value is always ISO (the locale's format would not fill it)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ReviewForm(forms.Form):
    """The text sections of 涉密人员保密审查表; the table rows come from `table_rows`."""

    kind = forms.ChoiceField(label=_("Kind of review"), choices=ReviewKind.choices)
    level = forms.TypedChoiceField(label=_("Level reviewed for"), coerce=int,
                                   choices=CLASSIFIED_LEVELS)
    personal_history = forms.CharField(label=_("Personal history"), max_length=4000,
                                       widget=forms.Textarea(attrs={"rows": 4}))
    conduct = forms.CharField(label=_("Conduct and performance"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    overseas_ties = forms.CharField(label=_("Overseas ties"), max_length=4000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("Relatives, property, residence permits or "
                                                "contacts abroad; leave empty when none."))
    relatives_abroad = forms.BooleanField(label=_("Has relatives abroad"), required=False)


def table_rows(data: Any, prefix: str, columns: tuple[str, ...],
               count: int = BLANK_ROWS) -> list[dict[str, Any]]:
    """The non-blank rows `prefix-<n>-<column>` of a posted table, in order."""
    rows = []
    for index in range(count):
        row: dict[str, Any] = {}
        for column in columns:
            value = data.get(f"{prefix}-{index}-{column}", "")
            row[column] = bool(value) if column == "overseas" else str(value).strip()
        if any(value for key, value in row.items() if key != "overseas"):
            rows.append(row)
    return rows


def blank_table(rows: list[dict[str, Any]], columns: tuple[str, ...], errors: dict[str, str],
                prefix: str, count: int = BLANK_ROWS) -> list[dict[str, Any]]:
    """Rows to render: the given ones, then blanks up to `count`, each cell with its error."""
    table = []
    for index in range(max(count, len(rows))):
        values = rows[index] if index < len(rows) else {}
        table.append({
            "index": index,
            "cells": [{"column": column, "name": f"{prefix}-{index}-{column}",
                       "value": values.get(column, False if column == "overseas" else ""),
                       "error": errors.get(f"{prefix}.{index}.{column}", "")
                       or errors.get(f"{prefix}.{index}", "")}
                      for column in columns],
        })
    return table


class TrainingForm(forms.Form):
    """rule P4: one training session."""

    course = forms.CharField(label=_("Course"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1,
                               min_value=0.1, max_value=100)
    exam_result = forms.ChoiceField(label=_("Exam result"), choices=ExamResult.choices,
                                    initial=ExamResult.PASSED)
    score = forms.IntegerField(label=_("Score"), min_value=0, max_value=100, required=False)


class CommitmentForm(forms.Form):
    """rules P3 and P5: a signed commitment or yearly responsibility letter."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CommitmentKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput)
    text_version = forms.CharField(label=_("Version of the text"), max_length=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {"year": today.year, "signed_on": today,
                                      "text_version": COMMITMENT_TEXT_VERSION})
        super().__init__(*args, **kwargs)


class StartInPostForm(forms.Form):
    """rule P3: the date the person starts in the classified post."""

    since = forms.DateField(label=_("In post since"), widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"since": timezone.localdate()})
        super().__init__(*args, **kwargs)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))
