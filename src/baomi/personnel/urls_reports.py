"""重大事项报告 pages (rule P7)."""

from django.urls import path

from .views import reports as views

urlpatterns = [
    path("me/reports/", views.MyReportsView.as_view(), name="my_reports"),
    path("files/<int:pk>/reports/", views.FileReportsView.as_view(), name="file_reports"),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
]
