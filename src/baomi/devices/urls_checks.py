"""Pages of device checks (rules D3, D11): the checks of a device, recording one, one check
with its printed record, and the rectification items."""

from django.urls import URLPattern, path

from .views import checks

urlpatterns: list[URLPattern] = [
    path("<int:pk>/checks/", checks.DeviceCheckListView.as_view(), name="check_list"),
    path("<int:pk>/checks/new/", checks.CheckNewView.as_view(), name="check_new"),
    path("checks/<int:pk>/", checks.CheckDetailView.as_view(), name="check_detail"),
    path("checks/<int:pk>/record.docx", checks.CheckRecordView.as_view(), name="check_record"),
    path("findings/", checks.FindingListView.as_view(), name="finding_list"),
]
