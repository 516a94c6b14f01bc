"""Pages of device passwords (rule D6): recording a password change."""

from django.urls import URLPattern, path

from .views import passwords

urlpatterns: list[URLPattern] = [
    path("<int:pk>/password/", passwords.DevicePasswordView.as_view(), name="device_password"),
]
