"""Exit pages (离岗/离职, rule P10) and the 脱密期 (rules P11–P14)."""

from django.urls import path

from .views import exit as views

urlpatterns = [
    path("exits/", views.ExitListView.as_view(), name="exit_list"),
    path("files/<int:pk>/exit/", views.ExitNewView.as_view(), name="exit_new"),
    path("exits/<int:pk>/", views.ExitDetailView.as_view(), name="exit_detail"),
    path("exits/<int:pk>/commitment.docx", views.ExitCommitmentDocxView.as_view(),
         name="exit_commitment_docx"),
    path("exits/<int:pk>/visits.docx", views.ExitVisitDocxView.as_view(),
         name="exit_visit_docx"),
]
