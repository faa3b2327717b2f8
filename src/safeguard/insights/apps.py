from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "safeguard.insights"
    label = "insights"
    verbose_name = "Insights"
