"""Forms of the 资质与备案 and 单位变更事项 pages. They parse input only; the services check
access, the rules (Q3, Q4, Q6) and the values again."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices_qualification import (
    ApplicationKind,
    QualificationGrade,
    QualificationType,
    UnitChangeKind,
)
from .models import Qualification
from .services_qualification import (
    AUTHORITY_MAX,
    DESCRIPTION_MAX,
    NOTE_MAX,
    NUMBER_MAX,
    REPORTED_TO_MAX,
    VALUE_MAX,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
GRADES = [("", _("No grade")), *QualificationGrade.choices]


class CertificateForm(forms.Form):
    """The particulars written on a certificate (all but its type)."""

    grade = forms.ChoiceField(label=_("Grade"), choices=GRADES, required=False)
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=NUMBER_MAX)
    issuing_authority = forms.CharField(label=_("Issuing authority"), max_length=AUTHORITY_MAX)
    issued_on = forms.DateField(label=_("Certificate issued on"), widget=DATE)
    expires_on = forms.DateField(
        label=_("Expires on"), widget=DATE, required=False,
        help_text=_("Left empty: valid 3 years, to the day before the issue date (rule Q4)."))
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)

    def certificate_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in (
            "grade", "certificate_number", "issuing_authority", "issued_on", "expires_on",
            "note")}


class QualificationForm(CertificateForm):
    """A qualification or filing the unit holds (rule Q4)."""

    type = forms.ChoiceField(label=_("Type"), choices=QualificationType.choices)
    field_order = ["type"]

    def qualification_fields(self) -> dict[str, Any]:
        return {"type": self.cleaned_data["type"], **self.certificate_fields()}


class ApplicationForm(forms.Form):
    """An application filed with the authority, new or a renewal (rules Q3, Q4)."""

    type = forms.ChoiceField(label=_("Type"), choices=QualificationType.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=ApplicationKind.choices)
    renews = forms.ModelChoiceField(label=_("Renews"), queryset=Qualification.objects.none(),
                                    required=False)
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)

    def __init__(self, *args: Any, renewable: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if renewable is not None:
            field: Any = self.fields["renews"]
            field.queryset = renewable

    def application_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in (
            "type", "kind", "renews", "applied_on", "note")}


class ReviewForm(forms.Form):
    """The result of the on-site review (rule Q3: out of 100, pass at 90)."""

    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DATE)
    score = forms.DecimalField(label=_("Review score"), required=False, min_value=0,
                               max_value=100, max_digits=5, decimal_places=2)
    result = forms.ChoiceField(label=_("Result"), choices=[
        ("passed", _("Passed")), ("failed", _("Failed"))])

    def review_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"reviewed_on": data["reviewed_on"], "score": data["score"],
                "passed": data["result"] == "passed"}


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=NOTE_MAX)


class UnitChangeForm(forms.Form):
    """A change of the unit (rule Q6)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=UnitChangeKind.choices)
    description = forms.CharField(label=_("Description"), max_length=DESCRIPTION_MAX)
    old_value = forms.CharField(label=_("Old value"), max_length=VALUE_MAX, required=False)
    new_value = forms.CharField(label=_("New value"), max_length=VALUE_MAX, required=False)
    occurred_on = forms.DateField(label=_("Occurred on"), widget=DATE)

    def change_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ReportForm(forms.Form):
    """The report of a change to the authority (rule Q6)."""

    reported_on = forms.DateField(label=_("Reported on"), widget=DATE)
    reported_to = forms.CharField(label=_("Reported to"), max_length=REPORTED_TO_MAX,
                                  help_text=_("e.g. the provincial defence industry office"))

    def report_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
