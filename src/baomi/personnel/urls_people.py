"""Pages of posts and the person ledger (included by personnel/urls.py)."""

from django.urls import path

from .views import people as views

urlpatterns = [
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/export.xlsx", views.LedgerExportView.as_view(), name="ledger_export"),
    path("people/import/", views.LedgerImportView.as_view(), name="ledger_import"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("posts/", views.PostListView.as_view(), name="post_list"),
    path("posts/<int:pk>/", views.PostDetailView.as_view(), name="post_detail"),
]
