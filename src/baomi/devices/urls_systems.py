"""Pages of classified information systems (rule D10)."""

from django.urls import URLPattern, path

from .views import systems

urlpatterns: list[URLPattern] = [
    path("systems/", systems.SystemListView.as_view(), name="system_list"),
    path("systems/new/", systems.SystemCreateView.as_view(), name="system_new"),
    path("systems/<int:pk>/", systems.SystemDetailView.as_view(), name="system_detail"),
]
