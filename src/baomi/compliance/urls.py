"""Pages of the compliance app, one urls module per part."""

from django.urls import path

from . import views, views_rooms
from .urls_inspections import inspections_urls

app_name = "compliance"
urlpatterns = [
    path("incidents/", views.IncidentListView.as_view(), name="incident_list"),
    path("incidents/<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("rooms/", views_rooms.RoomListView.as_view(), name="room_list"),
    path("rooms/<int:pk>/", views_rooms.RoomEditView.as_view(), name="room_edit"),
]
# Each part appends its pages below: `urlpatterns += <part>_urls` (one line per part).
urlpatterns += inspections_urls  # inspections and rectifications (rules Q9, Q10)
