"""Pages of maintenance (rule D7) and retirement (rule D8) of devices and media."""

from django.urls import URLPattern, path

from .views import lifecycle

urlpatterns: list[URLPattern] = [
    path("maintenance/", lifecycle.MaintenanceListView.as_view(), name="maintenance_list"),
    path("maintenance/<int:pk>/", lifecycle.MaintenanceDetailView.as_view(),
         name="maintenance_detail"),
    path("maintenance/<int:pk>/form.docx", lifecycle.MaintenanceDocxView.as_view(),
         name="maintenance_docx"),
    path("<int:pk>/maintenance/new/", lifecycle.MaintenanceNewView.as_view(),
         name="maintenance_new"),
    path("retirements/", lifecycle.RetirementListView.as_view(), name="retirement_list"),
    path("retirements/<int:pk>/", lifecycle.RetirementDetailView.as_view(),
         name="retirement_detail"),
    path("retirements/<int:pk>/form.docx", lifecycle.RetirementDocxView.as_view(),
         name="retirement_docx"),
    path("<int:pk>/retirement/new/", lifecycle.RetirementNewView.as_view(),
         name="device_retirement_new"),
    path("media/<int:pk>/retirement/new/", lifecycle.MediumRetirementNewView.as_view(),
         name="medium_retirement_new"),
]
