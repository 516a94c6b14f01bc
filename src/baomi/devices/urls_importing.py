"""Pages of the ledger imports (.xlsx, with their empty templates) and of the printed device
and media ledgers (.docx)."""

from django.urls import URLPattern, path

from .views import importing

urlpatterns: list[URLPattern] = [
    path("import/", importing.ImportView.as_view(ledger=importing.DEVICE_LEDGER),
         name="device_import"),
    path("import/template.xlsx", importing.DeviceImportTemplateView.as_view(),
         name="device_import_template"),
    path("ledger.docx", importing.DeviceLedgerDocxView.as_view(), name="device_ledger_docx"),
    path("media/import/", importing.ImportView.as_view(ledger=importing.MEDIA_LEDGER),
         name="medium_import"),
    path("media/import/template.xlsx", importing.MediumImportTemplateView.as_view(),
         name="medium_import_template"),
    path("media/ledger.docx", importing.MediumLedgerDocxView.as_view(),
         name="medium_ledger_docx"),
]
