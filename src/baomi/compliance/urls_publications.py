"""Pages of the 保密审查 of publications (rule Q12), under /compliance/publications/."""

from django.urls import path

from . import views_publications as views

publications_urls = [
    path("publications/", views.PublicationListView.as_view(), name="publication_list"),
    path("publications/new/", views.PublicationCreateView.as_view(), name="publication_new"),
    path("publications/register/", views.PublicationRegisterView.as_view(),
         name="publication_register"),
    path("publications/register.xlsx", views.PublicationRegisterExportView.as_view(),
         name="publication_register_xlsx"),
    path("publications/<int:pk>/", views.PublicationDetailView.as_view(),
         name="publication_detail"),
    path("publications/<int:pk>/edit/", views.PublicationEditView.as_view(),
         name="publication_edit"),
    path("publications/<int:pk>/submit/", views.PublicationSubmitView.as_view(),
         name="publication_submit"),
    path("publications/<int:pk>/publish/", views.PublicationPublishView.as_view(),
         name="publication_publish"),
    path("publications/<int:pk>/withdraw/", views.PublicationWithdrawView.as_view(),
         name="publication_withdraw"),
    path("publications/<int:pk>/form.docx", views.PublicationDocxView.as_view(),
         name="publication_docx"),
]
