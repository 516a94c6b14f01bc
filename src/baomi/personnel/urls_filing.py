"""Pages of the 保密津贴 sheet (rule P15) and the 备案 (rule P16) (included by urls.py)."""

from django.urls import path

from .views import filing as views

urlpatterns = [
    path("allowance/", views.AllowanceView.as_view(), name="allowance"),
    path("allowance/export.xlsx", views.AllowanceExportView.as_view(), name="allowance_export"),
    path("filing/", views.FilingView.as_view(), name="filing"),
    path("filing/export.xlsx", views.FilingExportView.as_view(), name="filing_export"),
]
