from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "safeguard.api"
    label = "api"
    verbose_name = "API and integration"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safeguard.api import schema  # noqa: F401  (registers the OpenAPI extension for token auth)
