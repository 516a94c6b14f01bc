"""Pages of the carriers app (rules C1–C5): the ledger, one carrier, containers, loans, the
.xlsx export and import and the printed forms."""

from django.urls import path

from .views import containers, copying, destruction, detail, labels, ledger, loans, movement, stocktake

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

# copying (rule C4) and the print log (rule C10)
urlpatterns += [
    path("<int:pk>/copy/", copying.CopyNewView.as_view(), name="copy_new"),
    path("copies/<int:pk>/", copying.CopyDetailView.as_view(), name="copy_detail"),
    path("copies/<int:pk>/form.docx", copying.CopyDocxView.as_view(), name="copy_docx"),
    path("prints/", copying.PrintListView.as_view(), name="print_list"),
    path("prints/export.xlsx", copying.PrintExportView.as_view(), name="print_export"),
]

# destruction (rule C7)
urlpatterns += [
    path("destruction/", destruction.DestructionListView.as_view(), name="destruction_list"),
    path("destruction/<int:pk>/", destruction.DestructionDetailView.as_view(),
         name="destruction_detail"),
    path("destruction/<int:pk>/form.docx", destruction.DestructionDocxView.as_view(),
         name="destruction_docx"),
    path("destruction/<int:pk>/list.docx", destruction.DestructionListDocxView.as_view(),
         name="destruction_list_docx"),
]

# stocktakes (rule C1), missing carriers (rule C8) and labels with a QR code
urlpatterns += [
    path("stocktakes/", stocktake.StocktakeListView.as_view(), name="stocktake_list"),
    path("stocktakes/<int:pk>/", stocktake.StocktakeDetailView.as_view(),
         name="stocktake_detail"),
    path("stocktakes/<int:pk>/record.docx", stocktake.StocktakeDocxView.as_view(),
         name="stocktake_docx"),
    path("missing/", stocktake.MissingListView.as_view(), name="missing_list"),
    path("<int:pk>/label.docx", labels.CarrierLabelView.as_view(), name="carrier_label"),
    path("labels.docx", labels.LabelsView.as_view(), name="labels"),
]

# movements out of the unit (rules C2, C6)
urlpatterns += [
    path("<int:pk>/movement/", movement.MovementNewView.as_view(), name="movement_new"),
    path("movements/", movement.MovementListView.as_view(), name="movement_list"),
    path("movements/<int:pk>/", movement.MovementDetailView.as_view(), name="movement_detail"),
    path("movements/<int:pk>/form.docx", movement.MovementDocxView.as_view(),
         name="movement_docx"),
]
