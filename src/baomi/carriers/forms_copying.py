"""Forms of copying (rule C4) and the print log (rule C10).

They parse input only; the services check the rules (C4 approval, consent and who may copy,
C3 container rating, C10 and L5 clearance …) and their refusals are shown here.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Department, Person
from baomi.core.labels import Scheme
from baomi.secrets.choices import IN_FORCE, PeriodKind
from baomi.secrets.models import SecretItem
from baomi.secrets.selectors import items_visible_to

from .forms import (
    CLASSIFIED_LEVELS,
    DATE,
    MAX_PERIOD,
    ContainerChoice,
    ItemChoice,
    PersonChoice,
    colleagues,
    departments,
    unit_containers,
)
from .models import Container
from .models.copying import CopyKind
from .services import COPIES_MAX, COPIES_PER_ORDER_MAX, PAGES_MAX

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NO_PERIOD = [("", "—")]


class CopyForm(forms.Form):
    """复制 / 摘抄 / 加印 of a carrier (rule C4); a 绝密 original needs the consent of its
    originating unit."""

    kind = forms.ChoiceField(label=_("Copy, extract or extra print run"),
                             choices=CopyKind.choices)
    copies = forms.IntegerField(label=_("Number of copies"), min_value=1,
                                max_value=COPIES_PER_ORDER_MAX, initial=1)
    purpose = forms.CharField(label=_("Purpose"), max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))
    consent_unit = forms.CharField(label=_("Consenting originating unit"), max_length=200,
                                   required=False,
                                   help_text=_("Required for a top secret carrier."))
    consent_reference = forms.CharField(label=_("Consent document or reference"),
                                        max_length=100, required=False)
    consent_on = forms.DateField(label=_("Consent given on"), required=False, widget=DATE)

    def __init__(self, *args: Any, consent: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not consent:
            for name in ("consent_unit", "consent_reference", "consent_on"):
                del self.fields[name]


class MakeCopiesForm(forms.Form):
    """The 保密办 makes the approved copies; they go to the requester and into the original's
    container unless others are chosen."""

    made_on = forms.DateField(label=_("Made on"), widget=DATE)
    custodian = PersonChoice(label=_("Custodian of the copies"), required=False,
                             queryset=Person.objects.none(),
                             help_text=_("Leave empty for the requester."))
    container = ContainerChoice(label=_("Container"), required=False,
                                queryset=Container.objects.none(),
                                help_text=_("Leave empty for the original's container."))

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["custodian"].queryset = colleagues(unit_id)
        fields["container"].queryset = unit_containers(unit_id)


class OrderActionForm(forms.Form):
    """Withdraw one copy order."""

    action = forms.ChoiceField(choices=[("withdraw", "withdraw")], widget=forms.HiddenInput)


class PrintForm(forms.Form):
    """One line of the print log (rule C10); the 保密办 may log someone else's printout and
    register a printout kept as a carrier."""

    title = forms.CharField(label=_("Title"), max_length=300)
    scheme = forms.ChoiceField(label=_("Scheme"), choices=Scheme.choices, initial=Scheme.STATE)
    level = forms.TypedChoiceField(label=_("Level"), choices=CLASSIFIED_LEVELS, coerce=int)
    pages = forms.IntegerField(label=_("Pages"), min_value=1, max_value=PAGES_MAX)
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=COPIES_MAX,
                                initial=1)
    device = forms.CharField(label=_("Printer or device"), max_length=100)
    printed_at = forms.DateTimeField(label=_("Printed at"), required=False, widget=DATETIME,
                                     help_text=_("Leave empty for now."))
    printed_by = PersonChoice(label=_("Printed by"), required=False,
                              queryset=Person.objects.none(),
                              help_text=_("Leave empty if you printed it yourself."))
    department = forms.ModelChoiceField(label=_("Department"), required=False,
                                        queryset=Department.objects.none())
    approved_by = PersonChoice(label=_("Approved by"), required=False,
                               queryset=Person.objects.none())
    recipient = PersonChoice(label=_("Recipient"), required=False,
                             queryset=Person.objects.none())
    register_carrier = forms.BooleanField(
        label=_("Keep the printout: register it as a carrier"), required=False)
    number = forms.CharField(label=_("Carrier number"), max_length=50, required=False)
    period_kind = forms.ChoiceField(label=_("Kind of period"), required=False,
                                    choices=NO_PERIOD + list(PeriodKind.choices))
    period_value = forms.IntegerField(label=_("Period (years or months)"), required=False,
                                      min_value=1, max_value=MAX_PERIOD)
    secret_item = ItemChoice(label=_("Secret item carried"), required=False,
                             queryset=SecretItem.objects.none())
    container = ContainerChoice(label=_("Container"), required=False,
                                queryset=Container.objects.none())

    OFFICE_ONLY = ("printed_by", "register_carrier", "number", "period_kind", "period_value",
                   "secret_item", "container")

    def __init__(self, *args: Any, user: Any, unit_id: int, office: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if not office:
            for name in self.OFFICE_ONLY:
                del fields[name]
        else:
            fields["printed_by"].queryset = colleagues(unit_id)
            fields["container"].queryset = unit_containers(unit_id)
            fields["secret_item"].queryset = (
                items_visible_to(user).filter(unit_id=unit_id, state__in=IN_FORCE)
                .order_by("number", "id"))
        fields["department"].queryset = departments(unit_id)
        fields["approved_by"].queryset = colleagues(unit_id)
        fields["recipient"].queryset = colleagues(unit_id)
