"""Forms of the publication-review pages (rule Q12). They parse input only; the services
check access, the rule and the values again."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import PublicationKind, PublicationState
from .models.publications import CONTENT_MAX
from .services_publications import CHANNEL_MAX, REASON_MAX, TITLE_MAX, WHERE_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FIRST_YEAR = 2000


class ReviewForm(forms.Form):
    """The text to be published and where: every field of `create_review` and
    `revise_review`."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=PublicationKind.choices)
    channel = forms.CharField(
        label=_("Channel"), max_length=CHANNEL_MAX,
        help_text=_("Where it is to be published: the unit portal, a WeChat account, a "
                    "journal, an exhibition …"))
    planned_on = forms.DateField(label=_("Planned publication date"), required=False,
                                 widget=DATE)
    content = forms.CharField(label=_("Text to be published"), max_length=CONTENT_MAX,
                              widget=forms.Textarea(attrs={"rows": 12}))

    def review_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("title", "kind", "channel", "planned_on",
                                              "content")}


class DeclarationForm(forms.Form):
    """rule Q12 (谁上网谁负责): the author answers for the text submitted."""

    declaration = forms.BooleanField(
        label=_("I declare that the text holds no state secret and no work secret, and I "
                "answer for it."), required=False)


class NewReviewForm(ReviewForm, DeclarationForm):
    """A new text, saved as a draft or submitted at once (then with the declaration)."""


class PublishForm(forms.Form):
    """rule Q12: where and when the approved text was published."""

    published_on = forms.DateField(label=_("Published on"), widget=DATE,
                                   initial=timezone.localdate)
    published_where = forms.CharField(label=_("Published where"), max_length=WHERE_MAX,
                                      help_text=_("The address of the page, or the journal, "
                                                  "exhibition or place."))


class WithdrawReviewForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, required=False)


def year_choices() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    return [("", "—")] + [(str(year), str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)]


class RegisterFilterForm(forms.Form):
    """The filters of the register: kind, state, year."""

    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", "—"), *PublicationKind.choices])
    state = forms.ChoiceField(
        label=_("State"), required=False,
        choices=[("", "—"), *[(value, label) for value, label in PublicationState.choices
                              if value != PublicationState.DRAFT]])
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int,
                                  empty_value=None, choices=year_choices)

    def filters(self) -> dict[str, Any]:
        """The filters as `register_of` takes them; none when the form is not valid."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"kind": data["kind"], "state": data["state"], "year": data["year"]}
