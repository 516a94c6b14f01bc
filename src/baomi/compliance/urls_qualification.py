"""Pages of the unit's 资质/备案 records and changes (rules Q3, Q4, Q6)."""

from django.urls import path

from . import views_qualification as views

qualification_urls = [
    path("qualifications/", views.QualificationListView.as_view(), name="qualification_list"),
    path("qualifications/<int:pk>/", views.QualificationDetailView.as_view(),
         name="qualification_detail"),
    path("qualifications/export.xlsx", views.QualificationLedgerView.as_view(),
         name="qualification_export"),
    path("qualification-applications/<int:pk>/", views.ApplicationDetailView.as_view(),
         name="qualification_application"),
    path("unit-changes/", views.UnitChangeListView.as_view(), name="unit_change_list"),
    path("unit-changes/<int:pk>/", views.UnitChangeDetailView.as_view(), name="unit_change"),
]
