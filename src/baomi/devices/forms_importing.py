"""The upload form of the ledger imports: the workbook, at most 10 MB (the rows are checked by
`services.importing`)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .importing import MAX_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Ledger workbook (.xlsx)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
