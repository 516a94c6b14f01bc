"""Forms of the outside-firm pages (rules Q8, Q11). They parse input only; the services check
access, the values and the rules again."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Person
from baomi.core.labels import Level, Scheme
from baomi.core.paging import MAX_KEY

from . import services_firms as services
from .choices_firms import FirmKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]


def today() -> Any:
    return timezone.localdate()


class FirmForm(forms.Form):
    """A firm and its conditions as they are now (rule Q11), its place on the 名录 (rule Q8)."""

    name = forms.CharField(label=_("Name"), max_length=services.NAME_MAX)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18,
                                  min_length=18, help_text=_("18 characters."))
    kind = forms.ChoiceField(label=_("Kind"), choices=FirmKind.choices)
    contact = forms.CharField(label=_("Contact"), max_length=services.CONTACT_MAX,
                              required=False)
    foreign_capital = forms.BooleanField(label=_("Foreign capital"), required=False)
    security_review_passed_on = forms.DateField(
        label=_("Security review passed on"), widget=DATE, required=False,
        help_text=_("Empty: the firm has not passed the security review."))
    last_suspension_on = forms.DateField(label=_("Last suspended on"), widget=DATE,
                                         required=False)
    on_directory = forms.BooleanField(label=_("On the directory"), required=False,
                                      help_text=_("Subcontractors only (rule Q8)."))
    directory_number = forms.CharField(label=_("Directory number"), required=False,
                                       max_length=services.DIRECTORY_NUMBER_MAX)
    note = forms.CharField(label=_("Note"), max_length=services.NOTE_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def firm_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in services.FIRM_FIELDS}


class FirmFilterForm(forms.Form):
    """The register's filters."""

    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All")), *FirmKind.choices])
    qualified = forms.ChoiceField(label=_("Qualified for classified work"), required=False,
                                  choices=YES_NO)
    directory = forms.ChoiceField(label=_("On the directory"), required=False, choices=YES_NO)

    def filters(self) -> dict[str, Any]:
        """Filters for `selectors_firms.filter_firms`; unknown values are ignored."""
        data = self.cleaned_data if self.is_valid() else {}

        def flag(value: str) -> bool | None:
            return {"yes": True, "no": False}.get(value)

        return {"kind": data.get("kind") or "", "qualified": flag(data.get("qualified", "")),
                "on_directory": flag(data.get("directory", ""))}


class ProtocolForm(forms.Form):
    """A 保密 protocol signed with the firm (rule Q11)."""

    signed_on = forms.DateField(label=_("Signed on"), widget=DATE, initial=today)
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE, required=False,
                               help_text=_("Empty: not filed yet."))
    expires_on = forms.DateField(label=_("Expires on"), widget=DATE, required=False)
    scope = forms.CharField(label=_("Scope"), max_length=services.SCOPE_MAX,
                            widget=forms.Textarea(attrs={"rows": 2}))
    secrecy_clauses = forms.BooleanField(label=_("Secrecy clauses confirmed"), required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)


class ChangeForm(forms.Form):
    """A change of the firm's conditions reported to the unit (rule Q11)."""

    occurred_on = forms.DateField(label=_("Occurred on"), widget=DATE)
    reported_on = forms.DateField(label=_("Reported on"), widget=DATE, initial=today)
    description = forms.CharField(label=_("Description"), max_length=services.DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class RereviewForm(forms.Form):
    """The re-review of one reported change (rule Q11)."""

    change = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_KEY)
    rereviewed_on = forms.DateField(label=_("Re-reviewed on"), widget=DATE, initial=today)
    passed = forms.TypedChoiceField(label=_("Result"), coerce=lambda v: v == "passed",
                                    choices=[("passed", _("Passed")), ("failed", _("Failed"))])


class YearReportForm(forms.Form):
    """A yearly report received from the firm (rule Q11)."""

    year = forms.IntegerField(label=_("Year"), min_value=services.YEAR_MIN,
                              max_value=services.YEAR_MAX)
    received_on = forms.DateField(label=_("Received on"), widget=DATE, initial=today)


class ContractForm(forms.Form):
    """A contract giving work to the firm, at the level of the work (rules Q8, Q11)."""

    title = forms.CharField(label=_("Title"), max_length=services.TITLE_MAX)
    scheme = forms.ChoiceField(label=_("Marking scheme"), choices=Scheme.choices,
                               initial=Scheme.STATE)
    level = forms.TypedChoiceField(label=_("Level"), choices=Level.choices, coerce=int,
                                   initial=Level.NONSECRET)
    work_kind = forms.CharField(label=_("Kind of work"), max_length=services.WORK_KIND_MAX)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE, initial=today)
    responsible = forms.ModelChoiceField(label=_("Responsible person"),
                                         queryset=Person.objects.none())

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Person.objects.filter(unit_id=unit_id, active=True).order_by("name")


class EndContractForm(forms.Form):
    """A contract ends."""

    contract = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_KEY)
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE, initial=today)


class StrikeOffForm(forms.Form):
    """The firm is struck off (rule Q11)."""

    struck_off_on = forms.DateField(label=_("Struck off on"), widget=DATE, initial=today)
    reason = forms.CharField(label=_("Reason"), max_length=services.REASON_MAX)


class ReinstateForm(forms.Form):
    """The firm re-applied and is reinstated (rule Q11: 12 months after the strike-off)."""

    reinstated_on = forms.DateField(label=_("Reinstated on"), widget=DATE, initial=today)
