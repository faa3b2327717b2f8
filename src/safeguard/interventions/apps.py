from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "safeguard.interventions"
    label = "interventions"
    verbose_name = "Interventions"
