"""Pages of 要害部门部位 (rule M1) and 涉密会议 (rule M2)."""

from django.urls import path

from . import views_places as views

places_urls = [
    path("places/", views.KeyPlaceListView.as_view(), name="place_list"),
    path("places/export.xlsx", views.KeyPlaceExportView.as_view(), name="place_export"),
    path("places/<int:pk>/", views.KeyPlaceDetailView.as_view(), name="place_detail"),
    path("places/<int:pk>/people/", views.KeyPlaceGrantView.as_view(), name="place_grant"),
    path("places/<int:pk>/people/<int:grant_pk>/revoke/", views.KeyPlaceRevokeView.as_view(),
         name="place_revoke"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/new/", views.MeetingNewView.as_view(), name="meeting_new"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/attendees/<int:attendee_pk>/sign-in/",
         views.MeetingSignInView.as_view(), name="meeting_sign_in"),
    path("meetings/<int:pk>/documents/<int:document_pk>/return/",
         views.MeetingDocumentReturnView.as_view(), name="meeting_document_return"),
    path("meetings/<int:pk>/sign-in-sheet.docx", views.MeetingSignInSheetView.as_view(),
         name="meeting_sign_in_sheet"),
    path("meetings/<int:pk>/documents.docx", views.MeetingDocumentSheetView.as_view(),
         name="meeting_document_sheet"),
    path("meetings/<int:pk>/<slug:action>/", views.MeetingActionView.as_view(),
         name="meeting_action"),
]
