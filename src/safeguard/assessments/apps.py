from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "safeguard.assessments"
    label = "assessments"
    verbose_name = "Risk assessments"
    default_auto_field = "django.db.models.BigAutoField"
