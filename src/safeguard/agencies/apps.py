from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "safeguard.agencies"
    label = "agencies"
    verbose_name = "Partner agencies"

    def ready(self) -> None:
        from safeguard.agencies import receivers

        receivers.connect()
