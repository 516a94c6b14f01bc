"""Onboarding pages: my file, reviews, printed forms, the onboarding panel's actions."""

from django.urls import path

from .views import onboarding as views

urlpatterns = [
    path("me/", views.MyFileView.as_view(), name="my_file"),
    path("files/<int:pk>/reviews/new/", views.ReviewNewView.as_view(), name="review_new"),
    path("reviews/<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path("reviews/<int:pk>/resubmit/", views.ReviewResubmitView.as_view(),
         name="review_resubmit"),
    path("reviews/<int:pk>/form.docx", views.ReviewDocxView.as_view(), name="review_docx"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(),
         name="review_attachment"),
    path("files/<int:pk>/commitment.docx", views.CommitmentDocxView.as_view(),
         name="commitment_docx"),
    path("files/<int:pk>/mobile-commitment.docx", views.MobileCommitmentDocxView.as_view(),
         name="mobile_commitment_docx"),
    path("files/<int:pk>/training/", views.TrainingAddView.as_view(), name="training_add"),
    path("files/<int:pk>/commitments/", views.CommitmentAddView.as_view(),
         name="commitment_add"),
    path("files/<int:pk>/start/", views.StartInPostView.as_view(), name="start_in_post"),
]
