from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "safeguard.retention"
    label = "retention"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Retention and legal hold"
