"""Root URLs: each app's pages under its own prefix, the API under /api/v1/."""

from django.urls import include, path
from django.views.generic import RedirectView

from baomi.api import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="obligations:dashboard"), name="home"),
    path("accounts/", include("baomi.accounts.urls")),
    path("audit/", include("baomi.audit.urls")),
    path("approvals/", include("baomi.approvals.urls")),
    path("tasks/", include("baomi.obligations.urls")),
    path("personnel/", include("baomi.personnel.urls")),
    path("secrets/", include("baomi.secrets.urls")),
    path("carriers/", include("baomi.carriers.urls")),
    path("compliance/", include("baomi.compliance.urls")),
    path("devices/", include("baomi.devices.urls")),
    path("scans/", include("baomi.scans.urls")),
    path("api/v1/", api.urls),
]
