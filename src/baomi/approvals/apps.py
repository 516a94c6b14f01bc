from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "baomi.approvals"
    label = "approvals"
    verbose_name = _("Approvals")

    def ready(self) -> None:
        # Every app describes its kinds of request in a `request_types` module (registry.py).
        autodiscover_modules("request_types")
