"""Pages of the approvals engine, under /approvals/."""

from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("mine/", views.MyRequestListView.as_view(), name="my_requests"),
    path("new/", views.RequestCreateView.as_view(), name="request_new"),
    path("<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path("<int:pk>/decide/", views.RequestDecideView.as_view(), name="request_decide"),
    path("<int:pk>/withdraw/", views.RequestWithdrawView.as_view(), name="request_withdraw"),
    path("<int:pk>/resubmit/", views.RequestResubmitView.as_view(), name="request_resubmit"),
]
