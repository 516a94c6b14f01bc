"""Pages of inspections and rectifications (rules Q9, Q10), appended to `compliance.urls`."""

from django.urls import path

from . import views_inspections as views

inspections_urls = [
    path("inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(),
         name="inspection_detail"),
    path("inspections/<int:pk>/items/<int:item_pk>/<str:action>/",
         views.InspectionItemActionView.as_view(), name="inspection_item_action"),
    path("inspections/<int:pk>/complete/", views.InspectionCompleteView.as_view(),
         name="inspection_complete"),
    path("inspections/<int:pk>/download.docx", views.InspectionDocxView.as_view(),
         name="inspection_docx"),
    path("inspections/evidence/<int:pk>/download", views.EvidenceDownloadView.as_view(),
         name="inspection_evidence"),
    path("rectifications/", views.RectificationListView.as_view(),
         name="rectification_list"),
    path("rectifications/mine/", views.RectificationListView.as_view(mine=True),
         name="my_rectifications"),
    path("rectifications/export.xlsx", views.RectificationExportView.as_view(),
         name="rectification_export"),
    path("rectifications/<int:pk>/", views.RectificationDetailView.as_view(),
         name="rectification_detail"),
    path("rectifications/<int:pk>/notice.docx", views.RectificationNoticeView.as_view(),
         name="rectification_notice"),
]
