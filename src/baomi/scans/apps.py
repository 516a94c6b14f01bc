from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "baomi.scans"
    label = "scans"
    verbose_name = "保密检查工具"
