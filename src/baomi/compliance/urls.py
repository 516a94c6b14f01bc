"""Pages of the compliance app, one urls module per part."""

from django.urls import path

from . import views, views_rooms
from .urls_assessments import assessments_urls
from .urls_qualification import qualification_urls
from .urls_org import org_urls
from .urls_places import places_urls

app_name = "compliance"
urlpatterns = [
    path("incidents/", views.IncidentListView.as_view(), name="incident_list"),
    path("incidents/<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("rooms/", views_rooms.RoomListView.as_view(), name="room_list"),
    path("rooms/<int:pk>/", views_rooms.RoomEditView.as_view(), name="room_edit"),
]
# Each part appends its pages below: `urlpatterns += <part>_urls` (one line per part).
from .urls_overview import urlpatterns as overview_urls  # noqa: E402

urlpatterns += overview_urls
from .urls_incidents import incidents_urls  # noqa: E402

urlpatterns += incidents_urls
urlpatterns += assessments_urls
urlpatterns += qualification_urls
from .urls_firms import firms_urls  # noqa: E402 -- outside firms (rules Q8, Q11)

urlpatterns += firms_urls
from .urls_publications import publications_urls  # noqa: E402 -- rule Q12

urlpatterns += publications_urls
urlpatterns += org_urls  # the 保密委员会 and its meetings (rule Q1)
urlpatterns += places_urls  # key places and classified meetings (rules M1, M2)
