"""The forms of the check tool's pages; the services check everything again."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ProfileBase
from .models import KeywordList
from .report import REPORT_MAX_BYTES
from .services import NOTE_MAX, NUMBER_MAX, PROFILE_NAME_MAX

VERDICTS = [("", _("all")), ("clean", _("clean")), ("violations", _("violations"))]


class ReportFilterForm(forms.Form):
    device = forms.CharField(label=_("Secrecy number or host"), max_length=NUMBER_MAX,
                             required=False)
    verdict = forms.ChoiceField(label=_("Verdict"), choices=VERDICTS, required=False)
    date_from = forms.DateField(label=_("Scanned from"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Scanned until"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Report (.json)"),
                           help_text=_("The JSON report written by “baomi scan --format json”."))
    device = forms.CharField(label=_("Secrecy number"), max_length=NUMBER_MAX, required=False,
                             help_text=_("Leave empty to use the number in the report."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # A pretty-printed report may be larger than its canonical JSON; the service decides.
        if upload.size > 2 * REPORT_MAX_BYTES:
            raise forms.ValidationError(_("The report is larger than 5 MB."))
        return upload


class KeywordListForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    terms = forms.CharField(label=_("Terms"), required=False,
                            widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "false"}),
                            help_text=_("One term per line; empty lines and repeats are dropped."))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Text file (.txt)"),
                           help_text=_("One term per line, UTF-8 or GB18030; replaces the terms."))


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=PROFILE_NAME_MAX,
                           help_text=_("Used on the command line: letters, digits, “-” and “_”."))
    base = forms.ChoiceField(label=_("Base profile"), choices=ProfileBase.choices)
    keyword_list = forms.ModelChoiceField(label=_("Keyword list"), required=False,
                                          queryset=KeywordList.objects.none())
    limits = forms.JSONField(label=_("Limits"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_('For example {"max_file_bytes": 104857600, '
                                         '"max_depth": 3}; empty for the defaults.'))
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, keyword_lists: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["keyword_list"]
        field.queryset = keyword_lists if keyword_lists is not None else KeywordList.objects.none()
