"""出国(境) pages (rules P8, P9): trips, the travel-document custody ledger."""

from django.urls import path

from .views import travel as views

urlpatterns = [
    path("travel/", views.TripListView.as_view(), name="travel_list"),
    path("travel/documents/", views.DocumentListView.as_view(), name="document_list"),
    path("travel/documents.xlsx", views.DocumentExportView.as_view(), name="document_export"),
    path("files/<int:pk>/trips/", views.TripNewView.as_view(), name="trip_new"),
    path("trips/<int:pk>/", views.TripDetailView.as_view(), name="trip_detail"),
    path("trips/<int:pk>/form.docx", views.TripDocxView.as_view(), name="trip_docx"),
]
