from django.apps import AppConfig


class SignalsWebConfig(AppConfig):
    name = "safeguard.signals_web"
    label = "signals_web"
    verbose_name = "New information from free text"
