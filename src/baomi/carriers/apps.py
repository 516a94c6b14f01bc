from django.apps import AppConfig


class CarriersConfig(AppConfig):
    name = "baomi.carriers"
    label = "carriers"
    verbose_name = "涉密载体"

    def ready(self) -> None:
        # rule C9: the exit of a person is not approved while they hold carriers.
        from .custody import register

        register()
