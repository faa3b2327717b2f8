from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "safeguard.victims"
    label = "victims"
    verbose_name = "Victims' safety records"

    def ready(self) -> None:
        from safeguard.victims import checks  # noqa: F401  (registers the field-key system check)
