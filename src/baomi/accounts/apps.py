from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "baomi.accounts"
    label = "accounts"
    verbose_name = "账户与组织"
