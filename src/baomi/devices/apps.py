from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "baomi.devices"
    label = "devices"
    verbose_name = "涉密设备"

    def ready(self) -> None:
        # rule C9: the exit of a person is not approved while they hold devices or media.
        from .custody import register

        register()
