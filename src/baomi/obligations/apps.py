from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "baomi.obligations"
    label = "obligations"
    verbose_name = "待办与提醒"

    def ready(self) -> None:
        # Each app registers its obligation rules in its rules.py (DESIGN.md 'Obligations').
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("rules")
