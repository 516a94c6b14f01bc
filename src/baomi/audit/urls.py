"""The auditor's pages, under /audit/ (rule T2: the 安全审计员 only)."""

from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.EventListView.as_view(), name="event_list"),
    path("events/<int:seq>/", views.EventDetailView.as_view(), name="event_detail"),
    path("export/", views.ExportView.as_view(), name="export"),
    path("checkpoints/", views.CheckpointListView.as_view(), name="checkpoint_list"),
    path("checkpoints/<int:pk>/", views.CheckpointDetailView.as_view(),
         name="checkpoint_detail"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
]
