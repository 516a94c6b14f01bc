from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "baomi.compliance"
    label = "compliance"
    verbose_name = "保密工作"
