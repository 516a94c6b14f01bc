"""Pages of the device and media ledgers (rules D1, D2, D4, D9): lists, registration, one
device or medium, labels and the .xlsx export."""

from django.urls import URLPattern, path

from .views import labels, ledger, media_ledger

urlpatterns: list[URLPattern] = [
    path("", ledger.DeviceListView.as_view(), name="device_list"),
    path("new/", ledger.DeviceNewView.as_view(), name="device_new"),
    path("export.xlsx", ledger.DeviceExportView.as_view(), name="device_export"),
    path("labels.docx", labels.LabelsView.as_view(), name="labels"),
    path("<int:pk>/", ledger.DeviceDetailView.as_view(), name="device_detail"),
    path("<int:pk>/label.docx", labels.DeviceLabelView.as_view(), name="device_label"),
    path("media/", media_ledger.MediumListView.as_view(), name="medium_list"),
    path("media/new/", media_ledger.MediumNewView.as_view(), name="medium_new"),
    path("media/export.xlsx", media_ledger.MediumExportView.as_view(), name="medium_export"),
    path("media/<int:pk>/", media_ledger.MediumDetailView.as_view(), name="medium_detail"),
    path("media/<int:pk>/label.docx", labels.MediumLabelView.as_view(), name="medium_label"),
]
