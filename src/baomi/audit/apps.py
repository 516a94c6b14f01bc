from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "baomi.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .guard import install_guard

        connection_created.connect(install_guard, dispatch_uid="baomi.audit.guard")
