from django.apps import AppConfig


class SecretsConfig(AppConfig):
    name = "baomi.secrets"
    label = "secrets"
    verbose_name = "定密"
