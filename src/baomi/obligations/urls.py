from django.urls import path

from . import views

app_name = "obligations"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("unit/", views.UnitObligationListView.as_view(), name="unit"),
    path("unit/export.xlsx", views.UnitObligationExportView.as_view(), name="unit_export"),
]
