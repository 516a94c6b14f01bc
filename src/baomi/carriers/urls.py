"""Pages of the carriers app (rules C1–C5): the ledger, one carrier, containers, loans, the
.xlsx export and import and the printed forms."""

from django.urls import path

from .views import containers, detail, ledger, loans

app_name = "carriers"
urlpatterns = [
    path("", ledger.CarrierListView.as_view(), name="carrier_list"),
    path("new/", ledger.CarrierNewView.as_view(), name="carrier_new"),
    path("export.xlsx", ledger.CarrierExportView.as_view(), name="carrier_export"),
    path("import/", ledger.CarrierImportView.as_view(), name="carrier_import"),
    path("import/template.xlsx", ledger.ImportTemplateView.as_view(), name="import_template"),
    path("ledger.docx", ledger.LedgerDocxView.as_view(), name="ledger_docx"),
    path("<int:pk>/", detail.CarrierDetailView.as_view(), name="carrier_detail"),
    path("containers/", containers.ContainerListView.as_view(), name="container_list"),
    path("containers/<int:pk>/", containers.ContainerEditView.as_view(), name="container_edit"),
    path("loans/", loans.LoanListView.as_view(), name="loan_list"),
    path("loans/<int:pk>/form.docx", detail.LoanDocxView.as_view(), name="loan_docx"),
]
