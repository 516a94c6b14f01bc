"""Pages of leak-incident handling (rules I1, I2); the list and the detail are in urls.py."""

from django.urls import path

from . import views_incidents

incidents_urls = [
    path("incidents/report/", views_incidents.ReportIncidentView.as_view(),
         name="incident_report"),
    path("incidents/<int:pk>/report.docx", views_incidents.IncidentReportDocxView.as_view(),
         name="incident_docx"),
]
