"""Pages of the compliance app."""

from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("incidents/", views.IncidentListView.as_view(), name="incident_list"),
    path("incidents/<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
]
