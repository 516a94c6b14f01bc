"""Pages of the outside-firm register (rules Q8, Q11)."""

from django.urls import path

from . import views_firms

firms_urls = [
    path("firms/", views_firms.FirmListView.as_view(), name="firm_list"),
    path("firms/export.xlsx", views_firms.FirmExportView.as_view(), name="firm_export"),
    path("firms/<int:pk>/", views_firms.FirmDetailView.as_view(), name="firm_detail"),
    path("firms/<int:pk>/form.docx", views_firms.FirmFormDownloadView.as_view(),
         name="firm_form"),
    path("firms/<int:pk>/<slug:action>/", views_firms.FirmActionView.as_view(),
         name="firm_action"),
]
