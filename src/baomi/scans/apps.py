from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "baomi.scans"
    label = "scans"
    verbose_name = "保密检查工具"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from baomi.audit.actions import register_actions

        register_actions({
            "SCAN_REPORT_RECEIVED": _("Check tool report received"),
            "SCAN_REPORT_READ": _("Check tool report with classified findings read"),
            "SCAN_KEYWORD_LIST_CREATED": _("Check tool keyword list created"),
            "SCAN_KEYWORD_LIST_UPDATED": _("Check tool keyword list changed"),
            "SCAN_PROFILE_CREATED": _("Check tool profile created"),
            "SCAN_PROFILE_UPDATED": _("Check tool profile changed"),
        })
