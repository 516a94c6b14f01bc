"""Pages of scored assessments (rules Q2, Q3), appended to the compliance urls."""

from django.urls import path

from . import views_assessments as views

assessments_urls = [
    path("standards/", views.StandardListView.as_view(), name="standard_list"),
    path("standards/<int:pk>/", views.StandardDetailView.as_view(), name="standard_detail"),
    path("assessments/", views.AssessmentListView.as_view(), name="assessment_list"),
    path("assessments/export.xlsx", views.AssessmentExportView.as_view(),
         name="assessment_export"),
    path("assessments/<int:pk>/", views.AssessmentSheetView.as_view(),
         name="assessment_sheet"),
    path("assessments/<int:pk>/complete/", views.AssessmentCompleteView.as_view(),
         name="assessment_complete"),
    path("assessments/<int:pk>/result/", views.AssessmentResultView.as_view(),
         name="assessment_result"),
    path("assessments/<int:pk>/score-sheet.docx", views.AssessmentDocxView.as_view(),
         name="assessment_docx"),
]
