"""Pages of removable media in use (rule D4): bindings to computers and check-outs."""

from django.urls import URLPattern, path

from . import views_media as views

urlpatterns: list[URLPattern] = [
    path("media-bindings/device/<int:pk>/", views.DeviceBindMediumView.as_view(),
         name="device_bind_medium"),
    path("media-bindings/medium/<int:pk>/", views.MediumBindView.as_view(),
         name="medium_bind"),
    path("media-bindings/<int:pk>/unbind/", views.UnbindView.as_view(),
         name="binding_unbind"),
    path("medium-loans/", views.MediumLoanListView.as_view(), name="medium_loan_list"),
    path("medium-loans/new/<int:pk>/", views.CheckOutView.as_view(), name="medium_check_out"),
    path("medium-loans/<int:pk>/return/", views.ReturnView.as_view(),
         name="medium_loan_return"),
]
