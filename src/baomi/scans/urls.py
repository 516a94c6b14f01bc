"""Pages of the check tool (rule D11), under /scans/."""

from django.urls import path

from . import views

app_name = "scans"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("upload/", views.ReportUploadView.as_view(), name="report_upload"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/download.json", views.ReportJsonView.as_view(), name="report_json"),
    path("keywords/", views.KeywordListListView.as_view(), name="keyword_lists"),
    path("keywords/<int:pk>/", views.KeywordListEditView.as_view(), name="keyword_list_edit"),
    path("profiles/", views.ProfileListView.as_view(), name="profile_list"),
    path("profiles/<int:pk>/", views.ProfileEditView.as_view(), name="profile_edit"),
    path("howto/", views.HowToView.as_view(), name="howto"),
]
