from django.apps import AppConfig


class InsightsWebConfig(AppConfig):
    name = "safeguard.insights_web"
    label = "insights_web"
    verbose_name = "Insights pages and case audit"
