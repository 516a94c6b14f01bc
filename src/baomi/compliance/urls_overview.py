"""Pages of the overview and the annual self-inspection reports (rule Q5)."""

from django.urls import path

from . import views_overview as views

urlpatterns = [
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("annual-reports/", views.AnnualReportListView.as_view(), name="annual_report_list"),
    path("annual-reports/<int:pk>/report.docx", views.AnnualReportDownloadView.as_view(),
         name="annual_report_download"),
    path("annual-reports/<int:pk>/file/", views.AnnualReportFileView.as_view(),
         name="annual_report_file"),
]
