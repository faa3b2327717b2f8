from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safeguard.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safeguard.accounts import sessions  # noqa: F401  (connects the sign-in signal)
