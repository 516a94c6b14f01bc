"""Pages of the compliance app, one urls module per part."""

from django.urls import path

from . import views, views_rooms
from .urls_assessments import assessments_urls
from .urls_firms import firms_urls
from .urls_incidents import incidents_urls
from .urls_inspections import inspections_urls
from .urls_org import org_urls
from .urls_overview import urlpatterns as overview_urls
from .urls_places import places_urls
from .urls_publications import publications_urls
from .urls_qualification import qualification_urls

app_name = "compliance"
urlpatterns = [
    path("incidents/", views.IncidentListView.as_view(), name="incident_list"),
    path("incidents/<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("rooms/", views_rooms.RoomListView.as_view(), name="room_list"),
    path("rooms/<int:pk>/", views_rooms.RoomEditView.as_view(), name="room_edit"),
    *overview_urls,  # the overview and annual reports (rule Q5)
    *incidents_urls,  # reporting and handling leaks (rules I1, I2)
    *inspections_urls,  # inspections and rectifications (rules Q9, Q10)
    *assessments_urls,  # scored assessments (rules Q2, Q3)
    *qualification_urls,  # qualifications and unit changes (rules Q3, Q4, Q6)
    *firms_urls,  # outside firms and subcontractors (rules Q8, Q11)
    *publications_urls,  # publication review (rule Q12)
    *org_urls,  # the 保密委员会 and its meetings (rule Q1)
    *places_urls,  # key places and classified meetings (rules M1, M2)
]
