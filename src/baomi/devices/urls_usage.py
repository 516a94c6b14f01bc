"""Pages of the usage log of classified computers (rule D5)."""

from django.urls import URLPattern, path

from .views import usage

urlpatterns: list[URLPattern] = [
    path("<int:pk>/usage-books/new/", usage.UsageBookOpenView.as_view(), name="usage_open"),
    path("usage-books/", usage.UsageRetentionView.as_view(), name="usage_books"),
    path("usage-books/<int:pk>/", usage.UsageBookView.as_view(), name="usage_book"),
    path("usage-books/<int:pk>/export.xlsx", usage.UsageBookExportView.as_view(),
         name="usage_export"),
    path("usage-entries/<int:pk>/end/", usage.UsageEndView.as_view(), name="usage_end"),
]
